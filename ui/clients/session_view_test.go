package clients

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// chartedClient is a client with one session charted in full two days
// ago, changed since (an amendment), and an aftercare sheet handed over.
func chartedClient(t *testing.T, e *storeEnv) (data.Client, data.Session) {
	t.Helper()
	balm := e.c.AddProduct(t, "Calm Balm", data.CategoryMoisturiser, 1)
	c := e.c.AddClient(t, "Zoë", "Adams")
	s := e.c.AddSession(t, c, e.Today().AddDays(-2), func(s *data.Session) {
		s.Device, s.NeedleLot, s.NumbingAgent, s.NumbingMinutes = "Dermapen 4", "LOT-88", "Lidocaine 4%", 20
		s.GlideSerum, s.ProductsApplied, s.Reaction = "HA serum", "Cooling mask", "Even redness"
		s.Notes, s.AftercareNotes = "Sensitive on the left cheek", "Cool water only tonight."
		s.Warnings, s.OverrideReason = []string{"Isotretinoin stopped 8 months ago", "Peel on 2026-11-10"}, "Dermatologist agreed"
		s.Recommendations = []data.Recommendation{{ProductID: balm.ID, StartDay: 2}}
	})
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	s.Reaction = "Pinpoint bleeding, settled in an hour"
	if err := e.st.UpdateSession(e.Ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	if _, err := e.deps.sheetMaker().Make(e.Ctx, e.Actor.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	return c, s
}

// tapTimelineRow clicks session row i where no button is, as a person
// would: the tap goes to the list's item that holds the row.
func tapTimelineRow(t *testing.T, r *clientRecord, i int) {
	t.Helper()
	var holder fyne.Tappable
	for _, o := range test.LaidOutObjects(r.timeline) {
		if tp, ok := o.(fyne.Tappable); ok {
			if _, button := o.(*widget.Button); !button {
				holder = tp
			}
		}
		if row, ok := o.(*timelineRow); ok && row.index == i && row.Visible() && holder != nil {
			test.Tap(holder)
			return
		}
	}
	t.Fatalf("no row %d on screen", i)
}

// openedSessionView waits for the session view on top of the stack.
func openedSessionView(t *testing.T, e *storeEnv, stack *screen.Stack) string {
	t.Helper()
	e.q.WaitFor(t, "the session view", func() bool {
		return strings.HasPrefix(stack.Top().Title, "Session of ") && !strings.Contains(sessionScreenText(e.w), "Loading the session")
	})
	return sessionScreenText(e.w)
}

func TestClickingASessionOpensItWithEverythingATechnicianMaySee(t *testing.T) {
	e := newStoreEnv(t)
	c, _ := chartedClient(t, e)
	e.Actor = e.c.StaffByRole(t, data.RoleTechnician)
	r, stack := openClientRecord(t, e, c.ID)
	tapTimelineRow(t, r, 0)
	got := openedSessionView(t, e, stack)
	if want := "Session of 20/11/2026 · Zoë Adams"; stack.Top().Title != want {
		t.Errorf("title %q, want %q", stack.Top().Title, want)
	}
	for _, want := range []string{
		"Treated on Fri 20/11/2026 at 10:00 by Priya Raman",
		"Cheeks 0.75 mm", "Dermapen 4", "LOT-88", "Lidocaine 4%, 20 minutes", "HA serum", "Cooling mask",
		"Pinpoint bleeding, settled in an hour", "Sensitive on the left cheek",
		"Calm Balm from day 2", "Cool water only tonight.", "Fri 18/12/2026",
		"Isotretinoin stopped 8 months ago", "Peel on 10/11/2026", "Reason to go ahead: Dermatologist agreed",
		"Aftercare sheets handed over", "Version 1: Made 22/11/2026, 10:00 by Maya Lindqvist",
		"▸ Reaction: Even redness", "Aftercare sheet",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the session view does not show %q", want)
		}
	}
	if t.Failed() {
		t.Logf("it shows:\n%s", got)
	}
	if r.timeline.wasSelected(0) {
		t.Error("the row stays selected, so clicking it again would not open it")
	}
}

func TestSessionViewForAReceptionistShowsTheSummaryOnly(t *testing.T) {
	e := newStoreEnv(t)
	c, _ := chartedClient(t, e)
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, stack := openClientRecord(t, e, c.ID)
	tapTimelineRow(t, r, 0)
	got := openedSessionView(t, e, stack)
	for _, want := range []string{"Treated on Fri 20/11/2026 at 10:00 by Priya Raman", "Cheeks",
		"Calm Balm from day 2", "Cool water only tonight.", "Fri 18/12/2026", "clinical details, shown to technicians and owners",
		"Version 1: Made 22/11/2026"} {
		if !strings.Contains(got, want) {
			t.Errorf("a receptionist's view does not show %q", want)
		}
	}
	for _, hidden := range []string{"0.75", "Dermapen", "LOT-88", "Lidocaine", "bleeding", "redness", "Sensitive",
		"Isotretinoin", "Dermatologist", "Device", "Reaction", "Not recorded", "None", "none", "No reaction", "No warnings"} {
		if strings.Contains(got, hidden) {
			t.Errorf("a receptionist's view shows %q", hidden)
		}
	}
	if t.Failed() {
		t.Logf("it shows:\n%s", got)
	}
}

func TestEnterOpensTheSessionAndEscapeCloses(t *testing.T) {
	e := newStoreEnv(t)
	c, _ := chartedClient(t, e)
	r, stack := openClientRecord(t, e, c.ID)
	e.w.Canvas().Focus(r.timeline)
	r.timeline.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	openedSessionView(t, e, stack)
	focused, ok := e.w.Canvas().Focused().(*keyPane)
	if !ok {
		t.Fatalf("the keyboard is on %T, not on the session view", e.w.Canvas().Focused())
	}
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if stack.Top() != r.page {
		t.Fatalf("Escape left %q on top; want the record", stack.Top().Title)
	}

	// Back on the record, Enter opens the same session again.
	e.w.Canvas().Focus(r.timeline)
	r.timeline.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	openedSessionView(t, e, stack)
}

// wasSelected reports whether row i was selected, and unselects it.
func (l *openList) wasSelected(i int) bool {
	was, old := false, l.OnUnselected
	l.OnUnselected = func(widget.ListItemID) { was = true }
	l.Unselect(i)
	l.OnUnselected = old
	return was
}
