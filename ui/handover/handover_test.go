package handover

import (
	"needledesk/ui/uitest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testDoc is a small sheet for Ana Silva's session of 20 November.
func testDoc() Document {
	return Document{PDF: []byte("%PDF-1.4 test sheet"), FileName: "Aftercare Ana Silva 2026-11-20 v1.pdf",
		Noun: "sheet", Title: "the aftercare sheet"}
}

func TestSavePDFSaysWhereTheSheetWent(t *testing.T) {
	e := uitest.NewClinic(t)
	path := filepath.Join(t.TempDir(), "Aftercare Ana Silva 2026-11-20 v1.pdf")
	doc := testDoc()
	writeSaved(e.Env, path, false, doc)
	got := uitest.WaitDialog(t, e.Queue, e.W)
	if !strings.Contains(got, "Sheet saved") || !strings.Contains(got, path) {
		t.Errorf("after saving the dialog says:\n%s", got)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(doc.PDF) {
		t.Errorf("the file holds %q, %v", b, err)
	}
}

func TestSavePDFThatFailsLeavesNoFile(t *testing.T) {
	e := uitest.NewClinic(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "gone", "sheet.pdf")
	writeSaved(e.Env, path, false, testDoc())
	got := uitest.WaitDialog(t, e.Queue, e.W)
	if !strings.Contains(got, "Could not save the sheet") || !strings.Contains(got, filepath.Join(dir, "gone")) {
		t.Errorf("the dialog says:\n%s", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a file was left behind: %v", entries)
	}
}
