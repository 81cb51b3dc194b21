package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// typeShortcut delivers s as Fyne's desktop driver does: to the focused
// widget when it takes shortcuts (a text field), to the window otherwise.
func typeShortcut(c fyne.Canvas, s fyne.Shortcut) {
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// typeKeys types text into whatever has the focus, as the keyboard does.
func typeKeys(t *testing.T, c fyne.Canvas, text string) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatalf("nothing has the focus to type %q into", text)
	}
	for _, r := range text {
		f.TypedRune(r)
	}
}
