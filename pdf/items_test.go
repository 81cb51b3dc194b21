package pdf

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// Tests of what issue 18 asked of the sheet, read back from the PDF.

func itemsInput() data.AftercareInput {
	in := consistencyInput(time.Date(2026, time.February, 6, 10, 15, 0, 0, time.UTC), "02/01/2006")
	in.Client.Allergies = ""
	return in
}

func sheetText(t *testing.T, in data.AftercareInput) (string, []byte) {
	t.Helper()
	b := render(t, data.BuildAftercarePlan(in))
	return pdfText(t, b), b
}

// "At least one week" lasts to the end of day 7, like the 72 hours.
func TestSheetOneWeekLastsToTheEndOfDay7(t *testing.T) {
	requireTools(t)
	in := itemsInput()
	text := layoutText(t, render(t, data.BuildAftercarePlan(in)))
	c := readClaims(t, text, data.NewDate(2026, 2, 6))
	for _, rule := range []string{"nsaids", "brushes"} {
		got := keys(c.until[rule])
		if len(got) != 1 || got[0] != "2026-02-13" {
			t.Errorf("%s until %v, want the end of day 7, Fri 13 Feb", rule, got)
		}
	}
}

var wordFace = regexp.MustCompile(`(?i)\b(face|makeup|pillowcase)\b`)

func TestSheetForTheBodyHasNoFaceAdvice(t *testing.T) {
	requireTools(t)
	in := itemsInput()
	in.Session.Areas = []data.AreaTreatment{{Area: data.AreaAbdomen, DepthMM: 1.5}, {Area: data.AreaThighs, DepthMM: 1.5}}
	in.Session.Recommendations = in.Session.Recommendations[:4]
	text, _ := sheetText(t, in)
	if m := wordFace.FindAllString(text, -1); len(m) > 0 {
		t.Errorf("a sheet for the abdomen and thighs speaks of %v:\n%s", m, text)
	}
	in.Session.Areas = append(in.Session.Areas, data.AreaTreatment{Area: data.AreaCheeks, DepthMM: 0.5})
	if text, _ := sheetText(t, in); !strings.Contains(text, "No makeup until the end of Mon 9 Feb") {
		t.Errorf("with the cheeks treated the makeup advice must be there:\n%s", text)
	}
}

func TestSheetDatesVitaminCOnlyWhenPlanned(t *testing.T) {
	requireTools(t)
	in := itemsInput()
	text, _ := sheetText(t, in)
	if !strings.Contains(text, "Vitamin C can be started from Fri 13 Feb") {
		t.Errorf("vitamin C is planned but not dated:\n%s", text)
	}
	var recs []data.Recommendation
	for _, r := range in.Session.Recommendations {
		if r.Product.Category != data.CategoryVitaminC {
			recs = append(recs, r)
		}
	}
	in.Session.Recommendations = recs
	text, _ = sheetText(t, in)
	if regexp.MustCompile(`(?i)vitamin c (from|can)`).MatchString(text) {
		t.Errorf("vitamin C is dated with none planned:\n%s", text)
	}
}

func TestSheetSaysWhenToGetHelp(t *testing.T) {
	requireTools(t)
	b := render(t, samplePlan())
	text := pdfTextRaw(t, b) // the three boxes one after the other
	savePages(t, "when-to-call", b)
	for _, want := range []string{
		"Call us on 0117 496 0321 if you notice:", "cold sore",
		"See a doctor the same day", "a fever or chills",
		"Call emergency services at once for:", "swelling of the lips, tongue, mouth or throat", "trouble breathing",
		"When we are closed, see a doctor",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if n := pageCount(t, b); n != 2 {
		t.Errorf("the sheet has %d pages, want 2", n)
	}
	in := sampleInput()
	in.Settings.Aftercare.OutOfHoursPhone, in.Settings.Aftercare.EmergencyNumber = "+44 7700 900 123", "999"
	text = pdfTextRaw(t, render(t, data.BuildAftercarePlan(in)))
	for _, want := range []string{"When we are closed, call +44 7700 900 123.", "Call 999 (emergency services) at once for:"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
}

func TestSheetFollowsTheClientsHistory(t *testing.T) {
	requireTools(t)
	in := itemsInput()
	text, _ := sheetText(t, in)
	if strings.Contains(text, "Because of your health record") {
		t.Fatalf("health notes for a client with none:\n%s", text)
	}
	in.Client.Contra.Anticoagulants = true
	in.Client.Contra.KeloidTendency = true
	in.Client.Contra.PregnantOrNursing = true
	text, b := sheetText(t, in)
	savePages(t, "health-notes", b)
	for _, want := range []string{"Because of your health record", "bruising", "raised", "pregnant or breastfeeding",
		"retinoid"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	// The retinol cream is not scheduled while she is pregnant.
	products := text[strings.Index(text, "Your product plan"):]
	if i := strings.Index(products, "Night Renew"); i < 0 || !strings.Contains(products[max(0, i-40):i], "Do not use") {
		t.Errorf("the retinol cream is not under do not use:\n%s", products)
	}
}
