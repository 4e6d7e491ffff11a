package core

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeListShapes(t *testing.T) {
	cases := map[string][]int{
		`[{"id":1},{"id":2}]`:           {1, 2},
		`[]`:                            {},
		`null`:                          {},
		`{"data":[{"id":3}],"total":1}`: {3},
		`{"total":2,"meta":{"x":[9]},"users":[{"id":4},{"id":5}]}`: {4, 5},
		`{"meta":{"a":1},"rows":[{"id":6}]}`:                       {6}, // no known key: the first array
		`{"items":{"not":"a list"},"results":[{"id":7}]}`:          {7},
	}
	for in, want := range cases {
		got := []int{}
		err := decodeList(strings.NewReader(in), wrapKeys, func(dec *json.Decoder) error {
			var v struct{ ID int }
			if err := dec.Decode(&v); err != nil {
				return err
			}
			got = append(got, v.ID)
			return nil
		})
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{``, `"str"`, `{"count":1}`, `[{"id":1},`, `{"data":[1,2}`} {
		err := decodeList(strings.NewReader(bad), wrapKeys, func(dec *json.Decoder) error {
			var v any
			return dec.Decode(&v)
		})
		assert.Error(t, err, bad)
	}
}

func TestWrappedNullListIsEmpty(t *testing.T) {
	n := 0
	require.NoError(t, decodeList(strings.NewReader(`{"data":null,"total":0}`), wrapKeys, func(*json.Decoder) error { n++; return nil }))
	assert.Zero(t, n)
}

// wrapKeys are list keys as a family that wraps its lists would give them.
var wrapKeys = []string{"data", "items", "users", "results", "records", "list"}

// All must end, yielding each item once, whatever a server makes of the paging.
func TestAllEndsWhateverTheServerDoesWithPaging(t *testing.T) {
	span := func(from, to int64) []int64 {
		var s []int64
		for i := from; i <= to; i++ {
			s = append(s, i)
		}
		return s
	}
	for name, tt := range map[string]struct {
		pages    [][]int64 // the answer to the n-th request; the last repeats
		want     []int64
		requests int
	}{
		"honoured":                    {[][]int64{span(1, 3), span(4, 6), span(7, 7)}, span(1, 7), 3},
		"ends on a full page":         {[][]int64{span(1, 3), span(4, 6), nil}, span(1, 6), 3},
		"offset ignored":              {[][]int64{span(1, 3)}, span(1, 3), 2},
		"limit ignored":               {[][]int64{span(1, 5)}, span(1, 5), 1},
		"a repeat of an earlier page": {[][]int64{span(1, 3), span(4, 6), span(1, 3), span(7, 9)}, span(1, 6), 3},
		"a shifted page":              {[][]int64{span(1, 3), span(3, 5), span(6, 6)}, span(1, 6), 3},
	} {
		t.Run(name, func(t *testing.T) {
			var asked []int
			list := func(_ context.Context, n int) ([]int64, error) {
				asked = append(asked, n)
				return tt.pages[min(n, len(tt.pages)-1)], nil
			}
			var got []int64
			for v, err := range All(t.Context(), 3, func(n int) int { return n }, list, func(v *int64) int64 { return *v }) {
				require.NoError(t, err)
				got = append(got, v)
			}
			assert.Equal(t, tt.want, got)
			assert.Len(t, asked, tt.requests)
		})
	}
}
