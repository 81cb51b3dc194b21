//go:build !cgo

package ui

import (
	"context"
	"errors"
)

// Run cannot open a window in a binary built without cgo: Fyne's desktop
// driver needs it. The screens and their tests still build, and the command
// line keeps working.
func Run(context.Context, Clinic) error {
	return errors.New("this NeedleDesk was built without cgo, so it cannot open a window; rebuild with CGO_ENABLED=1 (see README.md)")
}
