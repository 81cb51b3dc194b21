package data

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// AllergyClash is something put on the client's skin in a session (the
// numbing agent, the glide serum, a product applied, a recommended
// product, the needles) that matches an allergy on the client's record.
type AllergyClash struct {
	// Field is the session field it was found in: "numbing_agent",
	// "glide_serum", "products_applied", "device" or "recommendations".
	Field     string
	ProductID int64  // the recommended product; 0 for typed text
	Product   string // the product's name, or the entry as typed
	Allergy   string // the allergy as the record lists it
	// Ingredient is what in the product matched: a key ingredient, another
	// name for it, or the product's own name (then equal to Product); ""
	// when the allergy names numbing agents as a kind.
	Ingredient string
}

// skinFieldLabels name the session fields that touch the skin.
var skinFieldLabels = map[string]string{
	"numbing_agent": "Numbing agent", "glide_serum": "Glide serum", "products_applied": "Products applied",
	"device": "Needles and device", "recommendations": "Recommended product",
}

// Message says what clashes, for the technician.
func (cl AllergyClash) Message() string {
	label := skinFieldLabels[cl.Field]
	if cl.Field == "recommendations" {
		label += " "
	} else {
		label += ": "
	}
	switch cl.Ingredient {
	case "":
		return fmt.Sprintf("%s%s is a numbing agent; the client is allergic to %s", label, cl.Product, cl.Allergy)
	case cl.Product:
		return fmt.Sprintf("%s%s matches the client's allergy to %s", label, cl.Product, cl.Allergy)
	}
	return fmt.Sprintf("%s%s contains %s; the client is allergic to %s", label, cl.Product, cl.Ingredient, cl.Allergy)
}

// AllergyClashes compares the client's allergies with each recommended
// product's key ingredients and name, with MatchAllergies.
func AllergyClashes(c Client, recs []Recommendation) []AllergyClash {
	var out clashList
	for _, r := range recs {
		terms := append(append([]string{}, r.Product.KeyIngredients...), otherNames(strings.Join(r.Product.KeyIngredients, ", "))...)
		for _, m := range MatchAllergies(c.Allergies, append(terms, r.Product.Name)) {
			out.add(AllergyClash{Field: "recommendations", ProductID: r.ProductID, Product: r.Product.Name,
				Allergy: m.Allergy, Ingredient: m.Term})
		}
	}
	return out
}

// SkinContactClashes checks everything a session puts on the client's
// skin against the client's allergies, with MatchAllergies: the numbing
// agent, the glide serum, the products applied and the device as typed
// (each entry of a list on its own, a catalogue product named there by its
// key ingredients too, a numbing cream's brand by what it contains), and
// the recommended products. An allergy to numbing agents as a kind ("local
// anaesthetics") clashes with any numbing agent.
func SkinContactClashes(c Client, s Session, catalogue []Product) []AllergyClash {
	var out clashList
	for _, f := range []struct{ field, text string }{
		{"numbing_agent", s.NumbingAgent}, {"glide_serum", s.GlideSerum},
		{"products_applied", s.ProductsApplied}, {"device", s.Device},
	} {
		for _, entry := range splitAllergies(f.text) {
			out.typed(c.Allergies, f.field, entry, catalogue)
		}
	}
	return append(out, AllergyClashes(c, s.Recommendations)...)
}

// clashList keeps one clash per field, product and allergy.
type clashList []AllergyClash

func (l *clashList) add(cl AllergyClash) {
	for _, x := range *l {
		if x.Field == cl.Field && x.Product == cl.Product && x.Allergy == cl.Allergy {
			return
		}
	}
	*l = append(*l, cl)
}

// typed checks one typed entry: the entry itself, what it also stands
// for, the key ingredients of catalogue products it names and, in the
// numbing field, numbing agents as a kind.
func (l *clashList) typed(allergies, field, entry string, catalogue []Product) {
	clash := func(ms []AllergyMatch, ingredient func(AllergyMatch) string) {
		for _, m := range ms {
			l.add(AllergyClash{Field: field, Product: entry, Allergy: m.Allergy, Ingredient: ingredient(m)})
		}
	}
	term := func(m AllergyMatch) string { return m.Term }
	clash(MatchAllergies(allergies, []string{entry}), term)
	clash(MatchAllergies(allergies, otherNames(entry)), term)
	folded := FoldForSearch(entry)
	for _, p := range catalogue {
		if utf8.RuneCountInString(p.Name) >= minAllergyRunes && containsWord(folded, FoldForSearch(p.Name)) {
			clash(MatchAllergies(allergies, p.KeyIngredients), term)
		}
	}
	if field == "numbing_agent" {
		clash(MatchAllergies(allergies, numbingWords[:]), func(AllergyMatch) string { return "" })
	}
}

// RecommendationWarnings are what the technician sees while choosing
// products for the session, as the sheet will treat them: products that
// clash with the client's allergies, and those that would start inside a
// precaution window (vitamin C before the skin has closed, a retinol on
// day 2, a sunscreen before the time out of the sun is over) or may not be
// used at all (see ProductStartWarnings). ses needs StartedAt, Areas and
// Recommendations with their Product.
func RecommendationWarnings(ses Session, c Client, s Settings) []Warning {
	var out []Warning
	for _, cl := range AllergyClashes(c, ses.Recommendations) {
		out = append(out, Warning{Field: "recommendations", Message: cl.Message()})
	}
	return append(out, ProductStartWarnings(ses, c, s, nil)...)
}
