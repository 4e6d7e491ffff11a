package telphinfake_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

func TestIsErrorBody(t *testing.T) {
	for body, want := range map[string]bool{
		`{"message": "Record not found"}`:                      true,
		`{"message":"Access denied","status":"access_denied"}`: true,
		`{"status":"client_not_found"}`:                        true,
		`{"message":"Record not found","status":404}`:          true,
		`{"error":"invalid_client"}`:                           true,
		`{"error_description":"expired"}`:                      true,
		" \n{\"MESSAGE\":\"x\"}\t":                             true,
		`{"message":"x","message":""}`:                         false,
		`{"message":"","message":"x"}`:                         true,
		`{"Message":"x","message":""}`:                         false,
		`{"message":""}`:                                       false,
		`{"message":null,"status":500}`:                        false,
		`{"message":{"text":"x"}}`:                             false,
		`{"error":{"message":"x"}}`:                            false,
		`{"errors":[{"message":"x"}]}`:                         false,
		`{"msg":"x"}`:                                          false,
		`["x"]`:                                                false,
		`"x"`:                                                  false,
		`null`:                                                 false,
		``:                                                     false,
		`{"message":"x"} trailing`:                             false,
		`{"message":"x"`:                                       false,
		`<html><body>{"message":"x"}</body></html>`:            false,
		`{"message":"x","other":[1,{"a":2}],"nested":{"message":""}}`: true,
	} {
		assert.Equal(t, want, telphinfake.IsErrorBody([]byte(body)), body)
	}
}
