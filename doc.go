// Package usersdk is the root of usersdk-go, a Go client SDK for the user-management APIs
// of five services. Each API has its own package:
//
//   - [github.com/usersdk/usersdk-go/backoffice]: the B2Core Back Office users.
//   - [github.com/usersdk/usersdk-go/clientuser]: Telphin cloud PBX client-level users.
//   - [github.com/usersdk/usersdk-go/extensionuser]: Telphin internal-number users.
//   - [github.com/usersdk/usersdk-go/accountuser]: Revive Adserver REST API users.
//   - [github.com/usersdk/usersdk-go/iotuser]: DeviceHive IoT platform users.
//
// This package holds what the five share: the error types and sentinels, the rate-limit
// report, the response capture and the module's Version. The API packages alias its
// error types, so one errors.As target serves them all:
//
//	var apiErr *usersdk.APIError
//	if errors.As(err, &apiErr) {
//		log.Println(apiErr.StatusCode, apiErr.Code, apiErr.RequestID)
//	}
//
// Every client retries reads on 429, 502, 503, 504 and network errors and never resends a
// write that may have reached the server: such a failure matches [ErrOutcomeUnknown].
// [WithResponse] captures a call's final status, headers and rate limit without changing
// method signatures. A caller's middleware (tracing, metrics) goes in the Transport of the
// *http.Client given to each package's WithHTTPClient.
package usersdk
