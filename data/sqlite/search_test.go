package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// wantFound checks each query finds exactly the named clients, in any order.
func (e *env) wantFound(cases map[string][]string) {
	e.t.Helper()
	for query, want := range cases {
		got := names(e.find(data.ClientFilter{Text: query, State: data.AnyState}))
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			e.t.Errorf("search %q found %q; want %q", query, got, want)
		}
	}
}

func TestSearchShortWordsMatchTheStartOfAWord(t *testing.T) {
	e := newEnv(t)
	e.client(named("Zoë", "O'Brien"), func(c *data.Client) { c.Email = "zoe.obrien@example.com" })
	e.client(named("José-María", "García"), func(c *data.Client) { c.Email = "jm_garcia@example.org" })
	e.client(named("Lorenzo", "Bianchi"), func(c *data.Client) { c.Email = "lorenzo@example.it" })
	e.wantFound(map[string][]string{
		"zo":   {"Zoë O'Brien"},                    // not lorenZO: two letters look at word starts
		"enz":  {"Lorenzo Bianchi"},                // three or more letters match anywhere
		"z":    {"Zoë O'Brien"},                    // one letter too
		"ma":   {"José-María García"},              // the part after a hyphen
		"br":   {"Zoë O'Brien"},                    // the part after an apostrophe
		"ga":   {"José-María García"},              // a name, and the part after _ in the e-mail
		"it":   {"Lorenzo Bianchi"},                // the part after a dot in the e-mail
		"ri":   nil,                                // inside a word only
		"b":    {"Zoë O'Brien", "Lorenzo Bianchi"}, // Brien, Bianchi
		"zo b": {"Zoë O'Brien"},
		"zo o": {"Zoë O'Brien"},
		"ex":   {"Zoë O'Brien", "José-María García", "Lorenzo Bianchi"}, // @example
	})
}

func TestSearchOtherScripts(t *testing.T) {
	e := newEnv(t)
	e.client(named("芳", "王"))
	e.client(named("さくら", "佐藤"))
	e.client(named("Анна", "Иванова"))
	e.client(named("Ελένη", "Παπαδοπούλου"))
	e.client(named("Thị Lan", "Nguyễn"))
	e.wantFound(map[string][]string{
		"王芳":           {"王芳"}, // written as the clinic writes it: family name first, no space
		"王":            {"王芳"},
		"芳":            {"王芳"},
		"芳 王":          {"王芳"},
		"佐藤さくら":        {"佐藤さくら"},
		"さくら":          {"佐藤さくら"},
		"佐藤":           {"佐藤さくら"},
		"ива":          {"Анна Иванова"},
		"ан":           {"Анна Иванова"},
		"ИВАНОВА анна": {"Анна Иванова"},
		"ελενη":        {"Ελένη Παπαδοπούλου"}, // accents and case folded
		"πα":           {"Ελένη Παπαδοπούλου"},
		"thi lan":      {"Thị Lan Nguyễn"},
		"nguyen":       {"Thị Lan Nguyễn"},
	})
}

func TestSearchPhoneAsTyped(t *testing.T) {
	e := newEnv(t)
	e.client(named("Uma", "Kingdom"), func(c *data.Client) { c.Phone = "+44 7700 900123" })
	e.client(named("Otto", "Other"), func(c *data.Client) { c.Phone = "+49 30 1234567" })
	e.wantFound(map[string][]string{
		"07700 900123":     {"Uma Kingdom"}, // the national form, leading 0
		"07700900123":      {"Uma Kingdom"},
		"(0)7700 900-123":  {"Uma Kingdom"},
		"+44 7700 900123":  {"Uma Kingdom"},
		"7700 900":         {"Uma Kingdom"},
		"900123":           {"Uma Kingdom"},
		"07700 900124":     nil,
		"030 1234567":      {"Otto Other"},
		"0301":             {"Otto Other"}, // 301 after the 0 is dropped
		"123":              {"Uma Kingdom", "Otto Other"},
		"019":              nil, // nor "19", too short to try
		"uma 07700 900123": {"Uma Kingdom"},
	})
}

// TestSearchWaysAgree: FindClients answers a text by walking the name
// index, or by putting the matches in name order, in SQL or from the copy
// of the name order it keeps in memory, whichever suits the number of
// matches and where they sort. Every way must give the same list, in the
// same order, for every query, filter and page.
func TestSearchWaysAgree(t *testing.T) {
	e := newEnv(t)
	if _, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 1200, Seed: 3, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	// Names that sort alike, so that the order falls to the given name or
	// the ID: twins, and names that differ only in case and accents.
	for _, n := range [][2]string{{"Zoë", "Ávila"}, {"Zoe", "avila"}, {"Zoë", "Ávila"}, {"ZOË", "ÁVILA"}, {"Ана", "Ёлкина"}, {"Ана", "Елкина"}} {
		e.client(named(n[0], n[1]))
	}
	for id := int64(5); id <= 1206; id += 37 {
		if err := e.st.ArchiveClient(e.ctx, data.SystemActor, id); err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{
		"a", "e", "z", "zo", "zoe", "ZOË", "ma", "o'", "o'b", "son", "avila", "ávila", "lucia garcia", "garcia lucia", "a e",
		"ñ", "ü", "ß", "ı", "lukasz", "łuk", "nguyen", "thi lan", "ni bhriain", // accents, Turkish, Vietnamese, Irish
		"ελενη", "πα", "ου", "δ", // Greek
		"ива", "ова", "ан", "а", "ёлкина", "елк", "анна иванова", // Cyrillic
		"王", "王芳", "芳", "李", "佐藤", "さくら", "美", // CJK
		"0", "07", "123", "+44", "353 8", "0 20", "(0)", "900", "+86 10", "555", // phones
		"example.org", "@example.com", "_", ".", "exa", "com", "oconnor", // e-mail
		"xyz", `"`, `"a" OR b`, "a*", "NEAR(a b)", "  zo   o  ",
	}
	soon := today.AddDays(14)
	filters := []data.ClientFilter{
		{}, {State: data.AnyState}, {State: data.ArchivedOnly}, {Limit: 5, Offset: 3}, {Limit: 1000},
		{Offset: 50}, {Offset: 997, Limit: 10}, {State: data.AnyState, Limit: 7, Offset: 64},
		{DueFrom: today, DueTo: soon}, {DueFrom: today.AddDays(-60), Limit: 7, Offset: 2},
	}
	e.nameOrderUpToDate() // so that FindClients below puts matches in order from memory where it can
	for _, q := range queries {
		for _, f := range filters {
			f.Text = q
			walk := e.findBy(f, sqlite.WalkForTest)
			for _, way := range []string{sqlite.HitsForTest, sqlite.SearchForTest, sqlite.MemoryForTest} {
				if got := e.findBy(f, way); !slices.Equal(ids(got), ids(walk)) {
					t.Errorf("%+v by %s: %v; walking the index found %v", f, way, ids(got), ids(walk))
				}
			}
			if got := e.find(f); !slices.Equal(ids(got), ids(walk)) {
				t.Errorf("%+v: FindClients found %v; want %v", f, ids(got), ids(walk))
			}
		}
	}
}

// nameOrderUpToDate waits for the copy of the name order the store keeps
// to be the client list as it stands, reading it anew when it is not.
func (e *env) nameOrderUpToDate() {
	e.t.Helper()
	e.find(data.ClientFilter{Text: "a"}) // starts reading the list anew, if it changed
	kept, now, err := e.st.NameOrderForTest(e.ctx)
	if err != nil || kept != now {
		e.t.Fatalf("the copy of the name order is of version %d; the list is at %d (%v)", kept, now, err)
	}
}

// findBy is FindClients read the way way says.
func (e *env) findBy(f data.ClientFilter, way string) []data.ClientSummary {
	e.t.Helper()
	got, err := e.st.FindClientsByForTest(e.ctx, f, way)
	if err != nil {
		e.t.Fatalf("FindClients(%+v) by %s: %v", f, way, err)
	}
	return got
}

func byName(a, b data.ClientSummary) int {
	return strings.Compare(data.FoldForSearch(a.FamilyName), data.FoldForSearch(b.FamilyName))
}

func ids(cs []data.ClientSummary) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func TestSearchChoosesItsWay(t *testing.T) {
	e := newEnv(t)
	// More matches than a search sorts as it finds them: 16,000 Annas
	// spread through the alphabet, and 3,200 Zoltáns, all in the family
	// Zyx, who sort last: a walk would pass every Anna first.
	cs := make([]data.Client, 19200)
	for i := range cs {
		if i%6 == 5 {
			cs[i] = validClient(named("Zoltán", "Zyx "+letters(i/26)+letters(i%26)))
		} else {
			cs[i] = validClient(named("Anna", "Family "+letters(i/26)+letters(i%26)))
		}
	}
	cs[8].GivenName = "Zebedee"
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		f   data.ClientFilter
		way string
	}{
		{data.ClientFilter{Text: "zebedee"}, sqlite.HitsForTest},                           // one match: sort it
		{data.ClientFilter{Text: "anna"}, sqlite.WalkForTest},                              // the first page of Annas is at the start
		{data.ClientFilter{Text: "zoltan"}, sqlite.SearchForTest},                          // the Zoltáns are at the end
		{data.ClientFilter{Text: "zoltan", Offset: 2500, Limit: 1000}, sqlite.HitsForTest}, // a window as big as the matches
		{data.ClientFilter{}, sqlite.WalkForTest},
	}
	for _, c := range cases {
		way, err := e.st.WayForTest(e.ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if way != c.way {
			t.Errorf("%+v: read by %s; want %s", c.f, way, c.way)
		}
	}
	if got := e.find(data.ClientFilter{Text: "zoltan", Offset: 3190}); len(got) != 10 {
		t.Errorf("the last page of 3,200 Zoltáns has %d clients", len(got))
	}
	if got := e.find(data.ClientFilter{Text: "zoltan"}); len(got) != 50 || !slices.IsSortedFunc(got, byName) {
		t.Errorf("the first page of Zoltáns: %d, %v", len(got), names(got))
	}
	// The same ways, and the same lists, with the matches put in order from
	// memory: the Zoltáns sort last still, the first Annas first.
	e.nameOrderUpToDate()
	for _, c := range cases {
		f := c.f
		way, err := e.st.WayForTest(e.ctx, f)
		if err != nil || way != c.way {
			t.Errorf("%+v with the name order in memory: read by %s (%v); want %s", f, way, err, c.way)
		}
		if got, walk := e.find(f), e.findBy(f, sqlite.WalkForTest); !slices.Equal(ids(got), ids(walk)) {
			t.Errorf("%+v with the name order in memory: %v; walking found %v", f, ids(got), ids(walk))
		}
	}
}

// searchIndexOK runs FTS5's own check of client_search against the client
// table it indexes.
func (e *env) searchIndexOK() {
	e.t.Helper()
	_, err := e.st.WriterForTest().ExecContext(e.ctx,
		`INSERT INTO client_search (client_search, rank) VALUES ('integrity-check', 1)`)
	if err != nil {
		e.t.Errorf("client_search is out of step with client: %v", err)
	}
}

func TestSearchIndexFollowsEveryWrite(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client(named("Zoë", "Adams"), func(c *data.Client) { c.Phone = "+44 7700 900123" })
	e.wantFound(map[string][]string{"adams": {"Zoë Adams"}, "07700 900123": {"Zoë Adams"}})

	c.FamilyName, c.Phone = "Baker", "+44 7700 900456"
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	e.wantFound(map[string][]string{"adams": nil, "900123": nil, "baker": {"Zoë Baker"}, "900456": {"Zoë Baker"}})

	e.session(validSession(c.ID, tech.ID, today)) // writes the client's latest session
	if err := e.st.ArchiveClient(e.ctx, data.SystemActor, c.ID); err != nil {
		t.Fatal(err)
	}
	for _, way := range []string{sqlite.WalkForTest, sqlite.HitsForTest, sqlite.SearchForTest, sqlite.MemoryForTest} {
		if got := e.findBy(data.ClientFilter{Text: "baker"}, way); len(got) != 0 {
			t.Errorf("by %s: an archived client is on the current list: %v", way, names(got))
		}
		if got := e.findBy(data.ClientFilter{Text: "baker", State: data.ArchivedOnly}, way); len(got) != 1 || !got[0].Archived {
			t.Errorf("by %s: the archived list has %v", way, got)
		}
	}

	imported := []data.Client{validClient(named("Ida", "Imported")), validClient(named("Iris", "Imported"))}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, imported); err != nil {
		t.Fatal(err)
	}
	e.wantFound(map[string][]string{"imported": {"Ida Imported", "Iris Imported"}})

	cancelled, cancel := context.WithCancel(e.ctx)
	cancel()
	if err := e.st.ImportClients(cancelled, 1, []data.Client{validClient(named("Nora", "Never"))}); err == nil {
		t.Fatal("a cancelled import succeeded")
	}
	e.wantFound(map[string][]string{"never": nil})
	e.searchIndexOK()
}

func TestSearchIndexFollowsRederivedColumns(t *testing.T) {
	e := newEnv(t)
	e.client(named("Zoë", "Łukasiewicz"))
	_, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE client SET search_text = 'something else'`)
	if err != nil {
		t.Fatal(err)
	}
	e.searchIndexOK() // the trigger followed a raw update too
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE store_meta SET value = 'an older fold'`); err != nil {
		t.Fatal(err)
	}
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e.st = st
	e.wantFound(map[string][]string{"lukas": {"Zoë Łukasiewicz"}, "something": nil})
	e.searchIndexOK()
}

// FuzzSearchWaysAgree: for any text, walking the name index and putting
// the matches from client_search in order, in SQL or in memory, find the
// same clients, and none fails.
func FuzzSearchWaysAgree(f *testing.F) {
	for _, s := range []string{"zo", "o'b", "王", "07700 900", `"`, `a" OR "b`, "\x00", "\xff", "%_", "  e  ", "NEAR(a b)", "*", "^z", "{phone_digits}:1"} {
		f.Add(s)
	}
	st, err := sqlite.Open(f.Context(), filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	for _, n := range [][2]string{{"Zoë", "O'Brien"}, {"芳", "王"}, {"José-María", "García"}, {"Anna", "Zé"}, {"Ωmega", "Ünal"}} {
		c := validClient(named(n[0], n[1]), func(c *data.Client) { c.Email = "x_y.z@example.org" })
		if err := st.CreateClient(f.Context(), data.SystemActor, &c); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		fl := data.ClientFilter{Text: text, State: data.AnyState}
		walk, err := st.FindClientsByForTest(t.Context(), fl, sqlite.WalkForTest)
		if err != nil {
			t.Fatalf("%q by walking: %v", text, err)
		}
		for _, way := range []string{sqlite.HitsForTest, sqlite.SearchForTest, sqlite.MemoryForTest} {
			got, err := st.FindClientsByForTest(t.Context(), fl, way)
			if err != nil || !slices.Equal(ids(got), ids(walk)) {
				t.Errorf("%q by %s: %v, %v; walking found %v", text, way, names(got), err, names(walk))
			}
		}
	})
}
