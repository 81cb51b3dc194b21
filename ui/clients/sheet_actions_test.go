package clients

import (
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/ui/uitest"
)

func TestSheetFileNameUsesTheClientAndTheTreatmentDay(t *testing.T) {
	day := data.NewDate(2026, 11, 20)
	for _, c := range []struct{ client, want string }{
		{"Zoë O'Brien", "Aftercare Zoë O'Brien 2026-11-20 v2.pdf"},
		{"結衣 佐藤", "Aftercare 結衣 佐藤 2026-11-20 v2.pdf"},
		{"محمد الأحمد", "Aftercare محمد الأحمد 2026-11-20 v2.pdf"},
		{"Ελένη Παπαδοπούλου", "Aftercare Ελένη Παπαδοπούλου 2026-11-20 v2.pdf"},
		{"Nguyễn Thị Hoa", "Aftercare Nguyễn Thị Hoa 2026-11-20 v2.pdf"},
		{"Ana/Maria: \"Bea\" <x>|y?*\\z", "Aftercare Ana-Maria- -Bea- -x--y---z 2026-11-20 v2.pdf"},
		{"  Ana \t\n Silva  ", "Aftercare Ana Silva 2026-11-20 v2.pdf"},
		{"Eve\u202Efdp.exe", "Aftercare Evefdp.exe 2026-11-20 v2.pdf"}, // a right-to-left override goes
		{"Zoe\u0308 Adams", "Aftercare Zoë Adams 2026-11-20 v2.pdf"},   // composed
		{"...", "Aftercare client 2026-11-20 v2.pdf"},
		{"\x00\x07", "Aftercare client 2026-11-20 v2.pdf"},
	} {
		if got := sheetFileName(c.client, day, 2); got != c.want {
			t.Errorf("sheetFileName(%q) = %q, want %q", c.client, got, c.want)
		}
	}
	long := sheetFileName(strings.Repeat("佐", 200), day, 1)
	if len(long) > 200 || !strings.HasSuffix(long, " 2026-11-20 v1.pdf") || strings.ContainsRune(long, '\uFFFD') {
		t.Errorf("a very long name gives %d bytes: %q", len(long), long)
	}
}

// testSheet is a small kept sheet for Ana Silva's session of 20 November.
func testSheet() handedSheet {
	return handedSheet{Sheet: data.Sheet{ID: 1, SessionID: 1, Version: 1, PDF: []byte("%PDF-1.4 test sheet")},
		client: "Ana Silva", treatedOn: data.NewDate(2026, 11, 20)}
}

func TestPrintSendsTheSheetToTheChosenPrinter(t *testing.T) {
	e := newStoreEnv(t)
	bin := uitest.ProgramsOnly(t)
	uitest.FakeProgram(t, bin, "lp", `echo "request id is Treatment_Room-12 (1 file(s))"`)
	uitest.FakeProgram(t, bin, "xdg-open", "exit 0")
	e.Settings.Printer = "Treatment_Room"

	printSheet(e.areaEnv, testSheet())
	got := uitest.WaitDialog(t, e.q, e.w)
	if !strings.Contains(got, "Sent to printer Treatment_Room") ||
		!strings.Contains(got, "The aftercare sheet went to the printer Treatment_Room (print job Treatment_Room-12).") {
		t.Errorf("after printing the dialog says:\n%s", got)
	}
	args := uitest.ProgramArgs(t, bin, "lp")
	if len(args) != 5 || args[0] != "-d" || args[1] != "Treatment_Room" || args[2] != "-t" ||
		filepath.Base(args[4]) != "Aftercare Ana Silva 2026-11-20 v1.pdf" {
		t.Fatalf("lp ran with %q", args)
	}
	if strings.Contains(args[3], "Ana") {
		t.Errorf("the print job's title %q names the client for everyone who sees the queue", args[3])
	}
	if uitest.ProgramArgs(t, bin, "xdg-open") != nil {
		t.Error("a printed sheet was opened in the viewer too")
	}
	if n := len(e.w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open; want the one that says what happened", n)
	}
}

func TestPrintWithoutAPrintServiceOpensTheViewerAndSaysSo(t *testing.T) {
	e := newStoreEnv(t)
	bin := uitest.ProgramsOnly(t)
	uitest.FakeProgram(t, bin, "xdg-open", "exit 0")

	printSheet(e.areaEnv, testSheet())
	got := uitest.WaitDialog(t, e.q, e.w)
	if !strings.Contains(got, "Opened in the PDF viewer") || !strings.Contains(got, "no print service") ||
		!strings.Contains(got, "print it from there") {
		t.Errorf("the dialog says:\n%s", got)
	}
	if args := uitest.ProgramArgs(t, bin, "xdg-open"); len(args) != 1 || filepath.Base(args[0]) != "Aftercare Ana Silva 2026-11-20 v1.pdf" {
		t.Errorf("the viewer was asked to open %q", args)
	}
	if n := len(e.w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open; want one", n)
	}
}

func TestPrintRefusedByThePrinterOpensTheViewer(t *testing.T) {
	e := newStoreEnv(t)
	bin := uitest.ProgramsOnly(t)
	uitest.FakeProgram(t, bin, "lp", `echo "lp: The printer or class does not exist." >&2; exit 1`)
	uitest.FakeProgram(t, bin, "xdg-open", "exit 0")
	e.Settings.Printer = "Gone"

	printSheet(e.areaEnv, testSheet())
	got := uitest.WaitDialog(t, e.q, e.w)
	if !strings.Contains(got, "The printer or class does not exist.") || !strings.Contains(got, "open in your PDF viewer instead") {
		t.Errorf("the dialog says:\n%s", got)
	}
}

func TestPrintWithNeitherPrinterNorViewerSaysWhatIsMissing(t *testing.T) {
	e := newStoreEnv(t)
	uitest.ProgramsOnly(t)

	printSheet(e.areaEnv, testSheet())
	got := uitest.WaitDialog(t, e.q, e.w)
	for _, want := range []string{"Could not print the sheet", "no print service", "no program NeedleDesk can open PDF files with"} {
		if !strings.Contains(got, want) {
			t.Errorf("the dialog does not say %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "opens in your PDF viewer") || strings.Contains(got, "Opened in") {
		t.Errorf("the dialog speaks of a viewer that never opened:\n%s", got)
	}
	if n := len(e.w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open; want one", n)
	}
}

func TestOpenWithoutAViewerSaysSoOnce(t *testing.T) {
	e := newStoreEnv(t)
	uitest.ProgramsOnly(t)
	openSheetInViewer(e.areaEnv, testSheet())
	got := uitest.WaitDialog(t, e.q, e.w)
	if !strings.Contains(got, "no program NeedleDesk can open PDF files with") || !strings.Contains(got, "Save PDF") {
		t.Errorf("the dialog says:\n%s", got)
	}
}
