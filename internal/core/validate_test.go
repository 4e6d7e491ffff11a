package core

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refusing is input whose Validate fails, through a pointer as request types are.
type refusing struct{ why string }

func (r *refusing) Validate() error {
	if r == nil {
		return errors.New("nil input")
	}
	return errors.New(r.why)
}

// TestInputIsValidatedBeforeSending: every entry point refuses a Body or Query whose
// Validate fails, a typed nil pointer included, and sends nothing.
func TestInputIsValidatedBeforeSending(t *testing.T) {
	c, calls := mockClient(t, httpmock.NewStringResponder(http.StatusOK, `[]`))
	ctx := context.Background()
	for _, tc := range []struct {
		r    *Request
		want string
	}{
		{&Request{Method: http.MethodPost, Path: "/u", Body: &refusing{"bad body"}}, "bad body"},
		{&Request{Method: http.MethodGet, Path: "/u", Query: &refusing{"bad query"}}, "bad query"},
		{&Request{Method: http.MethodPut, Path: "/u", Body: (*refusing)(nil)}, "nil input"},
		{&Request{Method: http.MethodPost, Path: "/u", Query: &refusing{"bad query"}, Body: &refusing{"bad body"}}, "bad query"},
	} {
		assert.EqualError(t, c.Do(ctx, tc.r, nil), tc.want)
		_, err := List[int](ctx, c, tc.r)
		assert.EqualError(t, err, tc.want)
		_, err = Object(ctx, c, tc.r, func(*int) bool { return true })
		assert.EqualError(t, err, tc.want)
	}
	assert.Zero(t, calls.Load(), "nothing is sent")
	require.NoError(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/u", Query: &struct{}{}}, nil), "input without Validate is sent as it is")
	assert.EqualValues(t, 1, calls.Load())
}
