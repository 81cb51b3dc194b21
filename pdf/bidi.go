package pdf

import (
	"slices"
	"unicode/utf8"

	"github.com/go-text/typesetting/unicodedata"
	"golang.org/x/text/unicode/bidi"
)

// Right-to-left text (Arabic, Hebrew) is laid out with the Unicode
// Bidirectional Algorithm (UAX #9): every paragraph of the sheet is left to
// right, so an Arabic name on its own, or after an English label, is a
// right-to-left run placed where the label ends, its words from right to
// left; numbers in it read left to right. The characters' bidi classes come
// from golang.org/x/text/unicode/bidi, but not the levels: its Paragraph
// resolves neutrals between opposite directions, terminators after numbers
// and bracket pairs wrongly ("محمد, for" puts the comma and space in the
// Arabic run; "(כהן)" splits its brackets), and it reports no levels, which
// the reordering needs for numbers inside right-to-left text. So
// bidiLevels resolves them itself, with the rules for one left-to-right
// paragraph without explicit embeddings (W1-W7, N0-N2, I1): clean drops
// the formatting characters that would make any.

// isRTL reports whether r belongs to a right-to-left script's blocks
// (Hebrew, Arabic and their neighbours, and their presentation forms).
func isRTL(r rune) bool {
	return r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFE
}

// hasRTL reports whether s has any right-to-left characters; most text has
// none and skips the algorithm.
func hasRTL(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < 0xD6 { // below U+0580 or an ASCII or continuation byte
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isRTL(r) {
			return true
		}
		i += n
	}
	return false
}

// bidiLevels are the embedding levels of the characters of text, a
// left-to-right paragraph: 0 for left to right, 1 for right to left, 2 for
// numbers inside right-to-left text.
func bidiLevels(text string) []uint8 {
	runes := []rune(text)
	n := len(runes)
	cls := make([]bidi.Class, n)
	props := make([]bidi.Properties, n)
	// X9: boundary neutrals (the joiners) are left out of the rules and
	// take the level of the character before them; idx lists the others.
	idx := make([]int, 0, n)
	for i, r := range runes {
		props[i], _ = bidi.LookupRune(r)
		cls[i] = props[i].Class()
		if cls[i] != bidi.BN {
			idx = append(idx, i)
		}
	}
	t := make([]bidi.Class, len(idx)) // the classes as the rules change them
	for k, i := range idx {
		t[k] = cls[i]
	}
	resolveWeak(t)
	resolveBrackets(t, idx, runes, props, cls)
	resolveNeutral(t)
	lv := make([]uint8, n)
	for k, i := range idx {
		switch t[k] {
		case bidi.R: // I1
			lv[i] = 1
		case bidi.AN, bidi.EN:
			lv[i] = 2
		}
	}
	for i := 1; i < n; i++ {
		if cls[i] == bidi.BN {
			lv[i] = lv[i-1]
		}
	}
	return lv
}

// strongBefore is the strong class (L, R or AL) before position k of t,
// or L (the start of the paragraph).
func strongBefore(t []bidi.Class, k int) bidi.Class {
	for k--; k >= 0; k-- {
		switch t[k] {
		case bidi.L, bidi.R, bidi.AL:
			return t[k]
		}
	}
	return bidi.L
}

// resolveWeak applies rules W1 to W7 (sos and eos are L).
func resolveWeak(t []bidi.Class) {
	for k := range t { // W1: a mark takes the class of what it is on
		if t[k] == bidi.NSM {
			t[k] = bidi.ON
			if k > 0 {
				t[k] = t[k-1]
			}
		}
	}
	for k := range t { // W2: a European number after Arabic letters is Arabic
		if t[k] == bidi.EN && strongBefore(t, k) == bidi.AL {
			t[k] = bidi.AN
		}
	}
	for k := range t { // W3
		if t[k] == bidi.AL {
			t[k] = bidi.R
		}
	}
	for k := 1; k+1 < len(t); k++ { // W4: one separator between two numbers
		switch {
		case t[k] == bidi.ES && t[k-1] == bidi.EN && t[k+1] == bidi.EN,
			t[k] == bidi.CS && t[k-1] == bidi.EN && t[k+1] == bidi.EN:
			t[k] = bidi.EN
		case t[k] == bidi.CS && t[k-1] == bidi.AN && t[k+1] == bidi.AN:
			t[k] = bidi.AN
		}
	}
	for k := 0; k < len(t); { // W5: terminators next to European numbers
		if t[k] != bidi.ET {
			k++
			continue
		}
		j := k
		for j < len(t) && t[j] == bidi.ET {
			j++
		}
		if (k > 0 && t[k-1] == bidi.EN) || (j < len(t) && t[j] == bidi.EN) {
			for m := k; m < j; m++ {
				t[m] = bidi.EN
			}
		}
		k = j
	}
	for k := range t { // W6
		switch t[k] {
		case bidi.ES, bidi.ET, bidi.CS:
			t[k] = bidi.ON
		}
	}
	for k := range t { // W7: a European number in left-to-right text is L
		if t[k] == bidi.EN && strongBefore(t, k) == bidi.L {
			t[k] = bidi.L
		}
	}
}

// strength is a class for the neutral rules: numbers count as R.
func strength(c bidi.Class) bidi.Class {
	switch c {
	case bidi.L:
		return bidi.L
	case bidi.R, bidi.EN, bidi.AN:
		return bidi.R
	}
	return bidi.ON
}

// resolveBrackets applies rule N0: a pair of brackets around right-to-left
// text, after right-to-left text, is right to left; around left-to-right
// text it is left to right (the paragraph's direction). Pairs are found as
// in BD16 (at most 63 open brackets deep).
func resolveBrackets(t []bidi.Class, idx []int, runes []rune, props []bidi.Properties, cls []bidi.Class) {
	type pair struct{ open, close int }
	var pairs []pair
	var stack []int
	for k, i := range idx {
		if t[k] != bidi.ON || !props[i].IsBracket() {
			continue
		}
		if props[i].IsOpeningBracket() {
			if len(stack) == 63 {
				break
			}
			stack = append(stack, k)
			continue
		}
		for s := len(stack) - 1; s >= 0; s-- {
			if m, ok := unicodedata.LookupMirrorChar(runes[idx[stack[s]]]); ok && m == runes[i] {
				pairs = append(pairs, pair{stack[s], k})
				stack = stack[:s]
				break
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return a.open - b.open })
	for _, p := range pairs {
		inside := bidi.ON
		for k := p.open + 1; k < p.close; k++ {
			if s := strength(t[k]); s == bidi.L {
				inside = bidi.L
				break
			} else if s == bidi.R {
				inside = bidi.R
			}
		}
		if inside == bidi.ON {
			continue // no strong text inside: N1 and N2 decide
		}
		dir := bidi.L
		if inside == bidi.R {
			dir = bidi.L // the context before the pair decides
			for k := p.open - 1; k >= 0; k-- {
				if s := strength(t[k]); s != bidi.ON {
					dir = s
					break
				}
			}
		}
		for _, k := range []int{p.open, p.close} {
			t[k] = dir
			// Marks on a bracket go with it.
			for m := k + 1; m < len(t) && cls[idx[m]] == bidi.NSM; m++ {
				t[m] = dir
			}
		}
	}
}

// resolveNeutral applies rules N1 and N2: a run of neutrals between text
// of one direction takes that direction, other neutrals the paragraph's.
func resolveNeutral(t []bidi.Class) {
	for k := 0; k < len(t); {
		if strength(t[k]) != bidi.ON {
			k++
			continue
		}
		j := k
		for j < len(t) && strength(t[j]) == bidi.ON {
			j++
		}
		before, after := bidi.L, bidi.L // sos and eos
		if k > 0 {
			before = strength(t[k-1])
		}
		if j < len(t) {
			after = strength(t[j])
		}
		dir := bidi.L // N2
		if before == after {
			dir = before // N1
		}
		for m := k; m < j; m++ {
			t[m] = dir
		}
		k = j
	}
}

// reorder puts the frags of a line, each at one level, in visual order
// (UAX #9 L2): from the highest level down to 1, every run of frags at
// that level or above is reversed. Text in simple faces at odd levels is
// reversed, with mirrored brackets; shaped runs already come in visual
// order. The frags' x are set anew.
func (t *typesetter) reorder(ln *line) {
	top := uint8(0)
	for _, fr := range ln.frags {
		top = max(top, fr.level)
	}
	if top == 0 {
		return
	}
	for lvl := top; lvl >= 1; lvl-- {
		for i := 0; i < len(ln.frags); {
			if ln.frags[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(ln.frags) && ln.frags[j].level >= lvl {
				j++
			}
			slices.Reverse(ln.frags[i:j])
			i = j
		}
	}
	x := 0.0
	for i := range ln.frags {
		fr := &ln.frags[i]
		if fr.level%2 == 1 && fr.run == nil {
			fr.text = mirrorReverse(fr.text)
			t.fonts.use(fr.face, fr.st.bold, fr.text)
		}
		fr.x = x
		x += fr.w
	}
}

// mirrorReverse reverses s, mirroring brackets and other characters that
// point one way.
func mirrorReverse(s string) string {
	rs := []rune(s)
	slices.Reverse(rs)
	for i, r := range rs {
		if m, ok := unicodedata.LookupMirrorChar(r); ok {
			rs[i] = m
		}
	}
	return string(rs)
}
