package data

import (
	"reflect"
	"testing"
	"time"
)

func chartedSession() Session {
	return Session{
		ID: 7, ClientID: 1, TechnicianID: 2, StartedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Areas:  []AreaTreatment{{Area: AreaCheeks, DepthMM: 0.75}, {Area: AreaForehead, DepthMM: 0.25}},
		Device: "Pen A6", NeedleLot: "L-1", Passes: 3, NumbingAgent: "Lidocaine 4%", NumbingMinutes: 20,
		GlideSerum: "HA serum", Reaction: "Even redness", ProductsApplied: "Calm balm", Notes: "Went well",
		AftercareNotes: "Cool water only", NextDue: NewDate(2026, 12, 18),
		Warnings: []string{"Isotretinoin"}, OverrideReason: "Stopped 8 months ago",
		Recommendations: []Recommendation{{ProductID: 4, StartDay: 0}, {ProductID: 5, StartDay: 3}},
		UpdatedAt:       time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC),
		TechnicianName:  "Priya Raman",
	}
}

func TestChangedPartsNamesEachPartThatDiffers(t *testing.T) {
	base := chartedSession()
	cases := []struct {
		name   string
		change func(*Session)
		want   []SessionPart
	}{
		{"nothing", func(*Session) {}, nil},
		{"only when it was saved", func(s *Session) { s.UpdatedAt = s.UpdatedAt.Add(time.Hour); s.Amendments = 3 }, nil},
		{"the same instant in another zone", func(s *Session) { s.StartedAt = s.StartedAt.In(time.FixedZone("x", 3600)) }, nil},
		{"areas ticked in another order", func(s *Session) { s.Areas = []AreaTreatment{s.Areas[1], s.Areas[0]} }, nil},
		{"recommendations in another order", func(s *Session) {
			s.Recommendations = []Recommendation{s.Recommendations[1], s.Recommendations[0]}
		}, nil},
		{"a depth", func(s *Session) { s.Areas = []AreaTreatment{{AreaCheeks, 1.0}, {AreaForehead, 0.25}} }, []SessionPart{PartAreas}},
		{"an area added", func(s *Session) { s.Areas = append(s.Areas, AreaTreatment{AreaNeck, 0.25}) }, []SessionPart{PartAreas}},
		{"the time", func(s *Session) { s.StartedAt = s.StartedAt.Add(30 * time.Minute) }, []SessionPart{PartTreatedAt}},
		{"the reaction and notes", func(s *Session) { s.Reaction = "Pinpoint bleeding"; s.Notes = "" },
			[]SessionPart{PartReaction, PartNotes}},
		{"numbing minutes", func(s *Session) { s.NumbingMinutes = 30 }, []SessionPart{PartNumbing}},
		{"a product's start day", func(s *Session) { s.Recommendations[1].StartDay = 5 }, []SessionPart{PartRecommendations}},
		{"the override reason", func(s *Session) { s.OverrideReason = "Doctor agreed" }, []SessionPart{PartWarnings}},
		{"every other part", func(s *Session) {
			s.TechnicianID, s.Device, s.NeedleLot, s.Passes = 3, "Roller", "L-2", 2
			s.GlideSerum, s.ProductsApplied, s.AftercareNotes, s.NextDue = "", "Mask", "Rest", NewDate(2027, 1, 8)
		}, []SessionPart{PartTechnician, PartDevice, PartNeedleLot, PartPasses, PartGlideSerum, PartProductsApplied,
			PartAftercareNotes, PartNextDue}},
	}
	for _, c := range cases {
		after := chartedSession()
		after.Areas = append([]AreaTreatment(nil), base.Areas...)
		after.Recommendations = append([]Recommendation(nil), base.Recommendations...)
		c.change(&after)
		if got := ChangedParts(base, after); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: ChangedParts = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAmendmentChangesComparesEachVersionWithTheNext(t *testing.T) {
	v1 := chartedSession()
	v2 := chartedSession()
	v2.Reaction = "Pinpoint bleeding"
	current := v2
	current.NextDue = NewDate(2027, 1, 15)
	current.Notes = "Client called: healing well"
	amendments := []SessionAmendment{{Earlier: v2}, {Earlier: v1}} // newest first, as the store lists them
	got := AmendmentChanges(current, amendments)
	want := [][]SessionPart{{PartNotes, PartNextDue}, {PartReaction}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AmendmentChanges = %v, want %v", got, want)
	}
	if got := AmendmentChanges(current, nil); len(got) != 0 {
		t.Errorf("no amendments gave %v", got)
	}
}

func TestEverySessionPartHasALabel(t *testing.T) {
	for _, p := range SessionParts {
		if p.Label() == string(p) {
			t.Errorf("part %q has no label", p)
		}
	}
}
