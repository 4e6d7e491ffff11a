package recorder

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/recording"
)

// Placeholder replaces every secret the recorder removes. An Authorization value keeps its
// scheme ("Bearer REDACTED", "Basic REDACTED"), so a replay can still tell the schemes apart.
const Placeholder = "REDACTED"

// Names that contain a secret word but hold no secret: "token_type" is "bearer", and
// "expires_in" a lifetime. Compared against the normalized name's ending.
var notSecretSuffixes = []string{"type", "expiresin", "expiresat", "expires", "expiry", "expiration", "ttl", "lifetime"}

// Secret names that the core's list does not cover.
var (
	extraSecretWords = []string{"cookie", "sessionid", "privatekey", "passphrase"}
	extraSecretNames = []string{"otp", "totp", "pin", "sid"}
)

// IsSecretName reports whether a JSON field, form field, query parameter or header with
// this name holds a credential, so that the recorder writes [Placeholder] instead of its
// value. Case, "_" and "-" are ignored. It matches the SDK's own list (password, passwd,
// secret, token, authorization, apikey, credential, anywhere in the name: oldPassword,
// refresh_token, client_secret, X-Api-Key) plus cookie, sessionid, privatekey, passphrase
// and the names otp, totp, pin and sid; names that only describe a secret (token_type,
// expires_in, tokenExpiresAt) are not secret.
func IsSecretName(name string) bool {
	n := recording.NormalizeName(name)
	if n == "" {
		return false
	}
	for _, s := range notSecretSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	if core.IsSecretName(n) {
		return true
	}
	for _, w := range extraSecretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, w := range extraSecretNames {
		if n == w {
			return true
		}
	}
	return false
}

// redactor applies the redaction rules and remembers each secret value it removed, so
// that the value can also be scrubbed wherever else it appears (an error message that
// echoes a password, a token in a field with an innocent name).
type redactor struct {
	extra   map[string]bool // normalized names added with WithSecretNames
	secrets map[string]bool
}

func (r *redactor) isSecret(name string) bool {
	return IsSecretName(name) || r.extra[recording.NormalizeName(name)]
}

func (r *redactor) found(v string) {
	if r.secrets != nil && v != "" && v != Placeholder {
		r.secrets[v] = true
	}
}

// RedactHeader returns the value the recorder writes for a header: Authorization and
// Proxy-Authorization keep only their scheme ("Bearer REDACTED"); Cookie, Set-Cookie and
// any header with a secret name (see [IsSecretName]) become [Placeholder]; Location keeps
// its URL with secret query values and a userinfo password redacted; any other value that
// looks like a credential (a JWT, "Bearer …") is replaced too. Empty stays empty.
func RedactHeader(name, value string) string {
	return (&redactor{}).header(name, value)
}

func (r *redactor) header(name, value string) string {
	if value == "" {
		return ""
	}
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization":
		return r.authorization(value)
	case "Cookie":
		for _, c := range strings.Split(value, ";") {
			_, v, _ := strings.Cut(c, "=")
			r.found(strings.TrimSpace(v))
		}
		r.found(value)
		return Placeholder
	case "Location":
		return r.location(value)
	case "Set-Cookie":
		nv, _, _ := strings.Cut(value, ";")
		_, v, _ := strings.Cut(nv, "=")
		r.found(strings.TrimSpace(v))
		r.found(value)
		return Placeholder
	}
	if r.isSecret(name) {
		r.found(value)
		return Placeholder
	}
	return r.loose(value)
}

// location redacts a redirect target as a request's URL is: the values of secret query
// parameters, and a password in the userinfo.
func (r *redactor) location(value string) string {
	u, err := url.Parse(value)
	if err != nil {
		return r.loose(value)
	}
	if pass, ok := u.User.Password(); ok {
		r.found(pass)
		u.User = url.UserPassword(u.User.Username(), Placeholder)
	}
	if u.RawQuery != "" {
		u.RawQuery = r.values(u.Query()).Encode()
	}
	return u.String()
}

func (r *redactor) authorization(value string) string {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(value), " ")
	cred = strings.TrimSpace(cred)
	if !ok || !isScheme(scheme) || cred == "" {
		r.found(value)
		return Placeholder
	}
	r.found(cred)
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			_, pass, _ := strings.Cut(string(raw), ":")
			r.found(pass) // the user name is the user's own data, not a secret
		}
	}
	return scheme + " " + Placeholder
}

func isScheme(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// loose replaces a value that looks like a credential whatever its name.
func (r *redactor) loose(s string) string {
	if looksLikeCredential(s) {
		r.found(s)
		if scheme, _, ok := strings.Cut(s, " "); ok && isScheme(scheme) {
			return scheme + " " + Placeholder
		}
		return Placeholder
	}
	return s
}

// looksLikeCredential spots a JWT or an Authorization value in a field with an innocent name.
func looksLikeCredential(s string) bool {
	if strings.HasPrefix(s, "eyJ") && strings.Count(s, ".") == 2 && !strings.ContainsAny(s, " \t\n") {
		return true
	}
	scheme, cred, ok := strings.Cut(s, " ")
	return ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) &&
		cred != "" && !strings.ContainsAny(cred, " \t\n")
}

// RedactValues returns a copy of form or query values with every value of a secret name
// (see [IsSecretName]) replaced by [Placeholder]. Empty values stay empty.
func RedactValues(v url.Values) url.Values {
	return (&redactor{}).values(v)
}

func (r *redactor) values(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vals := range v {
		secret := r.isSecret(k)
		cp := make([]string, len(vals))
		for i, s := range vals {
			switch {
			case s == "":
			case secret:
				r.found(s)
				s = Placeholder
			default:
				s = r.loose(s)
			}
			cp[i] = s
		}
		out[k] = cp
	}
	return out
}

// RedactJSON returns the JSON document with the value of every field with a secret name
// (see [IsSecretName]), at any depth and inside arrays, redacted: strings become
// [Placeholder] and numbers 0, so the document keeps its shape and still decodes into the
// same types; booleans and nulls are kept. Everything inside a secret object or array is
// redacted. Strings that look like credentials (a JWT, "Bearer …") are replaced whatever
// their field's name. Field order may change; numbers keep their digits.
func RedactJSON(body []byte) ([]byte, error) {
	r := &redactor{}
	v, err := recording.DecodeJSON(body)
	if err != nil {
		return nil, err
	}
	return encodeJSON(r.json(v, false))
}

func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func (r *redactor) json(v any, secret bool) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = r.json(e, secret || r.isSecret(k))
		}
	case []any:
		for i, e := range x {
			x[i] = r.json(e, secret)
		}
	case string:
		if secret && x != "" {
			r.found(x)
			return Placeholder
		}
		return r.loose(x)
	case json.Number:
		if secret {
			return json.Number("0")
		}
	}
	return v
}

// scrubber replaces every known secret value wherever it appears, as a whole string or
// inside one. Short values are left alone: replacing "1234" everywhere would mangle ids.
type scrubber []string

const minScrubLen = 6

func newScrubber(secrets map[string]bool) scrubber {
	var s scrubber
	seen := map[string]bool{}
	add := func(v string) {
		if len(v) >= minScrubLen && !seen[v] {
			seen[v] = true
			s = append(s, v)
		}
	}
	for v := range secrets {
		add(v)
		add(url.QueryEscape(v))
		add(url.PathEscape(v))
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(s, func(i, j int) bool {
		if len(s[i]) != len(s[j]) {
			return len(s[i]) > len(s[j])
		}
		return s[i] < s[j]
	})
	return s
}

func (s scrubber) str(v string) string {
	for _, secret := range s {
		if strings.Contains(v, secret) {
			v = strings.ReplaceAll(v, secret, Placeholder)
		}
	}
	return v
}

func (s scrubber) values(v url.Values) {
	for _, vals := range v {
		for i := range vals {
			vals[i] = s.str(vals[i])
		}
	}
}

func (s scrubber) json(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = s.json(e)
		}
	case []any:
		for i, e := range x {
			x[i] = s.json(e)
		}
	case string:
		return s.str(x)
	}
	return v
}
