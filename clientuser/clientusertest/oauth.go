package clientusertest

import (
	"crypto/subtle"
	"mime"
	"net/http"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

// token is the OAuth 2.0 token endpoint for trusted applications (client credentials
// grant). Credentials come as HTTP Basic or as the client_id and client_secret form fields;
// the query string is never read.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()

	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request body is not a valid form")
		return
	}
	grant := r.PostForm.Get("grant_type")
	if grant == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing grant_type")
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}

	s.mu.Lock()
	valid := id != "" && equal(id, s.appID) && equal(secret, s.secret)
	s.mu.Unlock()
	if !valid {
		if basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="oauth"`)
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	if grant != "client_credentials" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Only client_credentials is supported by this server")
		return
	}

	s.mu.Lock()
	tok := s.issueLocked()
	omit := s.omitExpiresIn
	s.mu.Unlock()
	body := map[string]any{"access_token": tok, "token_type": "Bearer", "scope": "all"}
	if !omit {
		body["expires_in"] = int(TokenLifetime.Seconds())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	fakeserver.JSON(w, http.StatusOK, body)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// oauthError writes an RFC 6749 error body.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	fakeserver.JSON(w, status, map[string]string{"error": code, "error_description": description})
}
