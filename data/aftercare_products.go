package data

import (
	"fmt"
	"sort"
	"time"
	"unicode"
)

// The product plan is checked against the precautions when a sheet is
// made: a product the client must not use is not scheduled, and a product
// chosen to start inside a window that rules it out starts on the first
// day the windows allow. Gentle care starts early only where the clinical
// facts say so: the soothing gel on the treatment day; a gentle cleanser,
// a plain moisturiser and a hydrating serum from the next morning.
// Sunscreen starts when the time out of the sun is over, makeup when the
// time without makeup is; vitamin C, peptides and anything NeedleDesk does
// not know as gentle care wait until the skin has healed.

// Ingredient and name terms, matched as whole words ignoring case and
// accents (FoldForSearch), that tie a product to a precaution; each list is
// folded once, not for every product of every sheet.
var (
	retinoidTerms = newTermList("retinol", "retinal", "retinaldehyde", "retinoid", "retinoids", "retinyl palmitate",
		"retinyl acetate", "retinyl retinoate", "hydroxypinacolone retinoate", "tretinoin", "adapalene",
		"tazarotene", "trifarotene", "vitamin a")
	activeTerms = newTermList("glycolic acid", "lactic acid", "mandelic acid", "salicylic acid", "malic acid",
		"tartaric acid", "citric acid", "azelaic acid", "lactobionic acid", "gluconolactone", "aha", "bha",
		"pha", "alpha hydroxy acid", "beta hydroxy acid", "exfoliant", "exfoliating", "exfoliator", "peel",
		"peeling", "scrub", "enzyme", "papain", "bromelain", "microbeads", "benzoyl peroxide", "sulfur",
		"sulphur", "hydroquinone", "kojic acid", "arbutin", "alpha arbutin", "tranexamic acid", "toner",
		"fragrance", "parfum", "perfume", "essential oil", "essential oils", "linalool", "limonene",
		"geraniol", "citronellol", "eugenol", "alcohol denat", "denatured alcohol")
	vitaminCTerms = newTermList("vitamin c", "ascorbic acid", "l-ascorbic acid", "ascorbyl", "ascorbyl palmitate",
		"ascorbyl glucoside", "sodium ascorbyl phosphate", "magnesium ascorbyl phosphate",
		"tetrahexyldecyl ascorbate", "ethyl ascorbic acid", "3-o-ethyl ascorbic acid")
	makeupTerms = newTermList("makeup", "make-up", "make up", "foundation", "concealer", "powder", "bronzer",
		"blusher", "blush", "bb cream", "cc cream", "tinted", "mica", "iron oxides", "mascara", "eyeshadow",
		"lipstick", "primer")
)

// termList is a list of terms as written and as folded for matching.
type termList struct{ terms, folded []string }

func newTermList(terms ...string) termList {
	l := termList{terms: terms, folded: make([]string, len(terms))}
	for i, t := range terms {
		l.folded[i] = FoldForSearch(t)
	}
	return l
}

// productNeed is one reason a product waits: the precaution it waits for
// and why, in words for the technician ("it contains retinol").
type productNeed struct {
	rule   Rule // "" for a product that may start on the treatment day
	reason string
}

// productNeeds lists what a product waits for, from its category and from
// the terms in its name and key ingredients.
func productNeeds(pr Product) []productNeed {
	var needs []productNeed
	matched := false
	words := productText(pr)
	add := func(r Rule, terms termList, what string) {
		if t := words.find(terms); t != "" {
			needs = append(needs, productNeed{r, fmt.Sprintf(what, t)})
			matched = true
		}
	}
	add(RuleActives, retinoidTerms, "it contains %s, a retinoid")
	add(RuleActives, activeTerms, "it contains %s")
	add(RuleVitaminC, vitaminCTerms, "it contains %s (vitamin C)")
	add(RuleMakeup, makeupTerms, "it is makeup (%s)")
	switch pr.Category {
	case CategoryProtectiveGel:
		needs = append(needs, productNeed{"", "it is the soothing gel"})
	case CategoryCleanser, CategoryMoisturiser, CategoryHydrating:
		needs = append(needs, productNeed{RuleWash, "it goes on the skin, which has only the soothing gel on the treatment day"})
	case CategorySunscreen:
		needs = append(needs, productNeed{RuleSunHeat, "it is a sunscreen, which starts when the time out of the sun is over"})
	case CategoryVitaminC:
		needs = append(needs, productNeed{RuleVitaminC, "it is a vitamin C product"})
	case CategoryPeptide:
		needs = append(needs, productNeed{RuleActives, "it is a peptide treatment product"})
	default:
		if !matched {
			needs = append(needs, productNeed{RuleActives, "NeedleDesk does not know it as gentle care"})
		} else {
			needs = append(needs, productNeed{RuleWash, "it goes on the skin, which has only the soothing gel on the treatment day"})
		}
	}
	return needs
}

// findTerm returns the first term found in the product's name or key
// ingredients, as the product spells it, or "".
func findTerm(pr Product, terms termList) string { return productText(pr).find(terms) }

// productWords are a product's name and key ingredients, as written and
// folded, so that one product is folded once for every list it is checked
// against.
type productWords struct {
	written []string // the name first, then the ingredients
	folded  []string
}

func productText(pr Product) productWords {
	w := productWords{written: append([]string{pr.Name}, pr.KeyIngredients...)}
	w.folded = make([]string, len(w.written))
	for i, f := range w.written {
		w.folded[i] = FoldForSearch(f)
	}
	return w
}

// find returns the first term of the list found in the product's words:
// the term when it is in the name, else the ingredient as written.
func (w productWords) find(terms termList) string {
	for j, ff := range w.folded {
		for i, t := range terms.folded {
			if containsWord(ff, t) {
				if j == 0 {
					return terms.terms[i]
				}
				return w.written[j]
			}
		}
	}
	return ""
}

func isRetinoid(pr Product) bool { return findTerm(pr, retinoidTerms) != "" }

// earliestStart is the first day a product may start and the need that
// decides it. A precaution the plan does not have (makeup after a
// body-only treatment) falls back to the next morning.
func earliestStart(rules map[Rule]RuleSpan, day0 Date, pr Product) (Date, productNeed) {
	first, why := day0, productNeed{}
	for _, n := range productNeeds(pr) {
		d := day0
		if n.rule != "" {
			s, ok := rules[n.rule]
			if !ok {
				s = rules[RuleWash]
			}
			d = s.From
		}
		if d.After(first) {
			first, why = d, n
		}
	}
	return first, why
}

// productPlan is the product part of a plan.
type productPlan struct {
	scheduled []PlanProduct
	doNotUse  []PlanProduct
	warnings  []string // the allergy warnings for the sheet's red box
	moved     []movedProduct
	vitaminC  bool // a vitamin C product is scheduled
}

// movedProduct is a product whose chosen start fell inside a window.
type movedProduct struct {
	product Product
	chosen  Date
	start   Date
	need    productNeed
}

// scheduleProducts checks each recommendation against the client's record
// and the precautions.
func scheduleProducts(rules map[Rule]RuleSpan, day0 Date, c Client, recs []Recommendation, ds dateStyle) productPlan {
	var out productPlan
	banned := map[int]string{}
	for _, cl := range AllergyClashes(c, recs) {
		for i, r := range recs {
			if _, done := banned[i]; !done && r.ProductID == cl.ProductID && r.Product.Name == cl.Product {
				banned[i] = fmt.Sprintf("it contains %s, and your record lists an allergy to %s", cl.Ingredient, cl.Allergy)
				out.warnings = append(out.warnings, fmt.Sprintf(
					"Do not use %s: it contains %s, and your record lists an allergy to %s. Please ask us about an alternative.",
					cl.Product, cl.Ingredient, cl.Allergy))
			}
		}
	}
	for i, r := range recs {
		pp := PlanProduct{Name: r.Product.Name, Brand: r.Product.Brand, Category: r.Product.Category.Label(),
			HowToUse: r.Product.HowToUse, ChosenDay: r.StartDay}
		if why, ok := banned[i]; ok {
			pp.Why = capitalise(why) + "."
			out.doNotUse = append(out.doNotUse, pp)
			continue
		}
		if c.Contra.PregnantOrNursing && isRetinoid(r.Product) {
			pp.Why = fmt.Sprintf("It contains %s, a retinoid: not for use while you are pregnant or breastfeeding.",
				findTerm(r.Product, retinoidTerms))
			out.doNotUse = append(out.doNotUse, pp)
			continue
		}
		chosen := day0.AddDays(r.StartDay)
		first, need := earliestStart(rules, day0, r.Product)
		pp.StartDay, pp.StartOn = r.StartDay, chosen
		if chosen.Before(first) {
			pp.StartDay, pp.StartOn = day0.DaysUntil(first), first
			pp.Why = fmt.Sprintf("Starts on %s, not %s as chosen: %s.", ds.long(first), ds.long(chosen), need.reason)
			out.moved = append(out.moved, movedProduct{product: r.Product, chosen: chosen, start: first, need: need})
		}
		for _, n := range productNeeds(r.Product) {
			out.vitaminC = out.vitaminC || n.rule == RuleVitaminC
		}
		out.scheduled = append(out.scheduled, pp)
	}
	sort.SliceStable(out.scheduled, func(i, j int) bool { return out.scheduled[i].StartDay < out.scheduled[j].StartDay })
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// ProductStartWarnings checks the start day of each recommended product
// against the aftercare windows of the session, as the sheet will: a
// product that would start inside a window that rules it out (a retinol
// on day 2, a sunscreen before the time out of the sun is over, powder
// before the time without makeup is) and a retinoid for a client who is
// pregnant or breastfeeding. The session form shows these as the
// technician chooses products; allergy clashes are RecommendationWarnings'.
// ses needs StartedAt, Areas and Recommendations with their Product; loc is
// the clinic's zone (nil means local time).
func ProductStartWarnings(ses Session, c Client, s Settings, loc *time.Location) []Warning {
	if loc == nil {
		loc = time.Local
	}
	treated := ses.StartedAt.In(loc)
	day0 := DateOf(treated)
	ds := newDateStyle(s.DateFormat)
	rules := planRules(treated, s.Aftercare, FaceTreated(ses.Areas), c.Contra.PregnantOrNursing)
	pp := scheduleProducts(rules, day0, Client{Contra: c.Contra}, ses.Recommendations, ds)
	var out []Warning
	for _, m := range pp.moved {
		until := m.start.AddDays(-1)
		out = append(out, Warning{Field: "recommendations", Message: fmt.Sprintf(
			"%s on day %d (%s) is too early: %s, and that waits until the end of %s. The sheet will start it on day %d (%s).",
			m.product.Name, day0.DaysUntil(m.chosen), ds.long(m.chosen), m.need.reason, ds.long(until),
			day0.DaysUntil(m.start), ds.long(m.start))})
	}
	for _, d := range pp.doNotUse {
		out = append(out, Warning{Field: "recommendations", Message: fmt.Sprintf(
			"%s will be listed on the sheet under \"do not use\": %s", d.Name, lowerFirst(d.Why))})
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
