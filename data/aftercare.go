package data

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// AftercarePlan is everything an aftercare sheet says, worked out from one
// session, its client and the clinic's settings. The UI previews it and pdf
// prints it; neither adds clinical content of its own.
type AftercarePlan struct {
	Clinic          ClinicDetails
	ClientName      string
	ClientFirstName string
	TreatedAt       time.Time // in the clinic's zone
	Areas           []string  // "Cheeks (0.75 mm)"
	Technician      string
	Windows         []PlanWindow
	Avoid           []AvoidItem
	Products        []PlanProduct
	PersonalNotes   string
	AllergyWarnings []string
	NextDue         Date
	WhenToCall      []string
	MadeAt          time.Time
	PaperSize       PaperSize
	dates           dateStyle
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
	What  string
	Until Date
}

// PlanProduct is a recommended product and the day to start it.
type PlanProduct struct {
	Name, Brand, Category, HowToUse string
	StartDay                        int
	StartOn                         Date
}

// AftercareInput is what a plan is built from. Session.Recommendations must
// carry their Product (the store fills it in when reading a session).
type AftercareInput struct {
	Session       Session
	Client        Client
	Settings      Settings
	PersonalNotes string
	MadeAt        time.Time
	Location      *time.Location // the clinic's zone; nil means local time
}

// WhenToCallSigns are signs of trouble, not of normal healing.
var WhenToCallSigns = []string{
	"redness or swelling that spreads or gets worse after the second day",
	"yellow or green discharge (pus), crusting that weeps, or a bad smell",
	"a fever, or feeling generally unwell",
	"pain that grows instead of easing",
	"blisters, a rash, or itching that does not settle",
}

// BuildAftercarePlan works out the dated plan for a session.
func BuildAftercarePlan(in AftercareInput) AftercarePlan {
	loc := in.Location
	if loc == nil {
		loc = time.Local
	}
	s, a := in.Settings, in.Settings.Aftercare
	treated := in.Session.StartedAt.In(loc)
	day0 := DateOf(treated)
	ds := newDateStyle(s.DateFormat)
	p := AftercarePlan{
		Clinic: ClinicDetails{Name: s.ClinicName, Address: s.Address, Phone: s.Phone,
			Email: s.Email, Website: s.Website, Logo: s.Logo},
		ClientName:      in.Client.FullName(),
		ClientFirstName: firstName(in.Client),
		TreatedAt:       treated,
		Technician:      in.Session.TechnicianName,
		PersonalNotes:   in.PersonalNotes,
		NextDue:         in.Session.NextDue,
		WhenToCall:      WhenToCallSigns,
		MadeAt:          in.MadeAt.In(loc),
		PaperSize:       s.PaperSize,
		dates:           ds,
	}
	for _, at := range in.Session.Areas {
		p.Areas = append(p.Areas, fmt.Sprintf("%s (%s mm)", at.Area.Label(), FormatMM(at.DepthMM)))
	}
	p.Avoid = avoidList(treated, a)
	p.Products = planProducts(day0, in.Session.Recommendations)
	p.AllergyWarnings = allergyWarningLines(in.Client, in.Session.Recommendations)
	p.Windows = planWindows(day0, p, a, ds)
	return p
}

func firstName(c Client) string {
	if strings.TrimSpace(c.GivenName) != "" {
		return c.GivenName
	}
	return c.FamilyName
}

// untilAfterHours is the last calendar day still inside a span of hours
// that starts at the treatment time.
func untilAfterHours(treated time.Time, hours int) Date {
	return DateOf(treated.Add(time.Duration(hours) * time.Hour))
}

func avoidList(treated time.Time, a AftercareSettings) []AvoidItem {
	day0 := DateOf(treated)
	items := []AvoidItem{
		{"Touching the treated skin", day0},
		{"Washing the treated skin", day0},
		{"Makeup and other cosmetics", untilAfterHours(treated, a.NoMakeupHours)},
		{"Exercise and strenuous activity", untilAfterHours(treated, a.ExerciseHours)},
		{"Direct sun, sauna, steam room, sunbeds", untilAfterHours(treated, a.SunHeatHours)},
		{"Retinoids, acids, scrubs, lightening and acne creams", day0.AddDays(a.ActivesDays - 1)},
		{"Ibuprofen-type painkillers and ice packs", day0.AddDays(a.NSAIDDays - 1)},
		{"Electric or sonic cleansing brushes", day0.AddDays(a.BrushesDays - 1)},
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Until.Before(items[j].Until) })
	return items
}

func planProducts(day0 Date, recs []Recommendation) []PlanProduct {
	out := make([]PlanProduct, 0, len(recs))
	for _, r := range recs {
		out = append(out, PlanProduct{
			Name: r.Product.Name, Brand: r.Product.Brand, Category: r.Product.Category.Label(),
			HowToUse: r.Product.HowToUse, StartDay: r.StartDay, StartOn: day0.AddDays(r.StartDay),
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartDay < out[j].StartDay })
	return out
}

func planWindows(day0 Date, p AftercarePlan, a AftercareSettings, ds dateStyle) []PlanWindow {
	bounds := map[Window][2]Date{
		WindowTreatmentDay: {day0, day0},
		WindowFirst72Hours: {day0.AddDays(1), day0.AddDays(3)},
		WindowDays3To6:     {day0.AddDays(3), day0.AddDays(6)},
		WindowWeekOne:      {day0.AddDays(7), {}},
	}
	vitC := day0.AddDays(a.VitaminCFromDay)
	for _, pr := range p.Products {
		if pr.Category == CategoryVitaminC.Label() && pr.StartOn.After(vitC) {
			vitC = pr.StartOn
		}
	}
	common := map[string]string{
		"first_name":     p.ClientFirstName,
		"treatment_date": ds.long(day0),
		"makeup_from":    ds.long(untilAfterHours(p.TreatedAt, a.NoMakeupHours).AddDays(1)),
		"sun_heat_until": ds.long(untilAfterHours(p.TreatedAt, a.SunHeatHours)),
		"exercise_until": ds.long(untilAfterHours(p.TreatedAt, a.ExerciseHours)),
		"actives_until":  ds.long(day0.AddDays(a.ActivesDays - 1)),
		"brushes_until":  ds.long(day0.AddDays(a.BrushesDays - 1)),
		"nsaids_until":   ds.long(day0.AddDays(a.NSAIDDays - 1)),
		"sun_care_until": ds.long(day0.AddDays(a.SunCareDays)),
		"vitamin_c_from": ds.long(vitC),
		"next_session":   ds.long(p.NextDue),
		"clinic_phone":   p.Clinic.Phone,
	}
	if p.NextDue.IsZero() {
		common["next_session"] = "the date we agree with you"
	}
	if p.Clinic.Phone == "" {
		common["clinic_phone"] = "the clinic"
	}
	out := make([]PlanWindow, 0, len(Windows))
	for _, w := range Windows {
		b := bounds[w]
		vals := map[string]string{"from": ds.long(b[0]), "to": ds.long(b[1])}
		for k, v := range common {
			vals[k] = v
		}
		out = append(out, PlanWindow{Window: w, Title: w.Title(), From: b[0], To: b[1],
			Paragraphs: fillTemplate(a.Templates[w], vals)})
	}
	return out
}

// fillTemplate replaces {name} placeholders and splits the text into
// paragraphs (blank lines) and bullets (lines starting with "- ").
func fillTemplate(text string, vals map[string]string) []string {
	text = placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := vals[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
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
