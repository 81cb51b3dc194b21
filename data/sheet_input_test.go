package data

import (
	"reflect"
	"slices"
	"testing"
)

// sheetInputOf is what the store returns for in's session and client.
func sheetInputOf(in AftercareInput) SheetInput {
	s, c := in.Session, in.Client
	out := SheetInput{
		Session: SheetSession{ID: s.ID, ClientID: s.ClientID, StartedAt: s.StartedAt, TechnicianName: s.TechnicianName,
			Recommendations: s.Recommendations, AftercareNotes: s.AftercareNotes, NextDue: s.NextDue},
		Client: SheetClient{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName,
			Allergies:         SheetAllergies(c.Allergies, s.Recommendations),
			PregnantOrNursing: c.Contra.PregnantOrNursing, Anticoagulants: c.Contra.Anticoagulants,
			KeloidTendency: c.Contra.KeloidTendency},
	}
	for _, a := range s.Areas {
		out.Session.Areas = append(out.Session.Areas, a.Area)
	}
	return out
}

// FuzzSheetAllergiesKeepTheSheet: the allergies a sheet is made from (only
// those that clash with a recommended product) give the same warnings,
// "do not use" list and product plan as the client's whole list.
func FuzzSheetAllergiesKeepTheSheet(f *testing.F) {
	f.Add("Vitamin E, nickel")
	f.Add("nickel; hyaluronic acid and vitamin e\nLidocaine")
	f.Add("a,and hyaluronic acid")
	f.Add("Vitamin E; vitamin e; VITAMIN É / none")
	f.Add("NKDA")
	f.Add("ascorbic acid and  and vitamin e，鎳")
	f.Fuzz(func(t *testing.T, allergies string) {
		whole := planFixture()
		whole.Client.Allergies = allergies
		whole.Session.AftercareNotes = "Keep it cool."
		whole.PersonalNotes = whole.Session.AftercareNotes
		sheet := sheetInputOf(whole).aftercareInput()
		sheet.Settings, sheet.MadeAt, sheet.Location = whole.Settings, whole.MadeAt, whole.Location
		want, got := BuildAftercarePlan(whole), BuildAftercarePlan(sheet)
		if !reflect.DeepEqual(want.AllergyWarnings, got.AllergyWarnings) || !reflect.DeepEqual(want.DoNotUse, got.DoNotUse) ||
			!reflect.DeepEqual(want.Products, got.Products) {
			t.Fatalf("allergies %q, kept %q:\nwhole list: %q %+v\nsheet's:    %q %+v", allergies,
				SheetAllergies(allergies, whole.Session.Recommendations),
				want.AllergyWarnings, want.DoNotUse, got.AllergyWarnings, got.DoNotUse)
		}
		if changed := want.Basis().Changes(got.Basis()); len(changed) > 0 {
			t.Fatalf("allergies %q: the sheet's input changes %v", allergies, changed)
		}
		for _, a := range SheetAllergies(allergies, whole.Session.Recommendations) {
			if !slices.Contains(splitAllergies(allergies), a) {
				t.Fatalf("%q is not an entry of %q", a, allergies)
			}
		}
	})
}

func TestSheetAllergiesAreOnlyTheClashingOnes(t *testing.T) {
	in := planFixture() // Bright C (ascorbic acid, vitamin E) and Hydra Serum (hyaluronic acid)
	got := SheetAllergies("Nickel; vitamin E and latex\nHyaluronic acid, lidocaine", in.Session.Recommendations)
	if !slices.Equal(got, []string{"vitamin E", "Hyaluronic acid"}) {
		t.Errorf("SheetAllergies = %q", got)
	}
}
