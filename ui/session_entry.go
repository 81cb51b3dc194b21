package ui

import (
	"needledesk/ui/widgets"

	"fyne.io/fyne/v2"
)

// sessionEntry is a text entry of the treatment-room screens: Ctrl+S (Cmd+S
// on macOS) saves the form it sits in, so the technician can save from
// whichever field they are in (formEntry), and Tab always moves to the next
// input. Other shortcuts (copy, paste, undo) behave as in any entry.
type sessionEntry struct {
	widgets.FormEntry
}

// newSessionEntry makes a one-line entry, or a word-wrapped multi-line one
// showing rows lines.
func newSessionEntry(rows int, onSave func()) *sessionEntry {
	e := &sessionEntry{}
	e.OnSave = onSave
	e.Extend(e)
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
