package sqlite_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

func (e *env) find(f data.ClientFilter) []data.ClientSummary {
	e.t.Helper()
	got, err := e.st.FindClients(e.ctx, data.SystemActor, f)
	if err != nil {
		e.t.Fatalf("FindClients(%+v): %v", f, err)
	}
	return got
}

func names(cs []data.ClientSummary) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.FullName()
	}
	return out
}

func TestFindClientsSearch(t *testing.T) {
	e := newEnv(t)
	e.client(named("Zoë", "O'Brien"), func(c *data.Client) { c.Email = "zoe.obrien@example.com" })
	e.client(named("Łukasz", "Wiśniewski"), func(c *data.Client) { c.Phone = "+48 601 234 567" })
	e.client(named("José-María", "García"), func(c *data.Client) { c.Email = "jm_garcia@example.org" })
	e.client(named("芳", "王"))
	e.client(named("Anne", "O’Neill"), func(c *data.Client) { c.Email = "anne@clinic.example" })

	cases := []struct {
		query string
		want  []string
	}{
		{"zoe", []string{"Zoë O'Brien"}},
		{"ZOË", []string{"Zoë O'Brien"}},
		{"lukasz", []string{"Łukasz Wiśniewski"}},
		{"wisniewski", []string{"Łukasz Wiśniewski"}},
		{"jose maria", []string{"José-María García"}},
		{"garcia josé", []string{"José-María García"}},
		{"王", []string{"王芳"}},
		{"o'neill", []string{"Anne O’Neill"}},
		{"o'", []string{"Zoë O'Brien", "Anne O’Neill"}},
		{"601 234", []string{"Łukasz Wiśniewski"}},     // phone fragment, spaced as typed
		{"234567", []string{"Łukasz Wiśniewski"}},      // digits only
		{"example.org", []string{"José-María García"}}, // e-mail fragment
		{"jm_garcia", []string{"José-María García"}},
		{"  zoe   obrien  ", []string{"Zoë O'Brien"}}, // e-mail holds "obrien"
		{"%", nil},
		{"_", []string{"José-María García"}}, // only the literal underscore
		{"o%n", nil},
		{`\`, nil},
		{"zoe nobody", nil},
		{"12", nil}, // too few digits to try phones, and no name has them
		{"", []string{"Anne O’Neill", "José-María García", "Zoë O'Brien", "Łukasz Wiśniewski", "王芳"}},
	}
	for _, c := range cases {
		got := names(e.find(data.ClientFilter{Text: c.query}))
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("search %q found %q; want %q", c.query, got, want)
		}
	}
}

func TestFindClientsOrderAndSummary(t *testing.T) {
	e := newEnv(t)
	e.client(named("Émile", "de Vries"))
	e.client(named("Anna", "Zimmer"))
	e.client(named("Zara", "Ávila"))
	e.client(named("Bea", "avila"))
	last := e.client(named("Cleo", "Brown"), func(c *data.Client) { c.Notes = "Nervous about needles" })
	got := e.find(data.ClientFilter{})
	want := []string{"Bea avila", "Zara Ávila", "Cleo Brown", "Émile de Vries", "Anna Zimmer"}
	if !slices.Equal(names(got), want) {
		t.Errorf("order %q; want %q", names(got), want)
	}
	s := got[2]
	if s.ID != last.ID || s.Phone != last.Phone || s.DateOfBirth != last.DateOfBirth ||
		s.Notes != last.Notes || s.Archived || !s.LastSession.IsZero() || !s.NextDue.IsZero() {
		t.Errorf("summary %+v does not match client %+v", s, last)
	}
}

func TestFindClientsArchiveStates(t *testing.T) {
	e := newEnv(t)
	e.client(named("Cora", "Current"))
	gone := e.client(named("Alma", "Archived"))
	if err := e.st.ArchiveClient(e.ctx, data.SystemActor, gone.ID); err != nil {
		t.Fatal(err)
	}
	cases := map[data.ArchiveState][]string{
		data.CurrentOnly:  {"Cora Current"},
		data.ArchivedOnly: {"Alma Archived"},
		data.AnyState:     {"Alma Archived", "Cora Current"},
	}
	for state, want := range cases {
		got := e.find(data.ClientFilter{State: state})
		if !slices.Equal(names(got), want) {
			t.Errorf("state %d: %q; want %q", state, names(got), want)
		}
	}
	if got := e.find(data.ClientFilter{State: data.ArchivedOnly}); !got[0].Archived {
		t.Error("an archived client's summary says it is current")
	}
}

func TestFindClientsPaging(t *testing.T) {
	e := newEnv(t)
	cs := make([]data.Client, 1005)
	for i := range cs {
		cs[i] = validClient(named("Client", fmt.Sprintf("Family %s", letters(i))))
	}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	if got := len(e.find(data.ClientFilter{})); got != 50 {
		t.Errorf("default page has %d rows; want 50", got)
	}
	if got := len(e.find(data.ClientFilter{Limit: 5000})); got != 1000 {
		t.Errorf("a page of 5000 gave %d rows; want the maximum, 1000", got)
	}
	var all []string
	for off := 0; ; off += 300 {
		page := e.find(data.ClientFilter{Offset: off, Limit: 300})
		all = append(all, names(page)...)
		if len(page) < 300 {
			break
		}
	}
	if len(all) != len(cs) || !slices.IsSorted(all) || len(slices.Compact(slices.Clone(all))) != len(cs) {
		t.Errorf("paging through gave %d names, sorted %v", len(all), slices.IsSorted(all))
	}
	if got := e.find(data.ClientFilter{Offset: 2000}); len(got) != 0 {
		t.Errorf("an offset past the end gave %d rows", len(got))
	}
	if got := e.find(data.ClientFilter{Offset: -5, Limit: -1}); len(got) != 50 {
		t.Errorf("negative offset and limit gave %d rows; want the default page", len(got))
	}
}

// letters spells i in base 26, "aaa", "aab"..., so names sort like numbers.
func letters(i int) string {
	b := []byte("aaa")
	for p := 2; p >= 0; p-- {
		b[p] = byte('a' + i%26)
		i /= 26
	}
	return string(b)
}

func TestFindClientsDue(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	due := func(given string, day data.Date) data.Client {
		c := e.client(named(given, "Due"))
		e.session(validSession(c.ID, tech.ID, day)) // next due is day + 28
		return c
	}
	due("Early", data.NewDate(2026, time.October, 1))   // due 10-29
	due("Middle", data.NewDate(2026, time.October, 10)) // due 11-07
	due("Late", data.NewDate(2026, time.October, 20))   // due 11-17
	e.client(named("Never", "Due"))

	cases := []struct {
		from, to data.Date
		want     []string
	}{
		{data.NewDate(2026, 10, 29), data.NewDate(2026, 11, 7), []string{"Early Due", "Middle Due"}},
		{data.NewDate(2026, 10, 30), data.Date{}, []string{"Middle Due", "Late Due"}},
		{data.Date{}, data.NewDate(2026, 11, 6), []string{"Early Due"}},
		{data.NewDate(2026, 11, 17), data.NewDate(2026, 11, 17), []string{"Late Due"}},
		{data.NewDate(2027, 1, 1), data.Date{}, nil},
	}
	for _, c := range cases {
		got := names(e.find(data.ClientFilter{DueFrom: c.from, DueTo: c.to}))
		if !slices.Equal(got, c.want) {
			t.Errorf("due %s..%s: %q; want %q", c.from, c.to, got, c.want)
		}
	}
	got := e.find(data.ClientFilter{Text: "middle"})
	if len(got) != 1 || got[0].NextDue != data.NewDate(2026, 11, 7) ||
		!got[0].LastSession.Equal(data.NewDate(2026, 10, 10).Time(time.UTC).Add(10*time.Hour+30*time.Minute)) {
		t.Errorf("summary of a treated client: %+v", got)
	}
}

func TestFindClientsFollowsLatestSessionNotLatestWritten(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client()
	e.session(validSession(c.ID, tech.ID, data.NewDate(2026, 11, 1)))
	e.session(validSession(c.ID, tech.ID, data.NewDate(2026, 9, 1))) // charted late
	got := e.find(data.ClientFilter{})
	if got[0].NextDue != data.NewDate(2026, 11, 29) {
		t.Errorf("next due %s; want the latest session's, 2026-11-29", got[0].NextDue)
	}
}

// FuzzFindClientsText: any text a receptionist can paste gives a list or
// nothing, never an error, and never more than a page.
func FuzzFindClientsText(f *testing.F) {
	for _, s := range []string{"", "%", "_", `\`, "'; DROP TABLE client; --", "Zoë", "\x00", "\xff\xfe", "0123456789", "  "} {
		f.Add(s)
	}
	st, err := sqlite.Open(f.Context(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	c := validClient()
	if err := st.CreateClient(f.Context(), data.SystemActor, &c); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: text, State: data.AnyState})
		if err != nil || len(got) > 1 {
			t.Errorf("FindClients(%q) = %d rows, %v", text, len(got), err)
		}
	})
}
