package data

import (
	"slices"
	"strings"
)

// Which client fields are clinical. Receptionists keep a client's contact
// details, consent and general notes (names, date of birth, phone, e-mail,
// address, consent date and form version, notes); the fields below hold
// health information and are changed only by staff allowed
// PermClientEditClinical.
var ClinicalFields = []string{
	"skin_type", "concerns", "allergies", "medications", "medical_notes",
	"isotretinoin", "pregnant_or_nursing", "anticoagulants", "keloid_tendency",
	"active_infection", "metal_allergy", "recent_actives",
}

// ClinicalChanges lists the clinical fields (names from ClinicalFields)
// that differ between two versions of a client. It compares what the
// fields mean, not how they were typed: concerns in any order, text
// without surrounding spaces, and a screening answer's date or details
// only while the answer is yes. For a new client, pass Client{} as before.
func ClinicalChanges(before, after Client) []string {
	var out []string
	diff := func(field string, changed bool) {
		if changed {
			out = append(out, field)
		}
	}
	diff("skin_type", before.SkinType != after.SkinType)
	diff("concerns", !sameConcerns(before.Concerns, after.Concerns))
	diff("allergies", !sameText(before.Allergies, after.Allergies))
	diff("medications", !sameText(before.Medications, after.Medications))
	diff("medical_notes", !sameText(before.MedicalNotes, after.MedicalNotes))
	b, a := screening(before.Contra), screening(after.Contra)
	diff("isotretinoin", b.Isotretinoin != a.Isotretinoin || b.IsotretinoinStopped != a.IsotretinoinStopped)
	diff("pregnant_or_nursing", b.PregnantOrNursing != a.PregnantOrNursing)
	diff("anticoagulants", b.Anticoagulants != a.Anticoagulants)
	diff("keloid_tendency", b.KeloidTendency != a.KeloidTendency)
	diff("active_infection", b.ActiveInfection != a.ActiveInfection)
	diff("metal_allergy", b.MetalAllergy != a.MetalAllergy)
	diff("recent_actives", b.RecentActives != a.RecentActives || b.RecentActivesOn != a.RecentActivesOn ||
		!sameText(b.RecentActivesWhat, a.RecentActivesWhat))
	return out
}

// screening drops the details of answers that are no: the client form
// leaves them out, so they do not count as a change.
func screening(k Contraindications) Contraindications {
	if !k.Isotretinoin {
		k.IsotretinoinStopped = Date{}
	}
	if !k.RecentActives {
		k.RecentActivesOn, k.RecentActivesWhat = Date{}, ""
	}
	return k
}

func sameText(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

func sameConcerns(a, b []Concern) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
