package printing

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// fakeBin puts a shell script called name in dir; each run writes its
// arguments, one a line, to dir/name.args and then runs body.
func fakeBin(t *testing.T, dir, name, body string) {
	t.Helper()
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + filepath.Join(dir, name+".args") + "\"\n" + body + "\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

// onlyOnPath makes dir the only folder programs are looked for in, so the
// computer's own lp or xdg-open, if it has them, play no part.
func onlyOnPath(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	return dir
}

// argsOf reads what the fake program name was run with; nil if it never ran.
func argsOf(t *testing.T, dir, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".args"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func sameArgs(got []string, want ...string) bool {
	return strings.Join(got, "\x00") == strings.Join(want, "\x00")
}

func TestPrintSendsTheFileToTheChosenPrinter(t *testing.T) {
	dir := onlyOnPath(t)
	fakeBin(t, dir, "lp", `echo "request id is Front_Desk-7 (1 file(s))"`)
	file := "/tmp/Aftercare Zoë Adams 2026-11-20 v1.pdf"
	job, err := System{}.Print(t.Context(), file, "Front_Desk")
	if err != nil {
		t.Fatal(err)
	}
	if job.Printer != "Front_Desk" || job.ID != "Front_Desk-7" {
		t.Errorf("job = %+v", job)
	}
	if got := argsOf(t, dir, "lp"); !sameArgs(got, "-d", "Front_Desk", "-t", JobTitle, file) {
		t.Errorf("lp ran with %q", got)
	}

	job, err = System{}.Print(t.Context(), file, "")
	if err != nil || job.Printer != "" {
		t.Fatalf("to the default printer: %+v, %v", job, err)
	}
	if got := argsOf(t, dir, "lp"); !sameArgs(got, "-t", JobTitle, file) {
		t.Errorf("for the system's default printer lp ran with %q; want no -d", got)
	}
	if strings.Contains(JobTitle, "Zoë") {
		t.Error("the job title names the client")
	}
}

func TestPrintSaysWhatThePrintServiceSaid(t *testing.T) {
	dir := onlyOnPath(t)
	fakeBin(t, dir, "lp", `echo "lp: The printer or class does not exist." >&2; exit 1`)
	_, err := System{}.Print(t.Context(), "/tmp/sheet.pdf", "Gone")
	if err == nil {
		t.Fatal("a refused job printed")
	}
	if got := data.UserMessage(err); got != "the print service refused the sheet: The printer or class does not exist." {
		t.Errorf("message = %q", got)
	}
}

func TestPrintWithoutAPrintService(t *testing.T) {
	onlyOnPath(t)
	if _, err := (System{}).Print(t.Context(), "/tmp/sheet.pdf", ""); !errors.Is(err, ErrNoPrintService) {
		t.Fatalf("err = %v, want ErrNoPrintService", err)
	}
	if _, err := (System{}).Printers(t.Context()); !errors.Is(err, ErrNoPrintService) {
		t.Fatalf("Printers err = %v, want ErrNoPrintService", err)
	}
}

func TestPrintersListsTheQueuesAndTheDefault(t *testing.T) {
	dir := onlyOnPath(t)
	fakeBin(t, dir, "lpstat", `case "$1" in
-e) printf 'Front_Desk\nTreatment_Room\n' ;;
-d) echo "system default destination: Treatment_Room" ;;
*) exit 1 ;;
esac`)
	p, err := System{}.Printers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Names, ",") != "Front_Desk,Treatment_Room" || p.Default != "Treatment_Room" {
		t.Errorf("printers = %+v", p)
	}

	// An older CUPS without -e: the names come from -a; no default set.
	fakeBin(t, dir, "lpstat", `case "$1" in
-a) printf 'Front_Desk accepting requests since Mon 07 Dec 2026\nOld_Laser accepting requests since Tue 01 Dec 2026\n' ;;
-d) echo "no system default destination" ;;
*) echo "lpstat: invalid option" >&2; exit 1 ;;
esac`)
	p, err = System{}.Printers(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Names, ",") != "Front_Desk,Old_Laser" || p.Default != "" {
		t.Errorf("printers from lpstat -a = %+v", p)
	}
}

func TestPrintOrOpenFallsBackToTheViewer(t *testing.T) {
	dir := onlyOnPath(t)
	fakeBin(t, dir, "xdg-open", "exit 0")
	file := "/tmp/sheet.pdf"

	res, err := System{}.PrintOrOpen(t.Context(), file, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.How != Opened || !errors.Is(res.PrintProblem, ErrNoPrintService) {
		t.Errorf("without lp: %+v", res)
	}
	if got := argsOf(t, dir, "xdg-open"); !sameArgs(got, file) {
		t.Errorf("xdg-open ran with %q", got)
	}

	fakeBin(t, dir, "lp", `echo "lp: Error - The printer is not responding." >&2; exit 1`)
	res, err = System{}.PrintOrOpen(t.Context(), file, "Front_Desk")
	if err != nil {
		t.Fatal(err)
	}
	if res.How != Opened || res.PrintProblem == nil || !strings.Contains(res.PrintProblem.Error(), "The printer is not responding") {
		t.Errorf("with lp refusing: %+v", res)
	}

	fakeBin(t, dir, "lp", `echo "request id is Front_Desk-8 (1 file(s))"`)
	os.Remove(filepath.Join(dir, "xdg-open.args"))
	res, err = System{}.PrintOrOpen(t.Context(), file, "Front_Desk")
	if err != nil || res.How != Printed || res.Job.ID != "Front_Desk-8" {
		t.Errorf("with lp working: %+v, %v", res, err)
	}
	if argsOf(t, dir, "xdg-open") != nil {
		t.Error("a printed sheet was opened in the viewer as well")
	}
}

func TestPrintOrOpenWithNeitherNamesBoth(t *testing.T) {
	onlyOnPath(t)
	_, err := System{}.PrintOrOpen(t.Context(), "/tmp/sheet.pdf", "")
	if err == nil {
		t.Fatal("no print service and no viewer, yet no error")
	}
	msg := data.UserMessage(err)
	for _, want := range []string{"no print service", "lp command", "no program NeedleDesk can open PDF files with", "Save the sheet as a PDF"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not say %q", msg, want)
		}
	}
}

func TestOpenInViewer(t *testing.T) {
	dir := onlyOnPath(t)
	fakeBin(t, dir, "xdg-open", `echo "xdg-open: no method available for opening '$1'" >&2; exit 3`)
	err := System{}.OpenInViewer(t.Context(), "/tmp/sheet.pdf")
	if !errors.Is(err, ErrNoViewer) || !strings.Contains(data.UserMessage(err), "no method available") {
		t.Errorf("a viewer command that fails: %v", err)
	}

	// A viewer still open after the grace time has started, whatever it
	// does when the person closes it later.
	fakeBin(t, dir, "xdg-open", "/bin/sleep 5; exit 1")
	if err := (System{ViewerGrace: 100 * time.Millisecond}).OpenInViewer(context.Background(), "/tmp/sheet.pdf"); err != nil {
		t.Errorf("a viewer still open: %v", err)
	}
}
