package sqlite

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"needledesk/data"
	"needledesk/data/internal/searchkeys"
	"needledesk/data/internal/settingsdoc"
)

// Fuzz targets for the store's decoders of stored text and for search,
// which turns whatever is typed into an FTS5 query. Seeds are in
// testdata/fuzz/<FuzzName>.

// FuzzParseTime reads stored instants. What it accepts is written back in
// the same instant, and the stored texts of two instants sort as the
// instants do, which every ORDER BY on a time column relies on.
func FuzzParseTime(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string) {
		ta, errA := parseTime(sql.NullString{String: a, Valid: true})
		tb, errB := parseTime(sql.NullString{String: b, Valid: true})
		if errA != nil || errB != nil || ta.IsZero() || tb.IsZero() {
			return
		}
		back, err := parseTime(sql.NullString{String: timeText(ta), Valid: true})
		if err != nil || !back.Equal(ta) {
			t.Fatalf("%q stored as %q read back as %v (%v)", a, timeText(ta), back, err)
		}
		if ta.Year() < 0 || ta.Year() > 9999 || tb.Year() < 0 || tb.Year() > 9999 {
			return // outside what four-digit years can sort
		}
		if got, want := strings.Compare(timeText(ta), timeText(tb)), ta.Compare(tb); got != want {
			t.Fatalf("%q and %q sort %d as text but %d as instants", timeText(ta), timeText(tb), got, want)
		}
	})
}

// FuzzParseList reads stored JSON lists (warnings, concerns, ingredients).
// Accepted lists are stored and read back unchanged.
func FuzzParseList(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		xs, err := parseList[string](s)
		if err != nil {
			return
		}
		stored, err := jsonList(xs)
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseList[string](stored)
		if err != nil || !slices.Equal(back, xs) {
			t.Fatalf("%q stored as %q read back as %q (%v)", s, stored, back, err)
		}
	})
}

// FuzzDecodeSettings reads the stored settings document. It never panics,
// and settings it reads are stored and read back unchanged.
func FuzzDecodeSettings(f *testing.F) {
	f.Fuzz(func(t *testing.T, doc string, logo []byte) {
		st, err := settingsdoc.Decode(doc, logo)
		if err != nil {
			return
		}
		again, err := json.Marshal(settingsdoc.Of(st))
		if err != nil {
			return // NaN cannot come out of JSON, so neither can this
		}
		back, err := settingsdoc.Decode(string(again), logo)
		if err != nil || !reflect.DeepEqual(back, st) {
			t.Fatalf("settings %q stored as %s read back differently (%v):\n%+v\n%+v", doc, again, err, back, st)
		}
	})
}

// FuzzSearchText lays out the derived search columns. Every folded word of
// a name or e-mail is in the text behind the gap that starts a word.
func FuzzSearchText(f *testing.F) {
	f.Fuzz(func(t *testing.T, given, family, email string) {
		text := searchkeys.SearchText(given, family, email)
		if utf8.ValidString(given+family+email) && !utf8.ValidString(text) {
			t.Fatalf("invalid search text %q", text)
		}
		for _, s := range []string{given, family, email} {
			for _, w := range strings.Fields(data.FoldForSearch(s)) {
				if !strings.Contains(text, searchkeys.WordGap+w) {
					t.Fatalf("%q is not in the search text %q", w, text)
				}
			}
		}
	})
}

// searchClinic is a small clinic of awkward names for FuzzSearch.
var searchClinic = []data.Client{
	{GivenName: "Zoë", FamilyName: "O'Brien", Email: "zoe.obrien@example.com", Phone: "+44 7700 900123"},
	{GivenName: "José-María", FamilyName: "García", Email: "jm_garcia@example.org", Phone: "+34 600 123 456"},
	{GivenName: "芳", FamilyName: "王", Phone: "+86 10 5555 0101"},
	{GivenName: "さくら", FamilyName: "佐藤", Email: "sakura@example.jp"},
	{GivenName: "Анна", FamilyName: "Иванова", Phone: "8 (495) 123-45-67"},
	{GivenName: "Thị Lan", FamilyName: "Nguyễn", Email: "lan@example.vn"},
	{GivenName: "Łukasz", FamilyName: "Wiśniewski", Phone: "+48 22 123 45 67"},
	{GivenName: "Ann", FamilyName: "Lee", Email: "ann+lee@example.com"},
}

// FuzzSearch types anything into client search. No text may break the
// FTS5 query (an error would show the receptionist "internal error"), and
// the ways of answering a search must agree on who matches, and in what
// order.
func FuzzSearch(f *testing.F) {
	st, err := Open(f.Context(), filepath.Join(f.TempDir(), "search.db"),
		WithClock(func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = st.Close() })
	clients := slices.Clone(searchClinic)
	for i := range clients {
		clients[i].DateOfBirth = data.NewDate(1990, 1, 1+i)
	}
	if err := st.ImportClients(f.Context(), 0, clients); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		filter := data.ClientFilter{Text: text, State: data.AnyState, Limit: MaxPageSize}
		if _, err := st.FindClients(t.Context(), data.SystemActor, filter); err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		var first []int64
		for i, way := range []string{WalkForTest, HitsForTest, SearchForTest, MemoryForTest} {
			list, err := st.FindClientsByForTest(t.Context(), filter, way)
			if err != nil {
				t.Fatalf("search %q by %s: %v", text, way, err)
			}
			ids := make([]int64, len(list))
			for j, c := range list {
				ids[j] = c.ID
			}
			if i == 0 {
				first = ids
			} else if !slices.Equal(ids, first) {
				t.Fatalf("search %q: %s found %v, %s found %v", text, WalkForTest, first, way, ids)
			}
		}
	})
}
