package data

import (
	"fmt"
	"strings"
	"unicode"
)

// AllergyClash is a recommended product containing something the client is
// recorded as allergic to.
type AllergyClash struct {
	ProductID  int64
	Product    string
	Allergy    string
	Ingredient string
}

// AllergyClashes compares the client's allergies with each recommended
// product's key ingredients. Matching ignores case and accents and accepts a
// whole-word match either way round ("vitamin e" matches "Vitamin E
// (tocopherol)"; "nickel" does not match "nickelodeon").
func AllergyClashes(c Client, recs []Recommendation) []AllergyClash {
	allergies := splitAllergies(c.Allergies)
	var out []AllergyClash
	for _, r := range recs {
		for _, ing := range r.Product.KeyIngredients {
			fi := FoldForSearch(ing)
			for _, al := range allergies {
				fa := FoldForSearch(al)
				if containsWord(fi, fa) || containsWord(fa, fi) {
					out = append(out, AllergyClash{ProductID: r.ProductID, Product: r.Product.Name, Allergy: al, Ingredient: ing})
				}
			}
		}
	}
	return out
}

func allergyWarningLines(c Client, recs []Recommendation) []string {
	var out []string
	for _, cl := range AllergyClashes(c, recs) {
		out = append(out, fmt.Sprintf("Your record lists an allergy to %s, and %s contains %s. Do not use it until you have spoken to us.",
			cl.Allergy, cl.Product, cl.Ingredient))
	}
	return out
}

// splitAllergies reads the free-text allergy field as a list.
func splitAllergies(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '/' }) {
		for _, p := range strings.Split(part, " and ") {
			if p = strings.TrimSpace(p); len([]rune(p)) >= 3 {
				out = append(out, p)
			}
		}
	}
	return out
}

// containsWord reports whether needle occurs in hay on word boundaries.
func containsWord(hay, needle string) bool {
	if needle == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(hay[i:], needle)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(needle)
		if boundary(hay, start-1) && boundary(hay, end) {
			return true
		}
		i = start + 1
	}
}

func boundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	r := rune(s[i])
	return r < 0x80 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// RecommendationWarnings are what the technician sees before printing:
// vitamin C planned before the skin has closed, and allergy clashes.
func RecommendationWarnings(c Client, recs []Recommendation, s Settings) []Warning {
	var out []Warning
	for _, r := range recs {
		if r.Product.Category == CategoryVitaminC && r.StartDay < s.Aftercare.VitaminCFromDay {
			out = append(out, Warning{Field: "recommendations", Message: fmt.Sprintf(
				"%s is vitamin C: starting it on day %d, before day %d when the skin has closed, risks a reaction",
				r.Product.Name, r.StartDay, s.Aftercare.VitaminCFromDay)})
		}
	}
	for _, cl := range AllergyClashes(c, recs) {
		out = append(out, Warning{Field: "recommendations", Message: fmt.Sprintf(
			"%s contains %s; the client is allergic to %s", cl.Product, cl.Ingredient, cl.Allergy)})
	}
	return out
}
