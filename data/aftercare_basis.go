package data

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// SheetBasis fingerprints what a sheet says, part by part: for each part,
// the SHA-256 of the plan's content for it. A sheet keeps the basis of the
// plan it was made from; the plan rebuilt from the record and settings as
// they are now has the same basis exactly when a new sheet would say the
// same, so a kept sheet can tell when it no longer matches the record,
// and which parts differ. When it was made does not count.
type SheetBasis map[string]string

// basisParts names each part of a sheet in the words the app uses to say
// what changed, in the order it says them.
var basisParts = []struct{ key, words string }{
	{"client", "the client's name"},
	{"treatment", "the treatment details (date, time, areas, technician)"},
	{"allergies", "the allergy warnings and the products not to use"},
	{"health", "the lines for the client's health record"},
	{"timeline", "the dates and texts of the timeline and of what to avoid"},
	{"products", "the product plan"},
	{"notes", "the technician's notes"},
	{"next", "the next session"},
	{"help", "when to call the clinic or get help"},
	{"clinic", "the clinic's details or the sheet's paper and date format"},
}

// Basis is the plan's fingerprint, part by part.
func (p AftercarePlan) Basis() SheetBasis {
	logo := sha256.Sum256(p.Clinic.Logo)
	clinic := p.Clinic
	clinic.Logo = logo[:]
	// "treatment" has the areas by name only: the sheet prints no needle
	// depth, so correcting one in the chart leaves a kept sheet current.
	// (A sheet kept while sheets still printed depths reads as changed
	// there, and a new version would indeed leave them out.)
	parts := map[string]any{
		"client":    []string{p.ClientName, p.ClientFirstName},
		"treatment": []any{p.TreatedAt.Format("2006-01-02T15:04:05Z07:00"), p.Areas, p.Technician, p.Face},
		"allergies": []any{p.AllergyWarnings, p.DoNotUse},
		"health":    p.HealthNotes,
		"timeline":  []any{p.Windows, p.Avoid, p.Rules()},
		"products":  p.Products,
		"notes":     p.PersonalNotes,
		"next":      nextBasis(p),
		"help":      []any{p.WhenToCall, p.SeeDoctor, p.Emergency, p.OutOfHoursPhone, p.EmergencyNumber},
		"clinic":    []any{clinic, p.PaperSize, p.dates.format},
	}
	out := make(SheetBasis, len(parts))
	for k, v := range parts {
		b, err := json.Marshal(v)
		if err != nil {
			// Every value above is plain data; should one ever fail, the
			// part counts as changed rather than silently equal.
			b = []byte("unencodable: " + err.Error())
		}
		sum := sha256.Sum256(b)
		out[k] = hex.EncodeToString(sum[:])
	}
	return out
}

// Changes lists, in words, the parts that differ between a kept sheet's
// basis and now's.
func (b SheetBasis) Changes(now SheetBasis) []string {
	var out []string
	named := map[string]bool{}
	for _, p := range basisParts {
		named[p.key] = true
		if b[p.key] != now[p.key] {
			out = append(out, p.words)
		}
	}
	// A part a later NeedleDesk adds, or one it dropped.
	for _, m := range []SheetBasis{b, now} {
		for k := range m {
			if !named[k] && b[k] != now[k] {
				return append(out, "other parts of the sheet")
			}
		}
	}
	return out
}

// SheetFreshness says whether a kept sheet still says what a new sheet
// made now would say.
type SheetFreshness struct {
	// Known is false for a sheet kept before NeedleDesk noted what each
	// sheet was made from: it cannot tell, so it says so.
	Known bool
	// Changed lists, in words, the parts that would read differently now.
	Changed []string
}

// Stale reports whether the sheet should not be handed over without a
// word: it no longer matches, or NeedleDesk cannot tell.
func (f SheetFreshness) Stale() bool { return !f.Known || len(f.Changed) > 0 }

// Explain says in plain words why a kept sheet may not match the record,
// or "" when it does.
func (f SheetFreshness) Explain() string {
	switch {
	case !f.Known:
		return "This sheet was kept before NeedleDesk noted what each sheet was made from, so it cannot tell " +
			"whether the sheet still matches the record and the settings."
	case len(f.Changed) == 0:
		return ""
	}
	return "The record or the settings have changed since this sheet was made. A new sheet would differ in " +
		joinWords(f.Changed) + "."
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}

// nextBasis is the sheet's next-visit part: the due date, and the booked
// appointment when there is one (a sheet kept before any was booked
// keeps the due date alone, as it was kept).
func nextBasis(p AftercarePlan) any {
	if p.NextVisit.IsZero() {
		return p.NextDue
	}
	return []any{p.NextDue, p.NextVisit.Format("2006-01-02T15:04:05Z07:00"), p.NextVisitWith}
}
