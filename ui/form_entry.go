package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// formEntry is the text field every NeedleDesk screen builds on (search,
// client, session and owner's fields):
//
//   - Ctrl+S saves the form it sits in (onSave), from whichever field;
//     without onSave, Ctrl+S goes to the window, which saves the form in
//     view;
//   - the window's other shortcuts (Ctrl+F, Ctrl+N, Ctrl+L) typed in it
//     reach the window instead of being swallowed (shortcuts.go);
//   - in a formScroll the mouse wheel scrolls the form over it, unless it
//     has more lines than it shows and can scroll them itself.
//
// Types built on it call extend from their constructor, as they would
// ExtendBaseWidget.
type formEntry struct {
	widget.Entry
	onSave func()
	self   fyne.Widget       // the widget on screen: the type built on this one
	own    *container.Scroll // Entry's own scroller, once drawn; nil for none
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

// CreateRenderer remembers Entry's own scroller, so a formScroll can let
// a long text scroll before the form does.
func (e *formEntry) CreateRenderer() fyne.WidgetRenderer {
	r := e.Entry.CreateRenderer()
	for _, o := range r.Objects() {
		if s, ok := o.(*container.Scroll); ok {
			e.own = s
		}
	}
	return r
}

// pointedEntry is the last multi-line field the pointer moved over; a
// formScroll checks that the pointer is still on it. Used only on the UI
// goroutine.
var pointedEntry *formEntry

// Cursor is asked on every pointer movement over the field.
func (e *formEntry) Cursor() desktop.Cursor {
	if e.MultiLine {
		pointedEntry = e
	}
	return e.Entry.Cursor()
}

// takesWheel reports whether the field should scroll its own text for a
// wheel event at pos (absolute): the pointer is on it and its text can
// still move that way.
func (e *formEntry) takesWheel(pos fyne.Position, dy float32) bool {
	if e.own == nil || e.self == nil || !e.self.Visible() || dy == 0 {
		return false
	}
	d := fyne.CurrentApp().Driver()
	if d.CanvasForObject(e.self) == nil {
		return false
	}
	at, size := d.AbsolutePositionForObject(e.self), e.self.Size()
	if pos.X < at.X || pos.Y < at.Y || pos.X >= at.X+size.Width || pos.Y >= at.Y+size.Height {
		return false
	}
	room := e.own.Content.Size().Height - e.own.Size().Height
	if dy < 0 { // the wheel turned down: the text moves up
		return e.own.Offset.Y < room-0.5
	}
	return e.own.Offset.Y > 0.5
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
