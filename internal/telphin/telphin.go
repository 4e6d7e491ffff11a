// Package telphin holds what the two Telphin user packages, clientuser and extensionuser,
// share beyond internal/core: the auth options and the OAuth 2.0 client-credentials flow,
// the parsing of Telphin's error bodies and its hourly rate limit, and the user endpoints,
// which differ between the packages only in the path segment after /user/ and in the
// models. The public packages declare their own types and constants, so that go doc shows
// them whole.
package telphin

// Me is the client id that stands for the client of the token's owner.
const Me = "@me"
