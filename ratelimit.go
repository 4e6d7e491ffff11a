package usersdk

import "time"

// RateLimit is a server's request budget as its X-RateLimit-* headers last reported it.
type RateLimit struct {
	// Limit and Remaining are -1 when the server did not send them.
	Limit, Remaining int
	// Reset is when the budget renews; zero when not sent.
	Reset time.Time
	// Observed is when the answer carrying these values arrived.
	Observed time.Time
}
