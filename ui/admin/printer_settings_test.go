package admin

import (
	"needledesk/data"
	"needledesk/ui/handover"
	"needledesk/ui/uitest"
	"strings"
	"testing"
)

func TestSettingsChooseThePrinterThatPrintUses(t *testing.T) {
	e := newStoreEnv(t)
	bin := uitest.ProgramsOnly(t)
	uitest.FakeProgram(t, bin, "lpstat", `case "$1" in
-e) printf 'Front_Desk\nTreatment_Room\n' ;;
-d) echo "system default destination: Front_Desk" ;;
*) exit 1 ;;
esac`)
	uitest.FakeProgram(t, bin, "lp", `echo "request id is Treatment_Room-3 (1 file(s))"`)
	s := openSettings(t, e)
	e.q.WaitFor(t, "the printers", func() bool { return len(s.printer.choice.Options) == 3 })
	if got := strings.Join(s.printer.choice.Options, "|"); got != "System default (Front_Desk)|Front_Desk|Treatment_Room" {
		t.Fatalf("the printers offered: %s", got)
	}
	if s.printer.choice.Selected != "System default (Front_Desk)" || s.HasUnsaved() {
		t.Fatalf("before any choice %q is selected (unsaved: %v)", s.printer.choice.Selected, s.HasUnsaved())
	}
	s.printer.choice.SetSelected("Treatment_Room")
	if !s.HasUnsaved() {
		t.Fatal("choosing a printer is not an unsaved change")
	}
	s.Save()
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil || st.Printer != "Treatment_Room" {
		t.Fatalf("the store keeps printer %q, %v", st.Printer, err)
	}

	e.Settings = st
	handover.Print(e.Env, e.deps.output(), e.Settings.Printer, testDoc())
	if got := uitest.WaitDialog(t, e.q, e.w); !strings.Contains(got, "Sent to printer Treatment_Room") {
		t.Errorf("after printing the dialog says:\n%s", got)
	}
	if args := uitest.ProgramArgs(t, bin, "lp"); len(args) < 2 || args[0] != "-d" || args[1] != "Treatment_Room" {
		t.Errorf("lp ran with %q", args)
	}
}

func TestSettingsKeepAPrinterThatIsGone(t *testing.T) {
	e := newStoreEnv(t)
	st, _ := e.st.Settings(e.Ctx, data.SystemActor)
	st.Printer = "Old_Laser"
	if err := e.st.SaveSettings(e.Ctx, e.Actor.ID, &st); err != nil {
		t.Fatal(err)
	}
	uitest.ProgramsOnly(t) // no print service at all
	s := openSettings(t, e)
	e.q.WaitFor(t, "the print service's answer", func() bool { return s.printer.listed })
	if s.printer.choice.Selected != "Old_Laser (not found on this computer)" || s.printer.selected() != "Old_Laser" || s.HasUnsaved() {
		t.Errorf("a printer gone since shows as %q (unsaved: %v)", s.printer.choice.Selected, s.HasUnsaved())
	}
	if !strings.Contains(s.printer.note.Text, "no print service") || !s.printer.note.Visible() {
		t.Errorf("the note says %q", s.printer.note.Text)
	}
}
