package clients

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// One notch of the wheel (25 pixels from the driver) over a text field
// scrolls each long form by three times that, the field or not.
func TestWheelOverAFieldScrollsTheForm(t *testing.T) {
	e := newStoreEnv(t)
	zoe := e.c.AddClient(t, "Zoë", "Adams", consented) // no check before the session form
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	e.w.Resize(fyne.NewSize(1024, 300)) // every form longer than the window
	oneLine := func(x *widget.Entry) bool { return !x.MultiLine }
	forms := []struct {
		name    string
		content fyne.CanvasObject
	}{
		{"client form", buildClientForm(e.areaEnv, zoe, nil, nil).page.Content},
		{"session form", openSessionForm(e.areaEnv, stack, zoe).page.Content},
	}
	for _, f := range forms {
		e.w.SetContent(f.content)
		e.q.WaitFor(t, "the "+f.name+" to settle", func() bool { return len(e.q) == 0 })
		field := uitest.FormEntryAt(t, f.content, oneLine)
		s := uitest.ScrollOf(t, f.content)
		s.ScrollToTop()
		at := fyne.CurrentApp().Driver().AbsolutePositionForObject(field).Add(fyne.NewPos(5, 5))
		test.Scroll(e.w.Canvas(), at, 0, -25)
		if want := float32(25 * widgets.WheelStep); s.Offset.Y != want {
			t.Errorf("%s: one notch over a field moved the form %v pixels; want %v", f.name, s.Offset.Y, want)
		}
	}
}

// A multi-line field whose text is longer than it shows scrolls its text
// first; at the end of its text the form goes on.
func TestWheelScrollsALongNoteBeforeTheForm(t *testing.T) {
	e := newStoreEnv(t)
	f := buildClientForm(e.areaEnv, data.Client{}, nil, nil)
	e.w.SetContent(f.page.Content)
	e.w.Resize(fyne.NewSize(1024, 640))
	f.notes.SetText(strings.Repeat("A long note about the client.\n", 20))
	f.reveal(f.notes)
	start := f.scroll.Offset.Y
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.notes).Add(fyne.NewPos(10, 10))
	_ = f.notes.Cursor() // the pointer moves over the note
	if start == 0 {
		t.Fatal("the note should be below the first screenful of the form")
	}
	wheel := func(dy float32) {
		ev := &fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, dy)}
		ev.AbsolutePosition = at
		var layer *widgets.WheelLayer
		uitest.Walk(f.page.Content, func(o fyne.CanvasObject) {
			if w, ok := o.(*widgets.WheelLayer); ok {
				layer = w
			}
		})
		layer.Scrolled(ev)
	}
	wheel(-25) // down
	if f.scroll.Offset.Y != start || f.notes.Own.Offset.Y == 0 {
		t.Fatalf("the wheel over a long note moved the form (%v to %v) and the note to %v", start, f.scroll.Offset.Y, f.notes.Own.Offset.Y)
	}
	for range 10 {
		wheel(25) // up: the note's text back to its start, then the form
	}
	if f.notes.Own.Offset.Y != 0 || f.scroll.Offset.Y >= start {
		t.Fatalf("at the start of the note the wheel should move the form on: note at %v, form %v (from %v)",
			f.notes.Own.Offset.Y, f.scroll.Offset.Y, start)
	}
}
