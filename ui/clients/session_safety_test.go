package clients

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// consented gives a test client consent on file, so only the check under
// test stands between the technician and the form.
func consented(c *data.Client) {
	c.Consent = data.Consent{SignedOn: data.NewDate(2026, 1, 10), FormVersion: "v3"}
}

// wantGate waits for the check before treating (or before saving) and
// checks that it shows each of wants.
func wantGate(t *testing.T, e *storeEnv, f *sessionForm, wants ...string) {
	t.Helper()
	e.q.WaitFor(t, "the check", func() bool { return f.gate != nil && f.body.Objects[0] == f.gate.content })
	got := sessionScreenText(e.w)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("the check does not show %q; screen:\n%s", w, got)
		}
	}
}

// goAhead writes a reason in the gate on screen and goes on.
func goAhead(t *testing.T, f *sessionForm, reason string) {
	t.Helper()
	test.Type(f.gate.reason, reason)
	if f.gate.goAhead.Disabled() {
		t.Fatal("going ahead stays disabled after a reason was written")
	}
	test.Tap(f.gate.goAhead)
}

// chartCheeks fills what any saved session needs beyond the defaults.
func chartCheeks(f *sessionForm) {
	test.Type(f.areas.row(data.AreaCheeks).depth, "0.75")
}

func onlySession(t *testing.T, e *storeEnv, c data.Client) data.Session {
	t.Helper()
	ss := clientSessions(t, e, c)
	if len(ss) != 1 {
		t.Fatalf("store holds %d sessions, want 1", len(ss))
	}
	return ss[0]
}

func hasWarning(ws []string, part string) bool {
	return slices.ContainsFunc(ws, func(w string) bool { return strings.Contains(w, part) })
}

// Issue 11: a numbing agent the client is allergic to is caught before
// saving, and going on needs a reason that is kept with the session.
func TestSessionFormChecksTheNumbingAgentAgainstAllergies(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented, func(c *data.Client) { c.Allergies = "Lidocaine" })
	f, stack := openTestSessionForm(t, e, c)
	wantGate(t, e, f, "Allergy to numbing agents: the allergies list Lidocaine")
	goAhead(t, f, "Will numb with a cream free of lidocaine")
	waitForChoices(t, e, f)

	chartCheeks(f)
	test.Type(f.numbingAgent, "Lidocaine 5% cream")
	test.Type(f.numbingMinutes, "20")
	test.Tap(f.saveButton)
	clash := "Numbing agent: Lidocaine 5% cream matches the client's allergy to Lidocaine"
	wantGate(t, e, f, clash)
	if ss := clientSessions(t, e, c); len(ss) != 0 {
		t.Fatal("the session was saved before the clash was answered")
	}
	if !f.gate.goAhead.Disabled() {
		t.Fatal("saving despite the clash is possible without a reason")
	}
	goAhead(t, f, "Patch-tested last week with no reaction")
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })

	s := onlySession(t, e, c)
	if !hasWarning(s.Warnings, clash) || !hasWarning(s.Warnings, "Allergy to numbing agents") {
		t.Errorf("saved warnings = %q, want the allergy and the clash", s.Warnings)
	}
	for _, r := range []string{"Will numb with a cream free of lidocaine", "Patch-tested last week with no reaction"} {
		if !strings.Contains(s.OverrideReason, r) {
			t.Errorf("saved reason %q lacks %q", s.OverrideReason, r)
		}
	}
}

// Issue 11: the glide serum, the products applied (a catalogue product
// named by its ingredients) and the recommended products go through the
// same check; going back to the form keeps what was typed.
func TestSessionFormChecksEverythingOnTheSkin(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented, func(c *data.Client) { c.Allergies = "aloe vera; Fragrance" })
	e.c.AddProduct(t, "Calm Barrier Gel", data.CategoryProtectiveGel, 0, "Aloe vera", "Panthenol")
	balm := e.c.AddProduct(t, "Night Balm", data.CategoryMoisturiser, 3, "Shea butter", "Parfum (fragrance)")
	f, stack := openTestSessionForm(t, e, c)
	if f.gate != nil {
		t.Fatal("nothing on record calls for a check before treating")
	}
	waitForChoices(t, e, f)
	chartCheeks(f)
	test.Type(f.glideSerum, "Aloe Vera glide")
	test.Type(f.products, "Calm Barrier Gel")
	f.recs.picker.SetSelected(productOption(balm))
	test.Tap(f.saveButton)
	wantGate(t, e, f,
		"Glide serum: Aloe Vera glide matches the client's allergy to aloe vera",
		"Products applied: Calm Barrier Gel contains Aloe vera; the client is allergic to aloe vera",
		"Recommended product Night Balm contains Parfum (fragrance); the client is allergic to Fragrance")

	test.Tap(f.gate.back)
	if f.body.Objects[0] == f.gate.content || f.products.Text != "Calm Barrier Gel" {
		t.Fatal("Back to the form does not bring back the form as typed")
	}
	f.glideSerum.SetText("Hyaluronic glide")
	f.products.SetText("Plain petrolatum")
	test.Tap(f.recs.rows[0].remove)
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })
	if s := onlySession(t, e, c); len(s.Warnings) != 0 || s.OverrideReason != "" {
		t.Errorf("a session with nothing clashing saved warnings %q and reason %q", s.Warnings, s.OverrideReason)
	}
}

// Issue 18: an allergy typed as "Nickel" warns about the needles though
// the metal-allergy box is not ticked.
func TestSessionFormWarnsOfAMetalTypedAsAnAllergy(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva", consented, func(c *data.Client) { c.Allergies = "Nickel" })
	f, _ := openTestSessionForm(t, e, c)
	if f.gate == nil {
		t.Fatal("a nickel allergy opens the form with no check before treating")
	}
	wantGate(t, e, f, "Allergy to metals used in needles: the allergies list Nickel")
}

// Issue 11: no consent on file is a warning at the start, answered with
// a reason kept with the session.
func TestSessionFormWarnsWithoutConsent(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Ana", "Silva")
	f, stack := openTestSessionForm(t, e, c)
	if f.gate == nil {
		t.Fatal("a client with no consent on file opens the form with no warning")
	}
	consent := "No consent on file: have the client sign the consent form before treating"
	wantGate(t, e, f, consent)
	goAhead(t, f, "Signed the paper form today; it is being scanned")
	waitForChoices(t, e, f)
	chartCheeks(f)
	test.Tap(f.saveButton)
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })
	s := onlySession(t, e, c)
	if !slices.Contains(s.Warnings, consent) || s.OverrideReason != "Signed the paper form today; it is being scanned" {
		t.Errorf("saved warnings %q, reason %q", s.Warnings, s.OverrideReason)
	}
}

// Issue 18: a session entered afterwards is screened for its own day: on
// 20 September the client was still taking isotretinoin.
func TestSessionFormScreensForTheSessionsDay(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams", consented, func(c *data.Client) {
		c.Contra.Isotretinoin = true
		c.Contra.IsotretinoinStopped = data.NewDate(2026, 10, 1)
	})
	f, stack := openTestSessionForm(t, e, c)
	today := "Isotretinoin stopped on 01/10/2026, less than 6 months before the treatment: wait until 01/04/2027 before needling"
	wantGate(t, e, f, today)
	goAhead(t, f, "Charting a session from September")
	waitForChoices(t, e, f)
	f.startDate.SetText("20/09/2026")
	chartCheeks(f)
	test.Tap(f.saveButton)
	then := "Isotretinoin: the client was still taking it on the day of this treatment (stopped on 01/10/2026); no needling until 01/04/2027"
	wantGate(t, e, f, then)
	goAhead(t, f, "Dermatologist's letter on file")
	e.q.WaitFor(t, "the aftercare preview", func() bool { return stack.Top() != f.page })
	s := onlySession(t, e, c)
	if !slices.Equal(s.Warnings, []string{then}) {
		t.Errorf("saved warnings = %q, want only the one for the session's day", s.Warnings)
	}
}

// Issue 11: Do not treat asks for a reason and keeps it in the audit
// trail.
func TestSessionGateDoNotTreatRecordsTheReason(t *testing.T) {
	e := newStoreEnv(t)
	c := isotretinoinClient(t, e)
	f, stack := openTestSessionForm(t, e, c)
	wantGate(t, e, f)

	test.Tap(f.gate.doNotTreat)
	if stack.Depth() != 2 || !f.gate.reasonMsg.Visible() || !strings.Contains(f.gate.reasonMsg.Text, "why") {
		t.Fatalf("Do not treat without a reason left the check (depth %d) or did not ask why (%q)", stack.Depth(), f.gate.reasonMsg.Text)
	}
	test.Type(f.gate.reason, "Client still on isotretinoin;\nrebooked for April")
	test.Tap(f.gate.doNotTreat)
	e.q.WaitFor(t, "the client list again", func() bool { return stack.Depth() == 1 })

	evs, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Action: data.Action("do_not_treat")})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].ActorID != e.Actor.ID || evs[0].ClientID != c.ID ||
		evs[0].Detail != "Client still on isotretinoin; rebooked for April" {
		t.Fatalf("the trail holds %+v; want one decision not to treat, with the reason", evs)
	}
	if ss := clientSessions(t, e, c); len(ss) != 0 {
		t.Fatalf("Do not treat saved %d sessions", len(ss))
	}
}

// Issue 11: one isotretinoin rule: the question asks about the same
// months the warning counts, and a client past the wait still shows when
// they stopped.
func TestIsotretinoinQuestionAndHistoryFollowOneRule(t *testing.T) {
	e := newStoreEnv(t)
	f, _ := openClientForm(e, data.Client{})
	if want := "stopped it less than 6 months ago"; !strings.Contains(f.isotretinoin.Text, want) {
		t.Errorf("the screening question reads %q, want it to ask about %q", f.isotretinoin.Text, want)
	}
	c := e.c.AddClient(t, "Zoë", "Adams", consented, func(c *data.Client) {
		c.Contra.Isotretinoin = true
		c.Contra.IsotretinoinStopped = data.NewDate(2026, 2, 20) // 9 months before the test clock
	})
	r, _ := openClientRecord(t, e, c.ID)
	shown := strings.Join(uitest.ShownTexts(r.page.Content), "\n")
	if !strings.Contains(shown, "stopped on 20/02/2026") {
		t.Errorf("the record does not show when the client stopped isotretinoin; it shows:\n%s", shown)
	}
}
