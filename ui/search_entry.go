package ui

import (
	"fyne.io/fyne/v2"
)

// searchEntry is a one-line entry whose Up and Down keys move through a
// result list instead of the text, so the front desk never leaves the
// keyboard: type, arrow to the client, Enter.
type searchEntry struct {
	formEntry
	move func(delta int)
}

func newSearchEntry(move func(delta int)) *searchEntry {
	e := &searchEntry{move: move}
	e.extend(e)
	return e
}

// TypedKey moves the selection on Up/Down and leaves other keys to Entry.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.move(1)
	case fyne.KeyUp:
		e.move(-1)
	case fyne.KeyPageDown:
		e.move(10)
	case fyne.KeyPageUp:
		e.move(-10)
	default:
		e.Entry.TypedKey(k)
	}
}
