package telphinfake_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

func TestIsErrorBody(t *testing.T) {
	for body, want := range map[string]bool{
		`{"message": "Record not found"}`:                      false, // a gateway's shape too
		`{"message":"Access denied","status":"access_denied"}`: true,
		`{"status":"client_not_found"}`:                        true,
		`{"message":"Record not found","status":404}`:          false,
		`{"error":"invalid_client"}`:                           true,
		`{"error":"invalid_client","error_description":"x"}`:   true,
		`{"error_description":"expired"}`:                      false,
		`{"message":"x","error":"server_error"}`:               false, // the message wins
		`{"message":"","error":"server_error"}`:                true,
		`{"message":{"text":"x"},"error":"server_error"}`:      true,
		" \n{\"STATUS\":\"x\"}\t":                              true,
		`{"status":"x","status":""}`:                           false,
		`{"status":"","status":"x"}`:                           true,
		`{"Status":"x","status":""}`:                           false,
		`{"status":""}`:                                        false,
		`{"message":null,"status":500}`:                        false,
		`{"error":{"message":"x"}}`:                            false,
		`{"errors":[{"message":"x"}]}`:                         false,
		`{"code":"x"}`:                                         false,
		`["x"]`:                                                false,
		`"x"`:                                                  false,
		`null`:                                                 false,
		``:                                                     false,
		`{"status":"x"} trailing`:                              false,
		`{"status":"x"`:                                        false,
		`<html><body>{"status":"x"}</body></html>`:             false,
		`{"status":"x","other":[1,{"a":2}],"nested":{"status":""}}`: true,
	} {
		assert.Equal(t, want, telphinfake.IsErrorBody([]byte(body)), body)
	}
}
