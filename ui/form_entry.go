package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// formEntry is the text field every NeedleDesk screen builds on (search,
// client, session and owner's fields):
//
//   - Ctrl+S saves the form it sits in (onSave), from whichever field;
//     without onSave, Ctrl+S goes to the window, which saves the form in
//     view;
//   - the window's other shortcuts (Ctrl+F, Ctrl+N, Ctrl+L) typed in it
//     reach the window instead of being swallowed (shortcuts.go).
//
// Types built on it call extend from their constructor, as they would
// ExtendBaseWidget.
type formEntry struct {
	widget.Entry
	onSave func()
	self   fyne.Widget // the widget on screen: the type built on this one
}

// extend makes self, a type built on e, the widget Fyne draws and asks.
func (e *formEntry) extend(self fyne.Widget) {
	e.self = self
	e.ExtendBaseWidget(self)
}

// entry is the widget.Entry inside, whatever type is built on e.
func (e *formEntry) entry() *widget.Entry { return &e.Entry }

// TypedShortcut saves on Ctrl+S, hands the window's shortcuts to the
// window, and leaves the rest (copy, paste, undo) to Entry.
func (e *formEntry) TypedShortcut(s fyne.Shortcut) {
	if isSaveShortcut(s) && e.onSave != nil {
		e.onSave()
		return
	}
	if passToWindow(e.self, s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// formSelectEntry is a text field with a drop-down of suggestions that,
// like formEntry, hands the window's shortcuts on to the window.
type formSelectEntry struct {
	widget.SelectEntry
}

func newFormSelectEntry() *formSelectEntry {
	e := &formSelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewSelectEntry
	return e
}

// TypedShortcut hands the window's shortcuts to the window and leaves the
// rest to the entry.
func (e *formSelectEntry) TypedShortcut(s fyne.Shortcut) {
	if passToWindow(e, s) {
		return
	}
	e.SelectEntry.TypedShortcut(s)
}
