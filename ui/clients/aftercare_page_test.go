package clients

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// sheetRecorder stands in for saving, opening and printing a sheet.
type sheetRecorder struct {
	got []data.Sheet
	how []string
}

func (r *sheetRecorder) as(how string) sheetDelivery {
	return func(_ *areaEnv, hs handedSheet) {
		r.got = append(r.got, hs.Sheet)
		r.how = append(r.how, how+" "+hs.fileName())
	}
}

// openTestAftercare shows the aftercare page of session id with its
// hand-over steps recorded instead of run.
func openTestAftercare(t *testing.T, e *storeEnv, id int64) (*aftercarePage, *sheetRecorder) {
	t.Helper()
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	p := openAftercarePage(e.areaEnv, stack, id)
	rec := &sheetRecorder{}
	p.save, p.open, p.print = rec.as("saved"), rec.as("opened"), rec.as("printed")
	stack.Push(p.page)
	e.w.SetContent(stack.Content)
	e.q.WaitFor(t, "the aftercare plan", func() bool { return p.loaded })
	return p, rec
}

func latestSheet(t *testing.T, e *storeEnv, sessionID int64) data.Sheet {
	t.Helper()
	sh, err := e.st.LatestSheet(e.Ctx, data.SystemActor, sessionID)
	if err != nil {
		t.Fatalf("no kept sheet: %v", err)
	}
	return sh
}

func TestAftercareHandsOverOneKeptSheet(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20))
	var changed []int64
	screen.On(e.Events, func(e screen.SheetChanged) { changed = append(changed, int64(e.Client)) })
	p, rec := openTestAftercare(t, e, s.ID)

	if !strings.Contains(p.keptLabel.Text, "No sheet handed over yet") {
		t.Errorf("before any sheet: %q", p.keptLabel.Text)
	}
	if _, err := e.st.LatestSheet(e.Ctx, data.SystemActor, s.ID); err == nil {
		t.Fatal("opening the preview made a sheet")
	}
	test.Tap(p.openButton)
	e.q.WaitFor(t, "the sheet opened", func() bool { return len(rec.got) == 1 })
	first := latestSheet(t, e, s.ID)
	if first.Version != 1 || rec.got[0].ID != first.ID || string(rec.got[0].PDF) != string(first.PDF) {
		t.Fatalf("opened sheet %d v%d, kept sheet %d v%d", rec.got[0].ID, rec.got[0].Version, first.ID, first.Version)
	}
	if !strings.HasPrefix(string(first.PDF), "%PDF") {
		t.Error("the kept sheet is not a PDF")
	}
	if !strings.Contains(p.keptLabel.Text, "Kept sheet: version 1, made Sun 22/11/2026 at 10:00") {
		t.Errorf("kept label = %q", p.keptLabel.Text)
	}

	test.Tap(p.saveButton)
	e.q.WaitFor(t, "the sheet saved", func() bool { return len(rec.got) == 2 })
	test.Tap(p.printButton)
	e.q.WaitFor(t, "the sheet printed", func() bool { return len(rec.got) == 3 })
	if again := latestSheet(t, e, s.ID); again.ID != first.ID || again.Version != 1 {
		t.Errorf("saving and printing made sheet %d v%d; want the kept v1 reused", again.ID, again.Version)
	}
	for i, sh := range rec.got {
		if sh.ID != first.ID {
			t.Errorf("hand-over %d (%s) used sheet %d, want %d", i, rec.how[i], sh.ID, first.ID)
		}
	}
	file := "Aftercare Ana Silva 2026-11-20 v1.pdf" // the treatment day, not the day the sheet was made
	if want := []string{"opened " + file, "saved " + file, "printed " + file}; strings.Join(rec.how, "|") != strings.Join(want, "|") {
		t.Errorf("hand-overs = %q", rec.how)
	}
	infos, err := e.st.ClientSheets(e.Ctx, data.SystemActor, c.ID)
	if err != nil || len(infos) != 1 {
		t.Fatalf("client has %d kept sheets (%v), want 1", len(infos), err)
	}
	if len(changed) != 1 || changed[0] != c.ID {
		t.Errorf("sheetChanged published %v, want once for client %d", changed, c.ID)
	}
}

func TestAftercareMakesANewVersion(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20))
	var changed int
	screen.On(e.Events, func(screen.SheetChanged) { changed++ })
	p, rec := openTestAftercare(t, e, s.ID)

	test.Tap(p.saveButton)
	e.q.WaitFor(t, "the first sheet", func() bool { return len(rec.got) == 1 })
	test.Tap(p.newButton)
	e.q.WaitFor(t, "version 2", func() bool { return strings.Contains(p.keptLabel.Text, "version 2") })
	if got := latestSheet(t, e, s.ID); got.Version != 2 {
		t.Fatalf("latest kept sheet is version %d, want 2", got.Version)
	}
	if len(rec.got) != 1 {
		t.Errorf("making a new version handed a sheet over by itself")
	}
	test.Tap(p.openButton)
	e.q.WaitFor(t, "the new version opened", func() bool { return len(rec.got) == 2 })
	if rec.got[1].Version != 2 {
		t.Errorf("Open handed over version %d, want the new version 2", rec.got[1].Version)
	}
	infos, err := e.st.ClientSheets(e.Ctx, data.SystemActor, c.ID)
	if err != nil || len(infos) != 2 {
		t.Fatalf("client has %d kept sheets (%v), want 2", len(infos), err)
	}
	if changed != 2 {
		t.Errorf("sheetChanged published %d times, want 2 (one per sheet made)", changed)
	}
}

func TestAftercareNeedsSomeoneWorking(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20))
	p, rec := openTestAftercare(t, e, s.ID)

	e.Actor = data.Staff{}
	test.Tap(p.openButton)
	if len(rec.got) != 0 || p.busy {
		t.Fatal("a sheet was handed over with nobody working")
	}
	if _, err := e.st.LatestSheet(e.Ctx, data.SystemActor, s.ID); err == nil {
		t.Fatal("a sheet was kept with nobody working")
	}
}

func TestAftercarePreviewShowsAvoidDatesAndAllergies(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", func(c *data.Client) { c.Allergies = "nickel; fragrance" })
	balm := e.c.AddProduct(t, "Calm Balm", data.CategoryMoisturiser, 1, "Fragrance")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20), func(s *data.Session) {
		s.Recommendations = []data.Recommendation{{ProductID: balm.ID, StartDay: 2}}
		s.AftercareNotes = "Keep the balm in the fridge."
	})
	openTestAftercare(t, e, s.ID)

	got := sessionScreenText(e.w)
	wants := []string{
		"Treated on Fri 20/11/2026 at 10:00 by Priya Raman",
		"Touching the treated skin", "until Fri 20 Nov",
		"Exercise, hard physical work", "until Mon 23 Nov",
		"Do not use", "Calm Balm", "It contains Fragrance, and your record lists an allergy to fragrance.",
		"Do not use Calm Balm: it contains Fragrance, and your record lists an allergy to fragrance.",
		"See a doctor the same day for:", "Call emergency services at once for:",
		"Keep the balm in the fridge.",
		"Due on Fri 18/12/2026",
		"Call Lumen Skin Studio on +44 1273 555 018",
		"Fri 20 Nov", "Sat 21 Nov to Mon 23 Nov", "from Fri 27 Nov",
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("the preview does not show %q", w)
		}
	}
	if t.Failed() {
		t.Logf("screen:\n%s", got)
	}
}

// TestReceptionistsSheetShowsNoClinicalDetails: a receptionist's preview
// and the sheet they hand over name the areas treated, and show no needle
// depth nor any other clinical detail of the session.
func TestReceptionistsSheetShowsNoClinicalDetails(t *testing.T) {
	requirePDFText(t)
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20), func(s *data.Session) {
		s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaForehead, DepthMM: 0.3}}
		s.Device, s.NeedleLot, s.Reaction = "Dermapen 4", "LOT-88", "Pinpoint bleeding on the cheeks"
		s.Notes = "Talked about her holiday."
	})
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	p, rec := openTestAftercare(t, e, s.ID)

	depth := regexp.MustCompile(`\d\s*mm\b|\bmm\b`)
	screen := sessionScreenText(e.w)
	if !strings.Contains(screen, "Areas: Cheeks  ·  Forehead") {
		t.Errorf("the preview does not name the areas:\n%s", screen)
	}
	test.Tap(p.openButton)
	e.q.WaitFor(t, "the sheet opened", func() bool { return len(rec.got) == 1 })
	sheet := pdfPlainText(t, rec.got[0].PDF)
	if !strings.Contains(sheet, "Cheeks, Forehead") {
		t.Errorf("the sheet does not name the areas:\n%s", sheet)
	}
	for name, text := range map[string]string{"the preview": screen, "the sheet": sheet} {
		if m := depth.FindAllString(text, -1); m != nil {
			t.Errorf("%s shows needle depths: %q", name, m)
		}
		for _, w := range []string{"Dermapen", "LOT-88", "Pinpoint", "holiday"} {
			if strings.Contains(text, w) {
				t.Errorf("%s shows %q", name, w)
			}
		}
	}
}

func requirePDFText(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found (Debian package poppler-utils): run make test-deps")
	}
}

// pdfPlainText is the text of a PDF as pdftotext reads it.
func pdfPlainText(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
