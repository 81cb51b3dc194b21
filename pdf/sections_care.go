package pdf

import (
	"regexp"
	"strings"

	"needledesk/data"
)

// Colours of the health-record panel: the accent's tint with a soft rule.
var colNoteLine = rgb{160, 205, 200}

// notice is a boxed list near the top of the sheet: a round mark with a
// sign in it, a title, then each line as a paragraph.
type notice struct {
	title             string
	mark              string
	markCol, titleCol rgb
	fill, border      rgb
	lines             []string
}

// noticePanel adds a notice as one panel that may continue on the next
// page.
func (s *sheet) noticePanel(n notice) {
	var lines []string
	for _, l := range n.lines {
		if l = cleanLine(strings.TrimSpace(l)); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return
	}
	s.gap(5)
	border := n.border
	p := &panel{x: s.x, w: s.w, fill: n.fill, border: &border, radius: 2.2, pad: 3.5}
	textX, textW := s.x+12, s.w-17
	s.add(item{h: 3.5, gap: true, keep: true, panel: p})
	title := s.ts.lines(n.title, style{size: 10.5, bold: true, color: n.titleCol}, textW)
	mark := s.ts.lines(n.mark, style{size: 10, bold: true, color: colWhite}, 5)
	s.add(item{h: float64(len(title))*5.4 + 0.8, keep: true, panel: p, draw: func(c *canvas, y float64) {
		c.dot(s.x+6, y+2.7, 2.4, n.markCol)
		c.drawLine(mark[0], s.x+6-mark[0].w/2, y+0.4, 4.6)
		c.drawLines(title, textX, y, textW, 5.4, 'L')
	}})
	for i, l := range lines {
		if i > 0 {
			s.add(item{h: paraGap, gap: true, keep: true, panel: p})
		}
		s.textLines(s.ts.lines(glueDates(l), stBody, textW), textX, lhBody, true, p, nil)
	}
	s.add(item{h: 3.5, gap: true, panel: p})
}

// healthNotes: the clinic's lines for conditions on the client's record.
func (s *sheet) healthNotes() {
	s.noticePanel(notice{title: "Because of your health record", mark: "i",
		markCol: colAccent, titleCol: colAccent, fill: colTint, border: colNoteLine, lines: s.plan.HealthNotes})
}

// dateWords finds a date as the sheet writes it ("Fri 13 Feb", "Fri Feb
// 13"), so that it is never split across two lines.
var dateWords = regexp.MustCompile(`\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([0-9]{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2} [0-9]{1,2})\b`)

// glueDates keeps each date in text on one line.
func glueDates(text string) string {
	return dateWords.ReplaceAllStringFunc(text, glue)
}

// doNotUse: recommended products the client must not use, each with why.
func (s *sheet) doNotUse() {
	if len(s.plan.DoNotUse) == 0 {
		return
	}
	for _, p := range s.plan.DoNotUse {
		s.productRow(p, true, []span{{"Do not use", style{size: 10, bold: true, color: colWarn}}}, p.Why)
	}
}

func (s *sheet) emergencyWho() string {
	if n := cleanLine(strings.TrimSpace(s.plan.EmergencyNumber)); n != "" {
		return n + " (emergency services)"
	}
	return "emergency services"
}

func nonEmpty(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = cleanLine(strings.TrimSpace(l)); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// outOfHours is the line under the clinic's signs that says what to do
// when the clinic is closed: its out-of-hours number, or a doctor.
func (s *sheet) outOfHours() string {
	if n := cleanLine(strings.TrimSpace(s.plan.OutOfHoursPhone)); n != "" {
		return "When we are closed, call " + glue(n) + "."
	}
	return "When we are closed, see a doctor for anything that cannot wait."
}

// planDay is how a plan date reads on the sheet, kept on one line.
func (s *sheet) planDay(d data.Date) string { return glue(s.plan.FormatDay(d)) }
