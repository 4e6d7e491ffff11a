// Package reliability holds the cross-family tests of how the SDK behaves under bad input
// and faulty servers: a fault matrix against every family's fake, duplicate-write safety,
// secret hygiene and a race stress test. Each family plugs in through an adapter
// (adapter_<family>_test.go) that drives its real client against its fake.
package reliability
