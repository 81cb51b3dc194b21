package clients

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// smallWindow is the smallest window NeedleDesk's layouts must hold: a
// small laptop's screen.
var smallWindow = fyne.NewSize(1024, 640)

// showsWhole reports whether label l has room for its whole text, on one
// line, as laid out now: a label that truncates (with an ellipsis) has a
// small MinSize whatever its text, so it is measured against the text.
func showsWhole(l *widget.Label) bool {
	style := l.TextStyle
	size := theme.TextSize()
	if l.SizeName != "" {
		size = theme.Size(l.SizeName)
	}
	need := fyne.MeasureText(l.Text, size, style).Width + 2*theme.InnerPadding()
	return l.Size().Width+0.5 >= need
}

// layOut lays the window's content out again at size, as the driver does
// when the window is resized.
func layOut(w fyne.Window, size fyne.Size) {
	w.Resize(size.AddWidthHeight(1, 1))
	w.Resize(size)
}

// TestSessionHeadersHoldAtTheSmallestWindow opens, at 1024x640, the record
// of a client whose session was amended, went ahead despite warnings and
// was given by a technician with a long name: every session's first line
// (date, time, technician) and its warning line show whole, beside the
// row's buttons.
func TestSessionHeadersHoldAtTheSmallestWindow(t *testing.T) {
	e := newStoreEnv(t)
	long := data.Staff{Name: "Aleksandra Wiśniewska-Kowalczyk", Role: data.RoleTechnician, Active: true}
	if err := e.st.CreateStaff(e.Ctx, data.SystemActor, &long); err != nil {
		t.Fatal(err)
	}
	c := e.c.AddClient(t, "Zoë", "Adams")
	for i, day := range []data.Date{e.Today().AddDays(-40), e.Today().AddDays(-2)} {
		s := e.c.AddSession(t, c, day, func(s *data.Session) {
			s.TechnicianID = long.ID
			s.Warnings = []string{"Isotretinoin stopped 8 months ago", "Blood thinners"}
			s.OverrideReason = "Doctor's letter on file"
		})
		s.Reaction = "Even redness, settled within the hour"
		if err := e.st.UpdateSession(e.Ctx, long.ID, &s); err != nil {
			t.Fatalf("session %d: %v", i, err)
		}
	}
	stack := recordInWindow(t, e, c.ID, smallWindow)
	r := stack.Top()
	e.q.WaitFor(t, "the record", func() bool { return r.Title == "Zoë Adams" })
	layOut(e.w, smallWindow)

	rows := 0
	for _, o := range test.LaidOutObjects(e.w.Content()) {
		row, ok := o.(*timelineRow)
		if !ok || !row.Visible() || row.when.Text == "" {
			continue
		}
		rows++
		if !showsWhole(row.when) {
			t.Errorf("at 1024x640 the session header %q has %.0f px; it needs %.0f", row.when.Text, row.when.Size().Width,
				fyne.MeasureText(row.when.Text, theme.TextSize(), row.when.TextStyle).Width+2*theme.InnerPadding())
		}
		if !row.versions.Visible() {
			t.Error("the amended session shows no Amended button")
		}
		if !showsWhole(row.override) {
			t.Errorf("at 1024x640 the warning line %q is cut", row.override.Text)
		}
	}
	if rows != 2 {
		t.Fatalf("%d session rows laid out; want 2", rows)
	}

}

// TestSheetRowsHoldAtTheSmallestWindow: at 1024x640 each aftercare sheet
// handed over shows its whole title and details beside its buttons.
func TestSheetRowsHoldAtTheSmallestWindow(t *testing.T) {
	e := newStoreEnv(t)
	long := data.Staff{Name: "Aleksandra Wiśniewska-Kowalczyk", Role: data.RoleTechnician, Active: true}
	if err := e.st.CreateStaff(e.Ctx, data.SystemActor, &long); err != nil {
		t.Fatal(err)
	}
	c := e.c.AddClient(t, "Zoë", "Adams")
	s := e.c.AddSession(t, c, e.Today().AddDays(-2))
	for range 2 {
		if _, err := e.deps.sheetMaker().Make(e.Ctx, long.ID, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	stack := recordInWindow(t, e, c.ID, smallWindow)
	e.q.WaitFor(t, "the record", func() bool { return stack.Top().Title == "Zoë Adams" })
	for _, o := range test.LaidOutObjects(e.w.Content()) {
		if tabs, ok := o.(*container.AppTabs); ok && len(tabs.Items) == 2 && tabs.Items[1].Text == "Aftercare sheets (2)" {
			tabs.SelectIndex(1)
		}
	}
	layOut(e.w, smallWindow)
	rows := 0
	for _, o := range test.LaidOutObjects(e.w.Content()) {
		row, ok := o.(*clientSheetRow)
		if !ok || !row.Visible() || row.title.Text == "" {
			continue
		}
		rows++
		for _, l := range []*widget.Label{row.title, row.details} {
			if !showsWhole(l) {
				t.Errorf("at 1024x640 the sheet line %q has %.0f px; it needs %.0f", l.Text, l.Size().Width,
					fyne.MeasureText(l.Text, theme.TextSize(), l.TextStyle).Width+2*theme.InnerPadding())
			}
		}
	}
	if rows != 2 {
		t.Fatalf("%d sheet rows laid out; want 2", rows)
	}
}

// recordInWindow shows client id's record in e's window at size, beside
// tabs like the shell's, which take the same width on the left.
func recordInWindow(t *testing.T, e *storeEnv, id int64, size fyne.Size) *screen.Stack {
	t.Helper()
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	tabs := container.NewAppTabs(container.NewTabItemWithIcon("Clients", theme.AccountIcon(), stack.Content))
	for _, name := range []string{"Due back", "Products", "Settings", "Audit"} {
		tabs.Append(container.NewTabItemWithIcon(name, theme.ListIcon(), widget.NewLabel(name)))
	}
	tabs.SetTabLocation(container.TabLocationLeading)
	e.w.SetContent(tabs)
	e.w.Resize(size)
	stack.Push(NewClientRecord(e.areaEnv, stack, id))
	return stack
}
