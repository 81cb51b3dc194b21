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

// Title is the window's name where the owner edits its text; the sheet
// titles each part with the figures of the clinic's settings.
func (w Window) Title() string {
	switch w {
	case WindowTreatmentDay:
		return "Treatment day"
	case WindowFirst72Hours:
		return "The first 72 hours"
	case WindowDays3To6:
		return "After the first 72 hours"
	case WindowWeekOne:
		return "Once the skin has healed"
	}
	return string(w)
}

// AftercareSettings are the owner's figures and texts for the sheet. The
// defaults are the cautious values from the clinical facts; see Rule for
// how each figure becomes a date.
type AftercareSettings struct {
	NoMakeupHours   int // no makeup for this long after treatment
	SunHeatHours    int // no direct sun, sauna, steam or sunbeds; sunscreen starts after it
	ExerciseHours   int // no exercise or strenuous activity
	ActivesDays     int // the day retinoids, acids, scrubs and lighteners may start again
	BrushesDays     int // no electric or sonic cleansing brushes for at least this many days
	NSAIDDays       int // no ibuprofen-type painkillers or ice for at least this many days
	SunCareDays     int // take extra care in the sun
	VitaminCFromDay int // earliest day vitamin C may start
	Templates       map[Window]string

	// When to call: one sign per line. CallUsSigns are for the clinic;
	// SeeDoctorSigns mean seeing a doctor the same day; EmergencySigns
	// mean calling emergency services at once.
	CallUsSigns     string
	SeeDoctorSigns  string
	EmergencySigns  string
	OutOfHoursPhone string // printed beside the clinic's own number; empty for none
	EmergencyNumber string // such as 999, 112 or 911; empty prints "emergency services"

	// Lines printed for conditions on the client's record; placeholders
	// work as in the templates. Empty leaves the line out.
	BloodThinnersNote string
	KeloidNote        string
	PregnancyNote     string

	// Confirmed holds, for each figure the owner set shorter than the
	// sources' cautious figure, the value they confirmed (see
	// CheckSources). It is kept with the settings so that saving them
	// again does not ask again.
	Confirmed map[string]int
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
		Templates:         t,
		CallUsSigns:       defaultCallUs,
		SeeDoctorSigns:    defaultSeeDoctor,
		EmergencySigns:    defaultEmergency,
		BloodThinnersNote: defaultBloodThinnersNote,
		KeloidNote:        defaultKeloidNote,
		PregnancyNote:     defaultPregnancyNote,
	}
}

// Placeholders are the names a template may use, each in braces, with what
// it becomes on the sheet. A "_until" date is the last day a precaution
// still applies (write "until the end of {makeup_until}"); a "_from" date
// is the first day it no longer does (write "from {makeup_from}").
var Placeholders = map[string]string{
	"first_name":         "the client's first name",
	"treatment_date":     "the day of the treatment",
	"from":               "the first day of this part of the timeline",
	"to":                 "the last day of this part of the timeline",
	"makeup_until":       "the last day without makeup",
	"makeup_from":        "the first day makeup may be used again",
	"sun_heat_until":     "the last day to keep out of sun and heat",
	"sun_heat_from":      "the first day out of the sun's and heat's way is over",
	"sunscreen_from":     "the first day of sunscreen (the day after the last day out of the sun)",
	"exercise_until":     "the last day without exercise",
	"exercise_from":      "the first day exercise may start again",
	"actives_until":      "the last day without active products",
	"actives_from":       "the first day active products may start again",
	"vitamin_c_until":    "the last day without vitamin C (only when vitamin C is planned)",
	"vitamin_c_from":     "the first day vitamin C may be used (only when vitamin C is planned)",
	"nsaids_until":       "the last day without anti-inflammatories or ice",
	"nsaids_from":        "the first day anti-inflammatories or ice may be used again",
	"brushes_until":      "the last day without cleansing brushes",
	"brushes_from":       "the first day cleansing brushes may be used again",
	"sun_care_until":     "the last day of extra sun care",
	"next_session":       "the day the next session is due (the day booked, when one is)",
	"next_visit":         "the next booked session's day, time and technician (only when one is booked)",
	"clinic_phone":       "the clinic's phone number (a line using it is left out when there is none)",
	"out_of_hours_phone": "the out-of-hours number (a line using it is left out when there is none)",
}

// TemplateTags may start a paragraph or a bullet, as in "- [face] No
// makeup ...": the line is printed only when the tag holds.
var TemplateTags = map[string]string{
	"face":       "only when the face, neck or décolletage was treated",
	"body":       "only when the hands or a body area was treated",
	"vitamin_c":  "only when a vitamin C product is planned for the client",
	"booked":     "only when the client's next session is booked",
	"not_booked": "only when the client's next session is not booked yet",
}

var placeholderPattern = regexp.MustCompile(`\{([a-z_]*)\}`)

// ambiguousDate finds a precaution's first free day written as its last
// ("until {makeup_from}") or its last day written as its first ("from
// {makeup_until}"), the wording that made sheets disagree.
var ambiguousDate = regexp.MustCompile(`(?i)\b(until(?:\s+the\s+end\s+of)?\s+\{[a-z_]+_from\}|from\s+\{[a-z_]+_until\})`)

// Validate checks the figures and texts. Figures shorter than the
// sources' cautious ones are allowed here; CheckSources asks for the
// owner's confirmation of those.
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
		a.checkTemplate(&p, "template_"+string(w), a.Templates[w], true)
	}
	for _, t := range []struct{ field, text string }{
		{"call_us_signs", a.CallUsSigns}, {"see_doctor_signs", a.SeeDoctorSigns}, {"emergency_signs", a.EmergencySigns},
	} {
		p.text(t.field, t.text, textRule{required: true, max: 2000, multiline: true})
	}
	for _, t := range []struct{ field, text string }{
		{"blood_thinners_note", a.BloodThinnersNote}, {"keloid_note", a.KeloidNote}, {"pregnancy_note", a.PregnancyNote},
	} {
		a.checkTemplate(&p, t.field, t.text, false)
	}
	if msg := CheckPhone(a.OutOfHoursPhone); msg != "" {
		p.add("out_of_hours_phone", msg)
	}
	if msg := checkEmergencyNumber(a.EmergencyNumber); msg != "" {
		p.add("emergency_number", msg)
	}
	return p.err()
}

// checkEmergencyNumber accepts a short emergency number such as 999, 112,
// 911 or 000, or nothing.
func checkEmergencyNumber(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 2 || len(s) > 6 || strings.Trim(s, "0123456789") != "" {
		return "should be the short emergency number, such as 999, 112 or 911"
	}
	return ""
}

func (a AftercareSettings) checkTemplate(p *problems, field, text string, required bool) {
	if msg := checkText(text, textRule{required: required, max: 4000, multiline: true}); msg != "" {
		p.add(field, msg)
		return
	}
	if bad := unknownPlaceholders(text); len(bad) > 0 {
		p.add(field, fmt.Sprintf("uses %s, which NeedleDesk does not know; you can use %s",
			strings.Join(bad, ", "), placeholderList()))
		return
	}
	if m := ambiguousDate.FindString(text); m != "" {
		p.add(field, fmt.Sprintf("says %q: a {…_from} date is the first day allowed and a {…_until} date the last day "+
			"still avoided, so write \"from {…_from}\" or \"until the end of {…_until}\"", m))
	}
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

- Do not touch the treated skin today: the tiny channels made by the needles are still open.
- Do not wash it today, and put nothing on it but the soothing gel; gentle cleansing starts tomorrow.
- Whenever the skin feels tight, dry or hot, smooth on a thin layer of the soothing gel.
- Leave out active products for now: retinoids, acids, vitamin C, lightening and strong acne creams.
- [face] Sleep on a clean pillowcase tonight.
- [body] Wear clean, loose clothing over the treated skin.`,

	WindowFirst72Hours: `From {from} to {to} the skin may feel rough, dry or tight, and may flake a little. That is expected.

- Cleanse gently morning and evening with a mild, fragrance-free cleanser and lukewarm water; pat dry.
- Then a gentle moisturiser. A hyaluronic acid serum helps with dryness; the soothing gel can still be used.
- No exercise or hard physical work until the end of {exercise_until}.
- Stay out of direct sun and away from saunas, steam rooms, hot baths and sunbeds until the end of {sun_heat_until}; if you go out, keep to the shade and wear a hat.
- [face] No makeup until the end of {makeup_until}.
- Skip toners, scrubs and anything harsh or perfumed, and let flaking skin come away by itself.`,

	WindowDays3To6: `From {from} to {to} most redness and irritation fade, and fresher skin shows as the flaking ends.

- Keep cleansing gently and moisturising twice a day.
- From {sunscreen_from}, use a broad-spectrum sunscreen of SPF 30 or higher whenever you go outside, even on cloudy days, and reapply it about every two hours; a mineral sunscreen is kindest to healing skin. Take extra care in the sun until the end of {sun_care_until}.
- [face] Makeup may be used again from {makeup_from}; mineral makeup is the gentlest choice.
- Please avoid ibuprofen and other anti-inflammatory painkillers, and ice packs, until the end of {nsaids_until}: they slow the repair we want. Ask your doctor before stopping any prescribed medicine.`,

	WindowWeekOne: `From {from} the surface of your skin has healed. Underneath, new collagen keeps forming for weeks to months, so results build gradually.

- This is the time to begin the treatment products in your product plan, each on the day it shows.
- [vitamin_c] Vitamin C can be started from {vitamin_c_from}.
- Electric or sonic cleansing brushes can go back into use from {brushes_from}.
- Keep up daily sunscreen.
- [booked] Your next session is booked for {next_visit}.
- [booked] If you need to move it, call us on {clinic_phone}.
- [not_booked] Your next session is due around {next_session}; call us on {clinic_phone} to book it.`,
}

// The default "when to call" signs and condition lines, in NeedleDesk's
// own words.
const (
	defaultCallUs = `redness or swelling that spreads, or worsens after day 2
pus, weeping crusts or a bad smell
pain that grows instead of easing
a rash, blisters or itching that lasts
a cold sore near the treated skin`

	defaultSeeDoctor = `a fever or chills, or feeling unwell
redness spreading fast, or red streaks from the treated skin
treated skin turning hot, hard and very painful
cold sores spreading, or near an eye`

	defaultEmergency = `swelling of the lips, tongue, mouth or throat
trouble breathing or swallowing
feeling faint or dizzy with a rash or swelling`

	defaultBloodThinnersNote = `Your record notes a blood thinner or a tendency to bleed, so bruising and pinpoint bleeding may show more and last a few days longer than usual. Do not stop any prescribed medicine yourself. Call us if a bruise keeps growing or bleeding does not stop with gentle pressure.`

	defaultKeloidNote = `Your record notes raised (keloid or thickened) scarring in the past. Over the coming weeks, watch the treated skin and show us straight away any spot that turns firm, raised or itchy, so we can act early.`

	defaultPregnancyNote = `While you are pregnant or breastfeeding, do not use retinol or any other retinoid (vitamin A creams), also after the first week. Please ask us before starting any new product.`
)

// weekOneBeforeBooking is the last paragraph NeedleDesk shipped before the
// sheet knew of booked sessions: it asked a client already booked to call
// to book. A clinic whose stored text is still this gets today's.
var weekOneBeforeBooking = `From {from} the surface of your skin has healed. Underneath, new collagen keeps forming for weeks to months, so results build gradually.

- This is the time to begin the treatment products in your product plan, each on the day it shows.
- [vitamin_c] Vitamin C can be started from {vitamin_c_from}.
- Electric or sonic cleansing brushes can go back into use from {brushes_from}.
- Keep up daily sunscreen.
- Your next session is due around {next_session}; call us on {clinic_phone} to book it.`

// templatesBefore18 are the texts NeedleDesk shipped before the sheet's
// dates were made to agree (issue 18). A clinic whose stored text is still
// one of them gets today's text instead; see CurrentDefaults.
var templatesBefore18 = map[Window]string{
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
