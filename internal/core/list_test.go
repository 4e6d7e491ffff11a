package core

import (
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
