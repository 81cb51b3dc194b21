package data

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestClinicalChangesNamesTheClinicalFields(t *testing.T) {
	base := Client{GivenName: "Zoë", Phone: "+44 20 7946 0958", SkinType: 3,
		Concerns: []Concern{ConcernPores, ConcernAcneScars}, Allergies: "Lidocaine",
		Contra: Contraindications{Isotretinoin: true, IsotretinoinStopped: NewDate(2026, 1, 5)}}
	same := base
	same.Concerns = []Concern{ConcernAcneScars, ConcernPores}
	same.Allergies = " Lidocaine\n"
	same.GivenName, same.Phone, same.Notes = "Zoe", "+44 7700 900123", "Prefers mornings"
	same.Consent = Consent{SignedOn: NewDate(2026, 11, 1), FormVersion: "2026-1"}
	same.Contra.RecentActivesWhat = "left over from an unticked answer"
	if got := ClinicalChanges(base, same); len(got) != 0 {
		t.Errorf("contact details, consent, notes and spacing count as clinical: %v", got)
	}
	cases := map[string]func(*Client){
		"skin_type":           func(c *Client) { c.SkinType = 4 },
		"concerns":            func(c *Client) { c.Concerns = []Concern{ConcernPores} },
		"allergies":           func(c *Client) { c.Allergies = "Latex" },
		"medications":         func(c *Client) { c.Medications = "Warfarin" },
		"medical_notes":       func(c *Client) { c.MedicalNotes = "Diabetic" },
		"isotretinoin":        func(c *Client) { c.Contra.IsotretinoinStopped = NewDate(2026, 2, 1) },
		"pregnant_or_nursing": func(c *Client) { c.Contra.PregnantOrNursing = true },
		"anticoagulants":      func(c *Client) { c.Contra.Anticoagulants = true },
		"keloid_tendency":     func(c *Client) { c.Contra.KeloidTendency = true },
		"active_infection":    func(c *Client) { c.Contra.ActiveInfection = true },
		"metal_allergy":       func(c *Client) { c.Contra.MetalAllergy = true },
		"recent_actives":      func(c *Client) { c.Contra.RecentActives = true },
	}
	for field, change := range cases {
		c := base
		c.Concerns = slices.Clone(base.Concerns)
		change(&c)
		if got := ClinicalChanges(base, c); !slices.Equal(got, []string{field}) {
			t.Errorf("changing %s: %v", field, got)
		}
		if !slices.Contains(ClinicalFields, field) {
			t.Errorf("%s is missing from ClinicalFields", field)
		}
	}
	if got := ClinicalChanges(Client{}, Client{GivenName: "New", Phone: "1"}); len(got) != 0 {
		t.Errorf("a new client with contact details only: %v", got)
	}
}

func TestSummaryLeavesOutTheClinicalDetails(t *testing.T) {
	s := Session{ID: 7, ClientID: 3, TechnicianID: 2, TechnicianName: "Priya", StartedAt: time.Now(),
		Areas: []AreaTreatment{{AreaCheeks, 0.75}}, Device: "Pen", NeedleLot: "L1", Passes: 3,
		NumbingAgent: "Lido", NumbingMinutes: 30, GlideSerum: "HA", ProductsApplied: "Gel", Reaction: "Red",
		Notes: "Private", AftercareNotes: "Keep cool", NextDue: NewDate(2026, 12, 1),
		Warnings: []string{"Pregnant"}, OverrideReason: "Doctor agreed",
		Recommendations: []Recommendation{{ProductID: 1, StartDay: 3}}, Amendments: 1}
	got := s.Summary()
	want := Session{ID: 7, ClientID: 3, TechnicianID: 2, TechnicianName: "Priya", StartedAt: s.StartedAt,
		Areas: []AreaTreatment{{Area: AreaCheeks}}, AftercareNotes: "Keep cool", NextDue: s.NextDue,
		Recommendations: s.Recommendations, Amendments: 1, SummaryOnly: true}
	if !slices.Equal(got.Areas, want.Areas) || got.Notes != "" || got.Device != "" || got.NeedleLot != "" ||
		got.Passes != 0 || got.NumbingAgent != "" || got.NumbingMinutes != 0 || got.GlideSerum != "" ||
		got.ProductsApplied != "" || got.Reaction != "" || got.Warnings != nil || got.OverrideReason != "" ||
		!got.SummaryOnly || got.AftercareNotes != want.AftercareNotes || got.NextDue != want.NextDue ||
		got.TechnicianName != want.TechnicianName || len(got.Recommendations) != 1 || got.Amendments != 1 {
		t.Errorf("Summary() = %+v", got)
	}
}

func TestMayAndTheWordsOfARefusal(t *testing.T) {
	desk := Staff{Name: "Sam", Role: RoleReceptionist, Active: true}
	if err := desk.May(PermClientEditContact); err != nil {
		t.Errorf("a receptionist may not change contact details: %v", err)
	}
	err := desk.May(PermClientEditClinical)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("a receptionist changing clinical details: %v", err)
	}
	if got := UserMessage(err); got != "Receptionist staff cannot change clients' clinical details "+
		"(skin type, concerns, allergies, medications, medical notes, screening answers); ask the clinic owner." {
		t.Errorf("UserMessage = %q", got)
	}
	off := Staff{Name: "Olga", Role: RoleOwner}
	if err := off.May(PermClientView); !errors.Is(err, ErrForbidden) || !strings.Contains(UserMessage(err), "Olga's account is switched off") {
		t.Errorf("a switched-off owner: %v", err)
	}
	if err := ForbiddenUnknownStaff(42); !errors.Is(err, ErrForbidden) || !strings.Contains(err.Error(), "42") {
		t.Errorf("an unknown actor: %v", err)
	}
}

// TestSummaryNamesWhatItWithheld: a summary says which details it left
// out, so an empty reaction or warning list is not read as none; a whole
// session hides nothing.
func TestSummaryNamesWhatItWithheld(t *testing.T) {
	s := Session{Reaction: "Red", Warnings: []string{"Pregnant"}, Areas: []AreaTreatment{{AreaCheeks, 0.75}}}
	for _, d := range ClinicalDetails {
		if s.Hidden(d) {
			t.Errorf("a whole session hides %s", d)
		}
		if !s.Summary().Hidden(d) {
			t.Errorf("a summary does not say it withheld %s", d)
		}
	}
	if s.Summary().Hidden("aftercare_notes") {
		t.Error("a summary says it withheld the aftercare words, which it keeps")
	}
}
