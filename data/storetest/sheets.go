package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// sheetInputHoldsOnlyWhatTheSheetPrints: what a sheet is made from,

// read by anyone who may make sheets (a receptionist first), carries none

// of the session's clinical details: no depth, device, needle lot, passes,

// numbing, glide serum, products applied, reaction, clinical notes or

// warnings; nor the client's contact details, medications, medical notes

// or allergies that clash with no recommended product.

// jsonText is s as it reads inside a JSON string.

func jsonText(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b[1 : len(b)-1])
}

// receptionistsSheetIsTheTechniciansSheet: the sheet a receptionist

// makes from SheetInput says what a sheet made from the whole record says:

// the allergy warning and "do not use" for the clashing product, the lines

// for pregnancy and blood thinners, the areas by name.

// depthCorrectionLeavesTheKeptSheetCurrent: the sheet prints no

// depth, so correcting one leaves the kept sheet matching the record;

// another area does not.

// textRenderer stands in for pdf.RenderAftercare: what the sheet says, as

// text, so the test can see which plan a kept sheet was made from.

func textRenderer(w io.Writer, p data.AftercarePlan) error {
	_, err := io.WriteString(w, "%PDF-1.4\n"+p.ClientName+"\n"+strings.Join(p.AllergyWarnings, "\n")+"\n%%EOF\n")
	return err
}

// A sheet kept before NeedleDesk noted what it was made from cannot tell.

func (ct contract) keepSheetVersionsAndReads(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	s := e.session(Session(c.ID, tech.ID, today))

	first := data.Sheet{SessionID: s.ID, PDF: fakePDF("first")}
	if err := e.st.KeepSheet(e.ctx, tech.ID, &first); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionCreate, "sheet", first.ID)
	e.clock.Advance(time.Hour)
	second := data.Sheet{SessionID: s.ID, PDF: fakePDF("second")}
	if err := e.st.KeepSheet(e.ctx, tech.ID, &second); err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || second.Version != 2 || second.MadeBy != tech.ID ||
		!second.MadeAt.Equal(TestNow.Add(time.Hour)) || second.SHA256 != data.SumPDF(second.PDF) {
		t.Errorf("kept sheets: %+v, %+v", first, second)
	}

	got, err := e.st.Sheet(e.ctx, data.SystemActor, first.ID)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Errorf("Sheet = %+v, %v; want %+v", got, err, first)
	}
	latest, err := e.st.LatestSheet(e.ctx, data.SystemActor, s.ID)
	if err != nil || latest.ID != second.ID || !bytes.Equal(latest.PDF, second.PDF) {
		t.Errorf("LatestSheet = %+v, %v; want the second", latest, err)
	}
	list, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("ClientSheets = %+v, %v", list, err)
	}
	if list[0].ID != second.ID || list[0].Size != len(second.PDF) || list[0].MadeByName != tech.Name ||
		list[0].Version != 2 || list[1].ID != first.ID {
		t.Errorf("ClientSheets = %+v", list)
	}
}

func (ct contract) keepSheetRefusals(t *testing.T) {
	e := ct.env(t)
	before := e.counts("sheet", "audit_event")
	missing := data.Sheet{SessionID: 77, PDF: fakePDF("x")}
	e.refused(e.st.KeepSheet(e.ctx, data.SystemActor, &missing), "session", before)
	empty := data.Sheet{SessionID: 77}
	e.refused(e.st.KeepSheet(e.ctx, data.SystemActor, &empty), "pdf", before)
}

func (ct contract) sheetLookupsNotFound(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	s := e.session(Session(c.ID, e.technician().ID, today))
	if _, err := e.st.LatestSheet(e.ctx, data.SystemActor, s.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("LatestSheet of a session without sheets: %v", err)
	}
	if _, err := e.st.Sheet(e.ctx, data.SystemActor, 5); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Sheet(5): %v", err)
	}
	if _, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID+1); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("ClientSheets of a missing client: %v", err)
	}
	if list, err := e.st.ClientSheets(e.ctx, data.SystemActor, c.ID); err != nil || len(list) != 0 {
		t.Errorf("ClientSheets with none kept: %v, %v", list, err)
	}
}

func (ct contract) keptSheetsCannotChange(t *testing.T) {
	e := ct.env(t)
	s := e.session(Session(e.client().ID, e.technician().ID, today))
	sh := data.Sheet{SessionID: s.ID, PDF: fakePDF("kept")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &sh); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE sheet SET version = version + 1`, `DELETE FROM sheet`} {
		if err := e.raw.ExecRaw(e.ctx, q); err == nil || !strings.Contains(err.Error(), "cannot be") {
			t.Errorf("%s: %v; want the trigger's refusal", q, err)
		}
	}
}

func (ct contract) sheetInputHoldsOnlyWhatTheSheetPrints(t *testing.T) {
	e := ct.env(t)
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

func (ct contract) receptionistsSheetIsTheTechniciansSheet(t *testing.T) {
	e := ct.env(t)
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
		PersonalNotes: full.AftercareNotes, MadeAt: TestNow, Location: time.UTC})
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

func (ct contract) depthCorrectionLeavesTheKeptSheetCurrent(t *testing.T) {
	e := ct.env(t)
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

func (ct contract) keptSheetKnowsWhenTheRecordChanged(t *testing.T) {
	e := ct.env(t)
	boss := e.owner()
	c := e.client()
	serum := validProduct("Hydra Serum", data.CategoryHydrating)
	serum.KeyIngredients = []string{"Hyaluronic acid", "Glycerin"}
	if err := e.st.CreateProduct(e.ctx, data.SystemActor, &serum); err != nil {
		t.Fatal(err)
	}
	s := Session(c.ID, boss.ID, today)
	s.Recommendations = []data.Recommendation{{ProductID: serum.ID, StartDay: 1}}
	s = e.session(s)
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now}

	first, err := m.Make(e.ctx, boss.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := e.st.Sheet(e.ctx, data.SystemActor, first.ID)
	if err != nil || len(kept.Basis) == 0 || kept.Basis["allergies"] != first.Basis["allergies"] {
		t.Fatalf("the basis was not kept: %+v, %v", kept.Basis, err)
	}
	_, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || !f.Known || f.Stale() {
		t.Fatalf("a sheet made just now: %+v, %v", f, err)
	}
	e.clock.Advance(72 * 3600e9)
	if _, f, _ := m.LatestFreshness(e.ctx, boss.ID, s.ID); f.Stale() {
		t.Fatalf("only time passed, yet: %+v", f)
	}

	// A new allergy on the record: the kept sheet no longer matches.
	c, err = e.st.Client(e.ctx, boss.ID, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Allergies = "Hyaluronic acid"
	if err := e.st.UpdateClient(e.ctx, boss.ID, &c); err != nil {
		t.Fatal(err)
	}
	sh, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || sh.ID != first.ID || sh.PDF != nil || !f.Stale() {
		t.Fatalf("after a new allergy: %+v %+v, %v", sh, f, err)
	}
	if !strings.Contains(f.Explain(), "allergy warnings") || !strings.Contains(f.Explain(), "product plan") {
		t.Errorf("explain: %q", f.Explain())
	}
	// Handing the kept sheet over still gives the old bytes; a new
	// version keeps both.
	again, err := m.Kept(e.ctx, boss.ID, s.ID)
	if err != nil || !bytes.Equal(again.PDF, first.PDF) {
		t.Fatalf("Kept = %v, %v", again.ID, err)
	}
	second, err := m.Make(e.ctx, boss.ID, s.ID)
	if err != nil || second.Version != 2 || bytes.Equal(second.PDF, first.PDF) {
		t.Fatalf("new version: %+v, %v", second.Version, err)
	}
	if _, f, _ := m.LatestFreshness(e.ctx, boss.ID, s.ID); f.Stale() {
		t.Errorf("the new version is stale: %+v", f)
	}
	if _, f, _ := m.SheetFreshnessByID(e.ctx, boss.ID, first.ID); !f.Stale() {
		t.Error("the first version now reads as fresh")
	}
	if _, _, err := m.LatestFreshness(e.ctx, boss.ID, 999); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a session with no sheet: %v", err)
	}
}

func (ct contract) sheetWithoutBasisCannotTell(t *testing.T) {
	e := ct.env(t)
	boss := e.owner()
	c := e.client()
	s := e.session(Session(c.ID, boss.ID, today))
	old := data.Sheet{SessionID: s.ID, PDF: fakePDF("kept before migration 9")}
	if err := e.st.KeepSheet(e.ctx, boss.ID, &old); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Sheet(e.ctx, data.SystemActor, old.ID)
	if err != nil || got.Basis != nil {
		t.Fatalf("Sheet = basis %v, %v", got.Basis, err)
	}
	m := data.SheetMaker{Sources: e.st, Sheets: e.st, Render: textRenderer, Now: e.clock.Now}
	_, f, err := m.LatestFreshness(e.ctx, boss.ID, s.ID)
	if err != nil || f.Known || !f.Stale() || !strings.Contains(f.Explain(), "cannot tell") {
		t.Fatalf("freshness %+v, %v", f, err)
	}
}

// twoWorkstationsKeepSheetsOfOneSession: sheets of one session kept at
// the same moment from two workstations are all kept, numbered 1, 2, 3...
// without a gap or a twin.
func (ct contract) twoWorkstationsKeepSheetsOfOneSession(t *testing.T) {
	e := ct.env(t)
	other := e.again()
	s := e.session(Session(e.client().ID, e.technician().ID, today))
	const rounds = 8
	errs := make(chan error, 2*rounds)
	var wg sync.WaitGroup
	for i := range 2 * rounds {
		st := []data.Store{e.st, other}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh := data.Sheet{SessionID: s.ID, PDF: fakePDF(fmt.Sprintf("copy %d", i))}
			errs <- st.KeepSheet(e.ctx, data.SystemActor, &sh)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("keeping a sheet at the same moment as another workstation: %v", err)
		}
	}
	list, err := e.st.ClientSheets(e.ctx, data.SystemActor, s.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	var versions []int
	for _, sh := range list {
		versions = append(versions, sh.Version)
	}
	slices.Sort(versions)
	want := make([]int, 2*rounds)
	for i := range want {
		want[i] = i + 1
	}
	if !slices.Equal(versions, want) {
		t.Errorf("versions kept %v; want %v", versions, want)
	}
}
