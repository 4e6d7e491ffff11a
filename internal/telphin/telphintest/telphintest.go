// Package telphintest is the test suite that clientuser and extensionuser share. The two
// packages are one client (internal/telphin, and code generated from one template) over
// two kinds of user, so their behaviour is tested once, here, and run from each package's
// tests against that package's client, testdata and fake. A Kind tells the suite what
// differs: the package's name, its path segment, its options and models, and the fields
// its create requests require.
//
// Requests are built from JSON objects in the vendor's field names, which both packages
// share, plus the kind's own required fields (Extra), so one test serves both models.
// What only one package has (extensionuser's moves between internal numbers, its nine
// list filters) and the typed requests pinned against each package's recordings stay in
// that package's tests.
//
// Only the packages' external tests import this package: it imports both of them and
// their fakes.
package telphintest

import (
	"context"
	"iter"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// Client is the method set the clients of both packages share: U is the package's User,
// C and P its CreateRequest and UpdateRequest, L its ListOptions.
type Client[U, C, P, L any] interface {
	List(ctx context.Context, clientID string, opts L) ([]U, error)
	All(ctx context.Context, clientID string, opts L) iter.Seq2[U, error]
	Get(ctx context.Context, clientID string, userID int64) (*U, error)
	Create(ctx context.Context, clientID string, req *C) (*U, error)
	Update(ctx context.Context, clientID string, userID int64, req *P) (*U, error)
	Delete(ctx context.Context, clientID string, userID int64) error
	RateLimit() (usersdk.RateLimit, bool)
	TokenSource() oauth2.TokenSource
}

// Options are a package's option constructors, of its own Option type O.
type Options[O any] struct {
	BaseURL           func(string) O
	HTTPClient        func(*http.Client) O
	Token             func(string) O
	ClientCredentials func(appID, secret string) O
	TokenSource       func(oauth2.TokenSource) O
	Logger            func(*slog.Logger) O
	Retry             func(max int, minWait, maxWait time.Duration) O
	WithoutRetries    func() O
	WithoutRateLimit  func() O
	InsecureHTTP      func() O
}

// Fake is the fake server both packages' fakes are (extensionusertest.Server wraps
// clientusertest.Server), seen through the knobs the suite uses.
type Fake interface {
	BaseURL() string
	TokenURL() string
	AppID() string
	Secret() string
	Close()
	Requests() []usersdktest.Request
	ResetRequests()
	TokenRequests() int
	ExpireTokens()
	OmitExpiresIn(bool)
	SetClock(func() time.Time)
	SetRateLimit(int)
	IgnorePaging(bool)
	FailNext(n, status int, retryAfter string)
	Inject(n int, f usersdktest.Fault)
	AddClient(int64)
	AddForbiddenClient(int64)
	Password(int64) (string, bool)
	Notifications() []clientusertest.Notification
	AddClientUser(clientuser.User, string) clientuser.User
	AddExtensionUser(int64, extensionuser.User, string) extensionuser.User
	ClientUser(int64) (clientuser.User, bool)
	ClientUsers() []clientuser.User
	ExtensionUser(int64) (extensionuser.User, int64, bool)
	ExtensionUsers() []extensionuser.User
}

// Kind is what the suite needs to know of one package. Cl is its *Client; the other type
// parameters are those of Client, and O its Option.
type Kind[Cl Client[U, C, P, L], U, C, P, L, O any] struct {
	// Name is the package's name, which prefixes New's errors.
	Name string
	// Segment is the path segment after /user/: "client" or "extension".
	Segment string
	New     func(...O) (Cl, error)
	Opt     Options[O]
	NewFake func() Fake
	// Extra is what a valid create request needs besides login, name, password and email;
	// Elsewhere replaces it for a user of another client than the owner's.
	Extra, Elsewhere map[string]any
	// Required names the create request's required fields in the order Validate checks
	// them.
	Required []string
	// Add stores a user of this kind in the fake under its owner's client; Stored returns
	// one with the client it belongs to; Users returns them all.
	Add    func(f Fake, u U, password string) U
	Stored func(f Fake, id int64) (u U, clientID int64, ok bool)
	Users  func(f Fake) []U
}

// Run runs the whole suite against the package, as subtests: Fixtures replays its
// recordings; Models checks its requests; Wire runs the client against its recordings,
// changed where a test says so (errors, rate limits, retries, answers without a user,
// path escaping, input refused before sending); Auth runs the client-credentials flow
// against the token endpoint's recordings; E2E runs the client against its fake. twin is
// the other package, with which it shares tokens.
func (k Kind[Cl, U, C, P, L, O]) Run(t *testing.T, twin Twin) {
	t.Run("Fixtures", k.testFixtures)
	for _, group := range []struct {
		name  string
		tests []subtest
	}{
		{"Models", []subtest{
			{"CreateRequestValidate", k.testCreateValidate},
			{"CreateRequestOmitsUnsetOptionalFields", k.testCreateOmitsUnset},
			{"CreateRequestEmailNotify", k.testCreateEmailNotify},
			{"UpdateRequestValidate", k.testUpdateValidate},
			{"UpdateRequestSendsOnlySetFields", k.testUpdateSendsOnlySetFields},
			{"RequestsRedactPassword", k.testRequestsRedactPassword},
			{"UserNullStringsDecodeEmpty", k.testNullStringsDecodeEmpty},
			{"ListOptionsZeroValueSendsNoFilter", k.testZeroListOptions},
		}},
		{"Wire", []subtest{
			{"GetNotFound", k.testGetNotFound},
			{"CreateForbidden", k.testCreateForbidden},
			{"ErrorsDoNotMatchOtherSentinels", k.testErrorsDoNotMatchOtherSentinels},
			{"ConcurrentRequestRefused", k.testConcurrentRequestRefused},
			{"ConcurrentRequestRefusalIsRetriedWithBackoff", k.testRefusalRetriedWithBackoff},
			{"HourlyLimitReturnsAtOnce", k.testHourlyLimitReturnsAtOnce},
			{"HourlyLimitWithNearResetIsNotRetried", k.testHourlyLimitWithNearReset},
			{"RateLimitReportsLastHeaders", k.testRateLimitReportsLastHeaders},
			{"CreateAnswered5xx", k.testCreateAnswered5xx},
			{"ServerErrorOnUpdateIsRetried", k.testServerErrorOnUpdateIsRetried},
			{"AnswerWithoutAUserIsAnError", k.testAnswerWithoutAUser},
			{"ClientIDStaysOneSegment", k.testClientIDStaysOneSegment},
			{"BadInputIsRefusedBeforeSending", k.testBadInputRefused},
			{"NewRefusesBadConfiguration", k.testNewRefusesBadConfiguration},
		}},
		{"Auth", []subtest{
			{"ClientCredentialsTokenExchange", k.testTokenExchange},
			{"DefaultBaseURLAndTokenEndpoint", k.testDefaultBaseURL},
			{"TokenFetchedOnceFor50ConcurrentRequests", k.testTokenFetchedOnce},
			{"RejectedTokenIsRenewedOnceAndRequestRetried", k.testRejectedTokenRenewed},
			{"Second401IsUnauthorized", k.testSecond401},
			{"TokenReplacedBeforeExpiry", k.testTokenReplacedBeforeExpiry},
			{"TokenWithoutExpiresInIsKeptUntil401", k.testTokenWithoutExpiresIn},
			{"TokenEndpointFailureIsAuthError", k.testTokenEndpointFailure},
			{"NoSecretPasswordOrTokenInErrorsOrLogs", k.testNoSecretInErrorsOrLogs},
		}},
		{"E2E", []subtest{
			{"EveryMethod", k.testE2EEveryMethod},
			{"CreateEmailNotify", k.testE2ECreateEmailNotify},
			{"ErrorsMatchSentinels", k.testE2EErrorsMatchSentinels},
			{"ExpiredTokenIsRenewedOnce", k.testE2EExpiredTokenRenewed},
			{"RateLimitHeaders", k.testE2ERateLimitHeaders},
			{"HourlyLimitFailsAtOnce", k.testE2EHourlyLimit},
			{"ReadRetriedAfter503", k.testE2EReadRetried},
			{"CreateNotResent", k.testE2ECreateNotResent},
			{"All", k.testE2EAll},
		}},
	} {
		t.Run(group.name, func(t *testing.T) {
			for _, st := range group.tests {
				t.Run(st.name, st.run)
			}
		})
	}
	t.Run("TokenSharedWith"+twin.name, func(t *testing.T) { k.testTokenShared(t, twin) })
}

type subtest struct {
	name string
	run  func(*testing.T)
}
