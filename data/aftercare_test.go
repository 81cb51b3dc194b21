package data

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func planFixture() AftercareInput {
	s := DefaultSettings()
	s.ClinicName, s.Phone = "Lumen Skin Studio", "+44 1273 555 018"
	vitC := Product{ID: 3, Name: "Bright C", Category: CategoryVitaminC, KeyIngredients: []string{"Ascorbic acid", "Vitamin E"}}
	serum := Product{ID: 4, Name: "Hydra Serum", Category: CategoryHydrating, KeyIngredients: []string{"Hyaluronic acid"}}
	c := validClient()
	c.Allergies = "Vitamin E, nickel"
	return AftercareInput{
		Session: Session{
			StartedAt: time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC), // a Monday
			Areas:     []AreaTreatment{{AreaCheeks, 0.75}},
			NextDue:   NewDate(2026, 12, 21),
			Recommendations: []Recommendation{
				{ProductID: 3, StartDay: 7, Product: vitC},
				{ProductID: 4, StartDay: 1, Product: serum},
			},
			TechnicianName: "Priya Raman",
		},
		Client:   c,
		Settings: s,
		MadeAt:   time.Date(2026, 11, 23, 11, 0, 0, 0, time.UTC),
		Location: time.UTC,
	}
}

func TestAftercarePlanDatesEachWindow(t *testing.T) {
	p := BuildAftercarePlan(planFixture())
	// Treated Monday 10:30: the 72 hours last until the end of Thursday,
	// and active products wait until day 7.
	want := []string{"Mon 23 Nov", "Tue 24 Nov to Thu 26 Nov", "Fri 27 Nov to Sun 29 Nov", "from Mon 30 Nov"}
	if len(p.Windows) != len(want) {
		t.Fatalf("got %d windows", len(p.Windows))
	}
	for i, w := range p.Windows {
		if got := p.FormatRange(w); got != want[i] {
			t.Errorf("%s: got %q, want %q", w.Title, got, want[i])
		}
		for _, para := range w.Paragraphs {
			if strings.ContainsAny(para, "{}") {
				t.Errorf("%s: placeholder left in %q", w.Title, para)
			}
		}
	}
	if first := p.Windows[0].Paragraphs[0]; !strings.HasPrefix(first, "Zoë, ") {
		t.Errorf("the sheet does not speak to the client by name: %q", first)
	}
	joined := strings.Join(p.Windows[1].Paragraphs, " ")
	for _, wantText := range []string{"until the end of Thu 26 Nov", "No makeup until the end of Thu 26 Nov"} {
		if !strings.Contains(joined, wantText) {
			t.Errorf("first 72 hours lacks %q: %s", wantText, joined)
		}
	}
	if strings.Contains(strings.ToLower(strings.Join(p.Windows[3].Paragraphs, " ")), "vitamin c") {
		t.Error("the only vitamin C product clashes with the client's allergy, yet the sheet dates vitamin C")
	}
}

func TestAftercarePlanAvoidAndProducts(t *testing.T) {
	p := BuildAftercarePlan(planFixture())
	until := map[string]string{}
	for _, a := range p.Avoid {
		until[string(a.Rule)] = a.Until.String()
	}
	for rule, want := range map[Rule]string{
		RuleTouch: "2026-11-23", RuleMakeup: "2026-11-26", RuleExercise: "2026-11-26",
		RuleNSAIDs: "2026-11-30", RuleBrushes: "2026-11-30",
	} {
		if until[string(rule)] != want {
			t.Errorf("%s until %s, want %s", rule, until[string(rule)], want)
		}
	}
	if len(p.Products) != 1 || p.Products[0].Name != "Hydra Serum" || p.Products[0].StartOn.String() != "2026-11-24" {
		t.Fatalf("products: %+v", p.Products)
	}
	if len(p.DoNotUse) != 1 || p.DoNotUse[0].Name != "Bright C" || !strings.Contains(p.DoNotUse[0].Why, "Vitamin E") {
		t.Fatalf("the product the client is allergic to is not under do not use: %+v", p.DoNotUse)
	}
	if len(p.AllergyWarnings) != 1 || !strings.Contains(p.AllergyWarnings[0], "Vitamin E") {
		t.Fatalf("allergy clash not on the sheet: %v", p.AllergyWarnings)
	}
}

func TestAftercarePlanFollowsSettings(t *testing.T) {
	in := planFixture()
	in.Settings.DateFormat = "01/02/2006"
	in.Settings.Aftercare.NoMakeupHours = 48
	in.Session.NextDue = Date{}
	in.Settings.Aftercare.Templates[WindowWeekOne] = "Hello {first_name}, next: {next_session}."
	p := BuildAftercarePlan(in)
	if got := p.FormatRange(p.Windows[1]); got != "Tue Nov 24 to Thu Nov 26" {
		t.Errorf("US clinics read month first: %q", got)
	}
	if !strings.Contains(strings.Join(p.Windows[1].Paragraphs, " "), "No makeup until the end of Wed Nov 25") {
		t.Errorf("48-hour makeup setting ignored: %v", p.Windows[1].Paragraphs)
	}
	if got := p.Windows[3].Paragraphs; len(got) != 1 || got[0] != "Hello Zoë, next: the date we agree with you." {
		t.Errorf("owner's template not used: %q", got)
	}
}

func TestRecommendationWarnings(t *testing.T) {
	in := planFixture()
	in.Session.Recommendations[0].StartDay = 2
	w := RecommendationWarnings(in.Session, in.Client, in.Settings)
	var vitC, allergy bool
	for _, x := range w {
		vitC = vitC || strings.Contains(x.Message, "day 2") && strings.Contains(x.Message, "too early")
		allergy = allergy || strings.Contains(x.Message, "allergic to Vitamin E")
	}
	if !vitC || !allergy {
		t.Fatalf("want vitamin C and allergy warnings, got %+v", w)
	}
	in.Client.Allergies = "nickelodeon"
	in.Session.Recommendations[0].StartDay = 7
	if w := RecommendationWarnings(in.Session, in.Client, in.Settings); len(w) != 0 {
		t.Fatalf("no clash expected, got %+v", w)
	}
}

func TestAftercareSettingsValidate(t *testing.T) {
	a := DefaultAftercareSettings()
	if err := a.Validate(); err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	a.VitaminCFromDay = 3
	a.Templates[WindowDays3To6] = "Use {frist_name}"
	var ve *ValidationError
	err := a.Validate()
	if !errors.As(err, &ve) || ve.For("vitamin_c_from_day") == "" || !strings.Contains(ve.For("template_days_3_to_6"), "{frist_name}") {
		t.Fatalf("got %v", err)
	}
	if DefaultAftercareSettings().Templates[WindowDays3To6] == "Use {frist_name}" {
		t.Fatal("editing a copy changed the defaults")
	}
}
