package data

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// More fuzz targets: every parser and validator in data, and the export
// writers, which must give back exactly what validation let in. Their
// seeds are in testdata/fuzz/<FuzzName>.

// FuzzClientExport fills a client's free-text fields and birth date with
// anything. What Validate refuses names its field; what it accepts must
// come back unchanged from record.json, and from client.csv with only the
// formula guard added (and Windows line breaks read as plain ones, as
// every CSV reader does).
func FuzzClientExport(f *testing.F) {
	f.Fuzz(func(t *testing.T, given, family, phone, email, address, notes string, y, m, d int) {
		c := validClient()
		c.ID, c.GivenName, c.FamilyName, c.Phone, c.Email, c.Address, c.Notes = 7, given, family, phone, email, address, notes
		c.DateOfBirth = NewDate(y, time.Month(m), d)
		if err := c.Validate(today); err != nil {
			mustNameField(t, err, "")
			return
		}
		for _, s := range []string{given, family, phone, email, address, notes} {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted invalid UTF-8 %q", s)
			}
		}
		x := NewClientExport(ClientRecord{Client: c}, exportAt, time.UTC)
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
		s.Areas = []AreaTreatment{{Area(area), depth}}
		if err := s.Validate(); err != nil {
			mustNameField(t, err, "")
			return
		}
		if math.IsNaN(depth) || depth < MinDepthMM || depth > MaxDepthMM || !knownArea(Area(area)) {
			t.Fatalf("accepted %v mm on %q", depth, area)
		}
		back := jsonRoundTrip(t, NewClientExport(ClientRecord{Sessions: []Session{s}}, exportAt, time.UTC))
		got := back.Sessions[0]
		if got.Notes != notes || got.OverrideReason != override || got.Device != device ||
			!reflect.DeepEqual(got.Warnings, []string{warning}) || got.Areas[0].DepthMM != depth {
			t.Fatalf("record.json changed the session: %+v", got)
		}
		row := csvRoundTrip(t, NewSessionsCSV, s)
		wantAreas := Area(area).Label() + ": " + FormatMM(depth) + " mm"
		for col, want := range map[int]string{4: wantAreas, 5: device, 13: notes, 16: warning, 17: override} {
			if row[col] != csvExpect(want) {
				t.Fatalf("sessions.csv column %d = %q; want %q", col, row[col], csvExpect(want))
			}
		}
	})
}

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
		name := ExportFolderName(Client{ID: id, GivenName: given, FamilyName: family}, today)
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

// FuzzSettings tries the settings a clinic could save. Accepted settings
// format dates with a known layout and keep depth ranges within the
// needle's limits.
func FuzzSettings(f *testing.F) {
	f.Fuzz(func(t *testing.T, name, dateFormat, paper string, followUp int, lo, hi float64) {
		s := DefaultSettings()
		s.ClinicName, s.DateFormat, s.PaperSize, s.FollowUpDays = name, dateFormat, PaperSize(paper), followUp
		s.DepthRanges[AreaCheeks] = DepthRange{lo, hi}
		if err := s.Validate(); err != nil {
			mustNameField(t, err, "")
			return
		}
		if !knownDateFormat(dateFormat) || followUp < 7 || followUp > 365 || !(lo >= MinDepthMM && hi <= MaxDepthMM && lo <= hi) {
			t.Fatalf("accepted %q, %d days, %v to %v mm", dateFormat, followUp, lo, hi)
		}
		if got := s.FormatDate(today); got == "" || !utf8.ValidString(got) {
			t.Fatalf("FormatDate gave %q", got)
		}
	})
}

var knownPlaceholder = func() *regexp.Regexp {
	var names []string
	for k := range Placeholders {
		names = append(names, k)
	}
	return regexp.MustCompile(`\{(` + strings.Join(names, "|") + `)\}`)
}()

// FuzzAftercareTemplate: an owner's template text is either refused, with
// its field named, or fills into a plan with every placeholder replaced.
func FuzzAftercareTemplate(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string, window int) {
		s := DefaultSettings()
		s.ClinicName, s.Phone = "Lumen", "+44 20 7946 0958"
		w := Windows[uint(window)%uint(len(Windows))]
		s.Aftercare.Templates[w] = text
		if err := s.Aftercare.Validate(); err != nil {
			mustNameField(t, err, "template_"+string(w))
			return
		}
		plan := BuildAftercarePlan(AftercareInput{Session: validSession(), Client: validClient(), Settings: s,
			MadeAt: exportAt, Location: time.UTC})
		for _, pw := range plan.Windows {
			for _, para := range pw.Paragraphs {
				if m := knownPlaceholder.FindString(para); m != "" {
					t.Fatalf("%s left %s unfilled in %q", pw.Window, m, para)
				}
				if strings.TrimSpace(para) == "" || strings.Contains(para, "\n") {
					t.Fatalf("%s has a blank or broken paragraph %q", pw.Window, para)
				}
			}
		}
	})
}

// FuzzCheckPassword: an accepted password has 8 to 128 characters of
// valid text, not all spaces.
func FuzzCheckPassword(f *testing.F) {
	f.Fuzz(func(t *testing.T, pw string) {
		if CheckPassword(pw) != "" {
			return
		}
		n := utf8.RuneCountInString(pw)
		if !utf8.ValidString(pw) || n < MinPasswordLen || n > MaxPasswordLen || strings.TrimSpace(pw) == "" {
			t.Fatalf("accepted %q", pw)
		}
	})
}

// FuzzParsePHC reads stored password hashes. A damaged or planted hash
// must never make sign-in allocate gigabytes or run for hours, so what is
// accepted has bounded costs, and it reads back the same once written out
// again.
func FuzzParsePHC(f *testing.F) {
	f.Fuzz(func(t *testing.T, phc string) {
		p, salt, key, err := parsePHC(phc)
		if err != nil {
			return
		}
		if p.Time < 1 || p.Time > maxArgonTime || p.Threads < 1 || p.MemoryKiB < 8*uint32(p.Threads) ||
			p.MemoryKiB > maxArgonMemoryKiB || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
			t.Fatalf("accepted %q with %+v, salt %d, key %d", phc, p, len(salt), len(key))
		}
		again := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.MemoryKiB, p.Time, p.Threads,
			base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
		p2, salt2, key2, err := parsePHC(again)
		if err != nil || p2 != p || !bytes.Equal(salt, salt2) || !bytes.Equal(key, key2) {
			t.Fatalf("%q read back as %+v (%v)", again, p2, err)
		}
	})
}

// FuzzPasswordRoundTrip hashes accepted passwords with cheap settings (the
// real ones take 19 MiB and tens of milliseconds each) and checks that
// exactly the same password verifies.
func FuzzPasswordRoundTrip(f *testing.F) {
	cheap := PasswordParams{MemoryKiB: 8, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 16}
	f.Fuzz(func(t *testing.T, pw, other string) {
		h, err := hashPasswordWith(pw, cheap)
		if err != nil {
			if CheckPassword(pw) == "" {
				t.Fatalf("%q: %v", pw, err)
			}
			return
		}
		if ok, rehash, err := VerifyPassword(pw, h); !ok || !rehash || err != nil {
			t.Fatalf("%q does not verify against its own hash: %v %v %v", pw, ok, rehash, err)
		}
		if ok, _, _ := VerifyPassword(other, h); ok != (other == pw) {
			t.Fatalf("%q verified against the hash of %q", other, pw)
		}
	})
}

// FuzzFoldForSearch: folding keeps text valid, is stable when repeated
// (the stored names and the query are folded by the same function, once
// each), and lowers plain ASCII as strings.ToLower does.
func FuzzFoldForSearch(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		folded := FoldForSearch(s)
		if !utf8.ValidString(folded) {
			t.Fatalf("%q folded to invalid text %q", s, folded)
		}
		if again := FoldForSearch(folded); again != folded {
			t.Fatalf("%q folds to %q, then to %q", s, folded, again)
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ascii && folded != strings.ToLower(s) {
			t.Fatalf("ASCII %q folded to %q", s, folded)
		}
	})
}

// FuzzAllergyClashes reads the free-text allergy field against a product's
// ingredients. It never panics and reports only real whole-word matches.
func FuzzAllergyClashes(f *testing.F) {
	f.Fuzz(func(t *testing.T, allergies, ingredient string) {
		c := validClient()
		c.Allergies = allergies
		recs := []Recommendation{{ProductID: 1, Product: Product{ID: 1, Name: "Serum", KeyIngredients: []string{ingredient}}}}
		for _, cl := range AllergyClashes(c, recs) {
			fa, fi := FoldForSearch(cl.Allergy), FoldForSearch(cl.Ingredient)
			if !strings.Contains(fi, fa) && !strings.Contains(fa, fi) {
				t.Fatalf("clash %+v without a match", cl)
			}
		}
	})
}

// FuzzSignInDelay: the wait never goes negative, never passes 15 minutes,
// and never shrinks as failures grow.
func FuzzSignInDelay(f *testing.F) {
	f.Fuzz(func(t *testing.T, failures int) {
		d := SignInDelay(failures)
		if d < 0 || d > maxSignInDelay {
			t.Fatalf("%d failures: wait %v", failures, d)
		}
		if failures < math.MaxInt && SignInDelay(failures+1) < d {
			t.Fatalf("the wait shrank after %d failures", failures)
		}
	})
}
