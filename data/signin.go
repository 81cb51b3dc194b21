package data

import "time"

// FreeSignInAttempts is how many wrong passwords in a row are allowed
// before each further attempt has to wait.
const FreeSignInAttempts = 5

// maxSignInDelay caps the wait so a forgotten password never locks a
// clinic out for long; the owner can reset it meanwhile.
const maxSignInDelay = 15 * time.Minute

// SignInDelay is how long to wait before the next attempt after failures
// wrong passwords in a row: nothing for the first five, then 30 seconds,
// doubling each time up to 15 minutes.
func SignInDelay(failures int) time.Duration {
	if failures < FreeSignInAttempts {
		return 0
	}
	d := 30 * time.Second
	for i := FreeSignInAttempts; i < failures && d < maxSignInDelay; i++ {
		d *= 2
	}
	return min(d, maxSignInDelay)
}

// IdleLock decides when the screen locks after a stretch without use. It
// holds no timer of its own: the UI calls Touch on input and Locked on a
// tick, and tests drive it with an injected clock.
type IdleLock struct {
	now       Clock
	after     time.Duration
	lastInput time.Time
}

// DefaultIdleMinutes is the lock delay for a new clinic.
const DefaultIdleMinutes = 5

// NewIdleLock locks after the given idle time; minutes <= 0 never locks.
func NewIdleLock(now Clock, minutes int) *IdleLock {
	return &IdleLock{now: now, after: time.Duration(minutes) * time.Minute, lastInput: now()}
}

// Touch records that the person used the app.
func (l *IdleLock) Touch() { l.lastInput = l.now() }

// Locked reports whether the app has been idle long enough to lock.
func (l *IdleLock) Locked() bool {
	return l.after > 0 && l.now().Sub(l.lastInput) >= l.after
}
