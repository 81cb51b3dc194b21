package transfer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/data/transfer"
)

// TestEmailRemindersSurviveExportAndImport: a clinic's clients, exported
// (the whole clinic's clients.csv, and one record's client.csv and
// record.json), taken into an empty clinic by the client import, keep
// their consent to e-mail reminders.
func TestEmailRemindersSurviveExportAndImport(t *testing.T) {
	ctx := t.Context()
	from := openClinic(t, "from.db")
	consent := map[string]bool{"Ana": true, "Bea": false, "Cai": false}
	var ana data.Client
	for _, c := range []data.Client{
		{GivenName: "Ana", FamilyName: "Silva", Email: "ana@example.com", Phone: "+44 20 7946 0001", EmailReminders: true},
		{GivenName: "Bea", FamilyName: "Lund", Email: "bea@example.com"},
		{GivenName: "Cai", FamilyName: "Wu", Phone: "+44 20 7946 0003"},
	} {
		c.DateOfBirth = data.NewDate(1990, time.March, 14)
		if err := from.CreateClient(ctx, data.SystemActor, &c); err != nil {
			t.Fatal(err)
		}
		if c.GivenName == "Ana" {
			ana = c
		}
	}
	x := transfer.Exporter{Source: from, Location: time.UTC}
	all, err := x.ExportAll(ctx, data.SystemActor, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	one, err := x.ExportClient(ctx, data.SystemActor, ana.ID, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}

	got := importInto(t, openClinic(t, "all.db"), filepath.Join(all.Dir, "clients.csv"))
	if len(got) != len(consent) {
		t.Fatalf("imported %v from the whole clinic's export; want %v", got, consent)
	}
	for name, want := range consent {
		if got[name] != want {
			t.Errorf("%s: consent %v after export and import; want %v", name, got[name], want)
		}
	}
	if got := importInto(t, openClinic(t, "one.db"), filepath.Join(one.Dir, "client.csv")); len(got) != 1 || !got["Ana"] {
		t.Errorf("imported %v from Ana's own export; want her consent", got)
	}
	f, err := os.Open(filepath.Join(one.Dir, "record.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := transfer.ReadClientExport(f)
	if err != nil || !rec.Client.EmailReminders {
		t.Errorf("record.json: consent %v (%v)", rec.Client.EmailReminders, err)
	}
}

func openClinic(t *testing.T, name string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// importInto imports an exported clients table into st as the client
// import reads it and returns each imported client's consent by given
// name. The columns the import does not take (the IDs, the screening
// answers, the times) are dropped first, and each cell the export marked
// as text with an apostrophe is read as a spreadsheet program shows it.
func importInto(t *testing.T, st *sqlite.Store, exported string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	readable := append(slices.Clone(transfer.ImportColumns), transfer.OptionalImportColumns...)
	var keep []int
	for i, name := range rows[0] {
		if slices.Contains(readable, name) {
			keep = append(keep, i)
		}
	}
	if !slices.Contains(rows[0], "email_reminders") {
		t.Fatalf("the export has no email_reminders column: %v", rows[0])
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for _, row := range rows {
		var cells []string
		for _, i := range keep {
			cells = append(cells, shownAsText(row[i]))
		}
		if err := w.Write(cells); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	good, bad, err := transfer.ParseClientsCSV(&out, data.DateOf(time.Now()))
	if err != nil || len(bad) != 0 {
		t.Fatalf("the export does not import: %v %v", bad, err)
	}
	clients := make([]data.Client, len(good))
	for i, g := range good {
		clients[i] = g.Client
	}
	if err := st.ImportClients(t.Context(), data.SystemActor, clients); err != nil {
		t.Fatal(err)
	}
	list, err := st.FindClients(t.Context(), data.SystemActor, data.ClientFilter{State: data.AnyState})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, s := range list {
		c, err := st.Client(t.Context(), data.SystemActor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[c.GivenName] = c.EmailReminders
	}
	return got
}

// shownAsText undoes transfer.SpreadsheetSafe as Excel and LibreOffice do
// when they show a cell the export marked as text.
func shownAsText(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}
