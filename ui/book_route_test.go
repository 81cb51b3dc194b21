package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// TestTheBookRouteOpensTheBookingDialog: the Book next route, asked from
// the client record, opens the book's booking dialog over the record with
// the client, the last session's technician and the treatment filled in.
func TestTheBookRouteOpensTheBookingDialog(t *testing.T) {
	e := newStoreEnv(t)
	e.deps.Book = e.st
	face := data.TreatmentType{Name: "Face needling", DefaultMinutes: 60, Areas: []data.Area{data.AreaCheeks}, Needling: true, Active: true}
	if err := e.st.CreateTreatmentType(e.Ctx, e.Actor.ID, &face); err != nil {
		t.Fatal(err)
	}
	ana := e.c.AddClient(t, "Ana", "Silva")
	e.c.AddSession(t, ana, data.NewDate(2026, 11, 2), func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}
	})
	m := newShellWindow(t, e)
	m.open(screen.ClientRecord{Client: data.ClientID(ana.ID)})
	e.q.WaitFor(t, "Ana's record", func() bool { return m.stack.Depth() == 2 && m.stack.Top().Title == "Ana Silva" })
	m.open(screen.Book{Client: data.ClientID(ana.ID)})
	var selected, typed []string
	e.q.WaitFor(t, "the booking dialog", func() bool {
		selected, typed = dialogValues(m.window)
		return len(selected) > 0
	})
	if want := []string{"Priya Raman", "No room", "Face needling", "Not part of a course"}; !slices.Equal(selected, want) || len(typed) == 0 || typed[0] != "Ana Silva" {
		t.Errorf("the booking dialog starts with %q and %q; want %q and Ana Silva first", selected, typed, want)
	}
	if m.stack.Top().Title != "Ana Silva" {
		t.Errorf("the dialog is over %q; want Ana's record", m.stack.Top().Title)
	}
}

// dialogValues are the choices and the typed texts of the top dialog.
func dialogValues(w fyne.Window) (selected, typed []string) {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil, nil
	}
	type entryOf interface{ TextEntry() *widget.Entry }
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Select:
			selected = append(selected, x.Selected)
		case entryOf:
			typed = append(typed, x.TextEntry().Text)
		}
	}
	return selected, typed
}
