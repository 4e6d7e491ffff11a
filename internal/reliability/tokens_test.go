package reliability

import (
	"encoding/base64"
	"sync"

	"golang.org/x/oauth2"
)

// tokenSource hands out the fake's current token and remembers every one it gave.
type tokenSource struct {
	fetch func() string
	mu    sync.Mutex
	seen  []string
}

func (s *tokenSource) Token() (*oauth2.Token, error) {
	tok := s.fetch()
	s.mu.Lock()
	s.seen = append(s.seen, tok)
	s.mu.Unlock()
	return &oauth2.Token{AccessToken: tok}, nil
}

func (s *tokenSource) issued() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// basic is the Authorization header value for HTTP Basic credentials.
func basic(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
}
