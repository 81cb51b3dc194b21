package data

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func rec(id int64, name string, cat Category, day int, ingredients ...string) Recommendation {
	return Recommendation{ProductID: id, StartDay: day,
		Product: Product{ID: id, Name: name, Category: cat, KeyIngredients: ingredients}}
}

func avoidUntil(p AftercarePlan, r Rule) Date {
	for _, a := range p.Avoid {
		if a.Rule == r {
			return a.Until
		}
	}
	return Date{}
}

func allText(p AftercarePlan) string {
	var b strings.Builder
	for _, w := range p.Windows {
		b.WriteString(w.Title + "\n" + strings.Join(w.Paragraphs, "\n") + "\n")
	}
	for _, a := range p.Avoid {
		b.WriteString(a.What + "\n")
	}
	b.WriteString(strings.Join(p.HealthNotes, "\n"))
	return b.String()
}

// "At least one week" is counted as the hours are: seven times 24 hours
// from the treatment, to the end of the day it runs out (day 7).
func TestOneWeekLastsToTheEndOfDay7(t *testing.T) {
	p := BuildAftercarePlan(planFixture()) // Monday 23 November, 10:30
	for _, r := range []Rule{RuleNSAIDs, RuleBrushes} {
		if got := avoidUntil(p, r); got != NewDate(2026, 11, 30) {
			t.Errorf("%s until %s, want the end of day 7, Mon 30 Nov", r, got)
		}
	}
	if got := avoidUntil(p, RuleMakeup); got != NewDate(2026, 11, 26) {
		t.Errorf("72 hours from Monday 10:30 end on Thursday, got %s", got)
	}
	week := strings.Join(p.Windows[3].Paragraphs, " ")
	if !strings.Contains(week, "cleansing brushes can go back into use from Tue 1 Dec") {
		t.Errorf("brushes are not dated from the day after the week: %s", week)
	}
}

// Across the spring clock change 72 real hours end an hour later by the
// wall clock; a treatment late on the Saturday runs into day 4.
func TestHoursAreRealHoursAcrossAClockChange(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	in := planFixture()
	in.Location = berlin
	in.Session.StartedAt = time.Date(2026, 3, 28, 23, 30, 0, 0, berlin)
	p := BuildAftercarePlan(in)
	if got := avoidUntil(p, RuleSunHeat); got != NewDate(2026, 4, 1) {
		t.Errorf("sun until %s, want Wed 1 Apr (72 hours end at 00:30 that day)", got)
	}
	if w := p.Windows[1]; w.To != NewDate(2026, 4, 1) || p.Windows[2].From != NewDate(2026, 4, 2) {
		t.Errorf("the timeline does not follow the 72 hours: %s to %s, then from %s", w.From, w.To, p.Windows[2].From)
	}
}

// Every product starts on the first day the windows allow, and gentle care
// starts early only where the facts say so.
func TestProductsWaitForTheirWindows(t *testing.T) {
	in := planFixture()
	in.Client.Allergies = ""
	in.Session.Recommendations = []Recommendation{
		rec(1, "Gel", CategoryProtectiveGel, 0, "Panthenol"),
		rec(2, "Moisturiser on day 0", CategoryMoisturiser, 0, "Ceramides"),
		rec(3, "Hydrating serum", CategoryHydrating, 1, "Hyaluronic acid"),
		rec(4, "Sunscreen", CategorySunscreen, 3, "Zinc oxide"),
		rec(5, "Powder", CategoryOther, 3, "Mica"),
		rec(6, "Retinol cream", CategoryOther, 2, "Retinol"),
		rec(7, "Glycolic toner", CategoryCleanser, 2, "Glycolic acid"),
		rec(8, "Vitamin C", CategoryVitaminC, 2, "Ascorbic acid"),
		rec(9, "Scented moisturiser", CategoryMoisturiser, 1, "Shea butter", "Parfum"),
		rec(10, "Mystery", CategoryOther, 1, "Something new"),
		rec(11, "Peptides", CategoryPeptide, 3, "Copper peptides"),
		rec(12, "Late sunscreen", CategorySunscreen, 10),
	}
	p := BuildAftercarePlan(in)
	want := map[string]int{"Gel": 0, "Moisturiser on day 0": 1, "Hydrating serum": 1, "Sunscreen": 4, "Powder": 4,
		"Retinol cream": 7, "Glycolic toner": 7, "Vitamin C": 7, "Scented moisturiser": 7, "Mystery": 7,
		"Peptides": 7, "Late sunscreen": 10}
	day0 := DateOf(in.Session.StartedAt)
	for _, pr := range p.Products {
		if pr.StartDay != want[pr.Name] || pr.StartOn != day0.AddDays(want[pr.Name]) {
			t.Errorf("%s starts on day %d (%s), want day %d", pr.Name, pr.StartDay, pr.StartOn, want[pr.Name])
		}
		if moved := pr.StartDay != pr.ChosenDay; moved != (pr.Why != "") {
			t.Errorf("%s: moved %v but why %q", pr.Name, moved, pr.Why)
		}
		for _, r := range p.Rules() {
			if r.Rule == RuleActives && strings.Contains(pr.Name, "Retinol") && !pr.StartOn.After(r.Until) {
				t.Errorf("%s starts on %s, inside the actives window", pr.Name, pr.StartOn)
			}
		}
	}
	if len(p.Products) != len(want) {
		t.Errorf("%d products scheduled, want %d", len(p.Products), len(want))
	}
	sun, _ := p.Rule(RuleSunHeat)
	if sun.From != day0.AddDays(4) {
		t.Errorf("sunscreen day: the sun window ends %s", sun.Until)
	}
}

func TestAllergyClashIsNotScheduled(t *testing.T) {
	in := planFixture() // allergic to Vitamin E, which Bright C contains
	p := BuildAftercarePlan(in)
	for _, pr := range p.Products {
		if pr.Name == "Bright C" {
			t.Fatalf("Bright C is scheduled for %s despite the allergy", pr.StartOn)
		}
	}
	if len(p.DoNotUse) != 1 || !strings.Contains(p.DoNotUse[0].Why, "allergy to Vitamin E") {
		t.Fatalf("do not use: %+v", p.DoNotUse)
	}
	if _, ok := p.Rule(RuleVitaminC); ok {
		t.Error("vitamin C is dated although the client may not use the only vitamin C product")
	}
	if strings.Contains(strings.ToLower(allText(p)), "vitamin c can be started") {
		t.Error("the sheet invites vitamin C")
	}
}

func TestVitaminCIsDatedOnlyWhenPlanned(t *testing.T) {
	in := planFixture()
	in.Client.Allergies = ""
	p := BuildAftercarePlan(in)
	if vc, ok := p.Rule(RuleVitaminC); !ok || vc.From != NewDate(2026, 11, 30) {
		t.Fatalf("vitamin C planned from day 7, rule %+v %v", vc, ok)
	}
	if !strings.Contains(allText(p), "Vitamin C can be started from Mon 30 Nov") {
		t.Errorf("vitamin C not dated: %s", allText(p))
	}
	in.Session.Recommendations = in.Session.Recommendations[1:] // the serum only
	p = BuildAftercarePlan(in)
	if strings.Contains(strings.ToLower(allText(p)), "vitamin c can") || avoidUntil(p, RuleVitaminC) != (Date{}) {
		t.Errorf("vitamin C dated with none planned: %s", allText(p))
	}
}

func TestFaceOnlyAdviceFollowsTheAreas(t *testing.T) {
	in := planFixture()
	in.Session.Areas = []AreaTreatment{{AreaAbdomen, 1.5}}
	p := BuildAftercarePlan(in)
	text := strings.ToLower(allText(p))
	for _, bad := range []string{"makeup", " face", "pillowcase"} {
		if strings.Contains(text, bad) {
			t.Errorf("a body-only sheet mentions %q:\n%s", bad, text)
		}
	}
	if p.Face || !strings.Contains(text, "loose clothing") {
		t.Errorf("the body advice is missing: %s", text)
	}
	in.Session.Areas = []AreaTreatment{{AreaAbdomen, 1.5}, {AreaNeck, 0.5}}
	if p := BuildAftercarePlan(in); !p.Face || avoidUntil(p, RuleMakeup).IsZero() {
		t.Error("the neck takes makeup: the makeup rule must apply")
	}
	in.Session.Areas = nil
	if !BuildAftercarePlan(in).Face {
		t.Error("with no areas recorded the cautious face advice must apply")
	}
}

func TestHealthNotesFollowTheRecord(t *testing.T) {
	in := planFixture()
	if p := BuildAftercarePlan(in); len(p.HealthNotes) != 0 {
		t.Fatalf("notes for conditions the client does not have: %v", p.HealthNotes)
	}
	in.Client.Contra.Anticoagulants = true
	in.Client.Contra.KeloidTendency = true
	in.Client.Contra.PregnantOrNursing = true
	in.Settings.Aftercare.KeloidNote = "{first_name}, show us any raised scar."
	in.Session.Recommendations = append(in.Session.Recommendations, rec(9, "Night Retinal", CategoryOther, 7, "Retinal"))
	p := BuildAftercarePlan(in)
	joined := strings.Join(p.HealthNotes, "\n")
	for _, want := range []string{"bruising", "Zoë, show us any raised scar.", "pregnant or breastfeeding"} {
		if !strings.Contains(joined, want) {
			t.Errorf("health notes lack %q: %v", want, p.HealthNotes)
		}
	}
	for _, pr := range p.Products {
		if pr.Name == "Night Retinal" {
			t.Error("a retinoid is scheduled for a client who is pregnant")
		}
	}
	found := false
	for _, d := range p.DoNotUse {
		found = found || (d.Name == "Night Retinal" && strings.Contains(d.Why, "pregnant"))
	}
	if !found {
		t.Errorf("the retinoid is not under do not use: %+v", p.DoNotUse)
	}
	for _, a := range p.Avoid {
		if strings.Contains(a.What, "Retinoid") {
			t.Errorf("the avoid table dates retinoids for a pregnant client: %q until %s", a.What, a.Until)
		}
	}
}

func TestWhenToCallFollowsSettings(t *testing.T) {
	in := planFixture()
	in.Settings.Aftercare.OutOfHoursPhone = "+44 7700 900 123"
	in.Settings.Aftercare.EmergencyNumber = "999"
	in.Settings.Aftercare.CallUsSigns = "- one\n\n• two\n"
	p := BuildAftercarePlan(in)
	if p.OutOfHoursPhone != "+44 7700 900 123" || p.EmergencyNumber != "999" {
		t.Errorf("numbers: %q %q", p.OutOfHoursPhone, p.EmergencyNumber)
	}
	if len(p.WhenToCall) != 2 || p.WhenToCall[0] != "one" || p.WhenToCall[1] != "two" {
		t.Errorf("signs: %q", p.WhenToCall)
	}
	d := DefaultAftercareSettings()
	doctor, emergency := strings.Join(signLines(d.SeeDoctorSigns), " "), strings.Join(signLines(d.EmergencySigns), " ")
	for _, want := range []string{"fever", "spreading"} {
		if !strings.Contains(doctor, want) {
			t.Errorf("the default doctor signs lack %q", want)
		}
	}
	for _, want := range []string{"lips, tongue", "breathing"} {
		if !strings.Contains(emergency, want) {
			t.Errorf("the default emergency signs lack %q", want)
		}
	}
	if !strings.Contains(d.CallUsSigns, "cold sore") {
		t.Error("the default clinic signs do not mention cold sores")
	}
	d.EmergencyNumber, d.OutOfHoursPhone = "112", "+44 7700 900 123"
	if err := d.Validate(); err != nil {
		t.Errorf("valid numbers refused: %v", err)
	}
	d.EmergencyNumber, d.OutOfHoursPhone = "call 999", "12"
	var ve *ValidationError
	if err := d.Validate(); !errors.As(err, &ve) || ve.For("emergency_number") == "" || ve.For("out_of_hours_phone") == "" {
		t.Errorf("bad numbers accepted: %v", err)
	}
}

func TestFiguresShorterThanTheSourcesNeedConfirmation(t *testing.T) {
	a := DefaultAftercareSettings()
	if err := a.CheckSources(); err != nil {
		t.Fatalf("the defaults are the sources' figures: %v", err)
	}
	a.SunHeatHours, a.NSAIDDays = 24, 1
	if err := a.Validate(); err != nil {
		t.Fatalf("24 hours and 1 day are within the hard limits: %v", err)
	}
	err := a.CheckSources()
	var nc *NeedsConfirmation
	if !errors.Is(err, ErrNeedsConfirmation) || !errors.As(err, &nc) || len(nc.Short) != 2 {
		t.Fatalf("got %v", err)
	}
	if errors.Is(err, ErrInvalid) {
		t.Error("needing confirmation is not the same as invalid")
	}
	if !strings.Contains(err.Error(), "no direct sun, sauna, steam or sunbeds: 24 hours (sources: 72 hours)") {
		t.Errorf("message: %v", err)
	}
	before := a
	a.Confirm()
	if err := a.CheckSources(); err != nil {
		t.Fatalf("confirmed, still: %v", err)
	}
	if got := a.NewlyConfirmed(before); len(got) != 2 {
		t.Errorf("newly confirmed: %v", got)
	}
	if got := a.NewlyConfirmed(a); len(got) != 0 {
		t.Errorf("saving again confirms nothing new: %v", got)
	}
	a.SunHeatHours = 48
	if err := a.CheckSources(); !errors.As(err, &nc) || len(nc.Short) != 1 || nc.Short[0].Field != "sun_heat_hours" {
		t.Fatalf("a different short value needs confirming again: %v", err)
	}
}

func TestTemplatesMustNotMixUpLastAndFirstDays(t *testing.T) {
	a := DefaultAftercareSettings()
	a.Templates[WindowFirst72Hours] = "No makeup until {makeup_from}."
	var ve *ValidationError
	if err := a.Validate(); !errors.As(err, &ve) || !strings.Contains(ve.For("template_first_72_hours"), "until the end of") {
		t.Fatalf("got %v", a.Validate())
	}
	// A text saved before the check prints what it meant, unambiguously.
	in := planFixture()
	in.Settings.Aftercare.Templates[WindowFirst72Hours] = "No makeup until {makeup_from}. Brushes from {brushes_until}."
	p := BuildAftercarePlan(in)
	got := strings.Join(p.Windows[1].Paragraphs, " ")
	if got != "No makeup until the end of Thu 26 Nov. Brushes after Mon 30 Nov." {
		t.Errorf("got %q", got)
	}
}

func TestOldDefaultTextsGiveWayToTodays(t *testing.T) {
	a := DefaultAftercareSettings()
	a.Templates[WindowFirst72Hours] = strings.ReplaceAll(templatesBefore18[WindowFirst72Hours], "\n", "\r\n")
	a.Templates[WindowWeekOne] = "Our own words."
	b := a.CurrentDefaults()
	if b.Templates[WindowFirst72Hours] != defaultTemplates[WindowFirst72Hours] {
		t.Error("an untouched old default text was kept")
	}
	if b.Templates[WindowWeekOne] != "Our own words." {
		t.Error("the clinic's own words were replaced")
	}
	if err := b.Validate(); err != nil {
		t.Errorf("today's defaults must validate: %v", err)
	}
}

func TestProductStartWarnings(t *testing.T) {
	in := planFixture()
	in.Session.Recommendations = []Recommendation{
		rec(1, "Night Renew", CategoryOther, 2, "Retinol"),
		rec(2, "Shield", CategorySunscreen, 3),
		rec(3, "Gel", CategoryProtectiveGel, 0),
		rec(4, "Bright C", CategoryVitaminC, 7, "Ascorbic acid", "Vitamin E"),
	}
	w := ProductStartWarnings(in.Session, in.Client, in.Settings, time.UTC)
	if len(w) != 2 {
		t.Fatalf("want warnings for the retinol and the sunscreen only (allergies are RecommendationWarnings'), got %+v", w)
	}
	if !strings.Contains(w[0].Message, "Night Renew on day 2 (Wed 25 Nov) is too early") ||
		!strings.Contains(w[0].Message, "start it on day 7 (Mon 30 Nov)") {
		t.Errorf("retinol: %s", w[0].Message)
	}
	if !strings.Contains(w[1].Message, "Shield on day 3") || !strings.Contains(w[1].Message, "day 4 (Fri 27 Nov)") {
		t.Errorf("sunscreen: %s", w[1].Message)
	}
	in.Client.Contra.PregnantOrNursing = true
	in.Session.Recommendations[0].StartDay = 7
	in.Session.Recommendations[1].StartDay = 4
	w = ProductStartWarnings(in.Session, in.Client, in.Settings, time.UTC)
	if len(w) != 1 || !strings.Contains(w[0].Message, "do not use") || !strings.Contains(w[0].Message, "pregnant") {
		t.Fatalf("pregnancy: %+v", w)
	}
}

// Whatever the owner's figures, every part of the timeline keeps its days
// and its text, in order.
func TestTimelineKeepsEveryPartWhateverTheFigures(t *testing.T) {
	for _, f := range []func(*AftercareSettings){
		func(a *AftercareSettings) { a.ActivesDays = 2 },
		func(a *AftercareSettings) { a.ActivesDays = 4 },
		func(a *AftercareSettings) { a.SunHeatHours = 240 },
		func(a *AftercareSettings) { a.NoMakeupHours, a.ExerciseHours, a.SunHeatHours = 24, 24, 24 },
	} {
		in := planFixture()
		f(&in.Settings.Aftercare)
		p := BuildAftercarePlan(in)
		if len(p.Windows) != 4 {
			t.Fatalf("%+v: %d parts", in.Settings.Aftercare, len(p.Windows))
		}
		for i, w := range p.Windows {
			if len(w.Paragraphs) == 0 || (!w.To.IsZero() && w.To.Before(w.From)) {
				t.Errorf("part %d (%s) runs %s to %s with %d paragraphs", i, w.Title, w.From, w.To, len(w.Paragraphs))
			}
			if i > 0 && p.Windows[i-1].To.AddDays(1) != w.From {
				t.Errorf("part %d starts %s, not the day after %s", i, w.From, p.Windows[i-1].To)
			}
		}
	}
}

// TestSheetPrintsAreasWithoutDepths: the plan names the areas treated and
// no needle depth, whatever the session charted.
func TestSheetPrintsAreasWithoutDepths(t *testing.T) {
	in := planFixture()
	in.Session.Areas = []AreaTreatment{{AreaCheeks, 0.75}, {AreaUnderEye, 0.25}, {AreaAbdomen, 1.5}}
	p := BuildAftercarePlan(in)
	if !slices.Equal(p.Areas, []string{"Cheeks", "Under-eye", "Abdomen"}) {
		t.Errorf("areas on the sheet: %q", p.Areas)
	}
	before := p.Basis()
	in.Session.Areas[0].DepthMM = 1.0
	if changed := before.Changes(BuildAftercarePlan(in).Basis()); len(changed) > 0 {
		t.Errorf("a depth correction changes the sheet's %v", changed)
	}
	if strings.Contains(strings.Join(p.Areas, " "), "mm") {
		t.Errorf("areas carry depths: %q", p.Areas)
	}
}

// TestABookedNextSessionIsNotAskedToBeBooked: with the next session
// booked, the sheet's last paragraph gives the booking and does not ask
// the client to call to book; without one it gives the due date; and a
// clinic still on the paragraph shipped before gets today's.
func TestABookedNextSessionIsNotAskedToBeBooked(t *testing.T) {
	in := planFixture()
	in.Settings.Aftercare.Templates[WindowWeekOne] = weekOneBeforeBooking
	in.Settings.Aftercare = in.Settings.Aftercare.CurrentDefaults()
	in.NextVisit, in.NextVisitWith = time.Date(2026, 12, 21, 14, 30, 0, 0, time.UTC), "Priya Raman"
	in.Location = time.UTC
	last := func(p AftercarePlan) string { return strings.Join(p.Windows[len(p.Windows)-1].Paragraphs, "\n") }
	booked := last(BuildAftercarePlan(in))
	if !strings.Contains(booked, "booked for Mon 21 Dec at 14:30 with Priya Raman") || strings.Contains(booked, "to book it") ||
		strings.Contains(booked, "due around") {
		t.Errorf("with the next session booked:\n%s", booked)
	}
	in.NextVisit, in.NextVisitWith = time.Time{}, ""
	due := last(BuildAftercarePlan(in))
	if !strings.Contains(due, "due around") || strings.Contains(due, "booked for") {
		t.Errorf("with nothing booked:\n%s", due)
	}
}
