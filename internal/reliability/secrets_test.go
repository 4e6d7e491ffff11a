package reliability

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestNoSecretLeaks runs failing and succeeding calls of every family with debug logging
// on and searches every log line and error text for the credentials in use.
func TestNoSecretLeaks(t *testing.T) {
	for _, fam := range families {
		t.Run(fam.name, func(t *testing.T) {
			var logs syncBuffer
			cfg := defaults()
			cfg.logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := fam.start(t, cfg)
			ctx := context.Background()
			var texts []string
			record := func(err error) {
				if err != nil {
					texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				}
			}
			record(h.get(ctx))
			record(h.list(ctx))
			record(h.create(ctx, "secret-check"))
			record(h.create(ctx, "secret-check")) // a conflict
			for _, status := range []int{400, 401, 403, 404, 429, 500, 502} {
				h.fake.FailNext(1, status, "")
				record(h.get(ctx))
				h.fake.Inject(1, fakeserver.Fault{Status: status, Method: http.MethodPost})
				record(h.create(ctx, fmt.Sprintf("secret-%d", status)))
			}
			h.fake.DropNext(5)
			record(h.get(ctx))
			if h.expireToken != nil {
				h.expireToken()
				record(h.get(ctx))
			}
			texts = append(texts, logs.String())
			// Besides what the adapter knows, every credential the fake saw on the wire.
			secrets := h.secrets()
			for _, r := range h.fake.Requests() {
				if a := r.Header.Get("Authorization"); a != "" {
					_, cred, _ := strings.Cut(a, " ")
					secrets = append(secrets, cred)
				}
			}
			require.NotEmpty(t, secrets)
			require.NotEmpty(t, logs.String(), "debug logging must have produced lines")
			leaks := 0
			for _, s := range secrets {
				for _, text := range texts {
					if s != "" && bytes.Contains([]byte(text), []byte(s)) {
						leaks++
						t.Errorf("secret %q leaked into %q", s[:min(4, len(s))]+"…", text[:min(200, len(text))])
					}
				}
			}
			t.Logf("%s: %d texts checked against %d secrets, %d leaks", fam.name, len(texts), len(secrets), leaks)
		})
	}
}
