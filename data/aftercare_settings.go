package data

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Window is one stretch of the healing timeline on the aftercare sheet.
type Window string

// The windows of the aftercare timeline, in order.
const (
	WindowTreatmentDay Window = "treatment_day"
	WindowFirst72Hours Window = "first_72_hours"
	WindowDays3To6     Window = "days_3_to_6"
	WindowWeekOne      Window = "week_one_onwards"
)

// Windows lists the timeline in order.
var Windows = []Window{WindowTreatmentDay, WindowFirst72Hours, WindowDays3To6, WindowWeekOne}

// Title is the window's heading on the sheet.
func (w Window) Title() string {
	switch w {
	case WindowTreatmentDay:
		return "Treatment day"
	case WindowFirst72Hours:
		return "The first 72 hours"
	case WindowDays3To6:
		return "Days 3 to 6"
	case WindowWeekOne:
		return "One week and beyond"
	}
	return string(w)
}

// AftercareSettings are the owner's day counts and texts for the sheet. The
// defaults are the cautious values from the clinical facts.
type AftercareSettings struct {
	NoMakeupHours   int // no makeup for this long after treatment
	SunHeatHours    int // no direct sun, sauna, steam or sunbeds
	ExerciseHours   int // no exercise or strenuous activity
	ActivesDays     int // no retinoids, acids, scrubs, lighteners
	BrushesDays     int // no electric or sonic cleansing brushes
	NSAIDDays       int // no ibuprofen-type painkillers or ice
	SunCareDays     int // take extra care in the sun
	VitaminCFromDay int // earliest day vitamin C may start
	Templates       map[Window]string
}

// DefaultAftercareSettings are the cautious defaults.
func DefaultAftercareSettings() AftercareSettings {
	t := make(map[Window]string, len(defaultTemplates))
	for k, v := range defaultTemplates {
		t[k] = v
	}
	return AftercareSettings{
		NoMakeupHours: 72, SunHeatHours: 72, ExerciseHours: 72,
		ActivesDays: 7, BrushesDays: 7, NSAIDDays: 7, SunCareDays: 14, VitaminCFromDay: 7,
		Templates: t,
	}
}

// Placeholders are the names a template may use, each in braces, with what
// it becomes on the sheet.
var Placeholders = map[string]string{
	"first_name":     "the client's first name",
	"treatment_date": "the day of the treatment",
	"from":           "the first day of this part of the timeline",
	"to":             "the last day of this part of the timeline",
	"makeup_from":    "the day makeup may be used again",
	"sun_heat_until": "the last day to keep out of sun and heat",
	"exercise_until": "the last day without exercise",
	"actives_until":  "the last day without active products",
	"brushes_until":  "the last day without cleansing brushes",
	"nsaids_until":   "the last day without anti-inflammatories or ice",
	"sun_care_until": "the last day of extra sun care",
	"vitamin_c_from": "the first day vitamin C may be used",
	"next_session":   "the day the next session is due",
	"clinic_phone":   "the clinic's phone number",
}

var placeholderPattern = regexp.MustCompile(`\{([a-z_]*)\}`)

// Validate checks day counts and templates.
func (a AftercareSettings) Validate() error {
	var p problems
	counts := []struct {
		field     string
		v, lo, hi int
	}{
		{"no_makeup_hours", a.NoMakeupHours, 24, 336},
		{"sun_heat_hours", a.SunHeatHours, 24, 336},
		{"exercise_hours", a.ExerciseHours, 24, 336},
		{"actives_days", a.ActivesDays, 1, 60},
		{"brushes_days", a.BrushesDays, 1, 60},
		{"nsaid_days", a.NSAIDDays, 1, 60},
		{"sun_care_days", a.SunCareDays, 1, 90},
		{"vitamin_c_from_day", a.VitaminCFromDay, 7, 60},
	}
	for _, c := range counts {
		if c.v < c.lo || c.v > c.hi {
			p.add(c.field, fmt.Sprintf("must be between %d and %d", c.lo, c.hi))
		}
	}
	for _, w := range Windows {
		field := "template_" + string(w)
		text := a.Templates[w]
		if msg := checkText(text, textRule{required: true, max: 4000, multiline: true}); msg != "" {
			p.add(field, msg)
			continue
		}
		if bad := unknownPlaceholders(text); len(bad) > 0 {
			p.add(field, fmt.Sprintf("uses %s, which NeedleDesk does not know; you can use %s",
				strings.Join(bad, ", "), placeholderList()))
		}
	}
	return p.err()
}

func unknownPlaceholders(text string) []string {
	var bad []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(text, -1) {
		if _, ok := Placeholders[m[1]]; !ok {
			bad = append(bad, m[0])
		}
	}
	return bad
}

func placeholderList() string {
	names := make([]string, 0, len(Placeholders))
	for k := range Placeholders {
		names = append(names, "{"+k+"}")
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// defaultTemplates are NeedleDesk's own aftercare texts. Paragraphs are
// separated by blank lines; a line starting with "- " is a bullet.
var defaultTemplates = map[Window]string{
	WindowTreatmentDay: `{first_name}, for the rest of today your skin will look and feel as if it has caught the sun: pink or red, warm and a little tender. This is the normal first step of healing and usually calms down by tomorrow.

- Keep your hands away from your face. The tiny channels made by the needles are still open, and fingers carry germs.
- Do not wash the treated skin or put makeup or any other cosmetics on it until tomorrow morning.
- Whenever the skin feels tight, dry or hot, smooth on a thin layer of the soothing gel we gave you.
- Leave out active products for now: retinol and other retinoids, exfoliating acids, lightening creams and strong acne treatments.
- Sleep on a clean pillowcase tonight.`,

	WindowFirst72Hours: `From {from} to {to} the skin may feel rough, dry or tight, and light flaking can start. That is expected.

- Cleanse gently morning and evening with a mild, fragrance-free cleanser and lukewarm water, then pat dry with a clean towel.
- Follow with a gentle moisturiser. A hyaluronic acid hydrating serum helps with the dryness, and the soothing gel can still be used.
- No exercise or hard physical work until the end of {exercise_until}.
- Stay out of direct sun and away from saunas, steam rooms, hot baths and sunbeds until the end of {sun_heat_until}.
- No makeup until {makeup_from}. When you start again, mineral makeup is the gentlest choice.
- Skip toners, acids, scrubs and anything else harsh. Let flaking skin come away by itself; do not pick or rub it.`,

	WindowDays3To6: `From {from} to {to} most of the redness and irritation will have faded. As the light flaking finishes, fresher skin shows through.

- Keep cleansing gently and moisturising twice a day.
- Use a broad-spectrum sunscreen of SPF 30 or higher every time you go outside, even on cloudy days; a mineral sunscreen is kindest to healing skin. Reapply about every two hours outdoors, and wear a wide-brimmed hat if you can. Take extra care in the sun until {sun_care_until}.
- Makeup may now be used to cover any redness that is left.
- Please avoid ibuprofen and other anti-inflammatory painkillers, and ice packs, until {nsaids_until}: they slow the repair we want. Ask your doctor before stopping any prescribed medicine.`,

	WindowWeekOne: `From {from} the surface of your skin has healed. Underneath, new collagen keeps forming for weeks to months, so results build gradually.

- Electric or sonic cleansing brushes can go back into use from {from}.
- This is the time to begin the treatment products we recommend for you (see your product plan), such as vitamin C from {vitamin_c_from}, peptides and hydrating serums.
- Keep up daily sunscreen.
- Your next session is due around {next_session}. Call us on {clinic_phone} to book.`,
}
