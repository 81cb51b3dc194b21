package clients

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// openTestSessionForm shows the session form for c on top of a stand-in
// client list, as the client record opens it.
func openTestSessionForm(t *testing.T, e *storeEnv, c data.Client) (*sessionForm, *screen.Stack) {
	t.Helper()
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	f := openSessionForm(e.areaEnv, stack, c)
	stack.Push(f.page)
	e.w.SetContent(stack.Content)
	return f, stack
}

// waitForChoices waits until the form has read the staff and catalogue.
func waitForChoices(t *testing.T, e *storeEnv, f *sessionForm) {
	t.Helper()
	e.q.WaitFor(t, "the staff list and catalogue", func() bool {
		return len(f.technician.Options) > 0 && f.recs.picker.PlaceHolder != "Loading the catalogue…"
	})
}

// sessionScreenText is every piece of text on screen the user can read:
// labels, buttons and card titles, one per line.
func sessionScreenText(w fyne.Window) string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if !o.Visible() {
			continue
		}
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.Card:
			out = append(out, x.Title, x.Subtitle)
		}
	}
	return strings.Join(out, "\n")
}

// isotretinoinClient stopped isotretinoin two months before testClock.
func isotretinoinClient(t *testing.T, e *storeEnv) data.Client {
	return e.c.AddClient(t, "Zoë", "Adams", func(c *data.Client) {
		c.Contra.Isotretinoin = true
		c.Contra.IsotretinoinStopped = data.NewDate(2026, 9, 22)
	})
}

func clientSessions(t *testing.T, e *storeEnv, c data.Client) []data.Session {
	t.Helper()
	ss, err := e.st.ClientSessions(e.Ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestSessionFormShowsContraindicationBeforeTheForm(t *testing.T) {
	e := newStoreEnv(t)
	c := isotretinoinClient(t, e)
	f, _ := openTestSessionForm(t, e, c)

	want := "Isotretinoin stopped on 22/09/2026, less than 6 months before the treatment: wait until 22/03/2027 before needling"
	if got := sessionScreenText(e.w); !strings.Contains(got, want) {
		t.Fatalf("the check before treating does not show %q; screen:\n%s", want, got)
	}
	if f.technician != nil {
		t.Fatal("the session form was built before the warning was answered")
	}
	if !f.gate.goAhead.Disabled() {
		t.Fatal("Go ahead is enabled before a reason is written")
	}
	test.Type(f.gate.reason, "   ")
	if !f.gate.goAhead.Disabled() {
		t.Fatal("Go ahead is enabled by a reason of only spaces")
	}
	test.Type(f.gate.reason, "Seen by her dermatologist, who agreed in writing")
	if f.gate.goAhead.Disabled() {
		t.Fatal("Go ahead stays disabled after a reason was written")
	}
	if !f.page.Dirty() {
		t.Fatal("a written reason does not count as unsaved input")
	}
}

func TestSessionFormOverrideKeepsWarningsAndReason(t *testing.T) {
	e := newStoreEnv(t)
	c := isotretinoinClient(t, e)
	f, stack := openTestSessionForm(t, e, c)
	shown := data.BeforeTreating(c, e.Today(), e.Settings)
	var published []int64
	screen.On(e.Events, func(e screen.SessionChanged) { published = append(published, int64(e.Client)) })

	test.Type(f.gate.reason, "Dermatologist agreed in writing; client informed")
	test.Tap(f.gate.goAhead)
	waitForChoices(t, e, f)
	if got := sessionScreenText(e.w); !strings.Contains(got, "Reason given: Dermatologist agreed in writing; client informed") {
		t.Errorf("the form does not keep the reason in view; screen:\n%s", got)
	}
	if f.technician.Selected != e.Actor.Name {
		t.Errorf("technician = %q, want the owner working now, %q", f.technician.Selected, e.Actor.Name)
	}
	test.Type(f.areas.row(data.AreaCheeks).depth, "0.75")
	test.Type(f.areas.row(data.AreaForehead).depth, "0,3")
	test.Type(f.device, "Dermapen 4")
	test.Type(f.passes, "3")
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the aftercare preview in place of the form", func() bool {
		return strings.HasPrefix(stack.Top().Title, "Aftercare plan")
	})

	ss := clientSessions(t, e, c)
	if len(ss) != 1 {
		t.Fatalf("store holds %d sessions, want 1", len(ss))
	}
	s := ss[0]
	if !slices.Equal(s.Warnings, shown) || len(shown) == 0 {
		t.Errorf("saved warnings = %q, want those shown %q", s.Warnings, shown)
	}
	if s.OverrideReason != "Dermatologist agreed in writing; client informed" {
		t.Errorf("saved reason = %q", s.OverrideReason)
	}
	want := []data.AreaTreatment{{Area: data.AreaForehead, DepthMM: 0.3}, {Area: data.AreaCheeks, DepthMM: 0.75}}
	if !slices.Equal(s.Areas, want) {
		t.Errorf("areas = %v, want %v", s.Areas, want)
	}
	if s.TechnicianID != e.Actor.ID || s.Device != "Dermapen 4" || s.Passes != 3 {
		t.Errorf("saved technician %d device %q passes %d", s.TechnicianID, s.Device, s.Passes)
	}
	if !slices.Equal(published, []int64{c.ID}) {
		t.Errorf("sessionChanged published for %v, want [%d]", published, c.ID)
	}
	if stack.Depth() != 2 {
		t.Errorf("stack depth = %d: the preview should replace the form", stack.Depth())
	}
}

func TestSessionFormDoNotTreatSavesNothing(t *testing.T) {
	e := newStoreEnv(t)
	c := isotretinoinClient(t, e)
	f, stack := openTestSessionForm(t, e, c)

	test.Type(f.gate.reason, "not sure yet")
	test.Tap(f.gate.doNotTreat)
	e.q.WaitFor(t, "the client list alone", func() bool { return stack.Depth() == 1 })
	if ss := clientSessions(t, e, c); len(ss) != 0 {
		t.Fatalf("Do not treat saved %d sessions", len(ss))
	}
}

func TestSessionFormRefusesDepthOverTheLimit(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	f, stack := openTestSessionForm(t, e, c)
	if f.gate != nil {
		t.Fatal("a client with no contraindications got the check before treating")
	}
	waitForChoices(t, e, f)

	cheeks := f.areas.row(data.AreaCheeks)
	test.Type(cheeks.depth, "3.5")
	if !cheeks.check.Checked {
		t.Error("typing a depth does not tick the area")
	}
	test.Tap(f.saveButton)
	msg := cheeks.field.Message
	if !msg.Visible() || msg.Importance != widget.DangerImportance || !strings.Contains(msg.Text, "between 0.1 and 3.0 mm") {
		t.Errorf("cheeks message = %q (visible %v, importance %v), want the depth limit in red", msg.Text, msg.Visible(), msg.Importance)
	}
	if f.saving || stack.Top() != f.page {
		t.Error("the form went on to save a depth over the limit")
	}
	if ss := clientSessions(t, e, c); len(ss) != 0 {
		t.Fatalf("store holds %d sessions after a refused depth", len(ss))
	}

	test.Type(f.passes, "three")
	f.startDate.SetText("31/02/2026")
	test.Tap(f.saveButton)
	if m := f.fields.Find("passes").Message.Text; m != "should be a whole number" {
		t.Errorf("passes message = %q", m)
	}
	if m := f.fields.Find("started_at").Message.Text; !strings.Contains(m, "is not a date") {
		t.Errorf("start message = %q", m)
	}
	if !f.page.Dirty() {
		t.Error("typed input does not count as unsaved")
	}
	if got := f.summary.Text; !strings.Contains(got, "passes") || !strings.Contains(got, "the depth on the cheeks") {
		t.Errorf("summary = %q, want it to name the fields to check", got)
	}
	f.passes.SetText("3")
	if f.fields.Find("passes").Message.Visible() {
		t.Error("the passes message stays after the number was corrected")
	}
}

func TestSessionFormWarnsOutsideTheUsualRangeButSaves(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	f, stack := openTestSessionForm(t, e, c)
	waitForChoices(t, e, f)

	cheeks := f.areas.row(data.AreaCheeks)
	if got := cheeks.usual.Text; !strings.Contains(got, "usual 0.5–1") {
		t.Errorf("cheeks range shows %q", got)
	}
	test.Type(cheeks.depth, "1.5")
	msg := cheeks.field.Message
	want := "Cheeks at 1.5 mm is outside the usual 0.5 to 1 mm"
	if !msg.Visible() || msg.Text != want || msg.Importance != widget.WarningImportance {
		t.Errorf("cheeks message = %q (visible %v, importance %v), want the warning %q", msg.Text, msg.Visible(), msg.Importance, want)
	}
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })
	ss := clientSessions(t, e, c)
	if len(ss) != 1 || ss[0].Areas[0].DepthMM != 1.5 {
		t.Fatalf("store holds %+v, want one session at 1.5 mm", ss)
	}
}

func TestSessionFormFlagsEarlyVitaminCAndAllergies(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented, func(c *data.Client) { c.Allergies = "fragrance, latex" })
	vitC := e.c.AddProduct(t, "Bright C Serum", data.CategoryVitaminC, 7, "Ascorbic acid")
	balm := e.c.AddProduct(t, "Calm Balm", data.CategoryMoisturiser, 1, "Shea butter", "Fragrance (parfum)")
	f, _ := openTestSessionForm(t, e, c)
	waitForChoices(t, e, f)

	f.recs.picker.SetSelected(productOption(vitC))
	if len(f.recs.rows) != 1 || f.recs.rows[0].day.Text != "7" {
		t.Fatalf("adding vitamin C: rows %d, start day %q; want one row starting on day 7", len(f.recs.rows), f.recs.rows[0].day.Text)
	}
	if got := f.recs.rows[0].startsOn.Text; got != "→ Sun 29/11/2026" {
		t.Errorf("start date shown = %q, want a week after the treatment", got)
	}
	early := "Bright C Serum on day 3 (Wed 25 Nov) is too early: it contains Ascorbic acid (vitamin C)"
	if strings.Contains(sessionScreenText(e.w), early) {
		t.Fatal("day 7 is flagged as too early")
	}
	f.recs.rows[0].day.SetText("3")
	if got := sessionScreenText(e.w); !strings.Contains(got, early) {
		t.Errorf("vitamin C on day 3 is not flagged; screen:\n%s", got)
	}

	f.recs.picker.SetSelected(productOption(balm))
	clash := "Calm Balm contains Fragrance (parfum); the client is allergic to fragrance"
	if got := sessionScreenText(e.w); !strings.Contains(got, clash) {
		t.Errorf("the allergy clash is not flagged; screen:\n%s", got)
	}
	if slices.Contains(f.recs.picker.Options, productOption(balm)) {
		t.Error("a product already recommended is still offered")
	}
	test.Tap(f.recs.rows[1].remove)
	if strings.Contains(sessionScreenText(e.w), clash) {
		t.Error("the clash stays after the product was removed")
	}
}

func TestSessionFormNextDueFollowsTheStartDate(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	f, _ := openTestSessionForm(t, e, c)
	waitForChoices(t, e, f)

	if f.startDate.Text != "22/11/2026" || f.startTime.Text != "10:00" || f.nextDue.Text != "20/12/2026" {
		t.Fatalf("prefilled start %q %q, next due %q", f.startDate.Text, f.startTime.Text, f.nextDue.Text)
	}
	f.startDate.SetText("21/11/2026")
	if f.nextDue.Text != "19/12/2026" {
		t.Errorf("next due = %q after moving the start back a day, want 19/12/2026", f.nextDue.Text)
	}
	f.nextDue.SetText("02/01/2027")
	f.startDate.SetText("20/11/2026")
	if f.nextDue.Text != "02/01/2027" {
		t.Errorf("a next due typed by hand was replaced with %q", f.nextDue.Text)
	}
}

func TestSavedSessionShowsTheAftercarePlan(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented)
	peptide := e.c.AddProduct(t, "Renew Peptide", data.CategoryPeptide, 7, "Matrixyl")
	f, stack := openTestSessionForm(t, e, c)
	waitForChoices(t, e, f)

	test.Type(f.areas.row(data.AreaCheeks).depth, "0.75")
	test.Type(f.aftercareNotes, "Your skin took it well; see you in four weeks.")
	f.recs.picker.SetSelected(productOption(peptide))
	f.recs.rows[0].day.SetText("8")
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })

	ss := clientSessions(t, e, c)
	if len(ss) != 1 {
		t.Fatalf("store holds %d sessions", len(ss))
	}
	plan, err := e.deps.sheetMaker().Plan(e.Ctx, data.SystemActor, ss[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	wants := []string{
		"Ana Silva", "Areas: Cheeks", "Start on Mon 30 Nov (day 8)",
		"Your skin took it well; see you in four weeks.", "Due on Sun 20/12/2026",
		"until " + plan.FormatDay(plan.Avoid[len(plan.Avoid)-1].Until),
	}
	for _, w := range plan.Windows {
		wants = append(wants, w.Title, plan.FormatRange(w))
	}
	e.q.WaitFor(t, "the plan on screen", func() bool { return strings.Contains(sessionScreenText(e.w), "Start on") })
	got := sessionScreenText(e.w)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("the preview does not show %q", w)
		}
	}
	if strings.Contains(got, "0.75 mm") {
		t.Error("the preview shows the needle depth; the sheet does not print it")
	}
	if ss[0].AftercareNotes != "Your skin took it well; see you in four weeks." || len(ss[0].Recommendations) != 1 || ss[0].Recommendations[0].StartDay != 8 {
		t.Errorf("saved notes %q, recommendations %+v", ss[0].AftercareNotes, ss[0].Recommendations)
	}
}
