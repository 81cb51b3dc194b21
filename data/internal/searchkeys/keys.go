// Package searchkeys is how a client is found, the same in both stores:
// the columns derived from what a person typed (folded names for sorting,
// folded text and phone digits for search) and how a query is parsed into
// the patterns looked for in them. The contract suite checks that both
// stores find the same clients for the same words.
package searchkeys

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"needledesk/data"
)

// Derived are the client columns computed in Go from the ones a person
// typed: folded names for sorting, folded text and phone digits for search.
type Derived struct {
	FamilySort, GivenSort, SearchText, PhoneDigits string
}

// Derive computes a client's derived columns.
func Derive(given, family, email, phone string) Derived {
	return Derived{
		FamilySort:  data.FoldForSearch(family),
		GivenSort:   data.FoldForSearch(given),
		SearchText:  SearchText(given, family, email),
		PhoneDigits: data.PhoneDigits(phone),
	}
}

// Version changes whenever Derive itself changes, so that the
// fingerprint changes with it.
const Version = "2"

// WordGap comes before every word of the search text. Two spaces are what
// let the trigram index (migration 5) find a word by its first one or two
// characters: "zo" is looked up as " zo" and "z" as "  z", three characters
// like every other entry in the index, and both can only match at the
// start of a word. See searchPattern for the query side.
const WordGap = "  "

// SearchText lays out the folded words a search looks in: the given name,
// the family name, the e-mail address and, for a name written without a
// space (王芳, 佐藤さくら), the full name as the clinic writes it. After
// them come the starts of the parts inside a word, behind its punctuation
// (o'|brien, jm_|garcia@|example.|org), as short entries of the punctuation
// and the next character and of the two characters after it, so that "br",
// "ga" and "_" are found as the start of a part. Queries of three or more
// characters are matched anywhere in the text; no query word holds a
// space, so none can match across the gap between two entries.
func SearchText(given, family, email string) string {
	var Words []string
	for _, s := range []string{given, family, email} {
		Words = append(Words, strings.Fields(data.FoldForSearch(s))...)
	}
	full := data.Client{GivenName: given, FamilyName: family}.FullName()
	if given != "" && family != "" && !strings.ContainsAny(full, " \t") {
		Words = append(Words, data.FoldForSearch(full))
	}
	var b strings.Builder
	for _, w := range Words {
		b.WriteString(WordGap)
		b.WriteString(w)
	}
	seen := map[string]bool{}
	for _, w := range Words {
		for _, part := range partStarts(w) {
			if !seen[part] {
				seen[part] = true
				b.WriteString(WordGap)
				b.WriteString(part)
			}
		}
	}
	return b.String()
}

// partStarts lists, for each punctuation mark inside w, the mark with the
// character after it and the two characters after it.
func partStarts(w string) []string {
	var out []string
	rs := []rune(w)
	for i := 1; i < len(rs); i++ {
		if unicode.In(rs[i], unicode.L, unicode.N, unicode.M) {
			continue
		}
		out = append(out, string(rs[i:min(i+2, len(rs))]))
		if i+1 < len(rs) {
			out = append(out, string(rs[i+1:min(i+3, len(rs))]))
		}
	}
	return out
}

// MinPhoneDigits is how many digits a query needs before it is also tried
// against phone numbers; fewer would match nearly every client.
const MinPhoneDigits = 3

// Search is a query text made ready for both ways of testing it, which
// must agree: an FTS5 query for client_search, and substring tests of the
// same patterns on the client row or the name index.
type Search struct {
	Words  []string // Pattern of each word; all must be in search_text
	Phones []string // digit strings; any one in phone_digits is a match too
}

// Parse makes a query text ready: its words as patterns, and any phone
// digits in it (with and without a leading 0).
func Parse(text string) Search {
	var srch Search
	for _, w := range strings.Fields(data.FoldForSearch(text)) {
		srch.Words = append(srch.Words, Pattern(w))
	}
	if digits := data.PhoneDigits(text); len(digits) >= MinPhoneDigits {
		srch.Phones = append(srch.Phones, digits)
		if national := strings.TrimPrefix(digits, "0"); national != digits && len(national) >= MinPhoneDigits {
			srch.Phones = append(srch.Phones, national)
		}
	}
	return srch
}

// Pattern is the text a folded query word is looked for as in the
// Search text (see searchText): the word itself when it has three or more
// characters, found anywhere; a shorter word behind the gap that starts
// every word, so that it is three characters long, as the trigram index
// needs, and matches only the start of a word. Control characters, which
// no stored name holds, become U+FFFD, so they match nothing rather than
// upset the FTS5 query syntax.
func Pattern(w string) string {
	w = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, w)
	if n := utf8.RuneCountInString(w); n < 3 {
		return WordGap[:3-n] + w
	}
	return w
}

func (s Search) Empty() bool { return len(s.Words) == 0 && len(s.Phones) == 0 }
