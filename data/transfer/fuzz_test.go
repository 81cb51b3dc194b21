package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"needledesk/data"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The fuzz targets of the exports and the import; their seeds are in
// testdata/fuzz/<FuzzName>.

func jsonRoundTrip(t *testing.T, x ClientExport) ClientExport {
	t.Helper()
	var buf bytes.Buffer
	if err := x.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(buf.Bytes()) {
		t.Fatal("record.json is not UTF-8")
	}
	back, err := ReadClientExport(&buf)
	if err != nil {
		t.Fatalf("record.json does not read back: %v", err)
	}
	x.Sheets = stripPDF(x.Sheets)
	if !reflect.DeepEqual(back, x) {
		t.Fatalf("record.json read back differently:\n%+v\n%+v", back, x)
	}
	return back
}

// csvRoundTrip writes one record and reads its row back, checking that no
// cell could be taken for a formula.
func csvRoundTrip[T any](t *testing.T, start func(w io.Writer, loc *time.Location) (*CSVTable[T], error), v T) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := writeTable(&buf, time.UTC, start, []T{v}); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != 2 || len(rows[1]) != len(rows[0]) {
		t.Fatalf("the table read back as %d rows: %q", len(rows), rows)
	}
	for _, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Fatalf("a cell a spreadsheet would run: %q", cell)
		}
	}
	return rows[1]
}

// csvExpect is what a CSV reader gives back for a cell.
func csvExpect(s string) string { return strings.ReplaceAll(SpreadsheetSafe(s), "\r\n", "\n") }

// FuzzClientExport fills a client's free-text fields and birth date with
// anything. What Validate refuses names its field; what it accepts must
// come back unchanged from record.json, and from client.csv with only the
// formula guard added (and Windows line breaks read as plain ones, as
// every CSV reader does).
func FuzzClientExport(f *testing.F) {
	f.Fuzz(func(t *testing.T, given, family, phone, email, address, notes string, y, m, d int) {
		c := validClient()
		c.ID, c.GivenName, c.FamilyName, c.Phone, c.Email, c.Address, c.Notes = 7, given, family, phone, email, address, notes
		c.DateOfBirth = data.NewDate(y, time.Month(m), d)
		if err := c.Validate(today); err != nil {
			mustNameField(t, err, "")
			return
		}
		for _, s := range []string{given, family, phone, email, address, notes} {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
		}
		x := NewClientExport(data.ClientRecord{Client: c}, exportAt, time.UTC)
		back := jsonRoundTrip(t, x)
		got := back.Client
		if got.GivenName != given || got.FamilyName != family || got.Phone != phone || got.Email != email ||
			got.Address != address || got.Notes != notes || got.DateOfBirth != c.DateOfBirth.String() {
			t.Fatalf("record.json changed the client: %+v", got)
		}
		row := csvRoundTrip(t, NewClientsCSV, c)
		for col, want := range map[int]string{1: given, 2: family, 4: phone, 5: email, 6: address, 24: notes} {
			if row[col] != csvExpect(want) {
				t.Fatalf("client.csv column %d = %q; want %q", col, row[col], csvExpect(want))
			}
		}
	})
}

// FuzzSessionExport does the same for a session: its texts, one warning,
// and an area with its depth.
func FuzzSessionExport(f *testing.F) {
	f.Fuzz(func(t *testing.T, notes, warning, override, device string, area string, depth float64, passes int) {
		s := validSession()
		s.ID, s.Notes, s.OverrideReason, s.Device, s.Passes = 9, notes, override, device, passes
		s.Warnings = []string{warning}
		s.Areas = []data.AreaTreatment{{Area: data.Area(area), DepthMM: depth}}
		if err := s.Validate(); err != nil {
			mustNameField(t, err, "")
			return
		}
		if math.IsNaN(depth) || depth < data.MinDepthMM || depth > data.MaxDepthMM || !knownArea(data.Area(area)) {
			t.Fatalf("accepted %v mm on %q", depth, area)
		}
		back := jsonRoundTrip(t, NewClientExport(data.ClientRecord{Sessions: []data.Session{s}}, exportAt, time.UTC))
		got := back.Sessions[0]
		if got.Notes != notes || got.OverrideReason != override || got.Device != device ||
			!reflect.DeepEqual(got.Warnings, []string{warning}) || got.Areas[0].DepthMM != depth {
			t.Fatalf("record.json changed the session: %+v", got)
		}
		row := csvRoundTrip(t, NewSessionsCSV, s)
		wantAreas := data.Area(area).Label() + ": " + data.FormatMM(depth) + " mm"
		for col, want := range map[int]string{4: wantAreas, 5: device, 13: notes, 16: warning, 17: override} {
			if row[col] != csvExpect(want) {
				t.Fatalf("sessions.csv column %d = %q; want %q", col, row[col], csvExpect(want))
			}
		}
	})
}

// FuzzSpreadsheetSafe: any text, once guarded, is never a formula, and
// takes the apostrophe off again to what it was.
func FuzzSpreadsheetSafe(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		g := SpreadsheetSafe(s)
		if g != "" && strings.ContainsRune("=+-@\t\r", rune(g[0])) {
			t.Fatalf("%q guarded as %q", s, g)
		}
		if g != s && "'"+s != g {
			t.Fatalf("%q guarded as %q", s, g)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.Write([]string{g, "x"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		rec, err := csv.NewReader(&buf).Read()
		if utf8.ValidString(s) && (err != nil || rec[0] != strings.ReplaceAll(g, "\r\n", "\n")) {
			t.Fatalf("%q came back as %q (%v)", g, rec, err)
		}
	})
}

// FuzzReadClientExport feeds anything to the record.json reader: it never
// panics, and what it accepts writes out and reads in again unchanged.
func FuzzReadClientExport(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		x, err := ReadClientExport(bytes.NewReader(in))
		if err != nil {
			return
		}
		jsonRoundTrip(t, x)
	})
}

// FuzzExportFolderName: a folder name from any name is one safe path
// element.
func FuzzExportFolderName(f *testing.F) {
	f.Fuzz(func(t *testing.T, given, family string, id int64) {
		name := ExportFolderName(data.Client{ID: id, GivenName: given, FamilyName: family}, today)
		if !strings.HasPrefix(name, fmt.Sprintf("client-%d-", id)) || !strings.HasSuffix(name, "-2026-11-22") {
			t.Fatalf("%q", name)
		}
		if strings.ContainsAny(name, `/\:*?"<>|'`) || strings.Contains(name, "..") || !utf8.ValidString(name) {
			t.Fatalf("unsafe folder name %q", name)
		}
		for _, r := range name {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				t.Fatalf("folder name %q holds %q", name, r)
			}
		}
	})
}

// FuzzParseSkinType: whatever is accepted is a type from I to VI and reads
// back from its own numeral.
func FuzzParseSkinType(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseSkinType(s)
		if err != nil {
			return
		}
		if st < 1 || st > 6 {
			t.Fatalf("%q read as %d", s, st)
		}
		if again, err := ParseSkinType(st.String()); err != nil || again != st {
			t.Fatalf("%s does not read back (%v)", st, err)
		}
	})
}

func FuzzParseClientsCSV(f *testing.F) {
	header := "given_name,family_name,date_of_birth,phone,email,notes\n"
	for _, s := range []string{
		header + "Zoë,Smith,1990-01-02,+44 20 7946 0958,zoe@example.com,hi\n",
		header + "\"Ann\"\"\",x,1990-01-02,,,\n",
		header + "a,b\n\n\n",
		header + "\"unterminated,1,2,3,4,5\n",
		"given_name\n",
		"",
		"\ufeff" + header + "Ann,Lee,2000-01-01,+1 555 010 9999,,\"multi\nline\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		good, bad, err := ParseClientsCSV(strings.NewReader(in), today)
		if err != nil && (len(good) > 0 || len(bad) > 0) && errors.Is(err, ErrBadHeader) {
			t.Fatalf("a bad header still gave rows")
		}
		lines := bytes.Count([]byte(in), []byte("\n")) + 1
		for _, g := range good {
			if err := g.Client.Validate(today); err != nil {
				t.Fatalf("line %d accepted but invalid: %v", g.Line, err)
			}
			if g.Line < 2 || g.Line > lines {
				t.Fatalf("line %d out of range", g.Line)
			}
		}
		for _, b := range bad {
			if b.Line < 2 || b.Line > lines || b.Field == "" || b.Reason == "" {
				t.Fatalf("malformed problem %+v", b)
			}
		}
	})
}
