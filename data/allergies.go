package data

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The allergy matcher. Everything that checks the client's free-text
// allergies (recommended products, the numbing agent, the glide serum, the
// products applied, the screening categories such as metals and numbing
// agents) goes through MatchAllergies, so a word found in one place is
// found in all of them.

// AllergyMatch is one allergy on the client's record and the name it
// matched: an ingredient, a product, a typed name or a screening word.
type AllergyMatch struct {
	Allergy string // as the record lists it, for example "Lidocaine"
	Term    string // what it matched, as written where it was found
}

// MatchAllergies compares the client's free-text allergies with names.
// Matching ignores case and accents and works on whole words, either way
// round: the allergy "vitamin E" matches "Vitamin E (tocopherol)", the
// term "nickel" matches the allergy "nickel and cobalt", and "nickel" does
// not match "nickelodeon". Entries that say there is no allergy ("none",
// "NKDA") match nothing, nor does any name shorter than three letters.
// Each allergy and term pair is reported once.
func MatchAllergies(allergies string, terms []string) []AllergyMatch {
	var out []AllergyMatch
	seen := map[[2]string]bool{}
	for _, al := range splitAllergies(allergies) {
		fa := FoldForSearch(al)
		for _, term := range terms {
			term = strings.TrimSpace(term)
			if utf8.RuneCountInString(term) < minAllergyRunes {
				continue
			}
			ft := FoldForSearch(term)
			key := [2]string{fa, ft}
			if seen[key] || !(containsWord(ft, fa) || containsWord(fa, ft)) {
				continue
			}
			seen[key] = true
			out = append(out, AllergyMatch{Allergy: al, Term: term})
		}
	}
	return out
}

// minAllergyRunes is the shortest allergy or name the matcher reads: one
// or two letters ("E", "C") would match far too much.
const minAllergyRunes = 3

// splitAllergies reads a free-text list (the allergy field, or a typed
// list of products) as its entries: split at commas, semicolons, slashes,
// new lines and " and ", entries that say "none" left out.
func splitAllergies(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '\n' || r == '/' || r == '；' || r == '，' || r == '、'
	}) {
		for _, p := range strings.Split(part, " and ") {
			p = strings.TrimSpace(p)
			if utf8.RuneCountInString(p) >= minAllergyRunes && !saysNone(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// noneWords are what people type in a list to say it is empty.
var noneWords = map[string]bool{
	"none": true, "nil": true, "nkda": true, "nka": true, "none known": true, "no known allergies": true,
	"no known drug allergies": true, "no allergies": true, "not known": true, "not used": true, "no numbing": true,
}

func saysNone(s string) bool {
	return noneWords[strings.Trim(FoldForSearch(s), " .!-")]
}

// containsWord reports whether needle occurs in hay on word boundaries:
// the characters on either side, if any, are neither letters nor digits.
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
		if boundaryBefore(hay, start) && boundaryAfter(hay, end) {
			return true
		}
		_, size := utf8.DecodeRuneInString(hay[start:])
		i = start + size
	}
}

func boundaryBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !wordRune(r)
}

func boundaryAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i == len(s) || !wordRune(r)
}

func wordRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// AllergyGroup is a screening category that free-text allergies are
// checked against: the metals needles are made of, the numbing agents.
type AllergyGroup struct {
	Field string   // the screening answer it stands beside, for example "metal_allergy"
	Terms []string // the words that name it
}

// MetalAllergies are the metals needles, cartridges and rollers are made
// of or plated with, and the words people use for a metal allergy.
var MetalAllergies = AllergyGroup{Field: "metal_allergy", Terms: []string{
	"metal", "metals", "nickel", "chromium", "chrome", "cobalt", "titanium", "steel",
	"stainless steel", "surgical steel", "gold", "molybdenum",
}}

// NumbingAllergies are the topical numbing agents (local anaesthetics)
// used before needling, by their names and the brand names clinics use.
var NumbingAllergies = AllergyGroup{Field: "numbing_allergy", Terms: []string{
	"lidocaine", "lignocaine", "xylocaine", "prilocaine", "benzocaine", "tetracaine", "amethocaine",
	"procaine", "novocaine", "articaine", "bupivacaine", "mepivacaine", "emla", "lmx", "ametop",
	numbingWords[0], numbingWords[1], numbingWords[2], numbingWords[3], numbingWords[4], numbingWords[5],
}}

// numbingWords name numbing agents as a kind: an allergy worded this way
// clashes with whatever numbing agent is used.
var numbingWords = [...]string{
	"local anaesthetic", "local anesthetic", "local anaesthetics", "local anesthetics", "numbing", "caines",
}

// Matches lists the client's allergies that fall in the group.
func (g AllergyGroup) Matches(allergies string) []AllergyMatch {
	return MatchAllergies(allergies, g.Terms)
}

// allergyNames lists the allergies matched, each once, as the record
// writes them.
func allergyNames(ms []AllergyMatch) string {
	var names []string
	for _, m := range ms {
		if !slices.Contains(names, m.Allergy) {
			names = append(names, m.Allergy)
		}
	}
	return strings.Join(names, ", ")
}

// alsoKnownAs gives what a name on a product or a typed line also stands
// for when matched against allergies: the other names of the same drug,
// what a numbing cream's brand name contains, what an alloy is made of.
var alsoKnownAs = []struct {
	name string
	more []string
}{
	{"lidocaine", []string{"lignocaine", "xylocaine"}},
	{"lignocaine", []string{"lidocaine", "xylocaine"}},
	{"xylocaine", []string{"lidocaine", "lignocaine"}},
	{"emla", []string{"lidocaine", "prilocaine"}},
	{"lmx", []string{"lidocaine"}},
	{"lmx4", []string{"lidocaine"}},
	{"ametop", []string{"tetracaine", "amethocaine"}},
	{"tetracaine", []string{"amethocaine"}},
	{"amethocaine", []string{"tetracaine"}},
	{"blt", []string{"benzocaine", "lidocaine", "tetracaine"}},
	{"pliaglis", []string{"lidocaine", "tetracaine"}},
	{"stainless steel", []string{"nickel", "chromium"}},
	{"surgical steel", []string{"nickel", "chromium"}},
}

// otherNames adds, for each known name found in text, what it also stands
// for.
func otherNames(text string) []string {
	folded := FoldForSearch(text)
	var out []string
	for _, k := range alsoKnownAs {
		if containsWord(folded, k.name) {
			out = append(out, k.more...)
		}
	}
	return out
}
