package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	usersdk "github.com/usersdk/usersdk-go"
)

func TestParseCommonErrorShapes(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"message":"Record not found"}`:                                    {"", "Record not found"},
		`{"message":"x","status":"access_denied"}`:                          {"access_denied", "x"},
		`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`: {"Exception", "Unknown agencyId Error"},
		`{"error":{"type":7,"message":"numeric type"}}`:                     {"7", "numeric type"},
		`{"error":404,"message":"Not found"}`:                               {"", "Not found"},
		`{"error":"invalid_client"}`:                                        {"", "invalid_client"},
		`{"errors":[{"field":"email","message":"bad","code":12}]}`:          {"12", "email: bad"},
		`{"message":5}`: {"", "5"},
	} {
		e := &usersdk.APIError{Body: []byte(body)}
		ParseCommonError(e)
		assert.Equal(t, want, [2]string{e.Code, e.Message}, body)
	}
}
