package data

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNeedsConfirmation marks settings the owner must confirm before they
// are saved: aftercare figures shorter than the sources' cautious ones.
var ErrNeedsConfirmation = errors.New("needs the owner's confirmation")

// SourceFigure is the cautious figure the clinical sources give for one of
// the aftercare settings, and where it comes from.
type SourceFigure struct {
	Field  string // the setting, as in Validate's problems
	What   string // in words: "no makeup"
	Value  int
	Unit   string // "hours", "days", or "day" for a "from day" figure
	Source string // which source figure the default follows
}

// SourceFigures are the cautious figures of the clinical facts
// (shared/domain/needling-facts.md); the defaults are these, and a
// shorter setting needs the owner's confirmation.
var SourceFigures = []SourceFigure{
	{"no_makeup_hours", "no makeup", 72, "hours", "no makeup for at least 48 hours in one source, 72 in the other: the cautious 72"},
	{"sun_heat_hours", "no direct sun, sauna, steam or sunbeds", 72, "hours", "both sources: the first 72 hours"},
	{"exercise_hours", "no exercise", 72, "hours", "both sources: the first 72 hours"},
	{"actives_days", "active products (retinoids, acids, scrubs) from day", 7, "day", "actives stop at treatment and come back with the treatment products at one week"},
	{"brushes_days", "no cleansing brushes", 7, "days", "no electric or sonic brushes for at least one week"},
	{"nsaid_days", "no anti-inflammatories or ice", 7, "days", "no anti-inflammatories or icing for a week"},
	{"sun_care_days", "extra care in the sun", 14, "days", "extra care with the sun for 2 weeks"},
	{"vitamin_c_from_day", "vitamin C from day", 7, "day", "never before the skin has closed, day 7 (never less)"},
}

// ShortFigure is a setting shorter than its source figure.
type ShortFigure struct {
	SourceFigure
	Set int // what the owner set
}

// String says it in words: "no makeup: 48 hours (sources: 72 hours)".
func (s ShortFigure) String() string {
	if s.Unit == "day" {
		return fmt.Sprintf("%s %d (sources: day %d)", s.What, s.Set, s.Value)
	}
	return fmt.Sprintf("%s: %d %s (sources: %d %s)", s.What, s.Set, s.Unit, s.Value, s.Unit)
}

// NeedsConfirmation is CheckSources' answer when figures are shorter than
// the sources' and the owner has not confirmed them; errors.Is matches
// ErrNeedsConfirmation.
type NeedsConfirmation struct {
	Short []ShortFigure
}

func (e *NeedsConfirmation) Error() string {
	parts := make([]string, len(e.Short))
	for i, s := range e.Short {
		parts[i] = s.String()
	}
	return "these aftercare figures are shorter than the sources' cautious figures and need the owner's confirmation: " +
		strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrNeedsConfirmation) true.
func (e *NeedsConfirmation) Is(target error) bool { return target == ErrNeedsConfirmation }

// ShortFigures lists every figure set shorter than its source figure,
// confirmed or not.
func (a AftercareSettings) ShortFigures() []ShortFigure {
	var out []ShortFigure
	for _, f := range SourceFigures {
		if v := a.figure(f.Field); v < f.Value {
			out = append(out, ShortFigure{SourceFigure: f, Set: v})
		}
	}
	return out
}

func (a AftercareSettings) figure(field string) int {
	switch field {
	case "no_makeup_hours":
		return a.NoMakeupHours
	case "sun_heat_hours":
		return a.SunHeatHours
	case "exercise_hours":
		return a.ExerciseHours
	case "actives_days":
		return a.ActivesDays
	case "brushes_days":
		return a.BrushesDays
	case "nsaid_days":
		return a.NSAIDDays
	case "sun_care_days":
		return a.SunCareDays
	case "vitamin_c_from_day":
		return a.VitaminCFromDay
	}
	return 0
}

// CheckSources returns a *NeedsConfirmation listing the figures shorter
// than the sources' that the owner has not confirmed at the value set, or
// nil. The store refuses to save settings while it is not nil.
func (a AftercareSettings) CheckSources() error {
	var short []ShortFigure
	for _, s := range a.ShortFigures() {
		if v, ok := a.Confirmed[s.Field]; !ok || v != s.Set {
			short = append(short, s)
		}
	}
	if len(short) == 0 {
		return nil
	}
	return &NeedsConfirmation{Short: short}
}

// Confirm records that the owner accepts every figure now shorter than the
// sources', and forgets confirmations of figures no longer short.
func (a *AftercareSettings) Confirm() {
	c := map[string]int{}
	for _, s := range a.ShortFigures() {
		c[s.Field] = s.Set
	}
	a.Confirmed = c
}

// NewlyConfirmed lists the short figures a confirms that before did not:
// what the audit trail records when the settings are saved.
func (a AftercareSettings) NewlyConfirmed(before AftercareSettings) []ShortFigure {
	var out []ShortFigure
	for _, s := range a.ShortFigures() {
		if v, ok := a.Confirmed[s.Field]; !ok || v != s.Set {
			continue
		}
		if v, ok := before.Confirmed[s.Field]; ok && v == s.Set {
			continue
		}
		out = append(out, s)
	}
	return out
}

// CurrentDefaults replaces each template that is still the text an
// earlier NeedleDesk shipped with today's text, so a clinic that never
// changed its texts gets the corrected wording.
func (a AftercareSettings) CurrentDefaults() AftercareSettings {
	if a.Templates == nil {
		return a
	}
	t := make(map[Window]string, len(a.Templates))
	for w, text := range a.Templates {
		if old, ok := templatesBefore18[w]; ok && sameTemplate(old, text) {
			text = defaultTemplates[w]
		}
		if w == WindowWeekOne && sameTemplate(weekOneBeforeBooking, text) {
			text = defaultTemplates[w]
		}
		t[w] = text
	}
	a.Templates = t
	return a
}

func sameTemplate(a, b string) bool {
	norm := func(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
	return norm(a) == norm(b)
}
