package pdf

import (
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"needledesk/data"
)

// header: logo, clinic name and address on the left, contact details on
// the right, a hairline under them.
func (s *sheet) header() {
	c := s.plan.Clinic
	var contact []line
	rightW := s.w * 0.36
	for _, v := range []string{c.Phone, c.Email, c.Website} {
		if v = cleanLine(strings.TrimSpace(v)); v != "" {
			contact = append(contact, s.ts.lines(v, stSmall, rightW)...)
		}
	}
	logoW, logoH := 0.0, 0.0
	if s.hasLogo {
		logoW, logoH = fitBox(float64(s.logo.w), float64(s.logo.h), 42, 16)
	}
	leftX := s.x
	if logoW > 0 {
		leftX += logoW + 5
	}
	leftW := s.x + s.w - rightW - 6 - leftX
	// A long clinic name is set smaller rather than taking four lines.
	lhClinic := 6.6
	name := s.ts.lines(s.clinicName, stClinic, leftW)
	if len(name) > 2 {
		small := stClinic
		small.size = 11.5
		name, lhClinic = s.ts.lines(s.clinicName, small, leftW), 5.2
	}
	var addr []line
	for _, l := range strings.Split(cleanText(c.Address), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			addr = append(addr, s.ts.lines(l, stSmall, leftW)...)
		}
	}
	if len(name) == 0 && len(addr) == 0 && len(contact) == 0 && logoH == 0 {
		return
	}
	leftH := float64(len(name))*lhClinic + float64(len(addr))*lhSmall
	if len(name) > 0 && len(addr) > 0 {
		leftH += 0.8
	}
	rightH := float64(len(contact)) * lhSmall
	h := max(logoH, leftH, rightH)
	s.add(item{h: h + 4, draw: func(cv *canvas, y float64) {
		if logoH > 0 {
			cv.pdf.ImageOptions("logo", s.x, y+(h-logoH)/2, logoW, logoH, false,
				gofpdf.ImageOptions{ImageType: s.logo.kind}, 0, "")
		}
		ly := y + (h-leftH)/2
		cv.drawLines(name, leftX, ly, leftW, lhClinic, 'L')
		ly += float64(len(name)) * lhClinic
		if len(name) > 0 {
			ly += 0.8
		}
		cv.drawLines(addr, leftX, ly, leftW, lhSmall, 'L')
		cv.drawLines(contact, s.x+s.w-rightW, y+(h-rightH)/2, rightW, lhSmall, 'R')
		cv.hline(s.x, s.x+s.w, y+h+3, 0.3, colRule)
	}})
	s.gap(4.5)
}

// fitBox scales w x h to fit inside maxW x maxH, keeping its proportions.
func fitBox(w, h, maxW, maxH float64) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	scale := min(maxW/w, maxH/h)
	return w * scale, h * scale
}

// titleBlock: the client's name, large, and a tinted strip with the
// treatment date and time, the areas treated and the technician.
func (s *sheet) titleBlock() {
	s.textLines(s.ts.lines("YOUR AFTERCARE PLAN", stLabel, s.w), s.x, lhLabel+0.6, true, nil, nil)
	s.textLines(s.ts.lines(s.clientName, stName, s.w), s.x, 9, true, nil, nil)
	s.gap(2.5)
	s.keepLast()

	const pad, gutter = 3.4, 6.0
	inner := s.w - 2*pad - 3*gutter
	widths := []float64{inner * 0.20, inner * 0.42, inner * 0.17, inner * 0.21}
	labels := []string{"TREATMENT", "AREAS TREATED", "YOUR TECHNICIAN", "YOUR NEXT SESSION"}
	values := [][]line{s.treatedLines(widths[0]), s.areaLines(widths[1]), nil, s.nextLines(widths[3])}
	values[2] = s.ts.lines(orDash(cleanLine(strings.TrimSpace(s.plan.Technician))), stBody, widths[2])
	rows := 1
	for _, v := range values {
		rows = max(rows, len(v))
	}
	h := 2*pad + lhLabel + 1 + float64(rows)*lhBody
	labelLines := make([][]line, len(labels))
	for i, l := range labels {
		labelLines[i] = s.ts.lines(l, stLabel, widths[i])
	}
	s.add(item{h: h, draw: func(c *canvas, y float64) {
		c.roundedRect(s.x, y, s.w, h, 2.2, colTint, nil)
		x := s.x + pad
		for i, v := range values {
			c.drawLines(labelLines[i], x, y+pad, widths[i], lhLabel, 'L')
			c.drawLines(v, x, y+pad+lhLabel+1, widths[i], lhBody, 'L')
			x += widths[i] + gutter
		}
	}})
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (s *sheet) treatedLines(w float64) []line {
	t := s.plan.TreatedAt
	if t.IsZero() {
		return s.ts.lines("—", stBody, w)
	}
	day := t.Format("Mon") + " " + s.plan.FormatDate(data.DateOf(t))
	out := s.ts.lines(glue(day), stBodyBold, w)
	return append(out, s.ts.lines("at "+t.Format("15:04"), stBody, w)...)
}

// nextLines: the next appointment booked, with its time and with whom;
// otherwise the day the next session is due, or that it is to be agreed.
func (s *sheet) nextLines(w float64) []line {
	if v := s.plan.NextVisit; !v.IsZero() {
		out := s.ts.lines(glue(v.Format("Mon")+" "+s.plan.FormatDate(data.DateOf(v))), stBodyBold, w)
		at := "booked for " + v.Format("15:04")
		if with := cleanLine(strings.TrimSpace(s.plan.NextVisitWith)); with != "" {
			at += " with " + with
		}
		return append(out, s.ts.lines(at, stBody, w)...)
	}
	nd := s.plan.NextDue
	if nd.IsZero() {
		return s.ts.lines("to be agreed with you", stBody, w)
	}
	out := s.ts.lines(glue(nd.Time(time.UTC).Format("Mon")+" "+s.plan.FormatDate(nd)), stBodyBold, w)
	return append(out, s.ts.lines("call us to book", stBody, w)...)
}

func (s *sheet) areaLines(w float64) []line {
	var areas []string
	for _, a := range s.plan.Areas {
		if a = cleanLine(strings.TrimSpace(a)); a != "" {
			areas = append(areas, a)
		}
	}
	if len(areas) == 0 {
		return s.ts.lines("—", stBody, w)
	}
	var spans []span
	for i, a := range areas {
		if i > 0 {
			spans = append(spans, span{", ", stBody})
		}
		if s.ts.textWidth(a, stBody) < w {
			a = glue(a)
		}
		spans = append(spans, span{a, stBody})
	}
	return s.ts.wrap(spans, w)
}

// allergyWarnings: a warm-red box near the top, where it cannot be missed.
func (s *sheet) allergyWarnings() {
	s.noticePanel(notice{title: "Allergy warning", mark: "!", markCol: colWarn, titleCol: colWarn,
		fill: colWarnTint, border: colWarnLine, lines: s.plan.AllergyWarnings})
}

// avoidTable: what to stay away from, grouped by the last day to avoid it
// (the plan lists them by date), one row per day.
func (s *sheet) avoidTable() {
	if len(s.plan.Avoid) == 0 {
		return
	}
	s.gap(sectionGap)
	s.heading("What to avoid, and until when")
	s.textLines(s.ts.lines("Please avoid each of these until the end of the day shown; from the next day it is fine again.", stSmall, s.w),
		s.x, lhSmall+1, true, nil, nil)
	s.gap(1.2)
	s.keepLast()
	p := &panel{x: s.x, w: s.w, fill: colTint, radius: 2.2, pad: 2}
	const pad, dateW, gutter = 4.0, 27.0, 3.0
	whatX := s.x + pad + dateW + gutter
	whatW := s.w - 2*pad - dateW - gutter
	groups := groupAvoid(s.plan.Avoid)
	sep := style{size: stBody.size, bold: true, color: colAccent}
	s.add(item{h: 1.4, gap: true, keep: true, panel: p})
	untilHead, whatHead := s.ts.lines("UNTIL THE END OF", stLabel, dateW), s.ts.lines("AVOID", stLabel, whatW)
	s.add(item{h: lhLabel + 1.4, keep: true, panel: p, draw: func(c *canvas, y float64) {
		c.drawLines(untilHead, s.x+pad, y+0.6, dateW, lhLabel, 'L')
		c.drawLines(whatHead, whatX, y+0.6, whatW, lhLabel, 'L')
	}})
	for i, g := range groups {
		var spans []span
		for j, what := range g.what {
			if j > 0 {
				spans = append(spans, span{string(nbsp) + string(nbsp) + "·", sep}, span{"  ", stBody})
			}
			spans = append(spans, span{what, stBody})
		}
		what := s.ts.wrap(spans, whatW)
		until := s.ts.wrap([]span{{s.planDay(g.until), stDate}}, dateW)
		h := float64(max(len(what), len(until)))*lhBody + 2.2
		s.add(item{h: h, keep: i < len(groups)-1, panel: p, draw: func(c *canvas, y float64) {
			c.hline(s.x+pad, s.x+s.w-pad, y, 0.4, colWhite)
			c.drawLines(until, s.x+pad, y+1.1, dateW, lhBody, 'L')
			c.drawLines(what, whatX, y+1.1, whatW, lhBody, 'L')
		}})
	}
	s.add(item{h: 1.4, gap: true, panel: p})
}

type avoidGroup struct {
	until data.Date
	what  []string
}

// groupAvoid joins neighbouring items that end on the same day, keeping
// the plan's order.
func groupAvoid(items []data.AvoidItem) []avoidGroup {
	var out []avoidGroup
	for _, a := range items {
		what := orDash(cleanLine(strings.TrimSpace(a.What)))
		if n := len(out); n > 0 && out[n-1].until == a.Until {
			out[n-1].what = append(out[n-1].what, what)
			continue
		}
		out = append(out, avoidGroup{until: a.Until, what: []string{what}})
	}
	return out
}

// timeline: the four windows with their dates, joined by a vertical line.
func (s *sheet) timeline() {
	if len(s.plan.Windows) == 0 {
		return
	}
	s.gap(sectionGap)
	s.heading("Your healing timeline")
	gx := s.x + 2.6
	textX := s.x + 9
	textW := s.w - 9
	for wi, w := range s.plan.Windows {
		last := wi == len(s.plan.Windows)-1
		rail := func(c *canvas, y, h float64) {
			if !last {
				c.vline(gx, y, y+h, 0.5, colRule)
			}
		}
		if wi > 0 {
			s.add(item{h: 2.6, gap: true, draw: func(c *canvas, y float64) { rail(c, y, 2.6) }})
		}
		title := s.ts.wrap([]span{{cleanLine(w.Title), stWinTitle}, {"    ", stWinTitle},
			{s.plan.FormatRange(w), stDate}}, textW)
		th := float64(len(title))*5.4 + 0.6
		s.add(item{h: th, keep: true, draw: func(c *canvas, y float64) {
			rail(c, y+2.7, th-2.7)
			c.ring(gx, y+2.7, 1.7, 0.6, colWhite, colAccent)
			c.dot(gx, y+2.7, 0.7, colAccent)
			c.drawLines(title, textX, y, textW, 5.4, 'L')
		}})
		for pi, para := range w.Paragraphs {
			if pi > 0 {
				g := paraGap
				if strings.HasPrefix(para, "- ") {
					g = bulletGap
				}
				s.add(item{h: g, gap: true, draw: func(c *canvas, y float64) { rail(c, y, g) }})
			}
			s.paragraph(para, textX, textW, rail)
		}
	}
}

// paragraph adds a template paragraph; one starting with "- " is a bullet.
func (s *sheet) paragraph(text string, x, w float64, deco func(c *canvas, y, h float64)) {
	text = glueDates(cleanLine(text))
	bullet := strings.HasPrefix(text, "- ")
	if !bullet {
		s.textLines(s.ts.lines(strings.TrimSpace(text), stBody, w), x, lhBody, false, nil, deco)
		return
	}
	const indent = 4.6
	lines := s.ts.lines(strings.TrimSpace(text[2:]), stBody, w-indent)
	for i, ln := range lines {
		ln, first := ln, i == 0
		s.add(item{h: lhBody, keep: noLoneLine(i, len(lines)), draw: func(c *canvas, y float64) {
			if deco != nil {
				deco(c, y, lhBody)
			}
			if first {
				c.dot(x+1.3, y+lhBody/2-0.05, 0.65, colAccent)
			}
			c.drawLine(ln, x+indent, y, lhBody)
		}})
	}
}

// products: each recommended product with the day to start it, then any
// the client must not use.
func (s *sheet) products() {
	s.gap(sectionGap)
	s.heading("Your product plan")
	switch {
	case len(s.plan.Products) > 0:
		s.textLines(s.ts.lines("Begin each product on the day shown.", stSmall, s.w), s.x, lhSmall+0.8, true, nil, nil)
	case len(s.plan.DoNotUse) > 0:
		s.textLines(s.ts.lines("No products to start from this visit.", stBody, s.w), s.x, lhBody, true, nil, nil)
	default:
		s.textLines(s.ts.lines("No products were recommended at this visit.", stBody, s.w), s.x, lhBody, false, nil, nil)
		return
	}
	for i, p := range s.plan.Products {
		start := []span{{"Start on ", stSmall}, {s.planDay(p.StartOn), style{size: 10, bold: true, color: colAccent}}}
		s.productRow(p, i > 0, start, "")
	}
	s.doNotUse()
}

// productRow: left the start (or "Do not use"); right the name, brand and
// category, then why (for a product not to use) and how to use it. A
// hairline separates products.
func (s *sheet) productRow(p data.PlanProduct, rule bool, left []span, why string) {
	const dateW, gutter, top, bottom, lhName = 36.0, 4.0, 2.2, 2.2, 5.0
	rx, rw := s.x+dateW+gutter, s.w-dateW-gutter
	spans := []span{{orDash(cleanLine(strings.TrimSpace(p.Name))), style{size: 10, bold: true, color: colInk}}}
	var sub []string
	for _, v := range []string{p.Brand, p.Category} {
		if v = cleanLine(strings.TrimSpace(v)); v != "" {
			sub = append(sub, v)
		}
	}
	if len(sub) > 0 {
		spans = append(spans, span{"   " + strings.Join(sub, "  ·  "), stSmall})
	}
	name := s.ts.wrap(spans, rw)
	start := s.ts.wrap(left, dateW)
	var how []line
	if why = cleanLine(strings.TrimSpace(why)); why != "" {
		how = append(how, s.ts.lines(glueDates(why), style{size: 9, color: colWarn}, rw)...)
	} else {
		for _, para := range strings.Split(cleanText(p.HowToUse), "\n") {
			if para = strings.TrimSpace(para); para != "" {
				how = append(how, s.ts.lines(para, stBody, rw)...)
			}
		}
	}
	headH := top + float64(len(name))*lhName
	leftH := top + float64(len(start))*lhName
	s.add(item{h: headH, keep: true, draw: func(c *canvas, y float64) {
		if rule && !c.atTop(y) {
			c.hline(s.x, s.x+s.w, y, 0.25, colRule)
		}
		c.drawLines(start, s.x, y+top, dateW, lhName, 'L')
		c.drawLines(name, rx, y+top, rw, lhName, 'L')
	}})
	s.textLines(how, rx, lhBody, true, nil, nil)
	// Room for the date column when the right column is shorter.
	s.add(item{h: max(bottom, leftH-headH-float64(len(how))*lhBody+bottom), gap: true})
}

// notes: the technician's own words, which can run long and flow on.
func (s *sheet) notes() {
	text := strings.TrimSpace(cleanText(s.plan.PersonalNotes))
	if text == "" {
		return
	}
	s.gap(sectionGap)
	s.heading("Notes from your technician")
	bar := func(c *canvas, y, h float64) { c.rect(s.x+0.4, y, 1.1, h, colRule) }
	textX, textW := s.x+6, s.w-6
	gapNext := false
	for _, para := range strings.Split(text, "\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			gapNext = true
			continue
		}
		if gapNext {
			s.add(item{h: paraGap + 0.6, gap: true, draw: func(c *canvas, y float64) { bar(c, y, paraGap+0.6) }})
			gapNext = false
		}
		s.textLines(s.ts.lines(para, stBody, textW), textX, lhBody, false, nil, bar)
	}
}

// helpColumn is one of the three "when to call" boxes: who to call, the
// signs, and an optional last line.
type helpColumn struct {
	title   []line
	bullets [][]line
	foot    []line
	dot     rgb
	fill    rgb
	border  *rgb
}

const helpPad, helpLhTitle, helpLh = 3.0, 4.2, 3.7

// stHelp is the text of the "when to call" boxes, a little smaller than
// the body so that three fit side by side.
var stHelp = style{size: 8.5, color: colInk}

func (hc helpColumn) height() float64 {
	h := 2*helpPad + float64(len(hc.title))*helpLhTitle + 1
	for _, b := range hc.bullets {
		h += float64(len(b))*helpLh + 0.5
	}
	if len(hc.foot) > 0 {
		h += 1.5 + float64(len(hc.foot))*helpLh
	}
	return h
}

func (hc helpColumn) draw(c *canvas, x, y, w, h float64) {
	c.roundedRect(x, y, w, h, 2.2, hc.fill, hc.border)
	x, w = x+helpPad, w-2*helpPad
	c.drawLines(hc.title, x, y+helpPad, w, helpLhTitle, 'L')
	by := y + helpPad + float64(len(hc.title))*helpLhTitle + 1
	for _, b := range hc.bullets {
		c.dot(x+1.1, by+helpLh/2-0.05, 0.6, hc.dot)
		c.drawLines(b, x+3.6, by, w-3.6, helpLh, 'L')
		by += float64(len(b))*helpLh + 0.5
	}
	if len(hc.foot) > 0 {
		c.drawLines(hc.foot, x, by+1.5, w, helpLh, 'L')
	}
}

// whenToCall: the clinic's signs, then when to see a doctor the same day
// and when to call emergency services, side by side.
func (s *sheet) whenToCall() {
	s.gap(sectionGap)
	const gutter = 3.0
	// The clinic's list is the longest; the other two share the rest.
	widths := []float64{(s.w - 2*gutter) * 0.37, (s.w - 2*gutter) * 0.33, (s.w - 2*gutter) * 0.30}
	titleSt := style{size: 9, bold: true, color: colInk}
	col := 0
	mk := func(title string, signs []string, foot string, dot, fill rgb, border *rgb) helpColumn {
		textW := widths[col] - 2*helpPad
		col++
		hc := helpColumn{title: s.ts.lines(title, titleSt, textW), dot: dot, fill: fill, border: border}
		for _, sign := range nonEmpty(signs) {
			hc.bullets = append(hc.bullets, s.ts.lines(sign, stHelp, textW-3.6))
		}
		if foot != "" {
			hc.foot = s.ts.lines(foot, style{size: stHelp.size, bold: true, color: colInk}, textW)
		}
		return hc
	}
	phone := cleanLine(strings.TrimSpace(s.plan.Clinic.Phone))
	callUs := "Call the clinic if you notice:"
	if phone != "" {
		callUs = "Call us on " + glue(phone) + " if you notice:"
	}
	cols := []helpColumn{
		mk(callUs, s.plan.WhenToCall, s.outOfHours(), colAccent, colTint, &colNoteLine),
		mk("See a doctor the same day for:", s.plan.SeeDoctor, "", colWarn, colWarnTint, nil),
		mk("Call "+s.emergencyWho()+" at once for:", s.plan.Emergency, "", colWarn, colWarnTint, &colWarnLine),
	}
	h := 0.0
	for _, hc := range cols {
		h = max(h, hc.height())
	}
	if h > (s.frame().bottom-s.frame().top)*0.6 {
		s.whenToCallStacked(cols)
		return
	}
	s.add(item{h: h, draw: func(c *canvas, y float64) {
		x := s.x
		for i, hc := range cols {
			hc.draw(c, x, y, widths[i], h)
			x += widths[i] + gutter
		}
	}})
}

// whenToCallStacked is the fallback when the columns would be too tall to
// move as one piece (an owner's long lists): the same, one after another,
// flowing across pages.
func (s *sheet) whenToCallStacked(cols []helpColumn) {
	for i, hc := range cols {
		if i > 0 {
			s.gap(2)
		}
		s.textLines(hc.title, s.x, helpLhTitle, true, nil, nil)
		for _, b := range hc.bullets {
			for j, ln := range b {
				ln, first, dot := ln, j == 0, hc.dot
				s.add(item{h: helpLh, keep: j < len(b)-1, draw: func(c *canvas, y float64) {
					if first {
						c.dot(s.x+1.1, y+helpLh/2-0.05, 0.6, dot)
					}
					c.drawLine(ln, s.x+3.6, y, helpLh)
				}})
			}
		}
		if len(hc.foot) > 0 {
			s.gap(1.5)
			s.textLines(hc.foot, s.x, helpLh, false, nil, nil)
		}
	}
}
