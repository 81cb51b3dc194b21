package data

import (
	"strings"
	"testing"
)

func TestMatchAllergies(t *testing.T) {
	for _, tc := range []struct {
		name, allergies, term string
		want                  bool
	}{
		{"same word", "Lidocaine", "lidocaine", true},
		{"allergy inside a longer name", "lidocaine", "Lidocaine 5% cream", true},
		{"name inside a longer allergy", "nickel and cobalt", "Nickel", true},
		{"accents and case", "LIDOCAÏNE", "lidocaine", true},
		{"accents on the other side", "vitamin e", "Vitamin É (tocopherol)", true},
		{"part of a word", "nickel", "Nickelodeon", false},
		{"word inside another", "caine", "lidocaine", false},
		{"hyphen is a boundary", "nickel", "nickel-free steel", true},
		{"dash is a boundary", "cobalt", "nickel–cobalt alloy", true},
		{"entries split at semicolons", "latex; aloe vera", "Aloe vera", true},
		{"entries split at 'and'", "latex and aloe vera", "aloe vera", true},
		{"ideographic comma", "花粉、芝麻油", "芝麻油", true},
		{"none is no allergy", "None", "none", false},
		{"NKDA is no allergy", "NKDA", "nkda", false},
		{"too short to read", "E", "vitamin E", false},
		{"short term", "vitamin e", "E", false},
		{"empty", "", "nickel", false},
		{"different thing", "latex", "Lidocaine", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MatchAllergies(tc.allergies, []string{tc.term})
			if (len(got) > 0) != tc.want {
				t.Fatalf("MatchAllergies(%q, %q) = %+v, want a match: %v", tc.allergies, tc.term, got, tc.want)
			}
		})
	}
}

// Issue 18: free-text allergies fall into the screening categories.
func TestAllergyGroups(t *testing.T) {
	for _, tc := range []struct {
		allergies    string
		metal, numbs string // the allergies each group should list, "" for none
	}{
		{"Nickel", "Nickel", ""},
		{"nickel sulphate, latex", "nickel sulphate", ""},
		{"Chromium; cobalt", "Chromium, cobalt", ""},
		{"metal jewellery", "metal jewellery", ""},
		{"Lidocaine", "", "Lidocaine"},
		{"lignocaine and EMLA", "", "lignocaine, EMLA"},
		{"local anaesthetics", "", "local anaesthetics"},
		{"Titanium, lidocaine", "Titanium", "lidocaine"},
		{"nickelodeon stickers", "", ""},
		{"none", "", ""},
		{"peanuts", "", ""},
	} {
		if got := allergyNames(MetalAllergies.Matches(tc.allergies)); got != tc.metal {
			t.Errorf("%q: metals %q, want %q", tc.allergies, got, tc.metal)
		}
		if got := allergyNames(NumbingAllergies.Matches(tc.allergies)); got != tc.numbs {
			t.Errorf("%q: numbing agents %q, want %q", tc.allergies, got, tc.numbs)
		}
	}
}

// Issue 11: everything on the skin in a session goes through the same
// matcher.
func TestSkinContactClashes(t *testing.T) {
	catalogue := []Product{{ID: 4, Name: "Calm Barrier Gel", KeyIngredients: []string{"Aloe vera", "Panthenol"}}}
	for _, tc := range []struct {
		name, allergies string
		s               Session
		want            []string // messages, in order
	}{
		{"numbing as typed", "Lidocaine", Session{NumbingAgent: "Lidocaine 5% cream"},
			[]string{"Numbing agent: Lidocaine 5% cream matches the client's allergy to Lidocaine"}},
		{"numbing by another name", "lignocaine", Session{NumbingAgent: "Lidocaine 5% cream"},
			[]string{"Numbing agent: Lidocaine 5% cream contains lignocaine; the client is allergic to lignocaine"}},
		{"numbing brand", "prilocaine", Session{NumbingAgent: "EMLA"},
			[]string{"Numbing agent: EMLA contains prilocaine; the client is allergic to prilocaine"}},
		{"numbing as a kind", "local anaesthetics", Session{NumbingAgent: "Numbing cream (own brand)"},
			[]string{"Numbing agent: Numbing cream (own brand) is a numbing agent; the client is allergic to local anaesthetics"}},
		{"no numbing", "local anaesthetics", Session{NumbingAgent: "None"}, nil},
		{"glide serum", "aloe vera", Session{GlideSerum: "Aloe Vera glide"},
			[]string{"Glide serum: Aloe Vera glide matches the client's allergy to aloe vera"}},
		{"catalogue product applied", "aloe vera", Session{ProductsApplied: "Hyaluronic mask, Calm Barrier Gel"},
			[]string{"Products applied: Calm Barrier Gel contains Aloe vera; the client is allergic to aloe vera"}},
		{"steel needles", "nickel", Session{Device: "Stainless steel roller"},
			[]string{"Needles and device: Stainless steel roller contains nickel; the client is allergic to nickel"}},
		{"recommended product", "fragrance", Session{Recommendations: []Recommendation{{ProductID: 9,
			Product: Product{Name: "Night Balm", KeyIngredients: []string{"Parfum (fragrance)"}}}}},
			[]string{"Recommended product Night Balm contains Parfum (fragrance); the client is allergic to fragrance"}},
		{"nothing clashes", "latex", Session{NumbingAgent: "Lidocaine", GlideSerum: "Hyaluronic", ProductsApplied: "Calm Barrier Gel"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, cl := range SkinContactClashes(Client{Allergies: tc.allergies}, tc.s, catalogue) {
				got = append(got, cl.Message())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// FuzzMatchAllergies: the matcher never panics, and a match is always a
// whole-word match of one folded text inside the other.
func FuzzMatchAllergies(f *testing.F) {
	f.Add("Nickel", "nickel")
	f.Add("nickel–cobalt", "cobalt")
	f.Add("lidocaïne; NKDA", "Lidocaine 5% cream")
	f.Fuzz(func(t *testing.T, allergies, term string) {
		for _, m := range MatchAllergies(allergies, []string{term}) {
			fa, ft := FoldForSearch(m.Allergy), FoldForSearch(strings.TrimSpace(m.Term))
			if !containsWord(ft, fa) && !containsWord(fa, ft) {
				t.Fatalf("match %+v is not a whole word either way", m)
			}
			if saysNone(m.Allergy) {
				t.Fatalf("%q says there is no allergy, yet matched", m.Allergy)
			}
		}
	})
}
