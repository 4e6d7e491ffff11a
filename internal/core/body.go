package core

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// readsAhead reports whether send reads every 2xx body whole before returning it, for a
// family that looks for its error object there; the body is then in send's readAhead.
func (c *Client) readsAhead() bool { return c.family.ErrorInSuccess != nil }

// checkSuccessBody reads a 2xx body whole (the caller then decodes these bytes, not the
// stream) and returns it as an *APIError when the family recognises its error body in it.
// A small body of known length is read into a pooled buffer, which the caller puts back
// with release once it has decoded the body; an *APIError gets a copy of its body.
func (c *Client) checkSuccessBody(r *Request, resp *http.Response, a *attempt) (readAhead, error) {
	var body readAhead
	var err error
	if c.pooled(resp) {
		body, err = readPooled(resp)
	} else {
		body.b, err = c.readBody(resp)
	}
	drainClose(resp.Body)
	resp.Body = http.NoBody // spent: the caller's deferred closeAnswer has nothing to do
	if err != nil {
		err = c.decodeError(r, err)
		if !a.idempotent {
			return readAhead{}, c.OutcomeUnknown(r, err)
		}
		return readAhead{}, err
	}
	if c.family.ErrorInSuccess(body.b) {
		e, _ := c.apiErrorFrom(resp, a, body.owned())
		body.release()
		return readAhead{}, e
	}
	return body, nil
}

// readAhead is a 2xx body that send read before its caller decoded it (see readsAhead).
// When buf is set, b lies in that pooled buffer: the caller must not keep b, and calls
// release once done.
type readAhead struct {
	b   []byte
	buf *[]byte
}

// release puts the body's buffer back in the pool.
func (r readAhead) release() {
	if r.buf != nil {
		bodies.Put(r.buf)
	}
}

// owned returns the body as a slice the caller may keep.
func (r readAhead) owned() []byte {
	if r.buf != nil {
		return bytes.Clone(r.b)
	}
	return r.b
}

// readBody reads a body whole within the limit: in one allocation when its length is
// declared, else growing as io.ReadAll does. A body read whole is closed (see closeRead).
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n <= c.maxBody {
		b := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, b); err != nil {
			return nil, err
		}
		closeRead(resp)
		return b, nil
	}
	s := settle(resp.Body)
	resp.Body = s
	b, err := io.ReadAll(c.limit(resp))
	s.stop()
	if err == nil {
		closeRead(resp)
	}
	return b, err
}

// settled reads a body of unknown length that is read whole. Once what it has read
// holds a complete JSON object or array, it waits for more of the body (a chunked body's
// last chunk, say) for drainWait at most after each read that brought some, then ends it
// as if it had ended: the end of the answer is known, and a server that stalls after it
// must not hold the call, while one that keeps sending (JSON lines) is read to its end.
// A body that does not open with an object or an array is read to its end.
type settled struct {
	io.ReadCloser
	scan  jsonEnd
	timer *time.Timer
	cut   atomic.Bool // the timer closed the body
}

func settle(body io.ReadCloser) *settled { return &settled{ReadCloser: body} }

func (s *settled) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	switch {
	case s.timer != nil && n > 0:
		s.timer.Reset(drainWait) // the body is still coming
	case s.timer == nil && err == nil && s.scan.feed(p[:n]):
		s.timer = time.AfterFunc(drainWait, func() {
			s.cut.Store(true)
			_ = s.ReadCloser.Close() // unblocks a pending Read
		})
	}
	if err != nil && err != io.EOF && s.cut.Load() {
		return n, io.EOF
	}
	return n, err
}

// stop disarms the timer once the body is read.
func (s *settled) stop() {
	if s.timer != nil {
		s.timer.Stop()
	}
}

// jsonEnd finds where the JSON object or array a body opens with ends.
type jsonEnd struct {
	depth                  int
	opened, inString, esc  bool
	done, notObjectOrArray bool
}

// feed scans b and reports whether the value has ended.
func (j *jsonEnd) feed(b []byte) bool {
	for _, c := range b {
		if j.done || j.notObjectOrArray {
			break
		}
		switch {
		case j.inString:
			switch {
			case j.esc:
				j.esc = false
			case c == '\\':
				j.esc = true
			case c == '"':
				j.inString = false
			}
		case c == '{' || c == '[':
			j.depth++
			j.opened = true
		case !j.opened:
			// White space, or a byte of a UTF-8 byte order mark, may come first.
			j.notObjectOrArray = strings.IndexByte(" \t\r\n\xef\xbb\xbf", c) < 0
		case c == '"':
			j.inString = true
		case c == '}' || c == ']':
			j.depth--
			j.done = j.depth == 0
		}
	}
	return j.done
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

// drainWait bounds how long drainClose waits for the rest of a body. What follows a
// complete answer (a chunked body's last chunk, say) comes at once from a server that
// works; one that stalls must not hold a call whose answer is already decoded, even
// under a context without deadline.
const drainWait = time.Second

// drainClose reads what is left of a body (up to 256 KiB, for drainWait at most) and
// closes it, so the connection can be reused. Past drainWait the body is closed unread,
// which drops the connection.
func drainClose(body io.ReadCloser) {
	if body == http.NoBody {
		return
	}
	// Close unblocks a pending Read of a net/http body.
	cut := time.AfterFunc(drainWait, func() { _ = body.Close() })
	lr := drainers.Get().(*io.LimitedReader)
	lr.R, lr.N = body, 256<<10
	_, _ = io.Copy(io.Discard, lr)
	lr.R = nil
	drainers.Put(lr)
	cut.Stop()
	_ = body.Close()
}

// closeRead closes a body read to its end and leaves http.NoBody in its place: nothing
// is left to drain, so the deferred closeAnswer needs no timer (the common answer, whose
// length is declared, costs nothing more).
func closeRead(resp *http.Response) {
	_ = resp.Body.Close()
	resp.Body = http.NoBody
}

// closeAnswer closes resp's body once the answer is decoded (or not wanted).
func closeAnswer(resp *http.Response) { drainClose(resp.Body) }

// drainers saves drainClose an io.LimitReader allocation on every call.
var drainers = sync.Pool{New: func() any { return new(io.LimitedReader) }}

// pooledBody is the largest body read into a pooled buffer; larger ones stream through
// a decoder or get a buffer of their own.
const pooledBody = 64 << 10

// bodies are the pooled buffers small bodies are read into.
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// pooled reports whether resp's body is read into a pooled buffer: its length is known,
// small and within the client's limit.
func (c *Client) pooled(resp *http.Response) bool {
	return resp.ContentLength >= 0 && resp.ContentLength <= min(pooledBody, c.maxBody)
}

// readPooled reads a body of known length into a pooled buffer, and closes it (see
// closeRead).
func readPooled(resp *http.Response) (readAhead, error) {
	bp := bodies.Get().(*[]byte)
	b := slices.Grow((*bp)[:0], int(resp.ContentLength))[:resp.ContentLength]
	*bp = b
	if _, err := io.ReadFull(resp.Body, b); err != nil {
		bodies.Put(bp)
		return readAhead{}, err
	}
	closeRead(resp)
	return readAhead{b: b, buf: bp}, nil
}

// decodePooled decodes a body that pooled accepts into out. As a decoder does, it takes
// the first JSON value and ignores what follows; an empty body leaves out as it is.
// Decoded values copy what they keep, so the buffer can serve the next call.
func decodePooled(resp *http.Response, out any) error {
	body, err := readPooled(resp)
	if err != nil {
		return err
	}
	defer body.release()
	return decodeFirst(body.b, out)
}
