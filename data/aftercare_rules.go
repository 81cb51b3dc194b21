package data

import "time"

// Rule is one precaution the aftercare sheet gives a date for. Every date
// the sheet prints about a precaution (the avoid table, the timeline's
// texts, the product starts) is read from its RuleSpan, worked out once,
// so no two lines of a sheet can disagree about it.
type Rule string

// The precautions, in the order the avoid table lists those ending on the
// same day.
const (
	RuleTouch    Rule = "touch"     // hands off the treated skin
	RuleWash     Rule = "wash"      // no washing, nothing on the skin but the soothing gel
	RuleMakeup   Rule = "makeup"    // makeup and powder (only when the face, neck or décolletage was treated)
	RuleExercise Rule = "exercise"  // exercise and strenuous activity
	RuleSunHeat  Rule = "sun_heat"  // direct sun, sauna, steam, sunbeds; sunscreen starts the day after
	RuleActives  Rule = "actives"   // retinoids, acids, scrubs, toners, fragrance, lighteners, acne creams
	RuleVitaminC Rule = "vitamin_c" // vitamin C
	RuleNSAIDs   Rule = "nsaids"    // anti-inflammatory painkillers and ice
	RuleBrushes  Rule = "brushes"   // electric or sonic cleansing brushes
	RuleSunCare  Rule = "sun_care"  // extra care in the sun (not in the avoid table)
)

var ruleOrder = []Rule{RuleTouch, RuleWash, RuleMakeup, RuleExercise, RuleSunHeat, RuleActives,
	RuleVitaminC, RuleNSAIDs, RuleBrushes, RuleSunCare}

// RuleSpan is one precaution with its dates. Until is the last day it
// still applies (the sheet says "until the end of" that day); From is the
// first day it no longer does, always the day after Until (the sheet says
// "from" that day).
type RuleSpan struct {
	Rule  Rule
	What  string // as the avoid table lists it
	Until Date
	From  Date
}

// How the settings' figures become dates (the README's aftercare section
// says the same):
//   - hours (makeup, sun and heat, exercise) run from the time of the
//     treatment; the last day is the day on which they run out, so 72 hours
//     from Friday 10:15 last until the end of Monday;
//   - "at least N days" (anti-inflammatories and ice, cleansing brushes,
//     extra sun care) are counted the same way, as N times 24 hours, so a
//     week from Friday lasts until the end of the next Friday (day 7);
//   - "from day N" (active products and vitamin C, which wait until the
//     skin has closed) start on day N, counting the treatment day as day 0.
//
// The hours are real hours: across a change of the clocks 72 hours can end
// an hour earlier or later by the wall clock, and the date follows that.

// lastDayOfHours is the day on which a span of hours that starts at the
// treatment runs out: the last day the precaution applies.
func lastDayOfHours(treated time.Time, hours int) Date {
	return DateOf(treated.Add(time.Duration(hours) * time.Hour))
}

// planRules works out every precaution for a treatment. face says whether
// the face, neck or décolletage was treated (makeup applies only then);
// pregnant leaves retinoids out of the actives (the client's own line says
// not to use them at all).
func planRules(treated time.Time, a AftercareSettings, face, pregnant bool) map[Rule]RuleSpan {
	day0 := DateOf(treated)
	until := map[Rule]Date{
		RuleTouch:    day0,
		RuleWash:     day0,
		RuleExercise: lastDayOfHours(treated, a.ExerciseHours),
		RuleSunHeat:  lastDayOfHours(treated, a.SunHeatHours),
		RuleActives:  day0.AddDays(a.ActivesDays - 1),
		RuleVitaminC: day0.AddDays(max(a.VitaminCFromDay, a.ActivesDays) - 1),
		RuleNSAIDs:   lastDayOfHours(treated, 24*a.NSAIDDays),
		RuleBrushes:  lastDayOfHours(treated, 24*a.BrushesDays),
		RuleSunCare:  lastDayOfHours(treated, 24*a.SunCareDays),
	}
	if face {
		until[RuleMakeup] = lastDayOfHours(treated, a.NoMakeupHours)
	}
	out := make(map[Rule]RuleSpan, len(until))
	for r, u := range until {
		if u.Before(day0) {
			u = day0
		}
		out[r] = RuleSpan{Rule: r, What: ruleWhat(r, pregnant), Until: u, From: u.AddDays(1)}
	}
	return out
}

func ruleWhat(r Rule, pregnant bool) string {
	switch r {
	case RuleTouch:
		return "Touching the treated skin"
	case RuleWash:
		return "Washing it, or putting anything on it but the gel"
	case RuleMakeup:
		return "Makeup, mineral makeup and powder too"
	case RuleExercise:
		return "Exercise, hard physical work"
	case RuleSunHeat:
		return "Direct sun, sauna, steam, hot baths, sunbeds"
	case RuleActives:
		if pregnant {
			return "Acids, scrubs, toners, perfumed, lightening and acne products"
		}
		return "Retinoids, acids, scrubs, toners, perfumed, lightening and acne products"
	case RuleVitaminC:
		return "Vitamin C"
	case RuleNSAIDs:
		return "Ibuprofen-type painkillers, ice packs"
	case RuleBrushes:
		return "Electric or sonic cleansing brushes"
	case RuleSunCare:
		return "Long spells in the sun, even with sunscreen"
	}
	return string(r)
}

// faceAreas are where makeup is worn and where the face-only advice
// (hands away from the face, no makeup) applies: the face, and the neck
// and décolletage, which makeup and face products also reach. An acne-scar
// zone counts as face: it usually is, and the cautious advice does no harm
// if it was the back. Hands and the body areas do not.
var faceAreas = map[Area]bool{
	AreaForehead: true, AreaUnderEye: true, AreaNose: true, AreaCheeks: true, AreaAroundMouth: true,
	AreaJaw: true, AreaNeck: true, AreaDecolletage: true, AreaAcneScars: true,
}

// FaceTreated reports whether any area treated is one where the face-only
// advice applies. A session with no areas recorded counts as the face,
// the cautious reading.
func FaceTreated(areas []AreaTreatment) bool {
	if len(areas) == 0 {
		return true
	}
	for _, a := range areas {
		if faceAreas[a.Area] || !knownArea(a.Area) {
			return true
		}
	}
	return false
}

// bodyTreated reports whether the hands or a body area were treated.
func bodyTreated(areas []AreaTreatment) bool {
	for _, a := range areas {
		if knownArea(a.Area) && !faceAreas[a.Area] {
			return true
		}
	}
	return false
}

// Rule returns the plan's span for a precaution; ok is false when the
// precaution does not apply (makeup after a body-only treatment).
func (p AftercarePlan) Rule(r Rule) (RuleSpan, bool) {
	s, ok := p.rules[r]
	return s, ok
}

// Rules lists the plan's precautions in a fixed order.
func (p AftercarePlan) Rules() []RuleSpan {
	out := make([]RuleSpan, 0, len(p.rules))
	for _, r := range ruleOrder {
		if s, ok := p.rules[r]; ok {
			out = append(out, s)
		}
	}
	return out
}
