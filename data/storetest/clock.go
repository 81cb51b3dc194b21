package storetest

import (
	"sync"
	"time"

	"needledesk/data"
)

// TestNow is noon UTC on Sunday 22 November 2026, the book tests' "now",
// so "today" is the same date in nearly every zone the tests might run in.
var TestNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

var today = data.DateOf(TestNow)

// Clock is a clock the tests move by hand.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock showing at.
func NewClock(at time.Time) *Clock { return &Clock{t: at} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
