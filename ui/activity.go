package ui

import (
	"needledesk/ui/widgets"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne has no window-wide "someone is using me" event, so the idle lock
// learns of use in two ways that change nothing for the screens:
//
//   - mouseWatch lies under the whole window. When the pointer moves, Fyne
//     asks every object under it which cursor to show, from the bottom up
//     (the topmost answer wins), so mouseWatch hears of every movement and
//     its default answer is overruled by the fields and buttons above it.
//     It is not Hoverable or Tappable, so it takes no events from them.
//   - keyWatch is polled: a change of focus, or of the focused field's
//     text or cursor, means someone is typing.

// mouseWatch reports pointer movement over the window.
type mouseWatch struct {
	widget.BaseWidget
	moved func()
}

func newMouseWatch(moved func()) *mouseWatch {
	m := &mouseWatch{moved: moved}
	m.ExtendBaseWidget(m)
	return m
}

// Cursor is asked on every pointer movement over the window.
func (m *mouseWatch) Cursor() desktop.Cursor {
	m.moved()
	return desktop.DefaultCursor
}

func (m *mouseWatch) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(nil))
}

// keyWatch remembers what had the keyboard at the last look.
type keyWatch struct {
	focused fyne.Focusable
	text    string
	row     int
	column  int
}

// changed reports whether the keyboard was used since the last call.
func (k *keyWatch) changed(c fyne.Canvas) bool {
	now := keyWatch{focused: c.Focused()}
	if e := widgets.AsEntry(now.focused); e != nil {
		now.text, now.row, now.column = e.Text, e.CursorRow, e.CursorColumn
	}
	moved := now != *k
	*k = now
	return moved
}
