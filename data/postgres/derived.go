package postgres

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"needledesk/data"
)

// A client's derived columns: the same folding and layout as data/sqlite's
// derived.go and find.go (copied from there: both stores must find the
// same clients for the same words, which the contract suite checks).

type derived struct {
	familySort, givenSort, searchText, phoneDigits string
}

func deriveClient(given, family, email, phone string) derived {
	return derived{
		familySort:  data.FoldForSearch(family),
		givenSort:   data.FoldForSearch(given),
		searchText:  searchText(given, family, email),
		phoneDigits: data.PhoneDigits(phone),
	}
}

// wordGap separates the words of search_text; a query word of one or two
// letters is looked for behind it, so it matches the start of a word.
const wordGap = "  "

func searchText(given, family, email string) string {
	var words []string
	for _, s := range []string{given, family, email} {
		words = append(words, strings.Fields(data.FoldForSearch(s))...)
	}
	full := data.Client{GivenName: given, FamilyName: family}.FullName()
	if given != "" && family != "" && !strings.ContainsAny(full, " \t") {
		words = append(words, data.FoldForSearch(full))
	}
	var b strings.Builder
	for _, w := range words {
		b.WriteString(wordGap)
		b.WriteString(w)
	}
	seen := map[string]bool{}
	for _, w := range words {
		for _, part := range partStarts(w) {
			if !seen[part] {
				seen[part] = true
				b.WriteString(wordGap)
				b.WriteString(part)
			}
		}
	}
	return b.String()
}

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

// minPhoneDigits is the fewest digits a search looks for in phone numbers.
const minPhoneDigits = 3

// search is a parsed query: every word in search_text, or any phone
// digits in phone_digits.
type search struct {
	words  []string
	phones []string
}

func parseSearch(text string) search {
	var srch search
	for _, w := range strings.Fields(data.FoldForSearch(text)) {
		srch.words = append(srch.words, searchPattern(w))
	}
	if digits := data.PhoneDigits(text); len(digits) >= minPhoneDigits {
		srch.phones = append(srch.phones, digits)
		if national := strings.TrimPrefix(digits, "0"); national != digits && len(national) >= minPhoneDigits {
			srch.phones = append(srch.phones, national)
		}
	}
	return srch
}

func searchPattern(w string) string {
	w = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, w)
	if n := utf8.RuneCountInString(w); n < 3 {
		return wordGap[:3-n] + w
	}
	return w
}

func (s search) empty() bool { return len(s.words) == 0 && len(s.phones) == 0 }

// likeContains is a LIKE pattern for text containing w anywhere.
func likeContains(w string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(w) + "%"
}
