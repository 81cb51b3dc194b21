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

// dueWorld is a clinic on the test clock (Sunday 22 November 2026) with
// clients due at different times.
type dueWorld struct {
	*storeEnv
	soon, overdue, later, lapsed, never data.Client
}

func newDueWorld(t *testing.T) *dueWorld {
	t.Helper()
	e := newStoreEnv(t)
	w := &dueWorld{storeEnv: e}
	due := func(given, phone string, treated, next data.Date) data.Client {
		c := e.c.AddClient(t, given, "Test", func(c *data.Client) { c.Phone = phone })
		e.c.AddSession(t, c, treated, func(s *data.Session) { s.NextDue = next })
		return c
	}
	w.soon = due("Ada", "+44 20 7946 0101", data.NewDate(2026, 10, 30), data.NewDate(2026, 11, 27))    // in 5 days
	w.overdue = due("Bea", "+44 20 7946 0102", data.NewDate(2026, 10, 10), data.NewDate(2026, 11, 19)) // 3 days ago
	w.later = due("Cyd", "+44 20 7946 0103", data.NewDate(2026, 11, 10), data.NewDate(2026, 12, 15))   // in 23 days
	w.lapsed = due("Dot", "+44 20 7946 0104", data.NewDate(2025, 12, 1), data.NewDate(2026, 1, 1))     // long lapsed
	w.never = e.c.AddClient(t, "Eve", "Test")
	return w
}

// dueRows are the rows of the list laid out in the window, as
// "name | phone | date | relative".
func dueRows(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*dueRow); ok && r.Visible() && r.name.Text != "" {
			out = append(out, strings.Join([]string{r.name.Text, r.phone.Text, r.date.Text, r.relative.Text}, " | "))
		}
	}
	return out
}

func openDueBack(t *testing.T, w *dueWorld) (*DueBackScreen, *int64) {
	t.Helper()
	opened := new(int64)
	w.Router = func(r screen.Route) {
		if open, ok := r.(screen.ClientRecord); ok {
			*opened = int64(open.Client)
		}
	}
	s := NewDueBackScreen(w.areaEnv)
	w.w.SetContent(s.Content)
	s.Start()
	return s, opened
}

func TestDueBackListsClientsDueSoonAndOverdue(t *testing.T) {
	w := newDueWorld(t)
	s, opened := openDueBack(t, w)
	w.q.WaitFor(t, "the due list", func() bool { return s.status.Text == "2 clients to call (1 overdue)" })

	want := []string{
		"Bea Test | +44 20 7946 0102 | Due 19/11/2026 | Overdue by 3 days",
		"Ada Test | +44 20 7946 0101 | Due 27/11/2026 | In 5 days",
	}
	if got := dueRows(w.w); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	row := newDueRow().(*dueRow)
	s.updateRow(0, row)
	if row.relative.Importance != widget.WarningImportance {
		t.Errorf("an overdue row should be in the warning colour")
	}
	if !strings.Contains(row.details.Text, "Last session 10/10/2026") {
		t.Errorf("details = %q, want the last session", row.details.Text)
	}
	if !strings.Contains(s.rangeText.Text, "Due from today to 06/12/2026") {
		t.Errorf("range = %q", s.rangeText.Text)
	}

	// Tapping a row opens the client.
	s.list.Select(0)
	if *opened != w.overdue.ID {
		t.Fatalf("tapping the first row opened %d, want Bea (%d)", *opened, w.overdue.ID)
	}
	// Down and Enter open the next one.
	w.w.Canvas().Focus(s.list)
	s.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	s.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if *opened != w.soon.ID {
		t.Fatalf("Down, Enter opened %d, want Ada (%d)", *opened, w.soon.ID)
	}
}

func TestDueBackWindowChoices(t *testing.T) {
	w := newDueWorld(t)
	s, _ := openDueBack(t, w)
	w.q.WaitFor(t, "the first list", func() bool { return s.status.Text == "2 clients to call (1 overdue)" })

	s.Window.SetSelected(dueNext30)
	w.q.WaitFor(t, "30 days to add Cyd", func() bool { return s.status.Text == "3 clients to call (1 overdue)" })

	s.Window.SetSelected(dueOverdue)
	w.q.WaitFor(t, "only the overdue client", func() bool { return len(dueRows(w.w)) == 1 })
	if got := dueRows(w.w)[0]; !strings.HasPrefix(got, "Bea Test") {
		t.Fatalf("overdue row = %q", got)
	}

	s.Window.SetSelected(dueNext14)
	test.Tap(s.Overdue) // untick "Include overdue"
	w.q.WaitFor(t, "due soon without the overdue", func() bool { return s.status.Text == "1 client to call" })

	s.Window.SetSelected(dueCustom)
	s.from.SetText("")
	s.to.SetText("31/13/2026")
	test.Tap(s.showBtn)
	if got := s.toField.Message.Text; !strings.Contains(got, "is not a date") {
		t.Fatalf("a month 13 date should get a message, got %q", got)
	}
	s.to.SetText("2026-12-31")
	s.from.SetText("01/12/2026")
	s.reload()
	w.q.WaitFor(t, "the custom window", func() bool { return s.status.Text == "1 client to call" })
	if got := dueRows(w.w)[0]; !strings.HasPrefix(got, "Cyd Test") {
		t.Fatalf("custom window row = %q", got)
	}
}

func TestDueBackRefreshesWhenASessionIsSaved(t *testing.T) {
	w := newDueWorld(t)
	s, _ := openDueBack(t, w)
	w.q.WaitFor(t, "the first list", func() bool { return s.status.Text == "2 clients to call (1 overdue)" })
	w.c.AddSession(t, w.never, data.NewDate(2026, 11, 1), func(ss *data.Session) { ss.NextDue = data.NewDate(2026, 11, 22) })
	w.Events.Publish(screen.SessionChanged{})
	w.q.WaitFor(t, "Eve to join the list", func() bool { return s.status.Text == "3 clients to call (1 overdue)" })
	found := false
	for _, r := range dueRows(w.w) {
		found = found || r == "Eve Test | +44 20 7946 0958 | Due 22/11/2026 | Due today"
	}
	if !found {
		t.Fatalf("rows %q lack Eve, due today", dueRows(w.w))
	}
}

func TestDueBackKeepsUpcomingAndRecentlyOverdueWhenTooMany(t *testing.T) {
	e := newStoreEnv(t)
	today := e.Today()
	for i, days := range []int{-100, -50, -3, 2, 5} {
		c := e.c.AddClient(t, []string{"Ann", "Ben", "Cat", "Dan", "Eli"}[i], "Test")
		e.c.AddSession(t, c, today.AddDays(days-28), func(s *data.Session) { s.NextDue = today.AddDays(days) })
	}
	old := dueMaxRows
	dueMaxRows = 3
	t.Cleanup(func() { dueMaxRows = old })
	s := NewDueBackScreen(e.areaEnv)
	e.w.SetContent(s.Content)
	s.Start()
	e.q.WaitFor(t, "the list", func() bool { return len(s.rows) > 0 })
	var names []string
	for _, r := range s.rows {
		names = append(names, r.GivenName)
	}
	if strings.Join(names, " ") != "Cat Dan Eli" {
		t.Fatalf("listed %v; want the most recently overdue client and everyone due soon, in date order", names)
	}
	if !strings.Contains(s.status.Text, "More are due than the 3 listed") {
		t.Fatalf("status = %q", s.status.Text)
	}
	s.Window.SetSelected(dueOverdue)
	e.q.WaitFor(t, "the overdue list", func() bool { return len(s.rows) == 3 && s.rows[0].GivenName == "Ann" })
	if strings.Contains(s.status.Text, "More are due") {
		t.Fatalf("three overdue fit in three rows; status = %q", s.status.Text)
	}
}
