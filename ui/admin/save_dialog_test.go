package admin

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/handover"
	"needledesk/ui/uitest"
)

// fileSaveEnv is a store env that knows its database's path and can make
// backups, as the app's is.
func fileSaveEnv(t *testing.T) *storeEnv {
	t.Helper()
	e := newStoreEnv(t)
	e.deps.Store = e.st
	e.c.AddClient(t, "Ana", "Silva")
	return e
}

// waitSaying waits for a dialog that shows text, and returns all it shows.
func waitSaying(t *testing.T, e *storeEnv, text string) string {
	t.Helper()
	var got string
	e.q.WaitFor(t, "a dialog saying "+text, func() bool {
		top := e.w.Canvas().Overlays().Top()
		got = strings.Join(uitest.Texts(top), "\n")
		return top != nil && strings.Contains(got, text)
	})
	return got
}

// tapIn taps the button with text in the top dialog.
func tapIn(t *testing.T, e *storeEnv, text string) {
	t.Helper()
	test.Tap(uitest.Button(t, e.w, text))
}

// databaseFiles reads the database and its -wal, to compare byte for byte.
func databaseFiles(t *testing.T, db string) []byte {
	t.Helper()
	var all []byte
	for _, f := range []string{db, db + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// TestSavingOverTheOpenDatabaseIsRefused drives the calls every save
// dialog makes (the sheet, the audit trail's CSV, a copy of the records)
// with the open clinic.db, its -wal and -shm, and clinic.db through a
// linked folder as the chosen file: each is refused in plain words and
// the database stays byte for byte as it was, and opens. An unrelated
// file chosen for a copy of the records is refused too, and kept.
func TestSavingOverTheOpenDatabaseIsRefused(t *testing.T) {
	e := fileSaveEnv(t)
	db := e.st.Path()
	linked := filepath.Join(t.TempDir(), "linked")
	if err := os.Symlink(filepath.Dir(db), linked); err != nil {
		t.Fatal(err)
	}
	audit := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(audit.events) > 0 })
	f, _ := audit.filter(auditExportLimit)
	panel := &backupsPanel{env: e.areaEnv}
	before := databaseFiles(t, db)
	events := len(audit.events)

	saves := map[string]func(path string){
		"sheet":  func(path string) { handover.SaveTo(e.Env, testDoc(), path) },
		"audit":  func(path string) { audit.exportCSVTo(e.st, f, path) },
		"backup": func(path string) { panel.copyTo(path, nil) },
	}
	for what, save := range saves {
		for _, target := range []string{db, db + "-wal", db + "-shm", filepath.Join(linked, filepath.Base(db))} {
			save(target)
			got := waitSaying(t, e, "the clinic's database")
			if strings.Contains(got, "Replace") {
				t.Errorf("%s onto %s asks to replace it:\n%s", what, target, got)
			}
			tapIn(t, e, "OK")
		}
	}
	if !bytes.Equal(databaseFiles(t, db), before) {
		t.Fatal("the database changed")
	}
	evs, err := e.st.AuditEvents(e.Ctx, e.Actor.ID, data.AuditFilter{Limit: 1000})
	if err != nil || len(evs) != events {
		t.Errorf("after the refusals the trail reads %d events, %v; want %d", len(evs), err, events)
	}
	if list, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{Limit: 10}); err != nil || len(list) != 1 {
		t.Errorf("the database reads %v, %v", list, err)
	}

	other := filepath.Join(t.TempDir(), "someone's.db")
	if err := os.WriteFile(other, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	panel.copyTo(other, nil)
	if got := waitSaying(t, e, "never replaces"); strings.Contains(got, "Replace") {
		t.Errorf("a copy over a file asks to replace it:\n%s", got)
	}
	if b, err := os.ReadFile(other); err != nil || string(b) != "keep" {
		t.Errorf("the file chosen for the copy now holds %q, %v", b, err)
	}
}

// TestSavingOverAnotherFileAsksFirst: a sheet or the audit trail saved
// over an existing file asks "Replace <name>?"; Cancel leaves the file
// as it was and records nothing, Replace puts in a private file.
func TestSavingOverAnotherFileAsksFirst(t *testing.T) {
	e := fileSaveEnv(t)
	audit := openAudit(t, e)
	e.q.WaitFor(t, "the trail", func() bool { return len(audit.events) > 0 })
	f, _ := audit.filter(auditExportLimit)
	dir := t.TempDir()
	for _, c := range []struct {
		name, done string
		save       func(path string)
	}{
		{"sheet.pdf", "Sheet saved", func(path string) { handover.SaveTo(e.Env, testDoc(), path) }},
		{"audit.csv", "Audit trail exported", func(path string) { audit.exportCSVTo(e.st, f, path) }},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		c.save(path)
		waitSaying(t, e, "Replace "+c.name+"?")
		tapIn(t, e, "Cancel")
		if b, _ := os.ReadFile(path); string(b) != "keep" {
			t.Fatalf("%s changed after Cancel: %q", c.name, b)
		}
		if top := e.w.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("after Cancel a dialog says: %v", uitest.Texts(top))
		}
		c.save(path)
		waitSaying(t, e, "Replace "+c.name+"?")
		tapIn(t, e, "Replace")
		waitSaying(t, e, c.done)
		tapIn(t, e, "OK")
		info, err := os.Stat(path)
		if b, _ := os.ReadFile(path); err != nil || string(b) == "keep" || info.Mode().Perm() != 0o600 {
			t.Errorf("%s after Replace: %q, %v, %v", c.name, b, info.Mode(), err)
		}
	}
	exports, err := e.st.AuditEvents(e.Ctx, e.Actor.ID, data.AuditFilter{Action: data.ActionExport, Entity: data.EntityAudit})
	if err != nil || len(exports) != 1 {
		t.Errorf("%d exports recorded, %v; want the one replaced", len(exports), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %v; want the two files", entries)
	}
}

// saveAs types name into the save dialog on top and taps Save.
func saveAs(t *testing.T, e *storeEnv, name string) {
	t.Helper()
	var entry *widget.Entry
	uitest.Walk(e.w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if en, ok := o.(*widget.Entry); ok && entry == nil {
			entry = en
		}
	})
	if entry == nil {
		t.Fatal("no file name to type in the dialog on top")
	}
	entry.SetText(name)
	tapIn(t, e, "Save")
}

// TestSaveDialogsFromTheirButtonsKeepTheDatabase goes the whole way from
// what the buttons call: "Copy to another place…" with clinic.db typed
// as the name in the database's folder, and "Save PDF" onto a link to the
// database. Both are refused and the database is as it was.
func TestSaveDialogsFromTheirButtonsKeepTheDatabase(t *testing.T) {
	e := fileSaveEnv(t)
	db := e.st.Path()
	before := databaseFiles(t, db)
	t.Setenv("HOME", filepath.Dir(db)) // where the dialog starts
	panel := &backupsPanel{env: e.areaEnv}
	panel.copyElsewhere()
	tapIn(t, e, "Choose where…")
	saveAs(t, e, strings.TrimSuffix(filepath.Base(db), ".db"))
	waitSaying(t, e, "the clinic's database")
	tapIn(t, e, "OK")

	home := t.TempDir()
	if err := os.Symlink(db, filepath.Join(home, "Aftercare.pdf")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	handover.SaveAs(e.Env, testDoc())
	saveAs(t, e, "Aftercare")
	waitSaying(t, e, "the clinic's database")
	tapIn(t, e, "OK")
	if !bytes.Equal(databaseFiles(t, db), before) {
		t.Fatal("the database changed")
	}
	if list, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{Limit: 10}); err != nil || len(list) != 1 {
		t.Errorf("the database reads %v, %v", list, err)
	}
}

// testDoc is a small sheet for Ana Silva's session of 20 November, as the
// clients area hands it over.
func testDoc() handover.Document {
	return handover.Document{PDF: []byte("%PDF-1.4 test sheet"), FileName: "Aftercare Ana Silva 2026-11-20 v1.pdf",
		Noun: "sheet", Title: "the aftercare sheet"}
}
