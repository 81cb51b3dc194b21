package data

import (
	"maps"
	"slices"
)

// SessionPart is a part of a charted session that a change can touch, as
// the session form and the amendment history show it.
type SessionPart string

// The parts of a session, in the order the history lists them.
const (
	PartTreatedAt       SessionPart = "treated_at"
	PartTechnician      SessionPart = "technician"
	PartAreas           SessionPart = "areas"
	PartDevice          SessionPart = "device"
	PartNeedleLot       SessionPart = "needle_lot"
	PartPasses          SessionPart = "passes"
	PartNumbing         SessionPart = "numbing"
	PartGlideSerum      SessionPart = "glide_serum"
	PartReaction        SessionPart = "reaction"
	PartProductsApplied SessionPart = "products_applied"
	PartNotes           SessionPart = "notes"
	PartRecommendations SessionPart = "recommendations"
	PartAftercareNotes  SessionPart = "aftercare_notes"
	PartNextDue         SessionPart = "next_due"
	PartWarnings        SessionPart = "warnings"
)

// SessionParts lists every part in the order the history shows them.
var SessionParts = []SessionPart{
	PartTreatedAt, PartTechnician, PartAreas, PartDevice, PartNeedleLot, PartPasses, PartNumbing,
	PartGlideSerum, PartReaction, PartProductsApplied, PartNotes, PartRecommendations,
	PartAftercareNotes, PartNextDue, PartWarnings,
}

var sessionPartLabels = map[SessionPart]string{
	PartTreatedAt:       "Treatment time",
	PartTechnician:      "Technician",
	PartAreas:           "Areas and depths",
	PartDevice:          "Device",
	PartNeedleLot:       "Needle lot",
	PartPasses:          "Passes",
	PartNumbing:         "Numbing",
	PartGlideSerum:      "Glide serum",
	PartReaction:        "Reaction",
	PartProductsApplied: "Products applied",
	PartNotes:           "Clinical notes",
	PartRecommendations: "Products recommended",
	PartAftercareNotes:  "Aftercare notes",
	PartNextDue:         "Next session due",
	PartWarnings:        "Warnings and the reason to go ahead",
}

// Label is the part as a person reads it.
func (p SessionPart) Label() string {
	if l, ok := sessionPartLabels[p]; ok {
		return l
	}
	return string(p)
}

// ChangedParts lists the parts of a session that differ from before to
// after, in the order of SessionParts: what one amendment changed. Areas
// and recommendations are compared as sets, so the order they were ticked
// in is no change; the time the version was saved is not a part.
func ChangedParts(before, after Session) []SessionPart {
	differs := map[SessionPart]bool{
		PartTreatedAt:       !before.StartedAt.Equal(after.StartedAt),
		PartTechnician:      before.TechnicianID != after.TechnicianID,
		PartAreas:           !maps.Equal(areaDepths(before.Areas), areaDepths(after.Areas)),
		PartDevice:          before.Device != after.Device,
		PartNeedleLot:       before.NeedleLot != after.NeedleLot,
		PartPasses:          before.Passes != after.Passes,
		PartNumbing:         before.NumbingAgent != after.NumbingAgent || before.NumbingMinutes != after.NumbingMinutes,
		PartGlideSerum:      before.GlideSerum != after.GlideSerum,
		PartReaction:        before.Reaction != after.Reaction,
		PartProductsApplied: before.ProductsApplied != after.ProductsApplied,
		PartNotes:           before.Notes != after.Notes,
		PartRecommendations: !maps.Equal(recommendationDays(before.Recommendations), recommendationDays(after.Recommendations)),
		PartAftercareNotes:  before.AftercareNotes != after.AftercareNotes,
		PartNextDue:         before.NextDue != after.NextDue,
		PartWarnings:        !slices.Equal(before.Warnings, after.Warnings) || before.OverrideReason != after.OverrideReason,
	}
	var out []SessionPart
	for _, p := range SessionParts {
		if differs[p] {
			out = append(out, p)
		}
	}
	return out
}

func areaDepths(as []AreaTreatment) map[Area]float64 {
	m := make(map[Area]float64, len(as))
	for _, a := range as {
		m[a.Area] = a.DepthMM
	}
	return m
}

func recommendationDays(rs []Recommendation) map[int64]int {
	m := make(map[int64]int, len(rs))
	for _, r := range rs {
		m[r.ProductID] = r.StartDay
	}
	return m
}

// AmendmentChanges pairs each earlier version of a session with what the
// change that replaced it changed. amendments are newest first, as the
// store lists them; current is the session as it stands now. The result
// has one entry per amendment, in the same order.
func AmendmentChanges(current Session, amendments []SessionAmendment) [][]SessionPart {
	out := make([][]SessionPart, len(amendments))
	later := current
	for i, a := range amendments {
		out[i] = ChangedParts(a.Earlier, later)
		later = a.Earlier
	}
	return out
}
