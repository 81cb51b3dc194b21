package widgets

import (
	"fyne.io/fyne/v2"
)

// SearchEntry is a one-line entry whose Up and Down keys move through a
// result list instead of the text, so the front desk never leaves the
// keyboard: type, arrow to the client, Enter.
type SearchEntry struct {
	FormEntry
	move func(delta int)
}

func NewSearchEntry(move func(delta int)) *SearchEntry {
	e := &SearchEntry{move: move}
	e.Extend(e)
	return e
}

// TypedKey moves the selection on Up/Down and leaves other keys to Entry.
func (e *SearchEntry) TypedKey(k *fyne.KeyEvent) {
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
