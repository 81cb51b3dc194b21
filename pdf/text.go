package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/unicodedata"
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

// frag is a piece of a laid-out line set in one face and style at one
// bidi level: text in a face that is not shaped (in the order it is
// drawn), or one shaped run (with the text it was shaped from).
type frag struct {
	x     float64 // from the start of the line, mm
	w     float64 // mm
	text  string
	face  face
	st    style
	level uint8      // bidi embedding level (see bidi.go)
	run   *shapedRun // the glyphs, in a shaped face
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
// dropped (but the zero-width joiner and non-joiner in the shaped scripts,
// where they choose a letter's form), characters beyond the Basic
// Multilingual Plane (which gofpdf cannot index) replaced by U+FFFD.
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
	last := rune(0) // the last character kept
	for _, r := range s {
		switch {
		case (r == zwj || r == zwnj) && scriptFace(last).shaped():
			b.WriteRune(r)
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
		last = r
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
	lvAt  int32   // where its characters' bidi levels start in typesetter.levels; -1 when all are 0
	space bool
	brk   bool // a line may break before this token
}

// typesetter measures and wraps text for one document.
type typesetter struct {
	fonts  *docFonts
	levels []uint8 // bidi levels of the paragraph being wrapped, if not all 0
}

// levelsOf are the bidi levels of tk's characters from its character
// from on (and of the characters after it): nil when all are 0.
func (t *typesetter) levelsOf(tk *token, from int) []uint8 {
	if tk.lvAt < 0 {
		return nil
	}
	return t.levels[int(tk.lvAt)+from:]
}

// levelsFrom is lv from character i on, or nil when lv is.
func levelsFrom(lv []uint8, i int) []uint8 {
	if lv == nil {
		return nil
	}
	return lv[i:]
}

// lvAt is the token field for characters starting at character i of a
// paragraph with levels lv.
func lvAt(lv []uint8, i int) int32 {
	if lv == nil {
		return -1
	}
	return int32(i)
}

// piece is a unit of text as runs yields it: one character in a face that
// is not shaped, or a run of characters in a shaped face, at one bidi
// level.
type piece struct {
	face  face
	level uint8
	r     rune       // the character to print, in a face not shaped
	run   *shapedRun // in a shaped face
	text  string     // what run was shaped from
	w     float64    // mm
}

// levelAt is the bidi level of character i of a token with levels lv.
func levelAt(lv []uint8, i int) uint8 {
	if i < len(lv) {
		return lv[i]
	}
	return 0
}

// runs calls fn for each piece of s (text in style st, with bidi levels
// lv) in order.
func (t *typesetter) runs(s string, st style, lv []uint8, fn func(p piece)) {
	l := t.fonts.lib
	var prev face
	ri := 0 // characters before i
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		f, rr := l.resolve(r, st.bold, prev, i > 0)
		lvl := levelAt(lv, ri)
		prev = f
		if !f.shaped() {
			fn(piece{face: f, level: lvl, r: rr, w: float64(l.font(f, st.bold).width(rr)) * st.size / 1000 * ptToMM})
			i, ri = i+n, ri+1
			continue
		}
		j, rj := i+n, ri+1
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if f2, _ := l.resolve(r2, st.bold, f, true); f2 != f || levelAt(lv, rj) != lvl {
				break
			}
			j, rj = j+n2, rj+1
		}
		run := t.fonts.shape(f, s[i:j], lvl%2 == 1)
		fn(piece{face: f, level: lvl, run: run, text: s[i:j], w: run.w * st.size / 1000 * ptToMM})
		i, ri = j, rj
	}
}

// width of s in style st with bidi levels lv, in mm.
func (t *typesetter) width(s string, st style, lv []uint8) float64 {
	w := 0.0
	if lv == nil && plain(s) {
		// The common case, without the shaper or the callback.
		l := t.fonts.lib
		var prev face
		for i, r := range s {
			f, rr := l.resolve(r, st.bold, prev, i > 0)
			w += float64(l.font(f, st.bold).width(rr)) * st.size / 1000 * ptToMM
			prev = f
		}
		return w
	}
	t.runs(s, st, lv, func(p piece) { w += p.w })
	return w
}

// plain reports whether s has no character from U+0580 on, so nothing in
// it is shaped or right to left: Latin, Greek, Cyrillic.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xD6 { // a lead byte of U+0580 or above
			return false
		}
	}
	return true
}

// textWidth is the width of s as a paragraph of its own, in mm.
func (t *typesetter) textWidth(s string, st style) float64 {
	var lv []uint8
	if hasRTL(s) {
		lv = bidiLevels(s)
	}
	return t.width(s, st, lv)
}

// tokens splits spans into words, spaces and CJK characters, marking where
// a line may break: at spaces, after hyphens and slashes, around CJK
// characters (except before closing punctuation). Spans that meet without a
// space stay glued together ("Zoë" in bold followed by a plain comma).
// Spans with right-to-left text are one paragraph for the bidi algorithm,
// and each token keeps its characters' levels.
func (t *typesetter) tokens(spans []span) []token {
	out := make([]token, 0, 16)
	var lv []uint8
	for _, sp := range spans {
		if hasRTL(sp.text) {
			var all strings.Builder
			for _, sp := range spans {
				all.WriteString(sp.text)
			}
			lv = bidiLevels(all.String())
			break
		}
	}
	t.levels = lv
	brk := true // a line may break before the next token
	ri := 0     // characters of the paragraph before the current one
	for _, sp := range spans {
		glued := strings.ContainsRune(sp.text, nbsp)
		start, startRi := 0, ri // of the word being read; words are substrings of the span
		flush := func(end, endRi int) {
			if end > start {
				s := sp.text[start:end]
				out = append(out, token{text: s, st: sp.st, w: t.width(s, sp.st, levelsFrom(lv, startRi)), lvAt: lvAt(lv, startRi), brk: brk})
				brk = false
			}
			start, startRi = end, endRi
		}
		single := func(i, next int, space, brk bool) {
			s := sp.text[i:next]
			out = append(out, token{text: s, st: sp.st, w: t.width(s, sp.st, levelsFrom(lv, ri)), lvAt: lvAt(lv, ri), space: space, brk: brk})
		}
		for i, r := range sp.text {
			next := i + utf8.RuneLen(r)
			switch {
			case r == ' ':
				flush(i, ri)
				single(i, next, true, true)
				brk, start, startRi = true, next, ri+1
			case breaksAround(r):
				flush(i, ri)
				single(i, next, false, !noBreakBefore(r))
				brk, start, startRi = true, next, ri+1
			case (r == '-' || r == '/') && !glued:
				flush(next, ri+1)
				brk = true
			}
			ri++
		}
		flush(len(sp.text), ri)
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
// characters, each piece as wide as fits (at least one character). It
// never separates a letter from its marks, nor the letters of an Indic
// conjunct (see breakable).
func (t *typesetter) splitLong(toks []token, width float64) [][]token {
	var pieces [][]token
	var cur []token
	curW := 0.0
	for _, tk := range toks {
		start, startRi := 0, 0 // the part of tk not placed yet
		bw := 0.0              // its width so far
		clStart, clRi := 0, 0  // the cluster being read
		// Each cluster is measured when the next one starts, and
		// placed on the current piece if it fits.
		flushCluster := func(end, endRi int) {
			if end <= clStart {
				return
			}
			cw := t.width(tk.text[clStart:end], tk.st, t.levelsOf(&tk, clRi))
			if curW+bw+cw > width && curW+bw > 0 {
				if clStart > start {
					cur = append(cur, t.part(tk, start, clStart, startRi))
				}
				pieces = append(pieces, cur)
				cur, curW = nil, 0
				start, startRi, bw = clStart, clRi, 0
			}
			bw += cw
			clStart, clRi = end, endRi
		}
		ri := 0
		var prev rune
		for i, r := range tk.text {
			if i > 0 && breakable(prev, r) {
				flushCluster(i, ri)
			}
			prev = r
			ri++
		}
		flushCluster(len(tk.text), ri)
		if start < len(tk.text) {
			p := t.part(tk, start, len(tk.text), startRi)
			cur = append(cur, p)
			curW += p.w
		}
	}
	if len(cur) > 0 {
		pieces = append(pieces, cur)
	}
	return pieces
}

// part is the token for tk.text[from:to], which starts at its character
// fromRi.
func (t *typesetter) part(tk token, from, to, fromRi int) token {
	s, at := tk.text[from:to], tk.lvAt
	if at >= 0 {
		at += int32(fromRi)
	}
	return token{text: s, st: tk.st, lvAt: at, w: t.width(s, tk.st, t.levelsOf(&tk, fromRi))}
}

// breakable reports whether text may be broken between the characters
// prev and r: not before a mark or a joiner, nor after a virama or a
// joiner (which join letters into a conjunct), nor after a Thai or Lao
// vowel written before its consonant.
func breakable(prev, r rune) bool {
	if r < 0x0300 && prev < 0x0300 {
		return true
	}
	switch {
	case r == zwj || r == zwnj || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me):
		return false
	case prev == zwj || unicodedata.LookupCombiningClass(prev) == 9:
		return false
	case prev >= 0x0E40 && prev <= 0x0E44, prev >= 0x0EC0 && prev <= 0x0EC4:
		return false
	}
	return true
}

// lastCluster is where the last cluster of s (a character with the
// marks that go with it) starts.
func lastCluster(s string) int {
	at := 0
	var prev rune
	for i, r := range s {
		if i > 0 && breakable(prev, r) {
			at = i
		}
		prev = r
	}
	return at
}

// layoutLine turns tokens into frags, one per run of face, style and bidi
// level (one per run in a shaped face), in visual order.
func (t *typesetter) layoutLine(toks []token) line {
	l := &lineLayout{t: t}
	mixed := false // some text is not at level 0
	for i := range toks {
		tk := &toks[i]
		if tk.st.size > l.ln.size {
			l.ln.size = tk.st.size
		}
		if tk.lvAt < 0 && plain(tk.text) {
			l.plain(tk) // the common case, without the shaper or the callback
			continue
		}
		mixed = mixed || tk.lvAt >= 0
		t.runs(tk.text, tk.st, t.levelsOf(tk, 0), func(p piece) { l.add(tk.st, p) })
	}
	l.closeFrag()
	l.ln.w = l.x
	if mixed {
		t.reorder(&l.ln)
	}
	return l.ln
}

// lineLayout is a line being laid out.
type lineLayout struct {
	t    *typesetter
	ln   line
	b    strings.Builder // the open frag's text
	cur  frag
	open bool
	x    float64
}

func (l *lineLayout) closeFrag() {
	if l.open && l.b.Len() > 0 {
		l.cur.text = l.b.String()
		l.cur.w = l.x - l.cur.x
		l.t.fonts.use(l.cur.face, l.cur.st.bold, l.cur.text)
		l.ln.frags = append(l.ln.frags, l.cur)
	}
	l.b.Reset()
	l.open = false
}

// char adds a character in a face that is not shaped.
func (l *lineLayout) char(f face, st style, level uint8, r rune, w float64) {
	if !l.open || f != l.cur.face || st != l.cur.st || level != l.cur.level {
		l.closeFrag()
		l.cur = frag{x: l.x, face: f, st: st, level: level}
		l.open = true
	}
	if r == nbsp {
		r = ' ' // glue only matters for line breaking
	}
	l.b.WriteRune(r)
	l.x += w
}

// plain adds a token of plain text (see plain) at level 0.
func (l *lineLayout) plain(tk *token) {
	lib := l.t.fonts.lib
	var prev face
	for i, r := range tk.text {
		f, rr := lib.resolve(r, tk.st.bold, prev, i > 0)
		prev = f
		l.char(f, tk.st, 0, rr, float64(lib.font(f, tk.st.bold).width(rr))*tk.st.size/1000*ptToMM)
	}
}

// add adds a piece from runs.
func (l *lineLayout) add(st style, p piece) {
	if p.run == nil {
		l.char(p.face, st, p.level, p.r, p.w)
		return
	}
	l.closeFrag()
	l.t.fonts.useGlyphs(p.face, p.run)
	l.ln.frags = append(l.ln.frags, frag{x: l.x, w: p.w, text: p.text, face: p.face, st: st, level: p.level, run: p.run})
	l.x += p.w
}

// lines is wrap for a single span.
func (t *typesetter) lines(text string, st style, width float64) []line {
	return t.wrap([]span{{text, st}}, width)
}
