package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// FormEntry is the text field every NeedleDesk screen builds on (search,
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
type FormEntry struct {
	widget.Entry
	OnSave func()
	self   fyne.Widget       // the widget on screen: the type built on this one
	Own    *container.Scroll // Entry's own scroller, once drawn; nil for none
}

// Extend makes self, a type built on e, the widget Fyne draws and asks.
func (e *FormEntry) Extend(self fyne.Widget) {
	e.self = self
	e.ExtendBaseWidget(self)
}

// TextEntry is the widget.Entry inside, whatever type is built on e.
func (e *FormEntry) TextEntry() *widget.Entry { return &e.Entry }

// TypedShortcut saves on Ctrl+S, hands the window's shortcuts to the
// window, and leaves the rest (copy, paste, undo) to Entry.
func (e *FormEntry) TypedShortcut(s fyne.Shortcut) {
	if IsSaveShortcut(s) && e.OnSave != nil {
		e.OnSave()
		return
	}
	if PassToWindow(e.self, s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// CreateRenderer remembers Entry's own scroller, so a formScroll can let
// a long text scroll before the form does.
func (e *FormEntry) CreateRenderer() fyne.WidgetRenderer {
	r := e.Entry.CreateRenderer()
	for _, o := range r.Objects() {
		if s, ok := o.(*container.Scroll); ok {
			e.Own = s
		}
	}
	return r
}

// pointedEntry is the last multi-line field the pointer moved over; a
// formScroll checks that the pointer is still on it. Used only on the UI
// goroutine.
var pointedEntry *FormEntry

// Cursor is asked on every pointer movement over the field.
func (e *FormEntry) Cursor() desktop.Cursor {
	if e.MultiLine {
		pointedEntry = e
	}
	return e.Entry.Cursor()
}

// TakesWheel reports whether the field should scroll its own text for a
// wheel event at pos (absolute): the pointer is on it and its text can
// still move that way.
func (e *FormEntry) TakesWheel(pos fyne.Position, dy float32) bool {
	if e.Own == nil || e.self == nil || !e.self.Visible() || dy == 0 {
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
	room := e.Own.Content.Size().Height - e.Own.Size().Height
	if dy < 0 { // the wheel turned down: the text moves up
		return e.Own.Offset.Y < room-0.5
	}
	return e.Own.Offset.Y > 0.5
}

// SelectEntry is a text field with a drop-down of suggestions that,
// like formEntry, hands the window's shortcuts on to the window.
type SelectEntry struct {
	widget.SelectEntry
}

func NewSelectEntry() *SelectEntry {
	e := &SelectEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewSelectEntry
	return e
}

// TypedShortcut hands the window's shortcuts to the window and leaves the
// rest to the entry.
func (e *SelectEntry) TypedShortcut(s fyne.Shortcut) {
	if PassToWindow(e, s) {
		return
	}
	e.SelectEntry.TypedShortcut(s)
}

// AsEntry finds the widget.Entry in the focused object, whether it is one
// or a type built on it.
func AsEntry(f fyne.Focusable) *widget.Entry {
	switch e := f.(type) {
	case *widget.Entry:
		return e
	case interface{ TextEntry() *widget.Entry }: // formEntry and the types built on it
		return e.TextEntry()
	case *SelectEntry:
		return &e.Entry
	}
	return nil
}

// Entry is a form's text field: Ctrl+S saves the form from it (FormEntry),
// Tab always moves on to the next field, even from a multi-line one (these
// are form fields, not a text editor), it can bring itself into view when
// Tab reaches it (OnFocus), and it can leave the form on Escape (OnEscape).
// Other shortcuts (copy, paste, undo) behave as in any entry.
type Entry struct {
	FormEntry
	OnFocus  func(fyne.CanvasObject) // nil: nothing more when it takes the focus
	OnEscape func()                  // nil: Escape does what Entry does
}

// NewEntry makes a one-line entry, or a word-wrapped multi-line one showing
// rows lines; onSave (may be nil) saves the form it sits in.
func NewEntry(rows int, onSave func()) *Entry {
	e := &Entry{}
	e.OnSave = onSave
	e.Extend(e)
	if rows > 1 {
		e.MultiLine = true
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(rows)
	}
	return e
}

// AcceptsTab is false even for multi-line entries, so Tab always moves on.
func (e *Entry) AcceptsTab() bool { return false }

// FocusGained brings the entry into view when Tab reaches it.
func (e *Entry) FocusGained() {
	e.FormEntry.FocusGained()
	if e.OnFocus != nil {
		e.OnFocus(e)
	}
}

// TypedKey leaves the form on Escape when the form asks for it.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.OnEscape != nil {
		e.OnEscape()
		return
	}
	e.FormEntry.TypedKey(k)
}

// NewSubmitEntry makes a text field of the owner's screens (products,
// settings, staff, welcome): a one-line one also saves on Enter; onChange
// runs on every edit; either may be nil.
func NewSubmitEntry(rows int, onSave, onChange func()) *Entry {
	e := NewEntry(rows, onSave)
	if rows <= 1 && onSave != nil {
		e.OnSubmitted = func(string) { onSave() }
	}
	if onChange != nil {
		e.OnChanged = func(string) { onChange() }
	}
	return e
}
