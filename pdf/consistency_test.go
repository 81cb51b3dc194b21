package pdf

import (
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// The sheet must never say two things about the same precaution. These
// tests render sheets for treatments on awkward days, read them back with
// pdftotext and, for each precaution, gather every date any line of the
// sheet gives for it: the avoid table, the timeline's texts (including
// "may now" in a part that starts on a given day), and the start of every
// product tied to it. Each precaution must have one last day, one first
// free day (the day after), and no product may start before that.

// consistencyProducts covers every kind of product the plan must place:
// gentle care that may start early, products that must wait for a window,
// and one the client is allergic to. Each starts on a day that is too
// early for it where it has a window.
func consistencyProducts() []data.Recommendation {
	p := func(id int64, name string, cat data.Category, day int, ingredients ...string) data.Recommendation {
		return data.Recommendation{ProductID: id, StartDay: day, Product: data.Product{ID: id, Name: name, Brand: "Test Lab",
			Category: cat, HowToUse: "As shown.", DefaultStartDay: day, KeyIngredients: ingredients}}
	}
	return []data.Recommendation{
		p(1, "Calm Gel", data.CategoryProtectiveGel, 0, "Panthenol"),
		p(2, "Soft Cleanser", data.CategoryCleanser, 1, "Glycerin"),
		p(3, "Plain Moisturiser", data.CategoryMoisturiser, 1, "Ceramides"),
		p(4, "Aqua Serum", data.CategoryHydrating, 1, "Hyaluronic acid"),
		p(5, "Shield SPF 50", data.CategorySunscreen, 3, "Zinc oxide"),
		p(6, "Bright C Serum", data.CategoryVitaminC, 2, "Ascorbic acid"),
		p(7, "Night Renew", data.CategoryOther, 2, "Retinol", "Squalane"),
		p(8, "Glow Toner", data.CategoryOther, 2, "Glycolic acid"),
		p(9, "Cover Powder", data.CategoryOther, 3, "Mica", "Zinc oxide"),
		p(10, "Peptide Cream", data.CategoryPeptide, 7, "Palmitoyl tripeptide-1", "Vitamin E"),
	}
}

// productRules ties each product above to the precautions it must wait
// for; "banned" means it must be listed under "do not use", never with a
// start date.
var productRules = map[string][]string{
	"Calm Gel":          nil,
	"Soft Cleanser":     {"wash"},
	"Plain Moisturiser": {"wash"},
	"Aqua Serum":        {"wash"},
	"Shield SPF 50":     {"sun_heat", "sunscreen"},
	"Bright C Serum":    {"vitamin_c", "actives"},
	"Night Renew":       {"actives"},
	"Glow Toner":        {"actives"},
	"Cover Powder":      {"makeup"},
	"Peptide Cream":     {"banned"},
}

func consistencyInput(at time.Time, format string) data.AftercareInput {
	st := sampleSettings()
	st.Logo = nil
	st.DateFormat = format
	return data.AftercareInput{
		Session: data.Session{
			ID: 7, ClientID: 3, StartedAt: at,
			Areas:           []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaForehead, DepthMM: 0.5}},
			NextDue:         data.DefaultNextDue(at, st),
			Recommendations: consistencyProducts(),
			TechnicianName:  "Amira Haddad",
		},
		Client:   data.Client{ID: 3, GivenName: "Zoë", FamilyName: "O'Brien", Allergies: "Vitamin E"},
		Settings: st,
		MadeAt:   at.Add(30 * time.Minute),
		Location: at.Location(),
	}
}

// consistencyCases: a treatment on every day of a week, then a month end,
// a year end, both clock changes in Berlin, a treatment just before
// midnight and one at midnight, and a clinic that writes the month first.
func consistencyCases(t *testing.T) map[string]data.AftercareInput {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("time zone data: %v", err)
	}
	const dmy, mdy = "02/01/2006", "01/02/2006"
	cases := map[string]data.AftercareInput{}
	for d := 0; d < 7; d++ {
		at := time.Date(2026, time.February, 2+d, 10, 15, 0, 0, berlin) // Mon 2 Feb to Sun 8 Feb
		cases[at.Format("Monday")] = consistencyInput(at, dmy)
	}
	for name, at := range map[string]time.Time{
		"month end":               time.Date(2026, time.April, 30, 16, 0, 0, 0, berlin),
		"february end":            time.Date(2026, time.February, 27, 18, 30, 0, 0, berlin),
		"year end":                time.Date(2026, time.December, 31, 11, 0, 0, 0, berlin),
		"clocks forward":          time.Date(2026, time.March, 28, 23, 30, 0, 0, berlin),
		"clocks forward same day": time.Date(2026, time.March, 29, 9, 0, 0, 0, berlin),
		"clocks back":             time.Date(2026, time.October, 25, 0, 30, 0, 0, berlin),
		"clocks back evening":     time.Date(2026, time.October, 24, 23, 15, 0, 0, berlin),
		"midnight":                time.Date(2026, time.June, 1, 0, 0, 0, 0, berlin),
		"just before midnight":    time.Date(2026, time.June, 1, 23, 59, 0, 0, berlin),
	} {
		cases[name] = consistencyInput(at, dmy)
	}
	us := consistencyInput(time.Date(2026, time.December, 30, 14, 0, 0, 0, time.UTC), mdy)
	cases["year end, month first"] = us
	return cases
}

func TestSheetNeverContradictsItself(t *testing.T) {
	requireTools(t)
	cases := consistencyCases(t)
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		in := cases[name]
		t.Run(name, func(t *testing.T) {
			text := layoutText(t, render(t, data.BuildAftercarePlan(in)))
			claims := readClaims(t, text, data.DateOf(in.Session.StartedAt.In(in.Location)))
			for _, problem := range claims.contradictions() {
				t.Error(problem)
			}
			if t.Failed() {
				t.Logf("claims:\n%s\nsheet:\n%s", claims, text)
			}
		})
	}
}

// layoutText is pdftotext -layout's reading, without the running header
// and footer that interrupt the flow at a page break.
func layoutText(t testing.TB, pdf []byte) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", writeTemp(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if pageFurniture.MatchString(l) {
			continue
		}
		keep = append(keep, strings.ReplaceAll(l, "\f", ""))
	}
	return strings.Join(keep, "\n")
}

var pageFurniture = regexp.MustCompile(`Page \d+ of \d+|Sheet made|Aftercare plan for|stillwaterskin\.example`)

// A date as the sheet writes it, day first or month first.
const datePat = `(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:\d{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2} \d{1,2})`

var (
	dateRe = regexp.MustCompile(datePat)
	// A part of the timeline: its title, then its dates.
	windowTitleRe = regexp.MustCompile(`^\s{0,16}(\S.*?\S)\s{3,}(?:from )?(` + datePat + `)(?: to (` + datePat + `))?\s*$`)
	// A row of the avoid table: "until [the end of] DATE  items" (the
	// date may wrap onto the next line), or, under an "until the end of"
	// column heading, "DATE  items".
	avoidRowRe     = regexp.MustCompile(`^\s*until(?: the end of)?(?:\s+(` + datePat + `))?(?:\s{2,}(.*))?$`)
	avoidDateRowRe = regexp.MustCompile(`^\s*(` + datePat + `)\s{2,}(.*)$`)
	// A product's start, or a product not to use.
	startRe    = regexp.MustCompile(`^\s*Start on (` + datePat + `)\s{2,}(.*)$`)
	doNotUseRe = regexp.MustCompile(`^\s*Do not use\s{2,}(.*)$`)
	// A date with the word before it that says what it means.
	markedDateRe = regexp.MustCompile(`(?i)(until the end of|until|from|after|on)\s+(` + datePat + `)`)
	rangeEndRe   = regexp.MustCompile(`^\s*to ` + datePat)
)

// ruleWords ties words on the sheet to a precaution. A clause belongs to
// the first precaution whose words it has, so "extra care in the sun" is
// sun care, not the time out of the sun.
var ruleWords = []struct {
	rule  string
	words []string
}{
	{"sun_care", []string{"extra care"}},
	{"sunscreen", []string{"sunscreen", "spf"}},
	{"nsaids", []string{"ibuprofen", "anti-inflammator", "ice pack", "painkiller"}},
	{"brushes", []string{"brush"}},
	{"vitamin_c", []string{"vitamin c"}},
	{"makeup", []string{"makeup", "make-up"}},
	{"exercise", []string{"exercise", "strenuous", "physical work"}},
	{"sun_heat", []string{"direct sun", "sauna", "steam", "sunbed"}},
	{"actives", []string{"retinoid", "retinol", "exfoliating acid", "scrub", "toner", "lightening"}},
	{"wash", []string{"wash", "cleansing starts"}},
	{"touch", []string{"touch"}},
}

func ruleOf(clause string) string {
	c := strings.ToLower(clause)
	for _, rw := range ruleWords {
		for _, w := range rw.words {
			if strings.Contains(c, w) {
				return rw.rule
			}
		}
	}
	return ""
}

// claims gathers what the sheet says about each precaution.
type claims struct {
	day0   data.Date
	until  map[string]map[data.Date][]string // rule -> last day -> where it is said
	from   map[string]map[data.Date][]string // rule -> first free day -> where
	starts map[string]data.Date              // product -> start
	banned map[string]bool                   // products under "do not use"
}

func (c *claims) add(m map[string]map[data.Date][]string, rule string, d data.Date, where string) {
	if rule == "" {
		return
	}
	if m[rule] == nil {
		m[rule] = map[data.Date][]string{}
	}
	m[rule][d] = append(m[rule][d], where)
}

func (c *claims) String() string {
	var b strings.Builder
	for _, rw := range ruleWords {
		fmt.Fprintf(&b, "  %-10s until %v  from %v\n", rw.rule, keys(c.until[rw.rule]), keys(c.from[rw.rule]))
	}
	fmt.Fprintf(&b, "  starts %v, do not use %v", c.starts, c.banned)
	return b.String()
}

func keys(m map[data.Date][]string) []string {
	var out []string
	for d := range m {
		out = append(out, d.String())
	}
	sort.Strings(out)
	return out
}

// parseDate reads a sheet date, taking the year that puts it nearest the
// treatment, and checks its weekday.
func (c *claims) parseDate(t *testing.T, s string) data.Date {
	t.Helper()
	for _, layout := range []string{"Mon 2 Jan 2006", "Mon Jan 2 2006"} {
		for _, y := range []int{c.day0.Year, c.day0.Year + 1, c.day0.Year - 1} {
			tm, err := time.Parse(layout, fmt.Sprintf("%s %d", s, y))
			if err != nil {
				continue
			}
			d := data.DateOf(tm)
			if n := c.day0.DaysUntil(d); n >= -1 && n <= 120 {
				return d
			}
		}
	}
	t.Fatalf("cannot read the date %q on a sheet for %s (or its weekday is wrong)", s, c.day0)
	return data.Date{}
}

func readClaims(t *testing.T, text string, day0 data.Date) *claims {
	t.Helper()
	c := &claims{day0: day0, until: map[string]map[data.Date][]string{}, from: map[string]map[data.Date][]string{},
		starts: map[string]data.Date{}, banned: map[string]bool{}}
	avoid, timeline, products := sections(t, text)
	c.readAvoid(t, avoid)
	c.readTimeline(t, timeline)
	c.readProducts(t, products)
	// The reading must have found what every sheet says, or the test
	// would pass on a sheet it cannot read.
	for _, rule := range []string{"touch", "wash", "exercise", "sun_heat", "actives", "nsaids", "brushes", "sun_care"} {
		if len(c.until[rule]) == 0 {
			t.Errorf("found no last day for %s on the sheet", rule)
		}
	}
	if len(c.starts)+len(c.banned) < len(productRules) {
		t.Errorf("found only %d of the %d products", len(c.starts)+len(c.banned), len(productRules))
	}
	return c
}

// sections cuts the sheet into the avoid table, the timeline and the
// product plan, by their headings.
func sections(t *testing.T, text string) (avoid, timeline, products []string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	find := func(from int, heading string) int {
		for i := from; i < len(lines); i++ {
			if strings.Contains(lines[i], heading) {
				return i
			}
		}
		t.Fatalf("the sheet has no %q", heading)
		return -1
	}
	a := find(0, "What to avoid")
	tl := find(a, "Your healing timeline")
	p := find(tl, "Your product plan")
	end := len(lines)
	for i := p + 1; i < len(lines); i++ {
		if strings.Contains(lines[i], "Notes from your technician") || strings.Contains(lines[i], "When to call") ||
			strings.Contains(lines[i], "YOUR NEXT SESSION") {
			end = i
			break
		}
	}
	return lines[a+1 : tl], lines[tl+1 : p], lines[p+1 : end]
}

// readAvoid: each row gives its last day to every item in it.
func (c *claims) readAvoid(t *testing.T, lines []string) {
	var day data.Date
	var items strings.Builder
	flush := func() {
		if day.IsZero() {
			return
		}
		for _, it := range strings.Split(items.String(), "·") {
			c.add(c.until, ruleOf(it), day, "avoid table: "+strings.TrimSpace(it))
		}
		items.Reset()
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		m := avoidRowRe.FindStringSubmatch(l)
		if m == nil {
			m = avoidDateRowRe.FindStringSubmatch(l)
		}
		if m != nil && strings.TrimSpace(l) != "" {
			flush()
			date := m[1]
			rest := m[2]
			if date == "" && i+1 < len(lines) { // "until the end of" above its date
				i++
				next := strings.TrimSpace(lines[i])
				date = dateRe.FindString(next)
				rest += " " + strings.TrimSpace(strings.TrimPrefix(next, date))
			}
			day = c.parseDate(t, date)
			items.WriteString(rest)
			continue
		}
		if !day.IsZero() {
			items.WriteString(" " + strings.TrimSpace(l))
		}
	}
	flush()
}

// readTimeline reads each part's text, clause by clause.
func (c *claims) readTimeline(t *testing.T, lines []string) {
	var start data.Date
	var title string
	var buf []string
	flush := func() {
		c.readClauses(t, title, start, strings.Join(buf, " "))
		buf = nil
	}
	for _, l := range lines {
		if m := windowTitleRe.FindStringSubmatch(l); m != nil {
			flush()
			title, start = m[1], c.parseDate(t, m[2])
			continue
		}
		buf = append(buf, strings.TrimSpace(l))
	}
	flush()
}

var clauseEnd = regexp.MustCompile(`[.;:!?]\s+`)

// readClauses attributes each dated clause to its precaution. "until X"
// and "until the end of X" give the last day; "from X" the first free
// day, "after X" the day after X; "today" the treatment day as the last;
// "tomorrow" the day after it as the first free day; "may now", "can now"
// or "now be" the first day of the part the clause is in.
func (c *claims) readClauses(t *testing.T, title string, start data.Date, text string) {
	text = spaces.ReplaceAllString(text, " ")
	for _, clause := range clauseEnd.Split(text, -1) {
		rule := ruleOf(clause)
		if rule == "" {
			continue
		}
		where := fmt.Sprintf("%s: %q", title, clause)
		low := strings.ToLower(clause)
		dated := false
		for _, m := range markedDateRe.FindAllStringSubmatchIndex(clause, -1) {
			marker, d := strings.ToLower(clause[m[2]:m[3]]), c.parseDate(t, clause[m[4]:m[5]])
			if marker == "from" && rangeEndRe.MatchString(clause[m[5]:]) {
				continue // "from X to Y": the part's own dates
			}
			dated = true
			switch marker {
			case "until", "until the end of":
				c.add(c.until, rule, d, where)
			case "from", "on":
				c.add(c.from, rule, d, where)
			case "after":
				c.add(c.from, rule, d.AddDays(1), where)
			}
		}
		switch {
		case dated:
		case strings.Contains(low, "until tomorrow"):
			c.add(c.until, rule, c.day0, where)
		case strings.Contains(low, "tomorrow"):
			c.add(c.from, rule, c.day0.AddDays(1), where)
		case strings.Contains(low, "today") && !strings.Contains(low, "for now"):
			c.add(c.until, rule, c.day0, where)
		case strings.Contains(low, "may now") || strings.Contains(low, "can now") || strings.Contains(low, "now be"):
			c.add(c.from, rule, start, where)
		}
	}
}

// readProducts: each product's start, and those not to use.
func (c *claims) readProducts(t *testing.T, lines []string) {
	for _, l := range lines {
		if m := startRe.FindStringSubmatch(l); m != nil {
			if name := productIn(m[2]); name != "" {
				c.starts[name] = c.parseDate(t, m[1])
			}
			continue
		}
		if m := doNotUseRe.FindStringSubmatch(l); m != nil {
			if name := productIn(m[1]); name != "" {
				c.banned[name] = true
			}
		}
	}
}

func productIn(s string) string {
	for name := range productRules {
		if strings.Contains(s, name) {
			return name
		}
	}
	return ""
}

// contradictions lists every disagreement, in words.
func (c *claims) contradictions() []string {
	var out []string
	single := func(rule, kind string, m map[data.Date][]string) (data.Date, bool) {
		if len(m) > 1 {
			var parts []string
			for _, d := range keys(m) {
				dd, _ := data.ParseDate(d)
				parts = append(parts, fmt.Sprintf("%s in %s", d, strings.Join(m[dd], " and ")))
			}
			out = append(out, fmt.Sprintf("%s: the sheet gives %d different %s dates: %s", rule, len(m), kind, strings.Join(parts, "; ")))
		}
		for _, d := range keys(m) {
			dd, _ := data.ParseDate(d)
			return dd, true
		}
		return data.Date{}, false
	}
	last := map[string]data.Date{}
	free := map[string]data.Date{}
	for _, rw := range ruleWords {
		u, hasU := single(rw.rule, "last", c.until[rw.rule])
		f, hasF := single(rw.rule, "first free", c.from[rw.rule])
		if hasU && hasF && f != u.AddDays(1) {
			out = append(out, fmt.Sprintf("%s: avoided until the end of %s (%s) but allowed from %s (%s)",
				rw.rule, u, strings.Join(c.until[rw.rule][u], "; "), f, strings.Join(c.from[rw.rule][f], "; ")))
		}
		if hasU {
			last[rw.rule] = u
			if !hasF {
				f, hasF = u.AddDays(1), true
			}
		}
		if hasF {
			free[rw.rule] = f
		}
	}
	// Sunscreen is the other side of the time out of the sun.
	if s, ok := free["sunscreen"]; ok {
		if u, ok := last["sun_heat"]; ok && s != u.AddDays(1) {
			out = append(out, fmt.Sprintf("sunscreen starts %s but the time out of the sun lasts until the end of %s", s, u))
		}
	}
	names := make([]string, 0, len(productRules))
	for n := range productRules {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		start, scheduled := c.starts[name]
		for _, rule := range productRules[name] {
			if rule == "banned" {
				if scheduled {
					out = append(out, fmt.Sprintf("%s clashes with the client's allergy but is scheduled for %s", name, start))
				}
				if !c.banned[name] {
					out = append(out, fmt.Sprintf("%s clashes with the client's allergy but is not listed under \"do not use\"", name))
				}
				continue
			}
			if !scheduled {
				out = append(out, fmt.Sprintf("%s has no start date on the sheet", name))
				continue
			}
			if f, ok := free[rule]; ok && start.Before(f) {
				out = append(out, fmt.Sprintf("%s starts on %s, inside the %s window (first free day %s)", name, start, rule, f))
			}
		}
		if scheduled && start.Before(c.day0) {
			out = append(out, fmt.Sprintf("%s starts on %s, before the treatment", name, start))
		}
	}
	return out
}
