package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
)

// List sends the request and decodes a list answer element by element, without reading
// the body whole first. The answer may be a bare array or null (an empty list) and, for a
// family with ListKeys, an object wrapping the array.
func List[T any](ctx context.Context, c *Client, r *Request) ([]T, error) {
	resp, read, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	defer closeAnswer(resp)
	defer read.release()
	var body io.Reader
	if c.readsAhead() {
		body = bytes.NewReader(read.b)
	} else {
		body = c.limit(resp)
	}
	items := []T{}
	var zero T
	err = decodeList(body, c.family.ListKeys, func(dec *json.Decoder) error {
		// Decoding into the slice's own slot saves a heap copy per element.
		items = append(items, zero)
		return dec.Decode(&items[len(items)-1])
	})
	if err != nil {
		return nil, c.decodeError(r, err)
	}
	return items, nil
}

// decodeList calls each once per element of the list in r, with the decoder positioned
// on that element.
func decodeList(r io.Reader, keys []string, each func(*json.Decoder) error) error {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty body where a list was expected")
		}
		return err
	}
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
		return decodeElements(dec, each)
	case json.Delim('{'):
		if keys != nil {
			return decodeWrapped(dec, keys, each)
		}
	}
	return fmt.Errorf("expected a list, found %v", tok)
}

func decodeElements(dec *json.Decoder, each func(*json.Decoder) error) error {
	for dec.More() {
		if err := each(dec); err != nil {
			return err
		}
	}
	_, err := dec.Token() // ']'
	return err
}

// decodeWrapped finds the list inside an object. Members before it are skipped; the
// first array under one of keys wins, else the first array of all.
func decodeWrapped(dec *json.Decoder, keys []string, each func(*json.Decoder) error) error {
	var fallback []json.RawMessage
	found := false
	for dec.More() {
		keyTok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := keyTok.(string)
		if !found && slices.Contains(keys, key) {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			if tok == json.Delim('[') {
				found = true
				if err := decodeElements(dec, each); err != nil {
					return err
				}
				continue
			}
			if tok == nil {
				found = true // {"data": null}: an empty page
				continue
			}
			if _, ok := tok.(json.Delim); ok {
				if err := skipRest(dec); err != nil {
					return err
				}
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		if !found && fallback == nil && len(raw) > 0 && raw[0] == '[' {
			if err := json.Unmarshal(raw, &fallback); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return err
	}
	if found || fallback == nil {
		if !found && fallback == nil {
			return errors.New("no list found in the response object")
		}
		return nil
	}
	for _, raw := range fallback {
		if err := each(json.NewDecoder(bytes.NewReader(raw))); err != nil {
			return err
		}
	}
	return nil
}

// skipRest consumes the rest of a value whose opening delimiter was already read.
func skipRest(dec *json.Decoder) error {
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// errNilContext is what All yields for a nil context, which ctx.Err would panic on.
var errNilContext = errors.New("usersdk: All: nil context")

// All pages through a listing whose paging the server may not honour: it calls list with
// page(0), page(1), ... (each asking for size items) and yields each item once, telling
// items apart by id. It stops after an empty page or one shorter than size, and also when
// the server shows it ignores the paging: a page longer than size (taken as the whole
// list) or a page with no item not yet yielded (a repeat). It holds one page at a time,
// with the ids it has yielded. The first error is yielded and ends the iteration.
func All[O, T any](ctx context.Context, size int, page func(n int) O,
	list func(context.Context, O) ([]T, error), id func(*T) int64) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, errNilContext)
			return
		}
		seen := map[int64]struct{}{}
		for n := 0; ; n++ {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, err := list(ctx, page(n))
			if err != nil {
				yield(zero, err)
				return
			}
			fresh := 0
			for i := range items {
				k := id(&items[i])
				if _, dup := seen[k]; dup {
					continue
				}
				seen[k] = struct{}{}
				fresh++
				if !yield(items[i], nil) {
					return
				}
			}
			if len(items) != size || fresh == 0 {
				return
			}
		}
	}
}
