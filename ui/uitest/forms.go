package uitest

import (
	"needledesk/ui/widgets"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// FormEntryAt finds the first entry on show in o of which pick approves.
func FormEntryAt(t testing.TB, o fyne.CanvasObject, pick func(*widget.Entry) bool) fyne.CanvasObject {
	t.Helper()
	var found fyne.CanvasObject
	WalkShown(o, func(x fyne.CanvasObject) {
		if f, ok := x.(fyne.Focusable); ok && found == nil {
			if e := widgets.AsEntry(f); e != nil && pick(e) {
				found = x
			}
		}
	})
	if found == nil {
		t.Fatal("no such text field on the page")
	}
	return found
}

// ScrollOf is the scroll container of the form on show.
func ScrollOf(t testing.TB, o fyne.CanvasObject) *container.Scroll {
	t.Helper()
	var s *container.Scroll
	WalkShown(o, func(x fyne.CanvasObject) {
		if fs, ok := x.(*widgets.FormScroll); ok && s == nil {
			s = fs.Scroll
		}
	})
	if s == nil {
		t.Fatal("the page has no form scroll")
	}
	return s
}
