// Package data is NeedleDesk's domain: the records a clinic keeps, the rules
// that keep them valid and safe, and the store interfaces the UI and the
// command line talk to. It never imports Fyne or a database driver.
package data

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Coded errors every store returns, so callers can tell a missing record from
// a refused write without parsing messages.
var (
	ErrNotFound = errors.New("not found")
	ErrInvalid  = errors.New("invalid input")
	ErrConflict = errors.New("conflict")
	// ErrDiskFull means a change could not be saved because the disk is
	// full; the change was rolled back and everything saved before is
	// intact.
	ErrDiskFull = errors.New("the disk is full")
	// ErrReadOnly means the database file or a folder NeedleDesk writes
	// to cannot be written: read-only, or on a disk that was removed.
	ErrReadOnly = errors.New("the file or folder cannot be written to")
	// ErrDamaged means a database file (or a backup) is damaged or is not a
	// NeedleDesk database at all. NeedleDesk never changes such a file.
	ErrDamaged = errors.New("the file is damaged or is not a NeedleDesk database")
)

// ConflictError refuses a save made over a record that someone changed
// after it was read, in words a receptionist understands: who changed it
// and when. It matches ErrConflict.
type ConflictError struct {
	What string    // the record, as the clinic calls it: "Maria Lopez's record"
	By   string    // who made the change since; "" when not known
	At   time.Time // when
}

func (e *ConflictError) Error() string {
	by := e.By
	if by == "" {
		by = "Someone else"
	}
	return fmt.Sprintf("%s changed %s at %s since you opened it, so your changes were not saved",
		by, e.What, clockWords(e.At, time.Now()))
}

// Unwrap lets errors.Is(err, ErrConflict) match.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// clockWords says when t was in local time: "10:42" on the day of now,
// "10:42 on 3 March" another day this year, with the year otherwise.
func clockWords(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	switch {
	case t.IsZero():
		return "some point"
	case t.YearDay() == now.YearDay() && t.Year() == now.Year():
		return t.Format("15:04")
	case t.Year() == now.Year():
		return t.Format("15:04 on 2 January")
	}
	return t.Format("15:04 on 2 January 2006")
}

// FieldError names the field that is wrong and says what is wrong in words a
// receptionist understands.
type FieldError struct {
	Field   string // snake_case, the same name as the CSV column
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError collects every problem found in one record, so a form can
// show them all at once rather than one per save attempt.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return strings.Join(parts, "; ")
}

// Unwrap lets errors.Is(err, ErrInvalid) match any validation failure.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// For returns the message for one field, or "" when that field is fine.
func (e *ValidationError) For(field string) string {
	for _, p := range e.Problems {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

// problems accumulates field errors while a validator runs.
type problems []FieldError

func (p *problems) add(field, message string) {
	*p = append(*p, FieldError{Field: field, Message: message})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// Invalid builds a validation error for one field; stores use it for
// problems only they can see, such as a client that does not exist.
func Invalid(field, message string) error {
	return &ValidationError{Problems: []FieldError{{Field: field, Message: message}}}
}

// FieldProblems returns the field errors inside err, or nil when err is not a
// validation error.
func FieldProblems(err error) []FieldError {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// ErrExplained marks an error whose own words are written for the person
// using NeedleDesk, such as a backup refused for a wrong passphrase, so
// UserMessage shows them as they are.
var ErrExplained = errors.New("explained")

// Explained marks err as already in plain words; errors.Is still finds
// what err wraps.
func Explained(err error) error { return explained{err} }

type explained struct{ error }

func (e explained) Unwrap() []error { return []error{e.error, ErrExplained} }

// UserMessage turns any error into words fit for the screen: validation and
// coded errors say what happened, anything else is an internal error.
func UserMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrInvalid):
		var ve *ValidationError
		if errors.As(err, &ve) {
			return ve.Error()
		}
		return err.Error()
	case errors.Is(err, ErrForbidden):
		var fe *ForbiddenError
		if errors.As(err, &fe) {
			return fe.Message + "."
		}
		return "Your role does not allow this; ask the clinic owner."
	case errors.Is(err, ErrSignIn):
		return signInMessage(err)
	case errors.Is(err, ErrNotFound):
		return "That record no longer exists. It may have been removed by someone else."
	case errors.Is(err, ErrConflict):
		var ce *ConflictError
		var clash *BookingClash
		if errors.As(err, &clash) {
			return clash.Error() + "."
		}
		if errors.As(err, &ce) {
			return ce.Error() + ". Open it again to see what is saved now."
		}
		return "Someone else changed this record at the same time. Reload it and try again."
	case errors.Is(err, ErrDiskFull) && !errors.Is(err, ErrExplained):
		return "The disk is full, so this change was not saved; everything saved before is safe. Free some space and try again."
	case errors.Is(err, ErrReadOnly), errors.Is(err, ErrDamaged), errors.Is(err, ErrExplained):
		return err.Error()
	default:
		return "Something went wrong inside NeedleDesk: " + err.Error()
	}
}
