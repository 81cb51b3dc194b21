package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
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

// fakeProgram puts a shell script called name in dir; each run writes its
// arguments, one a line, to dir/name.args and then runs body.
func fakeProgram(t *testing.T, dir, name, body string) {
	t.Helper()
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + filepath.Join(dir, name+".args") + "\"\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// programArgs reads what fake program name was run with; nil if never.
func programArgs(t *testing.T, dir, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".args"))
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// programsOnly makes a new folder the only place programs are found, so
// no printer or viewer of the computer running the test plays a part.
func programsOnly(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	return dir
}

// testSheet is a small kept sheet for Ana Silva's session of 20 November.
func testSheet() handedSheet {
	return handedSheet{Sheet: data.Sheet{ID: 1, SessionID: 1, Version: 1, PDF: []byte("%PDF-1.4 test sheet")},
		client: "Ana Silva", treatedOn: data.NewDate(2026, 11, 20)}
}

// waitDialog waits for a dialog and returns every text it shows.
func waitDialog(t *testing.T, e *storeEnv) string {
	t.Helper()
	e.q.waitFor(t, "a dialog", func() bool { return e.w.Canvas().Overlays().Top() != nil })
	return strings.Join(adminTexts(e.w.Canvas().Overlays().Top()), "\n")
}

func TestPrintSendsTheSheetToTheChosenPrinter(t *testing.T) {
	e := newStoreEnv(t)
	bin := programsOnly(t)
	fakeProgram(t, bin, "lp", `echo "request id is Treatment_Room-12 (1 file(s))"`)
	fakeProgram(t, bin, "xdg-open", "exit 0")
	e.settings.Printer = "Treatment_Room"

	printSheet(e.appEnv, testSheet())
	got := waitDialog(t, e)
	if !strings.Contains(got, "Sent to printer Treatment_Room") ||
		!strings.Contains(got, "The aftercare sheet went to the printer Treatment_Room (print job Treatment_Room-12).") {
		t.Errorf("after printing the dialog says:\n%s", got)
	}
	args := programArgs(t, bin, "lp")
	if len(args) != 5 || args[0] != "-d" || args[1] != "Treatment_Room" || args[2] != "-t" ||
		filepath.Base(args[4]) != "Aftercare Ana Silva 2026-11-20 v1.pdf" {
		t.Fatalf("lp ran with %q", args)
	}
	if strings.Contains(args[3], "Ana") {
		t.Errorf("the print job's title %q names the client for everyone who sees the queue", args[3])
	}
	if programArgs(t, bin, "xdg-open") != nil {
		t.Error("a printed sheet was opened in the viewer too")
	}
	if n := len(e.w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open; want the one that says what happened", n)
	}
}

func TestPrintWithoutAPrintServiceOpensTheViewerAndSaysSo(t *testing.T) {
	e := newStoreEnv(t)
	bin := programsOnly(t)
	fakeProgram(t, bin, "xdg-open", "exit 0")

	printSheet(e.appEnv, testSheet())
	got := waitDialog(t, e)
	if !strings.Contains(got, "Opened in the PDF viewer") || !strings.Contains(got, "no print service") ||
		!strings.Contains(got, "print it from there") {
		t.Errorf("the dialog says:\n%s", got)
	}
	if args := programArgs(t, bin, "xdg-open"); len(args) != 1 || filepath.Base(args[0]) != "Aftercare Ana Silva 2026-11-20 v1.pdf" {
		t.Errorf("the viewer was asked to open %q", args)
	}
	if n := len(e.w.Canvas().Overlays().List()); n != 1 {
		t.Errorf("%d dialogs are open; want one", n)
	}
}

func TestPrintRefusedByThePrinterOpensTheViewer(t *testing.T) {
	e := newStoreEnv(t)
	bin := programsOnly(t)
	fakeProgram(t, bin, "lp", `echo "lp: The printer or class does not exist." >&2; exit 1`)
	fakeProgram(t, bin, "xdg-open", "exit 0")
	e.settings.Printer = "Gone"

	printSheet(e.appEnv, testSheet())
	got := waitDialog(t, e)
	if !strings.Contains(got, "The printer or class does not exist.") || !strings.Contains(got, "open in your PDF viewer instead") {
		t.Errorf("the dialog says:\n%s", got)
	}
}

func TestPrintWithNeitherPrinterNorViewerSaysWhatIsMissing(t *testing.T) {
	e := newStoreEnv(t)
	programsOnly(t)

	printSheet(e.appEnv, testSheet())
	got := waitDialog(t, e)
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
	programsOnly(t)
	openSheetInViewer(e.appEnv, testSheet())
	got := waitDialog(t, e)
	if !strings.Contains(got, "no program NeedleDesk can open PDF files with") || !strings.Contains(got, "Save PDF") {
		t.Errorf("the dialog says:\n%s", got)
	}
}

func TestSavePDFSaysWhereTheSheetWent(t *testing.T) {
	e := newStoreEnv(t)
	path := filepath.Join(t.TempDir(), "Aftercare Ana Silva 2026-11-20 v1.pdf")
	hs := testSheet()
	writeSavedSheet(e.appEnv, path, false, hs.PDF)
	got := waitDialog(t, e)
	if !strings.Contains(got, "Sheet saved") || !strings.Contains(got, path) {
		t.Errorf("after saving the dialog says:\n%s", got)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(hs.PDF) {
		t.Errorf("the file holds %q, %v", b, err)
	}
}

func TestSavePDFThatFailsLeavesNoFile(t *testing.T) {
	e := newStoreEnv(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "gone", "sheet.pdf")
	writeSavedSheet(e.appEnv, path, false, testSheet().PDF)
	got := waitDialog(t, e)
	if !strings.Contains(got, "Could not save the sheet") || !strings.Contains(got, filepath.Join(dir, "gone")) {
		t.Errorf("the dialog says:\n%s", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a file was left behind: %v", entries)
	}
}

func TestSettingsChooseThePrinterThatPrintUses(t *testing.T) {
	e := newStoreEnv(t)
	bin := programsOnly(t)
	fakeProgram(t, bin, "lpstat", `case "$1" in
-e) printf 'Front_Desk\nTreatment_Room\n' ;;
-d) echo "system default destination: Front_Desk" ;;
*) exit 1 ;;
esac`)
	fakeProgram(t, bin, "lp", `echo "request id is Treatment_Room-3 (1 file(s))"`)
	s := openSettings(t, e)
	e.q.waitFor(t, "the printers", func() bool { return len(s.printer.choice.Options) == 3 })
	if got := strings.Join(s.printer.choice.Options, "|"); got != "System default (Front_Desk)|Front_Desk|Treatment_Room" {
		t.Fatalf("the printers offered: %s", got)
	}
	if s.printer.choice.Selected != "System default (Front_Desk)" || s.hasUnsaved() {
		t.Fatalf("before any choice %q is selected (unsaved: %v)", s.printer.choice.Selected, s.hasUnsaved())
	}
	s.printer.choice.SetSelected("Treatment_Room")
	if !s.hasUnsaved() {
		t.Fatal("choosing a printer is not an unsaved change")
	}
	s.save()
	e.q.waitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	st, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || st.Printer != "Treatment_Room" {
		t.Fatalf("the store keeps printer %q, %v", st.Printer, err)
	}

	e.settings = st
	printSheet(e.appEnv, testSheet())
	if got := waitDialog(t, e); !strings.Contains(got, "Sent to printer Treatment_Room") {
		t.Errorf("after printing the dialog says:\n%s", got)
	}
	if args := programArgs(t, bin, "lp"); len(args) < 2 || args[0] != "-d" || args[1] != "Treatment_Room" {
		t.Errorf("lp ran with %q", args)
	}
}

func TestSettingsKeepAPrinterThatIsGone(t *testing.T) {
	e := newStoreEnv(t)
	st, _ := e.st.Settings(e.ctx, data.SystemActor)
	st.Printer = "Old_Laser"
	if err := e.st.SaveSettings(e.ctx, e.actor.ID, &st); err != nil {
		t.Fatal(err)
	}
	programsOnly(t) // no print service at all
	s := openSettings(t, e)
	e.q.waitFor(t, "the print service's answer", func() bool { return s.printer.listed })
	if s.printer.choice.Selected != "Old_Laser (not found on this computer)" || s.printer.selected() != "Old_Laser" || s.hasUnsaved() {
		t.Errorf("a printer gone since shows as %q (unsaved: %v)", s.printer.choice.Selected, s.hasUnsaved())
	}
	if !strings.Contains(s.printer.note.Text, "no print service") || !s.printer.note.Visible() {
		t.Errorf("the note says %q", s.printer.note.Text)
	}
}
