package data

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// FoldForSearch lowers case and strips accents so "zoe" finds "Zoë" and
// "lukasz" finds "Łukasz". Letters without a decomposition (ł, ø, ß, đ) are
// mapped by hand; other scripts pass through unchanged.
func FoldForSearch(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if f, ok := specialFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return norm.NFC.String(b.String())
}

var specialFolds = map[rune]string{
	'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'ß': "ss", 'đ': "d", 'Đ': "d",
	'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ı': "i", 'þ': "th", 'Þ': "th", 'ð': "d", 'Ð': "d",
	'’': "'",
}
