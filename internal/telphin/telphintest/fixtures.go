package telphintest

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

// capture is a client that keeps what its last call returned.
type capture[Cl Client[U, C, P, L], U, C, P, L any] struct {
	c   Cl
	got any
}

func (w *capture[Cl, U, C, P, L]) Create(ctx context.Context, clientID string, req *C) (*U, error) {
	u, err := w.c.Create(ctx, clientID, req)
	w.got = u
	return u, err
}

func (w *capture[Cl, U, C, P, L]) List(ctx context.Context, clientID string, opts L) ([]U, error) {
	users, err := w.c.List(ctx, clientID, opts)
	w.got = users
	return users, err
}

func (w *capture[Cl, U, C, P, L]) Get(ctx context.Context, clientID string, userID int64) (*U, error) {
	u, err := w.c.Get(ctx, clientID, userID)
	w.got = u
	return u, err
}

func (w *capture[Cl, U, C, P, L]) Update(ctx context.Context, clientID string, userID int64, req *P) (*U, error) {
	u, err := w.c.Update(ctx, clientID, userID, req)
	w.got = u
	return u, err
}

func (w *capture[Cl, U, C, P, L]) Delete(ctx context.Context, clientID string, userID int64) error {
	return w.c.Delete(ctx, clientID, userID)
}

// testFixtures is the package's fixture test: each recording in testdata/ is sent by the
// call its request stands for, with the arguments it records (its path's ids, its query
// decoded into ListOptions, its body into a CreateRequest or UpdateRequest), and fails if
// the request on the wire differs in method, escaped path, query, headers or JSON body.
// The call must return the recorded answer: the user or list the body decodes to, or an
// *APIError with the recorded status. Each package's own tests pin its typed requests to
// these recordings, so a request changes only with its recording.
func (k Kind[Cl, U, C, P, L, O]) testFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	for _, endpoint := range []string{"list", "get", "create", "update", "delete"} {
		require.Contains(t, files, testdata(endpoint), "a recording per endpoint")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ex := fixture.Load(t, f)
			k.checkRecording(t, ex)
			rec := fixture.New(t)
			w := &capture[Cl, U, C, P, L]{c: k.recorded(t, rec, k.Opt.WithoutRetries())}
			rec.Replay([]*fixture.Exchange{ex}, fixture.CallsUnder[C, P, L, U](w, "/client/{parent}/user/"+k.Segment).StripPrefix("/api/ver1.0"))
			assert.Len(t, rec.Received(), 1)
			if ex.Response.Status >= 300 || len(ex.Response.Body) == 0 {
				return
			}
			// Every member of the answer is a field of the model, and back again.
			if strings.HasPrefix(strings.TrimSpace(string(ex.Response.Body)), "[") {
				decodeStrict(t, ex.Response.Body, new([]U))
			} else {
				decodeStrict(t, ex.Response.Body, new(U))
			}
			require.NotNil(t, w.got)
			assert.JSONEq(t, string(ex.Response.Body), mustJSON(t, w.got), "the call returns the recorded answer")
		})
	}
	t.Run("errors", testErrorRecordings)
}

// checkRecording checks what every recording of the package must hold: the kind's path
// under /api/ver1.0/client/, the recordings' token, JSON request bodies that are whole
// requests of the model, and error answers in Telphin's own error object.
func (k Kind[Cl, U, C, P, L, O]) checkRecording(t *testing.T, ex *fixture.Exchange) {
	t.Helper()
	assert.True(t, strings.HasPrefix(ex.Request.Path, "/api/ver1.0/client/"), ex.Request.Path)
	assert.Contains(t, ex.Request.Path, "/user/"+k.Segment+"/")
	assert.Equal(t, "Bearer "+testToken, ex.Request.Headers["Authorization"])
	if len(ex.Request.Body) > 0 {
		assert.Equal(t, "application/json", ex.Request.Headers["Content-Type"])
		k.checkRequestBody(t, ex)
	}
	if ex.Response.Status >= 400 {
		var body struct {
			Message string `json:"message"`
			Status  string `json:"status"`
		}
		decodeStrict(t, ex.Response.Body, &body)
		assert.NotEmpty(t, body.Message, "Telphin errors carry a message")
	}
}

// checkRequestBody checks that a recorded body decodes into the model's request without
// loss, and is one Validate accepts.
func (k Kind[Cl, U, C, P, L, O]) checkRequestBody(t *testing.T, ex *fixture.Exchange) {
	t.Helper()
	var req interface{ Validate() error }
	switch ex.Request.Method {
	case http.MethodPost:
		req = any(new(C)).(interface{ Validate() error })
	case http.MethodPut:
		req = any(new(P)).(interface{ Validate() error })
	default:
		t.Fatalf("a %s request with a body", ex.Request.Method)
	}
	decodeStrict(t, ex.Request.Body, req)
	assert.NoError(t, req.Validate())
	assert.JSONEq(t, string(ex.Request.Body), mustJSON(t, req))
}

// testErrorRecordings pins the error answers the wire tests rely on.
func testErrorRecordings(t *testing.T) {
	tests := map[string]struct {
		status  int
		message string
		code    string
		headers map[string]string
	}{
		"get_not_found":            {404, "Record not found", "", nil},
		"list_rate_limited":        {429, "Stats request already exists, concurrent request not allowed", "", nil},
		"list_rate_limited_hourly": {429, "", "rate_limit_exceeded", map[string]string{"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1800"}},
		"create_forbidden":         {403, "", "access_denied", nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ex := fixture.Load(t, testdata(name))
			assert.Equal(t, tt.status, ex.Response.Status)
			var body struct {
				Message string `json:"message"`
				Status  string `json:"status"`
			}
			require.NoError(t, json.Unmarshal(ex.Response.Body, &body))
			if tt.message != "" {
				assert.Equal(t, tt.message, body.Message)
			}
			assert.Equal(t, tt.code, body.Status)
			for k, v := range tt.headers {
				assert.Equal(t, v, ex.Response.Headers[k], k)
			}
		})
	}
}
