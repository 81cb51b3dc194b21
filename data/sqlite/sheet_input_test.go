package sqlite_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// sheetClinic is a client whose record and session hold clinical details
// the aftercare sheet never prints, each with a value that cannot turn up
// by chance, and a recommended product that clashes with one allergy.
func (e *env) sheetClinic() (clinic, data.Session) {
	e.t.Helper()
	cl := e.clinic()
	c := e.client(named("Ines", "Okafor"), func(c *data.Client) {
		c.Phone, c.Email = "+44 20 7946 0321", "ines@example.com"
		c.Allergies = "Lidocaine; hyaluronic acid\nnickel"
		c.Medications = "Sertraline 50 mg"
		c.MedicalNotes = "Fainted once at the dentist"
		c.Contra.PregnantOrNursing = true
		c.Contra.Anticoagulants = true
		c.Contra.RecentActives, c.Contra.RecentActivesOn, c.Contra.RecentActivesWhat = true, today.AddDays(-40), "Glycolic peel"
	})
	serum := validProduct("Hydra Serum", data.CategoryHydrating)
	serum.KeyIngredients = []string{"Hyaluronic acid", "Glycerin"}
	if err := e.st.CreateProduct(e.ctx, data.SystemActor, &serum); err != nil {
		e.t.Fatal(err)
	}
	s := e.fullSession(c.ID, cl.staff["technician"], today.AddDays(-2), cl.product, serum)
	s.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 1.35}, {Area: data.AreaForehead, DepthMM: 0.45}}
	s.Device, s.NeedleLot, s.Passes = "Dermapen 4", "LOT-7731-QX", 13
	s.NumbingAgent, s.NumbingMinutes = "Pliaglis 7%", 47
	s.Reaction = "Pinpoint bleeding on the left cheek"
	return cl, e.session(s)
}

// TestSheetInputHoldsOnlyWhatTheSheetPrints: what a sheet is made from,
// read by anyone who may make sheets (a receptionist first), carries none
// of the session's clinical details: no depth, device, needle lot, passes,
// numbing, glide serum, products applied, reaction, clinical notes or
// warnings; nor the client's contact details, medications, medical notes
// or allergies that clash with no recommended product.
func TestSheetInputHoldsOnlyWhatTheSheetPrints(t *testing.T) {
	e := newEnv(t)
	cl, s := e.sheetClinic()
	withheld := []string{
		"Dermapen 4", "LOT-7731-QX", "Pliaglis", "Hyaluronic glide", "Calm gel\nSPF", "Pinpoint bleeding",
		"Client chatty", "Pregnant or breastfeeding", "Allergy to metals", "Doctor's letter",
		"+44 20 7946 0321", "ines@example.com", "Sertraline", "Fainted", "Glycolic peel", "Lidocaine", "nickel",
	}
	numbers := regexp.MustCompile(`":(1\.35|0\.45|13|47)[,}]`) // depths, passes, numbing minutes
	for _, who := range everyone {
		in, err := e.st.SheetInput(e.ctx, cl.staff[who], s.ID)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		dump := string(b)
		for _, w := range withheld {
			if strings.Contains(dump, jsonText(t, w)) {
				t.Errorf("%s: what a sheet is made from carries %q", who, w)
			}
		}
		if m := numbers.FindAllString(dump, -1); m != nil {
			t.Errorf("%s: what a sheet is made from carries depths, passes or minutes: %v", who, m)
		}
		for _, w := range []string{"Ines", "Okafor", "Cheeks", "Forehead", "Hydra Serum", "Calm Gel",
			"keep the gel in the fridge", "hyaluronic acid", "Priya Raman"} {
			if !strings.Contains(strings.ToLower(dump), strings.ToLower(w)) {
				t.Errorf("%s: what a sheet is made from lacks %q: %s", who, w, dump)
			}
		}
		if t.Failed() {
			t.Logf("%s reads: %s", who, dump)
		}
	}
}

// jsonText is s as it reads inside a JSON string.
func jsonText(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}

// TestReceptionistsSheetIsTheTechniciansSheet: the sheet a receptionist
// makes from SheetInput says what a sheet made from the whole record says:
// the allergy warning and "do not use" for the clashing product, the lines
// for pregnancy and blood thinners, the areas by name.
func TestReceptionistsSheetIsTheTechniciansSheet(t *testing.T) {
	e := newEnv(t)
	cl, s := e.sheetClinic()
	tech := cl.staff["technician"]
	full, err := e.st.Session(e.ctx, tech, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.Client(e.ctx, tech, s.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	settings, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	want := data.BuildAftercarePlan(data.AftercareInput{Session: full, Client: c, Settings: settings,
		PersonalNotes: full.AftercareNotes, MadeAt: testNow, Location: time.UTC})
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now, Location: time.UTC}
	got, err := m.Plan(e.ctx, cl.staff["receptionist"], s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if changed := want.Basis().Changes(got.Basis()); len(changed) > 0 {
		t.Errorf("a receptionist's sheet differs from the whole record's in %v", changed)
	}
	if len(got.AllergyWarnings) != 1 || !strings.Contains(got.AllergyWarnings[0], "allergy to hyaluronic acid") ||
		len(got.DoNotUse) != 1 || got.DoNotUse[0].Name != "Hydra Serum" {
		t.Errorf("allergy warnings %q, do not use %+v; want Hydra Serum for the hyaluronic acid allergy",
			got.AllergyWarnings, got.DoNotUse)
	}
	if len(got.HealthNotes) < 2 || !slices.Equal(got.Areas, []string{"Cheeks", "Forehead"}) {
		t.Errorf("health lines %q, areas %q", got.HealthNotes, got.Areas)
	}
}

// TestDepthCorrectionLeavesTheKeptSheetCurrent: the sheet prints no
// depth, so correcting one leaves the kept sheet matching the record;
// another area does not.
func TestDepthCorrectionLeavesTheKeptSheetCurrent(t *testing.T) {
	e := newEnv(t)
	cl, s := e.sheetClinic()
	tech := cl.staff["technician"]
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now}
	if _, err := m.Make(e.ctx, cl.staff["receptionist"], s.ID); err != nil {
		t.Fatal(err)
	}
	full, err := e.st.Session(e.ctx, tech, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	full.Areas[0].DepthMM = 1.0
	full.OverrideReason = data.JoinReasons(full.OverrideReason, "Depth corrected from the notes.")
	if err := e.st.UpdateSession(e.ctx, tech, &full); err != nil {
		t.Fatal(err)
	}
	if _, f, err := m.LatestFreshness(e.ctx, tech, s.ID); err != nil || f.Stale() {
		t.Fatalf("after a depth correction: %+v, %v; want the kept sheet current", f, err)
	}
	full.Areas = append(full.Areas, data.AreaTreatment{Area: data.AreaNeck, DepthMM: 0.5})
	if err := e.st.UpdateSession(e.ctx, tech, &full); err != nil {
		t.Fatal(err)
	}
	_, f, err := m.LatestFreshness(e.ctx, tech, s.ID)
	if err != nil || !f.Stale() || !strings.Contains(f.Explain(), "treatment details") {
		t.Fatalf("after a new area: %+v, %v; want the kept sheet stale", f, err)
	}
}
