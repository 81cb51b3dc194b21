package data

// healthNotes are the clinic's lines for the conditions on the client's
// record that change what the client should expect or do after treatment.
func healthNotes(c Client, a AftercareSettings, vals map[string]string) []string {
	var out []string
	add := func(on bool, text string) {
		if on {
			out = append(out, fillTemplate(text, vals, nil)...)
		}
	}
	add(c.Contra.Anticoagulants, a.BloodThinnersNote)
	add(c.Contra.KeloidTendency, a.KeloidNote)
	add(c.Contra.PregnantOrNursing, a.PregnancyNote)
	return out
}
