package core

import (
	"io"
	"net/http"
)

// checkSuccessBody reads a 2xx body whole (the caller then decodes these bytes, not the
// stream) and returns it as an *APIError when the family recognises its error body in it.
func (c *Client) checkSuccessBody(r *Request, resp *http.Response, a *attempt) ([]byte, error) {
	body, err := c.readBody(resp)
	drainClose(resp.Body)
	if err != nil {
		err = c.decodeError(r, err)
		if !a.idempotent {
			return nil, &OutcomeUnknownError{Method: a.method, URL: RedactURL(mustParse(a.url)), Attempts: a.count, Err: err}
		}
		return nil, err
	}
	if c.family.ErrorInSuccess(body) {
		e, _ := c.apiErrorFrom(resp, a, body)
		return nil, e
	}
	return body, nil
}

// readBody reads a body whole within the limit: in one allocation when its length is
// declared, else growing as io.ReadAll does.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= c.maxBody {
		b := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	return io.ReadAll(c.limit(resp))
}

// limit wraps a body so that reading past the client's limit fails with
// ErrResponseTooLarge. A body whose declared length is within the limit is already bounded
// by the transport and needs no wrapper.
func (c *Client) limit(resp *http.Response) io.Reader {
	if resp.ContentLength >= 0 && resp.ContentLength <= c.maxBody {
		return resp.Body
	}
	return &limitedReader{r: resp.Body, n: c.maxBody}
}

type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe one byte: a body of exactly the limit is fine.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// drainClose reads what is left of a body (up to a bound) and closes it, so the
// connection can be reused.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 256<<10))
	_ = body.Close()
}
