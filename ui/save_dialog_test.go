package ui

import (
	"context"
	"needledesk/ui/handover"
	"needledesk/ui/uitest"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestViewerSheetsGoInAPrivateFolderRemovedOnClose: sheets for the viewer
// go in a new folder of this run's own (0700, files 0600), never in a
// shared NeedleDesk-sheets folder someone else made, nor through a link
// planted there; opening one twice keeps both; closing the app removes them.
func TestViewerSheetsGoInAPrivateFolderRemovedOnClose(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	handover.RemoveTemp()
	shared := filepath.Join(tmp, "NeedleDesk-sheets")
	if err := os.Mkdir(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("someone's file"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := testDoc()
	if err := os.Symlink(victim, filepath.Join(shared, doc.FileName)); err != nil {
		t.Fatal(err)
	}

	first, err := handover.WriteTemp(doc)
	if err != nil {
		t.Fatal(err)
	}
	second, err := handover.WriteTemp(doc)
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Dir(first)
	if filepath.Dir(folder) != tmp || folder == shared || filepath.Dir(second) != folder || first == second {
		t.Fatalf("the sheets went to %s and %s", first, second)
	}
	if info, err := os.Stat(folder); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("the folder: %v, %v; want 0700", info.Mode(), err)
	}
	for _, p := range []string{first, second} {
		info, err := os.Lstat(p)
		if b, _ := os.ReadFile(p); err != nil || !info.Mode().IsRegular() || info.Mode().Perm() != 0o600 || string(b) != string(doc.PDF) {
			t.Errorf("%s: %v, %v, %q", p, info.Mode(), err, b)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "someone's file" {
		t.Error("the planted link was followed")
	}

	test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	l := newLauncher(context.Background(), nil, w, Clinic{}, uitest.NewQueue().Do)
	l.shutdown()
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Errorf("after the app closed the sheets' folder is still there: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(shared, doc.FileName)); err != nil {
		t.Errorf("the other folder was touched: %v", err)
	}
}

// testDoc is a small sheet for Ana Silva's session of 20 November, as the
// clients area hands it over.
func testDoc() handover.Document {
	return handover.Document{PDF: []byte("%PDF-1.4 test sheet"), FileName: "Aftercare Ana Silva 2026-11-20 v1.pdf",
		Noun: "sheet", Title: "the aftercare sheet"}
}
