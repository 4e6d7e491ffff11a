package core

import (
	"io"
	"net/http"
	"slices"
	"sync"

	usersdk "github.com/usersdk/usersdk-go"
)

// checkSuccessBody reads a 2xx body whole (the caller then decodes these bytes, not the
// stream) and returns it as an *APIError when the family recognises its error body in it.
func (c *Client) checkSuccessBody(r *Request, resp *http.Response, a *attempt) ([]byte, error) {
	body, err := c.readBody(resp)
	drainClose(resp.Body)
	if err != nil {
		err = c.decodeError(r, err)
		if !a.idempotent {
			return nil, &usersdk.OutcomeUnknownError{Method: a.method, URL: RedactURL(mustParse(a.url)), Attempts: a.count, Err: err}
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

// limit bounds a body at the client's limit; reading past it fails with an
// *http.MaxBytesError, which decodeError reports as ErrResponseTooLarge. A body whose
// declared length is within the limit is already bounded by the transport and needs no
// wrapper.
func (c *Client) limit(resp *http.Response) io.Reader {
	if resp.ContentLength >= 0 && resp.ContentLength <= c.maxBody {
		return resp.Body
	}
	return http.MaxBytesReader(nil, resp.Body, c.maxBody)
}

// drainClose reads what is left of a body (up to a bound) and closes it, so the
// connection can be reused.
func drainClose(body io.ReadCloser) {
	lr := drainers.Get().(*io.LimitedReader)
	lr.R, lr.N = body, 256<<10
	_, _ = io.Copy(io.Discard, lr)
	lr.R = nil
	drainers.Put(lr)
	_ = body.Close()
}

// drainers saves drainClose an io.LimitReader allocation on every call.
var drainers = sync.Pool{New: func() any { return new(io.LimitedReader) }}

// pooledBody is the largest body decodePooled reads; larger ones stream through a decoder.
const pooledBody = 64 << 10

// bodies are the buffers decodePooled reads bodies into.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// decodePooled decodes a body of known length (at most pooledBody) into out. As a
// decoder does, it takes the first JSON value and ignores what follows; an empty body
// leaves out as it is.
func decodePooled(resp *http.Response, out any) error {
	bp := bodies.Get().(*[]byte)
	defer bodies.Put(bp)
	b := slices.Grow((*bp)[:0], int(resp.ContentLength))[:resp.ContentLength]
	*bp = b
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		return err
	}
	return decodeFirst(b, out)
}
