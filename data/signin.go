package data

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

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

// SignInRefusal is why an account may not sign in whatever the password
// is, with the note for the audit trail, or "" and nil when the password
// decides: an account switched off, one with no password yet, or an
// attempt made before the wait after failures wrong passwords in a row
// (the last at lastFailed) is over. Both stores ask it.
func SignInRefusal(active, hasPassword bool, failures int, lastFailed, now time.Time) (note string, why error) {
	switch {
	case !active:
		return "the account is switched off", ErrAccountOff
	case !hasPassword:
		return "no password has been set", ErrNoPassword
	}
	until := NextSignInAt(failures, lastFailed, now)
	if failures < FreeSignInAttempts || !now.Before(until) {
		return "", nil
	}
	wait := &SignInWaitError{Failures: failures, Until: until, Wait: until.Sub(now)}
	return fmt.Sprintf("tried again %s before the wait after %d wrong passwords was over",
		wait.Wait.Round(time.Second), failures), wait
}

// WrongPassword is the refusal of a wrong password that makes failures in
// a row: a plain one, or, once the count starts a wait, one that also says
// how long.
func WrongPassword(failures int, now time.Time) error {
	d := SignInDelay(failures)
	if d == 0 {
		return ErrWrongPassword
	}
	return &SignInWaitError{Failures: failures, Until: now.Add(d), Wait: d, WrongPassword: true}
}

// LockReason says why the screen locked.
type LockReason int

// The two ways the screen locks.
const (
	// LockedByHand: the person chose Lock (or pressed Ctrl+L).
	LockedByHand LockReason = iota
	// LockedWhenIdle: nobody used the app for the clinic's idle minutes.
	LockedWhenIdle
)

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

// MaxIdleMinutes is the longest lock delay a clinic may choose: client
// records should not stay open on an empty desk for longer.
const MaxIdleMinutes = 60

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

// NextSignInAt is the earliest moment the next attempt is heard after
// failures wrong passwords in a row, the last at lastFailed, asked at now.
// Before five failures it is lastFailed itself: no wait. It is never more
// than 15 minutes after now: a last failure recorded while the computer's
// clock ran ahead (and then was put right) would otherwise lock the
// account for as long as the clock was wrong.
func NextSignInAt(failures int, lastFailed, now time.Time) time.Time {
	until := lastFailed.Add(SignInDelay(failures))
	if limit := now.Add(maxSignInDelay); until.After(limit) {
		return limit
	}
	return until
}

// ErrSignIn matches every refused sign-in, whatever the reason.
var ErrSignIn = errors.New("sign-in refused")

// SignInError is a refused sign-in, in words for the person at the screen.
// Compare with the Err* values below using errors.Is.
type SignInError struct{ msg string }

func (e *SignInError) Error() string { return e.msg }

// Is lets errors.Is(err, ErrSignIn) match every reason.
func (e *SignInError) Is(target error) bool { return target == ErrSignIn }

// Why a sign-in was refused. None of them says whether the password was
// nearly right or which part was wrong.
var (
	ErrWrongPassword = &SignInError{"that password is not right; try again, or ask the clinic owner to reset it"}
	ErrAccountOff    = &SignInError{"this account is switched off; the clinic owner can switch it on again"}
	ErrNoPassword    = &SignInError{"no password has been set for this account yet; ask the clinic owner to set one"}
	ErrUnknownStaff  = &SignInError{"this person is not in the clinic's staff list"}
	// ErrTooSoon matches a *SignInWaitError.
	ErrTooSoon = &SignInError{"too many wrong passwords in a row; wait a little before trying again"}
)

// SignInWaitError refuses an attempt made before the wait after repeated
// wrong passwords is over; the password was not checked.
//
// The wrong password that starts or lengthens a wait comes back as a
// SignInWaitError too, with WrongPassword set, so the screen can show the
// wait at once; it also matches ErrWrongPassword.
type SignInWaitError struct {
	Failures      int           // wrong passwords in a row so far
	Until         time.Time     // when the next attempt will be heard
	Wait          time.Duration // how long that was from the refused attempt
	WrongPassword bool          // this attempt's password was checked and wrong
}

func (e *SignInWaitError) Error() string {
	msg := fmt.Sprintf("%d wrong passwords in a row; try again in %s", e.Failures, waitWords(e.Wait))
	if e.WrongPassword {
		return "that password is not right. " + capitalize(msg)
	}
	return msg
}

// Is lets errors.Is match ErrTooSoon and ErrSignIn, and ErrWrongPassword
// when this attempt's password was wrong.
func (e *SignInWaitError) Is(target error) bool {
	return target == ErrTooSoon || target == ErrSignIn || (e.WrongPassword && target == ErrWrongPassword)
}

// Remaining is how much of the wait is left at now, never below zero.
func (e *SignInWaitError) Remaining(now time.Time) time.Duration {
	return max(e.Until.Sub(now), 0)
}

// waitWords says a wait the way a person would: "30 seconds", "2 minutes".
func waitWords(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs <= 1:
		return "1 second"
	case secs < 120:
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d minutes", (secs+59)/60)
}

// signInMessage is UserMessage for a refused sign-in.
func signInMessage(err error) string {
	var wait *SignInWaitError
	var se *SignInError
	switch {
	case errors.As(err, &wait):
		return capitalize(wait.Error()) + "."
	case errors.As(err, &se):
		return capitalize(se.msg) + "."
	}
	return "Sign-in was refused."
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
