package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// adminWalk visits o and everything inside it, widgets' parts included.
func adminWalk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			adminWalk(c, visit)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(v)
		for _, c := range r.Objects() {
			adminWalk(c, visit)
		}
	}
}

// adminButton finds a visible button by its text in the top dialog, or in
// the window's content when no dialog is open.
func adminButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	root := w.Content()
	if top := w.Canvas().Overlays().Top(); top != nil {
		root = top
	}
	var found *widget.Button
	adminWalk(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() && found == nil {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

// adminTexts lists the text of every visible label on screen.
func adminTexts(root fyne.CanvasObject) []string {
	var out []string
	adminWalk(root, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
			out = append(out, l.Text)
		}
	})
	return out
}

func adminShows(root fyne.CanvasObject, text string) bool {
	for _, s := range adminTexts(root) {
		if s == text {
			return true
		}
	}
	return false
}
