package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"needledesk/data"
)

type generator struct {
	rng      *rand.Rand
	now      time.Time
	settings data.Settings
	staff    []data.Staff
	products []data.Product
	serial   int
	plan     *planner // the appointment book (book.go)
	menu     menu
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// person is a client and the days they were treated, planned together so
// that the record and the history agree in time: the client was an adult
// and had signed the consent form by the first treatment, and what the
// record says they stopped or used had happened by the day it is warned on.
type person struct {
	client data.Client
	days   []data.Date // oldest first
}

func (g *generator) person() person {
	days := g.sessionDays()
	return person{client: g.client(days), days: days}
}

func (g *generator) client(days []data.Date) data.Client {
	g.serial++
	pool := pick(g.rng, pools)
	c := data.Client{
		GivenName:  pick(g.rng, pool.given),
		FamilyName: pick(g.rng, pool.family),
		SkinType:   data.SkinType(1 + g.rng.IntN(6)),
	}
	today := data.DateOf(g.now)
	first := today // the first visit: the first treatment, or today for someone not yet treated
	if len(days) > 0 {
		first = days[0]
	}
	c.DateOfBirth = first.AddMonths(-18 * 12).AddDays(-g.rng.IntN(50 * 365))
	c.Phone = fmt.Sprintf("%s %d %03d %04d", pool.phone, 20+g.rng.IntN(79), g.rng.IntN(1000), g.rng.IntN(10000))
	c.Email = g.email(c, pool)
	c.EmailReminders = g.chance(0.7)
	c.Concerns = g.concerns()
	if g.chance(0.15) {
		c.Allergies = pick(g.rng, []string{"Lidocaine", "Nickel", "Fragrance", "Vitamin E", "Latex", "Niacinamide"})
	}
	if g.chance(0.1) {
		c.Medications = pick(g.rng, []string{"Levothyroxine", "Combined pill", "Sertraline", "Metformin"})
	}
	g.contraindications(&c, days, today)
	switch {
	case len(days) > 0: // signed at the first visit or a little before
		c.Consent = consentOn(first.AddDays(-g.rng.IntN(15)))
	case g.chance(0.9):
		c.Consent = consentOn(today.AddDays(-g.rng.IntN(700)))
	}
	if g.chance(0.3) {
		c.Notes = pick(g.rng, []string{
			"Prefers morning appointments.", "Nervous about needles; talk her through each step.",
			"Referred by a friend.", "Asks for text reminders, not calls.", "Sensitive around the nose.",
		})
	}
	return c
}

func (g *generator) email(c data.Client, pool namePool) string {
	local := fmt.Sprintf("client%d", g.serial)
	if pool.latin {
		local = strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || r == '.' {
				return r
			}
			return -1
		}, data.FoldForSearch(c.GivenName+"."+c.FamilyName))
		local = fmt.Sprintf("%s%d", local, g.serial)
	}
	return local + "@" + pick(g.rng, []string{"example.com", "example.org", "example.net"})
}

func (g *generator) concerns() []data.Concern {
	n := 1 + g.rng.IntN(3)
	idx := g.rng.Perm(len(data.Concerns))[:n]
	sort.Ints(idx)
	out := make([]data.Concern, n)
	for i, j := range idx {
		out[i] = data.Concerns[j]
	}
	return out
}

// consentOn is the consent form signed on day, in the version the clinic
// used that year.
func consentOn(day data.Date) data.Consent {
	return data.Consent{SignedOn: day, FormVersion: fmt.Sprintf("%d-1", day.Year)}
}

// contraindications fills the screening answers. A client who took
// isotretinoin stopped before their first treatment here (some within the
// wait, so their first sessions carry the warning); recent actives fall in
// the last month, so only the sessions since then can be warned of them.
func (g *generator) contraindications(c *data.Client, days []data.Date, today data.Date) {
	k := &c.Contra
	switch {
	case g.chance(0.03):
		k.Isotretinoin = true
		k.IsotretinoinStopped = today.AddDays(-30 - g.rng.IntN(400))
		if len(days) > 0 {
			k.IsotretinoinStopped = days[0].AddDays(-1 - g.rng.IntN(300))
		}
	case g.chance(0.02):
		k.PregnantOrNursing = true
	case g.chance(0.03):
		k.KeloidTendency = true
	case g.chance(0.02):
		k.Anticoagulants = true
	case g.chance(0.03):
		k.RecentActives = true
		k.RecentActivesOn = today.AddDays(-g.rng.IntN(30))
		k.RecentActivesWhat = pick(g.rng, []string{"Tretinoin cream", "Glycolic peel", "Laser resurfacing"})
	}
	if g.chance(0.01) {
		k.MetalAllergy = true
	}
}

// areasFor picks areas that fit the client's concerns.
func (g *generator) areasFor(c data.Client) []data.Area {
	set := map[data.Area]bool{}
	for _, cn := range c.Concerns {
		switch cn {
		case data.ConcernAcneScars:
			set[data.AreaAcneScars], set[data.AreaCheeks] = true, true
		case data.ConcernStretchMarks:
			set[pick(g.rng, []data.Area{data.AreaAbdomen, data.AreaThighs})] = true
		case data.ConcernLines:
			set[data.AreaForehead], set[data.AreaUnderEye] = true, true
		case data.ConcernLaxity:
			set[data.AreaJaw], set[data.AreaNeck] = true, true
		case data.ConcernPores:
			set[data.AreaNose], set[data.AreaCheeks] = true, true
		default:
			set[pick(g.rng, []data.Area{data.AreaCheeks, data.AreaForehead, data.AreaAroundMouth, data.AreaDecolletage})] = true
		}
	}
	var out []data.Area
	for _, a := range data.Areas { // fixed order keeps the output repeatable
		if set[a] {
			out = append(out, a)
		}
	}
	return out
}

// depth picks a depth inside the area's range in 0.05 mm steps; now and then
// a technician goes a little past it, as happens in real charts.
func (g *generator) depth(a data.Area) float64 {
	r := g.settings.DepthRangeFor(a)
	steps := int((r.MaxMM-r.MinMM)/0.05 + 0.5)
	d := r.MinMM + float64(g.rng.IntN(steps+1))*0.05
	if g.chance(0.03) {
		d += 0.25
	}
	return float64(int(min(d, data.MaxDepthMM)*100+0.5)) / 100
}

// sessionDays plans 0 to 8 treatment days about four to six weeks apart,
// all within the two years before today (and before today, so no session
// starts later than the clinic's present).
func (g *generator) sessionDays() []data.Date {
	n := g.rng.IntN(9)
	if n == 0 {
		return nil
	}
	last := data.DateOf(g.now).AddDays(-1)
	span := 730 - n*28
	day := data.DateOf(g.now).AddDays(-730 + g.rng.IntN(max(span, 1)))
	out := make([]data.Date, 0, n)
	for i := 0; i < n; i++ {
		day = g.openDay(day)
		if day.After(last) {
			break
		}
		out = append(out, day)
		day = day.AddDays(28 + g.rng.IntN(15))
	}
	return out
}

// openDay is day, or when the clinic is closed that day one of the next
// few days it is open (spread, so the day after a closed one is not
// twice as busy).
func (g *generator) openDay(day data.Date) data.Date {
	open := func(d data.Date) bool { return g.settings.OpeningHours[d.Time(time.UTC).Weekday()].IsOpen() }
	if open(day) {
		return day
	}
	day = day.AddDays(1 + g.rng.IntN(3))
	for i := 0; i < 7 && !open(day); i++ {
		day = day.AddDays(1)
	}
	return day // closed only in a clinic with no hours at all
}

// sessions charts the planned treatments of p, whose client has an ID
// now, each at a time a technician and a room were free on its day; the
// visits say which.
func (g *generator) sessions(p person) ([]data.Session, []visit, error) {
	out := make([]data.Session, 0, len(p.days))
	var vs []visit
	for _, day := range p.days {
		s := g.session(p.client, day)
		if g.plan == nil { // no book to fill (the first start's sample clinic): a technician's day, 9:00 to 17:00
			s.TechnicianID = g.anyTechnician().ID
			s.StartedAt = day.Time(time.UTC).Add(time.Duration(9*60+g.rng.IntN(8*4)*15) * time.Minute)
			out = append(out, s)
			continue
		}
		v := visit{treatment: g.menu.treatmentFor(s)}
		t, at, ok, err := g.place(day, v.treatment.DefaultMinutes, -1, 0)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			v.treater = t
			s.TechnicianID, s.StartedAt = t.staff.ID, at
		} else { // a clinic whose day is too short for it: a session with no appointment
			s.TechnicianID, s.StartedAt = g.plan.treaters[0].staff.ID, day.Time(time.UTC).Add(9*time.Hour)
		}
		out, vs = append(out, s), append(vs, v)
	}
	return out, vs, nil
}

// asOf is the client's record as it stood on day, for the warnings of a
// session that day: answers dated later had not happened yet, and being
// pregnant or having an active infection (answers without a date) are
// taken as true of the present, after the client's past sessions.
func asOf(c data.Client, day data.Date) data.Client {
	k := &c.Contra
	if k.Isotretinoin && !k.IsotretinoinStopped.IsZero() && k.IsotretinoinStopped.After(day) {
		k.Isotretinoin, k.IsotretinoinStopped = false, data.Date{}
	}
	if k.RecentActives && (k.RecentActivesOn.IsZero() || k.RecentActivesOn.After(day)) {
		k.RecentActives, k.RecentActivesOn, k.RecentActivesWhat = false, data.Date{}, ""
	}
	k.PregnantOrNursing, k.ActiveInfection = false, false
	return c
}

// session charts a treatment on day; sessions gives it its technician
// and time.
func (g *generator) session(c data.Client, day data.Date) data.Session {
	s := data.Session{
		ClientID:       c.ID,
		Device:         pick(g.rng, []string{"Dermapen 4", "SkinPen Precision", "Exceed pen", "Titanium roller 192"}),
		NeedleLot:      fmt.Sprintf("LOT-%02d%02d-%03d", day.Year%100, int(day.Month), g.rng.IntN(1000)),
		Passes:         2 + g.rng.IntN(3),
		NumbingAgent:   "Lidocaine 5% cream",
		NumbingMinutes: 20 + 5*g.rng.IntN(5),
		GlideSerum:     "Hyaluronic glide serum",
		Reaction:       pick(g.rng, []string{"Even redness (erythema), no bleeding", "Pinpoint bleeding on cheeks", "Mild redness, settled in 20 minutes", "Moderate redness and light swelling"}),
		NextDue:        day.AddDays(g.settings.FollowUpDays),
	}
	if c.Allergies == "Lidocaine" {
		s.NumbingAgent, s.NumbingMinutes = "", 0
	}
	for _, a := range g.areasFor(c) {
		s.Areas = append(s.Areas, data.AreaTreatment{Area: a, DepthMM: g.depth(a)})
	}
	s.ProductsApplied = "Calm Barrier Recovery Gel"
	s.Warnings = data.ContraindicationWarnings(asOf(c, day), day, g.settings)
	if len(s.Warnings) > 0 {
		s.OverrideReason = "Discussed with the client; doctor's letter on file. Went ahead at reduced depth."
	}
	for _, p := range g.products {
		if p.Category == data.CategoryCleanser || p.Category == data.CategoryOther || g.chance(0.3) {
			continue
		}
		s.Recommendations = append(s.Recommendations, data.Recommendation{ProductID: p.ID, StartDay: p.DefaultStartDay})
	}
	return s
}

// anyTechnician is one of the staff who chart sessions, drawn at random:
// a technician, or the owner in a clinic without one.
func (g *generator) anyTechnician() data.Staff {
	var techs []data.Staff
	for _, st := range g.staff {
		if st.Role == data.RoleTechnician && st.Active {
			techs = append(techs, st)
		}
	}
	if len(techs) == 0 {
		return data.Staff{ID: ownerOf(g.staff)}
	}
	return techs[g.rng.IntN(len(techs))]
}
