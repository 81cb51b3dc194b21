package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// sessionEntry is a text entry of the treatment-room screens that hands
// Ctrl+S (Cmd+S on macOS) to the form it sits in, so the technician can
// save from whichever field they are in, and whose Tab key always moves to
// the next input. Other shortcuts (copy, paste, undo) behave as in any entry.
type sessionEntry struct {
	widget.Entry
	onSave func()
}

// newSessionEntry makes a one-line entry, or a word-wrapped multi-line one
// showing rows lines.
func newSessionEntry(rows int, onSave func()) *sessionEntry {
	e := &sessionEntry{onSave: onSave}
	e.ExtendBaseWidget(e)
	if rows > 1 {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(rows)
	}
	return e
}

// AcceptsTab is false even for multi-line entries, so Tab always moves on
// to the next input: these are form fields, not a text editor.
func (e *sessionEntry) AcceptsTab() bool { return false }

// TypedShortcut saves on Ctrl+S and leaves every other shortcut to Entry.
func (e *sessionEntry) TypedShortcut(s fyne.Shortcut) {
	if isSaveShortcut(s) && e.onSave != nil {
		e.onSave()
		return
	}
	e.Entry.TypedShortcut(s)
}

func isSaveShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyS && cs.Modifier == fyne.KeyModifierShortcutDefault
}
