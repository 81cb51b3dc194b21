package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nbsp glues words together for line breaking; it is printed as a space.
const nbsp = '\u00a0'

// glue replaces the spaces in s by nbsp so that it is kept on one line.
func glue(s string) string { return strings.ReplaceAll(s, " ", string(nbsp)) }

// ptToMM converts a font size or width in points to millimetres.
const ptToMM = 25.4 / 72

type rgb struct{ r, g, b int }

// style is how a run of text looks.
type style struct {
	size  float64 // points
	bold  bool
	color rgb
}

// span is text in one style; a paragraph is a list of spans.
type span struct {
	text string
	st   style
}

// frag is a piece of a laid-out line set in one face and style.
type frag struct {
	x    float64 // from the start of the line, mm
	text string
	face face
	st   style
}

// line is one laid-out line of text.
type line struct {
	frags []frag
	w     float64 // width of the ink, mm
	size  float64 // largest font size on the line, points
}

// cleanLine prepares single-line text: valid UTF-8 in NFC (so "Nguyễn" typed
// with combining accents prints with the font's precomposed letters), every
// kind of white space as a plain space, control and format characters
// dropped, characters beyond the Basic Multilingual Plane (which gofpdf
// cannot index) replaced by U+FFFD.
func cleanLine(s string) string { return clean(s, false) }

// cleanText is cleanLine keeping line breaks ("\n").
func cleanText(s string) string { return clean(s, true) }

func clean(s string, keepNewlines bool) string {
	if plainASCII(s, keepNewlines) {
		return s // nothing to change, and most text is like this
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if keepNewlines {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
		case r > 0xFFFF || r == 0xFFFE:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// plainASCII reports whether s is printable ASCII (and line breaks, if
// they are kept), which clean leaves as it is.
func plainASCII(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' || c > '~') && !(c == '\n' && keepNewlines) {
			return false
		}
	}
	return true
}

// breaksAround reports whether a line may break before and after r without
// a space: Chinese and Japanese text has no spaces between words.
func breaksAround(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// noBreakBefore are closing punctuation marks that must not start a line.
func noBreakBefore(r rune) bool {
	return strings.ContainsRune("、。，．！？：；）」』】〉》ー・", r)
}

// token is a piece of text that is laid out as a unit: a word, a space or
// one CJK character.
type token struct {
	text  string
	st    style
	w     float64 // mm
	space bool
	brk   bool // a line may break before this token
}

// typesetter measures and wraps text for one document.
type typesetter struct {
	fonts *docFonts
}

// runeWidth of r in style st, in mm, with the face it will be set in.
func (t *typesetter) runeWidth(r rune, st style, prev face, prevOK bool) (float64, face, rune) {
	l := t.fonts.lib
	f, rr := l.resolve(r, st.bold, prev, prevOK)
	w := l.font(f, st.bold).width(rr)
	return float64(w) * st.size / 1000 * ptToMM, f, rr
}

func (t *typesetter) textWidth(s string, st style) float64 {
	var w float64
	var prev face
	for i, r := range s {
		rw, f, _ := t.runeWidth(r, st, prev, i > 0)
		w += rw
		prev = f
	}
	return w
}

// tokens splits spans into words, spaces and CJK characters, marking where
// a line may break: at spaces, after hyphens and slashes, around CJK
// characters (except before closing punctuation). Spans that meet without a
// space stay glued together ("Zoë" in bold followed by a plain comma).
func (t *typesetter) tokens(spans []span) []token {
	out := make([]token, 0, 16)
	brk := true // a line may break before the next token
	for _, sp := range spans {
		glued := strings.ContainsRune(sp.text, nbsp)
		start := 0 // of the word being read; words are substrings of the span
		flush := func(end int) {
			if end > start {
				s := sp.text[start:end]
				out = append(out, token{text: s, st: sp.st, w: t.textWidth(s, sp.st), brk: brk})
				brk = false
			}
			start = end
		}
		for i, r := range sp.text {
			next := i + utf8.RuneLen(r)
			switch {
			case r == ' ':
				flush(i)
				out = append(out, token{text: " ", st: sp.st, w: t.textWidth(" ", sp.st), space: true, brk: true})
				brk, start = true, next
			case breaksAround(r):
				flush(i)
				s := sp.text[i:next]
				out = append(out, token{text: s, st: sp.st, w: t.textWidth(s, sp.st), brk: !noBreakBefore(r)})
				brk, start = true, next
			case (r == '-' || r == '/') && !glued:
				flush(next)
				brk = true
			}
		}
		flush(len(sp.text))
	}
	if len(out) > 0 {
		out[0].brk = true
	}
	return out
}

// wrap lays spans out in lines no wider than width (mm). A word wider than
// the line is broken between characters rather than allowed to overflow.
func (t *typesetter) wrap(spans []span, width float64) []line {
	var lines []line
	var cur []token
	curW := 0.0
	emit := func() {
		for len(cur) > 0 && cur[len(cur)-1].space {
			cur = cur[:len(cur)-1]
		}
		if len(cur) > 0 {
			lines = append(lines, t.layoutLine(cur))
		}
		cur, curW = cur[:0], 0 // layoutLine keeps nothing of cur
	}
	toks := t.tokens(spans)
	for i := 0; i < len(toks); {
		// A cluster is a token plus the tokens glued to it.
		j := i + 1
		for j < len(toks) && !toks[j].brk {
			j++
		}
		cluster := toks[i:j]
		i = j
		if cluster[0].space && len(cur) == 0 {
			continue // no spaces at the start of a line
		}
		w := 0.0
		for _, tk := range cluster {
			w += tk.w
		}
		if curW+w <= width+1e-9 {
			cur = append(cur, cluster...)
			curW += w
			continue
		}
		if cluster[0].space {
			emit()
			continue
		}
		emit()
		if w <= width {
			cur, curW = append(cur, cluster...), w
			continue
		}
		for _, piece := range t.splitLong(cluster, width) {
			emit()
			cur, curW = append(cur, piece...), sumWidths(piece)
		}
	}
	emit()
	return lines
}

func sumWidths(toks []token) float64 {
	w := 0.0
	for _, tk := range toks {
		w += tk.w
	}
	return w
}

// splitLong breaks a run of glued tokens wider than width between
// characters, each piece as wide as fits (at least one character).
func (t *typesetter) splitLong(toks []token, width float64) [][]token {
	var pieces [][]token
	var cur []token
	curW := 0.0
	for _, tk := range toks {
		var b strings.Builder
		bw := 0.0
		var prev face
		for i, r := range tk.text {
			rw, f, _ := t.runeWidth(r, tk.st, prev, i > 0)
			prev = f
			if curW+bw+rw > width && (curW+bw) > 0 {
				if b.Len() > 0 {
					cur = append(cur, token{text: b.String(), st: tk.st, w: bw})
				}
				pieces = append(pieces, cur)
				cur, curW = nil, 0
				b.Reset()
				bw = 0
			}
			b.WriteRune(r)
			bw += rw
		}
		if b.Len() > 0 {
			cur = append(cur, token{text: b.String(), st: tk.st, w: bw})
			curW += bw
		}
	}
	if len(cur) > 0 {
		pieces = append(pieces, cur)
	}
	return pieces
}

// layoutLine turns tokens into frags, one per run of face and style.
func (t *typesetter) layoutLine(toks []token) line {
	var ln line
	var b strings.Builder
	var cur frag
	open := false
	x := 0.0
	closeFrag := func() {
		if open && b.Len() > 0 {
			cur.text = b.String()
			t.fonts.use(cur.face, cur.st.bold, cur.text)
			ln.frags = append(ln.frags, cur)
		}
		b.Reset()
		open = false
	}
	for _, tk := range toks {
		if tk.st.size > ln.size {
			ln.size = tk.st.size
		}
		var prev face
		for i, r := range tk.text {
			rw, f, rr := t.runeWidth(r, tk.st, prev, i > 0)
			prev = f
			if !open || f != cur.face || tk.st != cur.st {
				closeFrag()
				cur = frag{x: x, face: f, st: tk.st}
				open = true
			}
			if rr == nbsp {
				rr = ' ' // glue only matters for line breaking
			}
			b.WriteRune(rr)
			x += rw
		}
	}
	closeFrag()
	ln.w = x
	return ln
}

// lines is wrap for a single span.
func (t *typesetter) lines(text string, st style, width float64) []line {
	return t.wrap([]span{{text, st}}, width)
}
