package pdf

import (
	"strconv"
	"strings"

	"needledesk/data"
)

// Colours: a calm teal accent on soft tints, dark slate text, and a warm
// red kept for the allergy warning.
var (
	colAccent   = rgb{33, 115, 112}
	colTint     = rgb{235, 245, 244}
	colRule     = rgb{196, 222, 219}
	colInk      = rgb{36, 47, 54}
	colMuted    = rgb{96, 108, 116}
	colFaint    = rgb{130, 141, 148}
	colWhite    = rgb{255, 255, 255}
	colWarn     = rgb{176, 64, 40}
	colWarnTint = rgb{253, 241, 236}
	colWarnLine = rgb{226, 160, 140}
)

// Text styles.
var (
	stBody     = style{size: 9, color: colInk}
	stBodyBold = style{size: 9, bold: true, color: colInk}
	stSmall    = style{size: 7.5, color: colMuted}
	stLabel    = style{size: 7, bold: true, color: colAccent}
	stHeading  = style{size: 12, bold: true, color: colAccent}
	stWinTitle = style{size: 10, bold: true, color: colInk}
	stDate     = style{size: 9, bold: true, color: colAccent}
	stName     = style{size: 21, bold: true, color: colInk}
	stClinic   = style{size: 15, bold: true, color: colAccent}
	stFooter   = style{size: 7.5, color: colFaint}
	stFooterB  = style{size: 7.5, bold: true, color: colMuted}
)

// Line heights and spacing, in millimetres.
const (
	lhBody     = 3.9
	lhSmall    = 3.5
	lhLabel    = 3.2
	margin     = 17.0 // left and right, A4; Letter is wider and gets 16
	sectionGap = 5.5
	paraGap    = 1.4
	bulletGap  = 0.7
)

// sheet builds the flow of items for one aftercare plan.
type sheet struct {
	plan         data.AftercarePlan
	fonts        *docFonts
	ts           *typesetter
	items        []item
	pageW, pageH float64
	x, w         float64 // content column
	logo         logoImage
	hasLogo      bool
	clientName   string
	clinicName   string
	decor        decor
}

func newSheet(plan data.AftercarePlan, lib *fontLib, pageW, pageH float64) *sheet {
	df := newDocFonts(lib)
	s := &sheet{
		plan: plan, fonts: df, ts: &typesetter{fonts: df},
		pageW: pageW, pageH: pageH, x: sideMargin(pageW), w: pageW - 2*sideMargin(pageW),
		clientName: cleanLine(strings.TrimSpace(plan.ClientName)),
		clinicName: cleanLine(strings.TrimSpace(plan.Clinic.Name)),
	}
	if s.clientName == "" {
		s.clientName = "Client"
	}
	return s
}

// sideMargin: 17 mm on A4, 16 mm on the wider Letter page.
func sideMargin(pageW float64) float64 {
	if pageW > 212 {
		return margin - 1
	}
	return margin
}

func (s *sheet) frame() pageFrame {
	return pageFrame{firstTop: 10, top: 18, bottom: s.pageH - 19}
}

func (s *sheet) add(it item) { s.items = append(s.items, it) }

func (s *sheet) gap(h float64) { s.add(item{h: h, gap: true}) }

// keepLast marks the last item as kept with the next one.
func (s *sheet) keepLast() {
	if n := len(s.items); n > 0 {
		s.items[n-1].keep = true
	}
}

// textLines adds one item per line, so that long text flows across pages.
// deco, if set, draws something beside each line (a bullet, a bar).
// Without keep, a paragraph may break across pages but never leaves its
// first or last line alone on a page.
func (s *sheet) textLines(lines []line, x, lh float64, keep bool, p *panel, deco func(c *canvas, y, h float64)) {
	for i, ln := range lines {
		ln := ln
		s.add(item{h: lh, keep: keep || noLoneLine(i, len(lines)), panel: p, draw: func(c *canvas, y float64) {
			if deco != nil {
				deco(c, y, lh)
			}
			c.drawLine(ln, x, y, lh)
		}})
	}
}

// noLoneLine reports whether line i of n must stay with the next one so
// that neither the first nor the last line of a paragraph is alone on a
// page.
func noLoneLine(i, n int) bool { return n > 1 && (i == 0 || i == n-2) }

// heading adds a section heading with a hairline running to the margin,
// kept with the first line of what follows.
func (s *sheet) heading(title string) {
	lines := s.ts.lines(title, stHeading, s.w)
	const lh = 5.6
	h := float64(len(lines))*lh + 1.6
	s.add(item{h: h, keep: true, draw: func(c *canvas, y float64) {
		c.drawLines(lines, s.x, y, s.w, lh, 'L')
		last := lines[len(lines)-1]
		ly := y + float64(len(lines)-1)*lh + 3.1
		if x1 := s.x + last.w + 3; x1 < s.x+s.w {
			c.hline(x1, s.x+s.w, ly, 0.25, colRule)
		}
	}})
}

// build lays out the whole sheet.
func (s *sheet) build() {
	s.header()
	s.titleBlock()
	s.allergyWarnings()
	s.healthNotes()
	s.avoidTable()
	s.timeline()
	s.products()
	s.notes()
	s.whenToCall()
	s.layoutDecor()
}

// decor is what every page carries, laid out with the rest of the sheet
// (before the fonts are registered, so that every character is counted).
type decor struct {
	runLeft, runRight []line // running header on pages after the first
	contact           []line // footer, left
	made              []line // footer, right, under the page number
}

const footerRightW = 48.0

func (s *sheet) layoutDecor() {
	d := &s.decor
	// "Page x of y" is laid out page by page, after the fonts are added.
	s.fonts.use(faceLatin, stFooterB.bold, "Page of 0123456789")
	d.runLeft = s.oneLine("Aftercare plan for "+s.clientName, stFooterB, s.w*0.6)
	d.runRight = s.oneLine(s.clinicName, stFooter, s.w*0.38)
	d.contact = s.footerContact(s.w - footerRightW - 4)
	if t := s.plan.MadeAt; !t.IsZero() {
		made := "Sheet made " + s.plan.FormatDate(data.DateOf(t)) + ", " + t.Format("15:04")
		d.made = s.ts.lines(made, stFooter, footerRightW)
	}
}

// footerContact packs the clinic's name, phone, e-mail and website into at
// most two lines, breaking only between them.
func (s *sheet) footerContact(width float64) []line {
	var parts [][]span
	if s.clinicName != "" {
		parts = append(parts, []span{{s.clinicName, stFooterB}})
	}
	for _, v := range []string{s.plan.Clinic.Phone, s.plan.Clinic.Email, s.plan.Clinic.Website} {
		if v = cleanLine(strings.TrimSpace(v)); v != "" {
			parts = append(parts, []span{{v, stFooter}})
		}
	}
	var lines [][]span
	for _, p := range parts {
		if n := len(lines); n > 0 {
			joined := append(append(append([]span(nil), lines[n-1]...), span{"  ·  ", stFooter}), p...)
			if w := s.spansWidth(joined); w <= width {
				lines[n-1] = joined
				continue
			}
		}
		lines = append(lines, p)
	}
	var out []line
	for _, l := range lines {
		out = append(out, s.ts.wrap(l, width)...)
	}
	if len(out) > 2 {
		out = out[:2]
	}
	return out
}

func (s *sheet) spansWidth(spans []span) float64 {
	w := 0.0
	for _, sp := range spans {
		w += s.ts.textWidth(sp.text, sp.st)
	}
	return w
}

// oneLine lays text out on a single line, shortened with an ellipsis if it
// does not fit.
func (s *sheet) oneLine(text string, st style, width float64) []line {
	lines := s.ts.lines(text, st, width)
	for len(lines) > 1 {
		cut := lastCluster(text)
		if cut == 0 {
			break
		}
		text = text[:cut]
		lines = s.ts.lines(strings.TrimSpace(text)+"…", st, width)
	}
	return lines
}

// decorate draws the accent band on the first page, a running header on
// the others, and the footer on all.
func (s *sheet) decorate(c *canvas, page, pages int) {
	d := &s.decor
	if page == 1 {
		c.rect(0, 0, s.pageW, 3.2, colAccent)
	} else {
		c.drawLines(d.runLeft, s.x, 8.5, s.w, lhSmall, 'L')
		c.drawLines(d.runRight, s.x, 8.5, s.w, lhSmall, 'R')
		c.hline(s.x, s.x+s.w, 13.5, 0.25, colRule)
	}
	y := s.pageH - 16
	c.hline(s.x, s.x+s.w, y, 0.25, colRule)
	c.drawLines(d.contact, s.x, y+1.5, s.w-footerRightW-4, lhSmall, 'L')
	right := append(s.ts.lines(pageOf(page, pages), stFooterB, footerRightW), d.made...)
	c.drawLines(right, s.x+s.w-footerRightW, y+1.5, footerRightW, lhSmall, 'R')
}

func pageOf(page, pages int) string {
	return "Page " + strconv.Itoa(page) + " of " + strconv.Itoa(pages)
}
