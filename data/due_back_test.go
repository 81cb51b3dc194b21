package data_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// dueToday is the due-back tests' today: Sunday 22 November 2026.
var dueToday = data.NewDate(2026, 11, 22)

// dueClinic is a real SQLite clinic on a fixed clock with a technician
// to give sessions and an owner to read the lists.
type dueClinic struct {
	t           *testing.T
	ctx         context.Context
	st          *sqlite.Store
	owner, tech data.Staff
}

func newDueClinic(t *testing.T) *dueClinic {
	t.Helper()
	now := func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local) }
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := &dueClinic{t: t, ctx: t.Context(), st: st,
		owner: data.Staff{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true},
		tech:  data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}}
	for _, s := range []*data.Staff{&c.owner, &c.tech} {
		if err := st.CreateStaff(c.ctx, data.SystemActor, s); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// client adds a client; with a due date, also a session 28 days before
// it that plans the next one then.
func (c *dueClinic) client(given string, due data.Date) data.Client {
	c.t.Helper()
	cl := data.Client{GivenName: given, FamilyName: "Test", DateOfBirth: data.NewDate(1990, 3, 14),
		Phone: "+44 20 7946 0958", Email: "client@example.com"}
	if err := c.st.CreateClient(c.ctx, c.owner.ID, &cl); err != nil {
		c.t.Fatal(err)
	}
	if !due.IsZero() {
		c.session(cl.ID, due)
	}
	return cl
}

func (c *dueClinic) session(clientID int64, due data.Date) {
	c.t.Helper()
	day := due.AddDays(-28)
	s := data.Session{ClientID: clientID, TechnicianID: c.tech.ID, StartedAt: day.Time(time.Local).Add(10 * time.Hour),
		Areas: []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}}, Passes: 3, NextDue: due}
	if err := c.st.CreateSession(c.ctx, c.tech.ID, &s); err != nil {
		c.t.Fatal(err)
	}
}

// find lists who is due for q (Today is dueToday) as "Given due".
func (c *dueClinic) find(q data.DueBackQuery) (data.DueBackList, string) {
	c.t.Helper()
	q.Today = dueToday
	list, err := data.FindDueBack(c.ctx, c.st, c.owner.ID, q)
	if err != nil {
		c.t.Fatalf("FindDueBack(%+v): %v", q, err)
	}
	var names []string
	for _, cl := range list.Clients {
		names = append(names, cl.GivenName+" "+cl.NextDue.String())
	}
	return list, strings.Join(names, ", ")
}

func TestDueBackWindowsCoverTheirDates(t *testing.T) {
	for _, tc := range []struct {
		q        data.DueBackQuery
		from, to data.Date
	}{
		{data.DueBackQuery{Window: data.DueOverdue, IncludeOverdue: true}, data.NewDate(2026, 5, 26), data.NewDate(2026, 11, 21)},
		{data.DueBackQuery{Window: data.DueToday}, dueToday, dueToday},
		{data.DueBackQuery{Window: data.DueNext7}, dueToday, data.NewDate(2026, 11, 29)},
		{data.DueBackQuery{Window: data.DueNext14, IncludeOverdue: true}, data.NewDate(2026, 5, 26), data.NewDate(2026, 12, 6)},
		{data.DueBackQuery{Window: data.DueNext30}, dueToday, data.NewDate(2026, 12, 22)},
		{data.DueBackQuery{Window: "fortnight"}, dueToday, data.NewDate(2026, 12, 6)}, // unknown: 14 days
		{data.DueBackQuery{Window: data.DueCustom, IncludeOverdue: true, From: data.NewDate(2026, 12, 1)}, data.NewDate(2026, 12, 1), data.Date{}},
		{data.DueBackQuery{Window: data.DueCustom, To: data.NewDate(2026, 12, 31)}, data.Date{}, data.NewDate(2026, 12, 31)},
	} {
		tc.q.Today = dueToday
		from, to, err := tc.q.Range()
		if err != nil || from != tc.from || to != tc.to {
			t.Errorf("%+v: %s to %s, %v; want %s to %s", tc.q, from, to, err, tc.from, tc.to)
		}
	}
	for _, tc := range []struct {
		q            data.DueBackQuery
		field, words string
	}{
		{data.DueBackQuery{Window: data.DueCustom}, "due_from", "type at least one date"},
		{data.DueBackQuery{Window: data.DueCustom, From: data.NewDate(2026, 12, 2), To: data.NewDate(2026, 12, 1)}, "due_to", "is before the From date"},
	} {
		tc.q.Today = dueToday
		_, _, err := tc.q.Range()
		if ps := data.FieldProblems(err); len(ps) != 1 || ps[0].Field != tc.field || ps[0].Message != tc.words {
			t.Errorf("%+v: %v; want %s %q", tc.q, err, tc.field, tc.words)
		}
		if _, err := data.FindDueBack(t.Context(), nil, 0, tc.q); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("FindDueBack(%+v) = %v; want the dates refused before anything is read", tc.q, err)
		}
	}
}

func TestFindDueBackListsCurrentClientsInDateOrder(t *testing.T) {
	c := newDueClinic(t)
	c.client("Ada", data.NewDate(2026, 11, 27)) // in 5 days
	c.client("Bea", data.NewDate(2026, 11, 19)) // 3 days ago
	c.client("Cyd", data.NewDate(2026, 12, 15)) // in 23 days
	c.client("Dot", data.NewDate(2026, 1, 1))   // long lapsed
	c.client("Eve", data.Date{})                // never treated
	gone := c.client("Fay", data.NewDate(2026, 11, 24))
	if err := c.st.ArchiveClient(c.ctx, c.owner.ID, gone.ID); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		q       data.DueBackQuery
		want    string
		overdue int
	}{
		{data.DueBackQuery{Window: data.DueNext14, IncludeOverdue: true}, "Bea 2026-11-19, Ada 2026-11-27", 1},
		{data.DueBackQuery{Window: data.DueNext30, IncludeOverdue: true}, "Bea 2026-11-19, Ada 2026-11-27, Cyd 2026-12-15", 1},
		{data.DueBackQuery{Window: data.DueOverdue}, "Bea 2026-11-19", 1},
		{data.DueBackQuery{Window: data.DueNext14}, "Ada 2026-11-27", 0},
		{data.DueBackQuery{Window: data.DueToday}, "", 0},
		{data.DueBackQuery{Window: data.DueCustom, From: data.NewDate(2026, 12, 1), To: data.NewDate(2026, 12, 31)}, "Cyd 2026-12-15", 0},
		{data.DueBackQuery{Window: data.DueCustom, To: data.NewDate(2026, 11, 20)}, "Dot 2026-01-01, Bea 2026-11-19", 2},
	} {
		list, got := c.find(tc.q)
		if got != tc.want || list.Overdue != tc.overdue || list.Truncated {
			t.Errorf("%+v: %q, %d overdue, truncated %v; want %q, %d overdue", tc.q, got, list.Overdue, list.Truncated, tc.want, tc.overdue)
		}
	}
}

func TestFindDueBackKeepsUpcomingAndRecentlyOverdueWhenTooMany(t *testing.T) {
	c := newDueClinic(t)
	for i, days := range []int{-100, -50, -3, 2, 5} {
		c.client([]string{"Ann", "Ben", "Cat", "Dan", "Eli"}[i], dueToday.AddDays(days))
	}
	list, got := c.find(data.DueBackQuery{Window: data.DueNext14, IncludeOverdue: true, Limit: 3})
	if got != "Cat 2026-11-19, Dan 2026-11-24, Eli 2026-11-27" || !list.Truncated {
		t.Fatalf("listed %q, truncated %v; want the most recently overdue client and everyone due soon, in date order, and more due",
			got, list.Truncated)
	}
	list, got = c.find(data.DueBackQuery{Window: data.DueOverdue, Limit: 3})
	if !strings.HasPrefix(got, "Ann ") || len(list.Clients) != 3 || list.Truncated {
		t.Fatalf("overdue: %q, truncated %v; three overdue fit in three rows", got, list.Truncated)
	}
	list, got = c.find(data.DueBackQuery{Window: data.DueOverdue, Limit: 2})
	if got != "Ben 2026-10-03, Cat 2026-11-19" || !list.Truncated {
		t.Fatalf("overdue in two rows: %q, truncated %v; want the two most recently due", got, list.Truncated)
	}
}

// countingFinder counts the reads of the store a list takes.
type countingFinder struct {
	data.ClientFinder
	reads atomic.Int32
}

func (f *countingFinder) FindClients(ctx context.Context, actor int64, cf data.ClientFilter) ([]data.ClientSummary, error) {
	f.reads.Add(1)
	return f.ClientFinder.FindClients(ctx, actor, cf)
}

// TestFindDueBackReadsPageByPage: more clients due than one read of the
// store fetches are all listed, in date order, and a limit between pages
// cuts the list there.
func TestFindDueBackReadsPageByPage(t *testing.T) {
	c := newDueClinic(t)
	const n = 1203
	cs := make([]data.Client, n)
	for i := range cs {
		letters := []byte{'a' + byte(i/676), 'a' + byte(i/26%26), 'a' + byte(i%26)}
		cs[i] = data.Client{GivenName: "Client " + string(letters), FamilyName: "Test", DateOfBirth: data.NewDate(1990, 3, 14),
			Phone: "+44 20 7946 0958"}
	}
	if err := c.st.ImportClients(c.ctx, c.owner.ID, cs); err != nil {
		t.Fatal(err)
	}
	ss := make([]data.Session, n)
	for i, cl := range cs {
		due := dueToday.AddDays(i % 10)
		ss[i] = data.Session{ClientID: cl.ID, TechnicianID: c.tech.ID, StartedAt: due.AddDays(-28).Time(time.Local).Add(10 * time.Hour),
			Areas: []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}}, Passes: 3, NextDue: due}
	}
	if err := c.st.ImportSessions(c.ctx, c.tech.ID, ss); err != nil {
		t.Fatal(err)
	}
	finder := &countingFinder{ClientFinder: c.st}
	list, err := data.FindDueBack(c.ctx, finder, c.owner.ID, data.DueBackQuery{Window: data.DueNext14, Today: dueToday})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Clients) != n || list.Truncated || finder.reads.Load() < 2 {
		t.Fatalf("%d clients in %d reads, truncated %v; want all %d, read in pages", len(list.Clients), finder.reads.Load(), list.Truncated, n)
	}
	for i := 1; i < n; i++ {
		if list.Clients[i].NextDue.Before(list.Clients[i-1].NextDue) {
			t.Fatalf("row %d is due %s, before row %d's %s", i, list.Clients[i].NextDue, i-1, list.Clients[i-1].NextDue)
		}
	}
	list, err = data.FindDueBack(c.ctx, c.st, c.owner.ID, data.DueBackQuery{Window: data.DueNext14, Today: dueToday, Limit: 1100})
	if err != nil || len(list.Clients) != 1100 || !list.Truncated {
		t.Fatalf("limit 1100: %d clients, truncated %v, %v", len(list.Clients), list.Truncated, err)
	}
}

func TestFindDueBackIsForStaffWhoMayList(t *testing.T) {
	c := newDueClinic(t)
	c.client("Ada", data.NewDate(2026, 11, 27))
	_, err := data.FindDueBack(c.ctx, c.st, 999, data.DueBackQuery{Window: data.DueNext14, Today: dueToday})
	if !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("someone not on the staff list: %v; want ErrForbidden", err)
	}
}
