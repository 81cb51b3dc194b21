package data

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// AftercarePlan is everything an aftercare sheet says, worked out from one
// session, its client and the clinic's settings. The UI previews it and pdf
// prints it; neither adds clinical content of its own. Every date in it
// about a precaution comes from the plan's one set of RuleSpans (see Rule).
type AftercarePlan struct {
	Clinic          ClinicDetails
	ClientName      string
	ClientFirstName string
	TreatedAt       time.Time // in the clinic's zone
	// Areas are the areas treated, by name ("Cheeks"): the sheet is for
	// the client, and the needle depths stay in the chart.
	Areas []string
	// Face is true when the face, neck or décolletage was treated: only
	// then does the sheet give the face-only advice (makeup, hands away
	// from the face).
	Face       bool
	Technician string
	Windows    []PlanWindow
	Avoid      []AvoidItem
	// Products are the recommended products the client may use, each with
	// the day to start it (never inside a window that rules it out).
	Products []PlanProduct
	// DoNotUse are recommended products the client must not use (an
	// allergy, a pregnancy), each with its reason in Why.
	DoNotUse        []PlanProduct
	PersonalNotes   string
	AllergyWarnings []string
	// HealthNotes are the clinic's lines for conditions on the client's
	// record (blood thinners, keloid scarring, pregnancy).
	HealthNotes []string
	NextDue     Date
	// NextVisit is the next booked appointment on the clinic's clock, with
	// whom; zero when none is booked (the sheet then gives NextDue).
	NextVisit     time.Time
	NextVisitWith string
	// WhenToCall are signs to call the clinic about; SeeDoctor signs to
	// see a doctor the same day; Emergency signs to call emergency
	// services at once.
	WhenToCall      []string
	SeeDoctor       []string
	Emergency       []string
	OutOfHoursPhone string
	EmergencyNumber string
	MadeAt          time.Time
	PaperSize       PaperSize
	dates           dateStyle
	rules           map[Rule]RuleSpan
	body            bool // the hands or a body area were treated
}

// ClinicDetails is the clinic as shown in the sheet's header and footer.
type ClinicDetails struct {
	Name, Address, Phone, Email, Website string
	Logo                                 []byte
}

// PlanWindow is one part of the timeline with the dates it covers.
type PlanWindow struct {
	Window Window
	Title  string
	From   Date
	To     Date // zero for "and beyond"
	// Paragraphs of the owner's template with placeholders filled in; a
	// paragraph starting with "- " is a bullet.
	Paragraphs []string
}

// AvoidItem is something to stay away from, and the last day to do so.
type AvoidItem struct {
	Rule  Rule
	What  string
	Until Date
}

// PlanProduct is a recommended product and the day to start it.
type PlanProduct struct {
	Name, Brand, Category, HowToUse string
	StartDay                        int
	StartOn                         Date
	// ChosenDay is the start day the technician chose; StartDay is later
	// when the chosen day fell inside a window that rules the product out.
	ChosenDay int
	// Why says why the start was moved, or, for a product the client must
	// not use, why not.
	Why string
}

// AftercareInput is what a plan is built from. Session.Recommendations must
// carry their Product (the store fills it in when reading a session).
type AftercareInput struct {
	Session       Session
	Client        Client
	Settings      Settings
	PersonalNotes string
	// NextVisit is the client's next booked appointment, with whom
	// (NextVisitWith); zero when none is booked, and the sheet gives the
	// due date instead.
	NextVisit     time.Time
	NextVisitWith string
	MadeAt        time.Time
	Location      *time.Location // the clinic's zone; nil means local time
}

// BuildAftercarePlan works out the dated plan for a session.
func BuildAftercarePlan(in AftercareInput) AftercarePlan {
	loc := in.Location
	if loc == nil {
		loc = time.Local
	}
	s, a := in.Settings, in.Settings.Aftercare
	treated := in.Session.StartedAt.In(loc)
	ds := newDateStyle(s.DateFormat)
	p := AftercarePlan{
		Clinic: ClinicDetails{Name: s.ClinicName, Address: s.Address, Phone: s.Phone,
			Email: s.Email, Website: s.Website, Logo: s.Logo},
		ClientName:      in.Client.FullName(),
		ClientFirstName: firstName(in.Client),
		TreatedAt:       treated,
		Face:            FaceTreated(in.Session.Areas),
		body:            bodyTreated(in.Session.Areas),
		Technician:      in.Session.TechnicianName,
		PersonalNotes:   in.PersonalNotes,
		NextDue:         in.Session.NextDue,
		NextVisitWith:   in.NextVisitWith,
		WhenToCall:      signLines(a.CallUsSigns),
		SeeDoctor:       signLines(a.SeeDoctorSigns),
		Emergency:       signLines(a.EmergencySigns),
		OutOfHoursPhone: strings.TrimSpace(a.OutOfHoursPhone),
		EmergencyNumber: strings.TrimSpace(a.EmergencyNumber),
		MadeAt:          in.MadeAt.In(loc),
		PaperSize:       s.PaperSize,
		dates:           ds,
	}
	for _, at := range in.Session.Areas {
		p.Areas = append(p.Areas, at.Area.Label())
	}
	pregnant := in.Client.Contra.PregnantOrNursing
	p.rules = planRules(treated, a, p.Face, pregnant)
	pp := scheduleProducts(p.rules, DateOf(treated), in.Client, in.Session.Recommendations, ds)
	p.Products, p.DoNotUse, p.AllergyWarnings = pp.scheduled, pp.doNotUse, pp.warnings
	if !pp.vitaminC {
		// Vitamin C is dated only for a client who has some to start: a
		// date for it would otherwise read as an invitation.
		delete(p.rules, RuleVitaminC)
	}
	p.Avoid = avoidList(p.rules)
	if !in.NextVisit.IsZero() {
		p.NextVisit = in.NextVisit.In(loc)
	}
	vals := planValues(p, ds)
	p.HealthNotes = healthNotes(in.Client, a, vals)
	p.Windows = planWindows(p, a, vals, ds)
	return p
}

func firstName(c Client) string {
	if strings.TrimSpace(c.GivenName) != "" {
		return c.GivenName
	}
	return c.FamilyName
}

// signLines reads a text of one sign per line, dropping blank lines and
// any bullet the owner typed.
func signLines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		l = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(l), "-•*"))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// avoidList is the avoid table: every precaution but the extra sun care
// (a "take care", not an "avoid"), in date order.
func avoidList(rules map[Rule]RuleSpan) []AvoidItem {
	var items []AvoidItem
	for _, r := range ruleOrder {
		if s, ok := rules[r]; ok && r != RuleSunCare {
			items = append(items, AvoidItem{Rule: r, What: s.What, Until: s.Until})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Until.Before(items[j].Until) })
	return items
}

// planValues are the placeholders' values for this plan. A precaution that
// does not apply (makeup after a body-only treatment, vitamin C when none
// is planned) has no value, and a paragraph that uses it is left out.
func planValues(p AftercarePlan, ds dateStyle) map[string]string {
	day0 := DateOf(p.TreatedAt)
	vals := map[string]string{
		"first_name":         p.ClientFirstName,
		"treatment_date":     ds.long(day0),
		"next_session":       ds.long(p.NextDue),
		"clinic_phone":       p.Clinic.Phone,
		"out_of_hours_phone": p.OutOfHoursPhone,
	}
	for r, name := range rulePlaceholders {
		s, ok := p.rules[r]
		if !ok {
			continue
		}
		vals[name+"_until"] = ds.long(s.Until)
		if r != RuleSunCare {
			vals[name+"_from"] = ds.long(s.From)
		}
	}
	if s, ok := p.rules[RuleSunHeat]; ok {
		vals["sunscreen_from"] = ds.long(s.From)
	}
	switch {
	case !p.NextVisit.IsZero():
		vals["next_session"] = ds.long(DateOf(p.NextVisit)) // the day booked
		vals["next_visit"] = ds.long(DateOf(p.NextVisit)) + " at " + p.NextVisit.Format("15:04")
		if with := strings.TrimSpace(p.NextVisitWith); with != "" {
			vals["next_visit"] += " with " + with
		}
	case p.NextDue.IsZero():
		vals["next_session"] = "the date we agree with you"
	}
	if p.Clinic.Phone == "" {
		delete(vals, "clinic_phone") // a line asking to call a number there is not is left out
	}
	if p.OutOfHoursPhone == "" {
		delete(vals, "out_of_hours_phone")
	}
	return vals
}

// rulePlaceholders names each precaution in the templates:
// {makeup_until} is its last day, {makeup_from} the first day after.
var rulePlaceholders = map[Rule]string{
	RuleMakeup: "makeup", RuleExercise: "exercise", RuleSunHeat: "sun_heat", RuleActives: "actives",
	RuleVitaminC: "vitamin_c", RuleNSAIDs: "nsaids", RuleBrushes: "brushes", RuleSunCare: "sun_care",
}

// planWindows lays the timeline out from the precautions: the treatment
// day; the days the hour-counted precautions last; the days after them
// until the active products may start; and from then on.
func planWindows(p AftercarePlan, a AftercareSettings, vals map[string]string, ds dateStyle) []PlanWindow {
	day0 := DateOf(p.TreatedAt)
	hoursEnd, hours := day0.AddDays(1), 0
	for _, h := range []struct {
		r Rule
		n int
	}{{RuleMakeup, a.NoMakeupHours}, {RuleExercise, a.ExerciseHours}, {RuleSunHeat, a.SunHeatHours}} {
		if s, ok := p.rules[h.r]; ok {
			hours = max(hours, h.n)
			if s.Until.After(hoursEnd) {
				hoursEnd = s.Until
			}
		}
	}
	// The skin has healed when the active products may start again; should
	// the owner's figures put that inside the hour-counted precautions,
	// the part after them keeps one day, so no part's text is lost.
	healed := p.rules[RuleActives].From
	if !healed.After(hoursEnd.AddDays(1)) {
		healed = hoursEnd.AddDays(2)
	}
	bounds := map[Window][2]Date{
		WindowTreatmentDay: {day0, day0},
		WindowFirst72Hours: {day0.AddDays(1), hoursEnd},
		WindowDays3To6:     {hoursEnd.AddDays(1), healed.AddDays(-1)},
		WindowWeekOne:      {healed, {}},
	}
	titles := map[Window]string{
		WindowTreatmentDay: "Treatment day",
		WindowFirst72Hours: fmt.Sprintf("The first %d hours", hours),
		WindowDays3To6:     fmt.Sprintf("After the first %d hours", hours),
		WindowWeekOne:      "Once the skin has healed",
	}
	tags := map[string]bool{"face": p.Face, "body": p.body, "booked": !p.NextVisit.IsZero(), "not_booked": p.NextVisit.IsZero()}
	_, tags["vitamin_c"] = p.rules[RuleVitaminC]
	out := make([]PlanWindow, 0, len(Windows))
	for _, w := range Windows {
		b := bounds[w]
		v := make(map[string]string, len(vals)+2)
		for k, x := range vals {
			v[k] = x
		}
		v["from"], v["to"] = ds.long(b[0]), ds.long(b[1])
		out = append(out, PlanWindow{Window: w, Title: titles[w], From: b[0], To: b[1],
			Paragraphs: fillTemplate(a.Templates[w], v, tags)})
	}
	return out
}

// fillTemplate splits the text into paragraphs (blank lines) and bullets
// (lines starting with "- ") and fills in their {name} placeholders.
// A paragraph or bullet that starts with a tag, such as "[face]", is kept
// only when tags says so, without the tag; one that uses a placeholder
// with no value for this plan (makeup after a body-only treatment) is
// left out rather than printed with a gap.
func fillTemplate(text string, vals map[string]string, tags map[string]bool) []string {
	var out []string
	for _, para := range templateParagraphs(disambiguate(text)) {
		bullet := strings.HasPrefix(para, "- ")
		body := strings.TrimPrefix(para, "- ")
		if tag, rest, ok := cutTag(body); ok {
			if !tags[tag] {
				continue
			}
			body = rest
		}
		missing := false
		body = placeholderPattern.ReplaceAllStringFunc(body, func(m string) string {
			name := m[1 : len(m)-1]
			if v, ok := vals[name]; ok {
				return v
			}
			if _, known := Placeholders[name]; known {
				missing = true
			}
			return m
		})
		if missing || strings.TrimSpace(body) == "" {
			continue
		}
		if bullet {
			body = "- " + body
		}
		out = append(out, body)
	}
	return out
}

// disambiguate rewords a precaution's first free day written as its last
// ("until {makeup_from}") to its last day, and its last day written as
// its first ("from {brushes_until}") to the day after it, so a text saved
// before Validate refused them still prints what it meant, unambiguously.
func disambiguate(text string) string {
	return ambiguousDate.ReplaceAllStringFunc(text, func(m string) string {
		open := strings.IndexByte(m, '{')
		name := m[open+1 : len(m)-1]
		if base, ok := strings.CutSuffix(name, "_from"); ok {
			if base == "sunscreen" {
				base = "sun_heat"
			}
			return m[:5] + " the end of {" + base + "_until}"
		}
		if m[0] == 'F' {
			return "After " + m[open:]
		}
		return "after " + m[open:]
	})
}

// templateParagraphs splits a template into paragraphs and bullets, each
// on one line.
func templateParagraphs(text string) []string {
	var out []string
	for _, block := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		var para []string
		flush := func() {
			if len(para) > 0 {
				out = append(out, strings.Join(para, " "))
				para = nil
			}
		}
		for _, line := range strings.Split(block, "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "":
			case strings.HasPrefix(line, "- "):
				flush()
				out = append(out, line)
			default:
				para = append(para, line)
			}
		}
		flush()
	}
	return out
}

// cutTag reads a leading "[tag] " that TemplateTags knows.
func cutTag(s string) (tag, rest string, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return "", s, false
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return "", s, false
	}
	tag = s[1:end]
	if _, known := TemplateTags[tag]; !known {
		return "", s, false
	}
	return tag, strings.TrimSpace(s[end+1:]), true
}

// FormatRange shows a window's dates: "Tue 24 Nov to Thu 26 Nov", one date
// for a single day, "from Tue 1 Dec" when open-ended.
func (p AftercarePlan) FormatRange(w PlanWindow) string {
	switch {
	case w.To.IsZero():
		return "from " + p.dates.long(w.From)
	case w.From == w.To:
		return p.dates.long(w.From)
	}
	return p.dates.long(w.From) + " to " + p.dates.long(w.To)
}

// FormatDay shows a date on the sheet, weekday first: "Tue 24 Nov".
func (p AftercarePlan) FormatDay(d Date) string { return p.dates.long(d) }

// FormatDate shows a date in the clinic's chosen format, with the year.
func (p AftercarePlan) FormatDate(d Date) string { return p.dates.full(d) }

// dateStyle follows the clinic's format: month first for US-style formats.
type dateStyle struct {
	format     string
	monthFirst bool
}

func newDateStyle(format string) dateStyle {
	if !knownDateFormat(format) {
		format = DateFormats[0]
	}
	return dateStyle{format: format, monthFirst: strings.HasPrefix(format, "01")}
}

func (ds dateStyle) long(d Date) string {
	if d.IsZero() {
		return ""
	}
	if ds.monthFirst {
		return d.Time(time.UTC).Format("Mon Jan 2")
	}
	return d.Time(time.UTC).Format("Mon 2 Jan")
}

func (ds dateStyle) full(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time(time.UTC).Format(ds.format)
}
