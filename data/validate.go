package data

import (
	"fmt"
	"math"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Length limits, in characters (not bytes, so 王芳 counts as two).
const (
	maxNameLen   = 100
	maxPhoneLen  = 30
	maxEmailLen  = 254
	maxShortText = 200
	maxLongText  = 2000
	maxNotesLen  = 20000
	maxAgeYears  = 120
)

// textRule describes how a free-text field is checked.
type textRule struct {
	required  bool
	max       int
	multiline bool // tabs and line breaks allowed
}

// checkText reports the first problem with s under rule, or "".
func checkText(s string, rule textRule) string {
	if !utf8.ValidString(s) {
		return "contains characters that are not valid text; retype it rather than pasting"
	}
	if rule.required && strings.TrimSpace(s) == "" {
		return "is required"
	}
	if n := utf8.RuneCountInString(s); n > rule.max {
		return fmt.Sprintf("is too long (%d characters; at most %d)", n, rule.max)
	}
	for _, r := range s {
		if rule.multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if isBidiOverride(r) {
			return fmt.Sprintf("contains an invisible character that reverses or reorders the text shown after it (U+%04X), so it could read differently from what was typed; retype it rather than pasting", r)
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError {
			if rule.multiline {
				return "contains a hidden control character; retype it rather than pasting"
			}
			return "contains a line break or hidden control character"
		}
	}
	return ""
}

func (p *problems) text(field, value string, rule textRule) {
	if msg := checkText(value, rule); msg != "" {
		p.add(field, msg)
	}
}

// checkName accepts letters of any script, combining marks, spaces,
// apostrophes, hyphens and full stops, and keeps the name exactly as typed.
// The zero-width non-joiner and joiner (U+200C, U+200D) are part of how
// Persian and other scripts spell names, so they are accepted between
// letters; every control that changes the direction of text is refused,
// since a name is shown everywhere and such a control could make it read
// as another.
func checkName(s string, required bool) string {
	if msg := checkText(s, textRule{required: required, max: maxNameLen}); msg != "" {
		return msg
	}
	prev := ' '
	for i, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsMark(r):
		case r == '\u200c' || r == '\u200d':
			next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
			if !(unicode.IsLetter(prev) || unicode.IsMark(prev)) || !(unicode.IsLetter(next) || unicode.IsMark(next)) {
				return "has a zero-width joining character that is not between two letters"
			}
		case isBidiControl(r):
			return fmt.Sprintf("contains an invisible character that changes the direction of text (U+%04X); retype the name rather than pasting it", r)
		case r == ' ', r == '\u00a0', r == '\'', r == '\u2019', r == '-', r == '\u2010', r == '.', r == '\u30fb', r == '\u00b7':
		default:
			return fmt.Sprintf("may contain only letters, spaces, hyphens and apostrophes (not %q)", r)
		}
		prev = r
	}
	return ""
}

// isBidiControl reports the characters that change the direction in
// which text around them is shown: the marks (U+200E, U+200F, U+061C),
// embeddings and overrides (U+202A to U+202E) and isolates (U+2066 to
// U+2069).
func isBidiControl(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// isBidiOverride reports the bidirectional controls that reorder the
// text after them (embeddings, overrides and isolates, and their ends),
// as opposed to the marks, which only say how one spot reads.
func isBidiOverride(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// Neutralised is text as it may be shown: the controls that reorder the
// text after them are removed (in names, every direction control). Text
// saved now cannot hold them (validation refuses them), but text kept by
// an earlier version, or written into the file by other means, may; the
// stores pass what they read through Neutralised (and NeutralisedName)
// so that no screen, sheet or export shows reordered text.
func Neutralised(s string) string { return removeRunes(s, isBidiOverride) }

// NeutralisedName is Neutralised for a name, which may hold no direction
// control at all.
func NeutralisedName(s string) string { return removeRunes(s, isBidiControl) }

func removeRunes(s string, drop func(rune) bool) string {
	if !strings.ContainsFunc(s, drop) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if drop(r) {
			return -1
		}
		return r
	}, s)
}

// CheckPhone reports what is wrong with an international phone number, or "".
// Digits with optional leading +, spaces, dots, hyphens and brackets; 6 to 15
// digits as in E.164.
func CheckPhone(s string) string {
	if s == "" {
		return ""
	}
	if msg := checkText(s, textRule{max: maxPhoneLen}); msg != "" {
		return msg
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ', r == '-', r == '.', r == '(', r == ')', r == '/':
		default:
			return "should be digits, with + for the country code (for example +44 20 7946 0958)"
		}
	}
	if digits < 6 || digits > 15 {
		return fmt.Sprintf("has %d digits; a phone number has 6 to 15", digits)
	}
	return ""
}

// PhoneDigits keeps only the digits, for searching by a fragment.
func PhoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CheckEmail reports what is wrong with an e-mail address, or "".
func CheckEmail(s string) string {
	if s == "" {
		return ""
	}
	if msg := checkText(s, textRule{max: maxEmailLen}); msg != "" {
		return msg
	}
	const hint = "is not an e-mail address (it should look like name@example.com)"
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return hint
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if at < 1 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") || strings.ContainsAny(s, " \"") {
		return hint
	}
	return ""
}

// checkDate reports a date that does not exist on the calendar.
func (p *problems) date(field string, d Date, required bool) bool {
	if d.IsZero() {
		if required {
			p.add(field, "is required")
			return false
		}
		return true
	}
	if !d.valid() {
		p.add(field, "is not a real calendar date")
		return false
	}
	return true
}

// Validate checks a client before it is saved. today is the clinic's date.
func (c Client) Validate(today Date) error {
	var p problems
	if msg := checkName(c.GivenName, true); msg != "" {
		p.add("given_name", msg)
	}
	if msg := checkName(c.FamilyName, false); msg != "" {
		p.add("family_name", msg)
	}
	if p.date("date_of_birth", c.DateOfBirth, true) && !c.DateOfBirth.IsZero() {
		switch {
		case c.DateOfBirth.After(today):
			p.add("date_of_birth", "is in the future")
		case YearsBetween(c.DateOfBirth, today) > maxAgeYears:
			p.add("date_of_birth", fmt.Sprintf("makes the client older than %d; check the year", maxAgeYears))
		}
	}
	if msg := CheckPhone(c.Phone); msg != "" {
		p.add("phone", msg)
	}
	if msg := CheckEmail(c.Email); msg != "" {
		p.add("email", msg)
	}
	if c.Phone == "" && c.Email == "" {
		p.add("phone", "give a phone number or an e-mail address so the clinic can reach the client")
	}
	if msg := c.reminderProblem(); msg != "" {
		p.add("email_reminders", msg)
	}
	p.text("address", c.Address, textRule{max: maxLongText, multiline: true})
	if c.SkinType < 0 || c.SkinType > 6 {
		p.add("skin_type", "must be a Fitzpatrick type from I to VI")
	}
	seen := map[Concern]bool{}
	for _, cn := range c.Concerns {
		if _, ok := concernLabels[cn]; !ok {
			p.add("concerns", fmt.Sprintf("%q is not a known skin concern", string(cn)))
		} else if seen[cn] {
			p.add("concerns", fmt.Sprintf("%s is listed twice", cn.Label()))
		}
		seen[cn] = true
	}
	p.text("allergies", c.Allergies, textRule{max: maxLongText, multiline: true})
	p.text("medications", c.Medications, textRule{max: maxLongText, multiline: true})
	p.text("medical_notes", c.MedicalNotes, textRule{max: maxNotesLen, multiline: true})
	c.Contra.validate(&p, today)
	if p.date("consent_signed_on", c.Consent.SignedOn, false) && c.Consent.SignedOn.After(today) {
		p.add("consent_signed_on", "is in the future")
	}
	p.text("consent_form_version", c.Consent.FormVersion, textRule{max: 50})
	if !c.Consent.SignedOn.IsZero() && strings.TrimSpace(c.Consent.FormVersion) == "" {
		p.add("consent_form_version", "say which version of the consent form was signed")
	}
	p.text("notes", c.Notes, textRule{max: maxNotesLen, multiline: true})
	return p.err()
}

func (k Contraindications) validate(p *problems, today Date) {
	if p.date("isotretinoin_stopped", k.IsotretinoinStopped, false) {
		if k.IsotretinoinStopped.After(today) {
			p.add("isotretinoin_stopped", "is in the future; leave it empty while the client still takes it")
		}
		if !k.Isotretinoin && !k.IsotretinoinStopped.IsZero() {
			p.add("isotretinoin_stopped", "is set but isotretinoin is not ticked")
		}
	}
	if p.date("recent_actives_on", k.RecentActivesOn, false) && k.RecentActivesOn.After(today) {
		p.add("recent_actives_on", "is in the future")
	}
	p.text("recent_actives_what", k.RecentActivesWhat, textRule{max: maxShortText})
}

// Validate checks a session before it is saved.
func (s Session) Validate() error {
	var p problems
	if s.ClientID <= 0 {
		p.add("client", "choose the client who was treated")
	}
	if s.TechnicianID <= 0 {
		p.add("technician", "choose the technician who gave the treatment")
	}
	if s.StartedAt.IsZero() {
		p.add("started_at", "is required")
	} else if y := s.StartedAt.Year(); y < 2000 || y > 9999 {
		p.add("started_at", "is not a plausible treatment date")
	}
	if len(s.Areas) == 0 {
		p.add("areas", "choose at least one treatment area")
	}
	seen := map[Area]bool{}
	for _, a := range s.Areas {
		field := "depth_" + string(a.Area)
		switch {
		case !knownArea(a.Area):
			p.add("areas", fmt.Sprintf("%q is not a known treatment area", string(a.Area)))
		case seen[a.Area]:
			p.add("areas", fmt.Sprintf("%s is listed twice", a.Area.Label()))
		case math.IsNaN(a.DepthMM) || a.DepthMM < MinDepthMM || a.DepthMM > MaxDepthMM:
			p.add(field, fmt.Sprintf("needle depth must be between %.1f and %.1f mm", MinDepthMM, MaxDepthMM))
		}
		seen[a.Area] = true
	}
	p.text("device", s.Device, textRule{max: maxShortText})
	p.text("needle_lot", s.NeedleLot, textRule{max: 100})
	if s.Passes < 0 || s.Passes > 20 {
		p.add("passes", "must be between 0 and 20")
	}
	p.text("numbing_agent", s.NumbingAgent, textRule{max: maxShortText})
	if s.NumbingMinutes < 0 || s.NumbingMinutes > 180 {
		p.add("numbing_minutes", "must be between 0 and 180 minutes")
	}
	if s.NumbingMinutes > 0 && strings.TrimSpace(s.NumbingAgent) == "" {
		p.add("numbing_agent", "say which numbing agent was on the skin")
	}
	p.text("glide_serum", s.GlideSerum, textRule{max: maxShortText})
	p.text("products_applied", s.ProductsApplied, textRule{max: maxLongText, multiline: true})
	p.text("reaction", s.Reaction, textRule{max: maxLongText, multiline: true})
	p.text("notes", s.Notes, textRule{max: maxNotesLen, multiline: true})
	p.text("aftercare_notes", s.AftercareNotes, textRule{max: maxLongText * 2, multiline: true})
	if p.date("next_due", s.NextDue, false) && !s.NextDue.IsZero() && !s.StartedAt.IsZero() &&
		!s.NextDue.After(DateOf(s.StartedAt)) {
		p.add("next_due", "must be after the treatment day")
	}
	for _, w := range s.Warnings {
		p.text("warnings", w, textRule{max: maxLongText})
	}
	p.text("override_reason", s.OverrideReason, textRule{max: maxLongText, multiline: true})
	if len(s.Warnings) > 0 && strings.TrimSpace(s.OverrideReason) == "" {
		p.add("override_reason", "write why the treatment went ahead despite the warnings")
	}
	products := map[int64]bool{}
	for _, r := range s.Recommendations {
		switch {
		case r.ProductID <= 0:
			p.add("recommendations", "choose a product from the catalogue")
		case products[r.ProductID]:
			p.add("recommendations", "the same product is recommended twice")
		}
		products[r.ProductID] = true
		if r.StartDay < 0 || r.StartDay > 365 {
			p.add("recommendations", "start day must be between 0 (the treatment day) and 365")
		}
	}
	return p.err()
}

// Warning is advice shown to staff that does not block saving.
type Warning struct {
	Field   string
	Message string
}

// DepthWarnings flags depths outside the clinic's range for each area.
func (s Session) DepthWarnings(settings Settings) []Warning {
	var out []Warning
	for _, a := range s.Areas {
		r := settings.DepthRangeFor(a.Area)
		if r.MaxMM == 0 || (a.DepthMM >= r.MinMM-1e-9 && a.DepthMM <= r.MaxMM+1e-9) {
			continue
		}
		out = append(out, Warning{
			Field: "depth_" + string(a.Area),
			Message: fmt.Sprintf("%s at %s mm is outside the usual %s to %s mm",
				a.Area.Label(), FormatMM(a.DepthMM), FormatMM(r.MinMM), FormatMM(r.MaxMM)),
		})
	}
	return out
}

// FormatMM prints a depth without trailing zeros: 0.5, 0.25, 1.
func FormatMM(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// Validate checks a catalogue product.
func (pr Product) Validate() error {
	var p problems
	p.text("name", pr.Name, textRule{required: true, max: maxNameLen})
	p.text("brand", pr.Brand, textRule{max: maxNameLen})
	if _, ok := categoryLabels[pr.Category]; !ok {
		p.add("category", "choose a category")
	}
	p.text("how_to_use", pr.HowToUse, textRule{max: maxLongText, multiline: true})
	if pr.DefaultStartDay < 0 || pr.DefaultStartDay > 365 {
		p.add("default_start_day", "must be between 0 (the treatment day) and 365")
	}
	for _, k := range pr.KeyIngredients {
		if msg := checkText(k, textRule{required: true, max: maxShortText}); msg != "" {
			p.add("key_ingredients", "each ingredient "+msg)
			break
		}
		if strings.Contains(k, ",") {
			p.add("key_ingredients", "list one ingredient per entry")
			break
		}
	}
	return p.err()
}

// Validate checks a staff member.
func (st Staff) Validate() error {
	var p problems
	if msg := checkName(st.Name, true); msg != "" {
		p.add("name", msg)
	}
	switch st.Role {
	case RoleReceptionist, RoleTechnician, RoleOwner:
	default:
		p.add("role", "choose receptionist, technician or owner")
	}
	return p.err()
}

// Validate checks the clinic's settings.
func (s Settings) Validate() error {
	var p problems
	p.text("clinic_name", s.ClinicName, textRule{required: true, max: maxNameLen})
	p.text("clinic_address", s.Address, textRule{max: maxLongText, multiline: true})
	if msg := CheckPhone(s.Phone); msg != "" {
		p.add("clinic_phone", msg)
	}
	if msg := CheckEmail(s.Email); msg != "" {
		p.add("clinic_email", msg)
	}
	p.text("website", s.Website, textRule{max: maxShortText})
	p.text("printer", s.Printer, textRule{max: maxNameLen})
	if s.PaperSize != PaperA4 && s.PaperSize != PaperLetter {
		p.add("paper_size", "choose A4 or Letter")
	}
	if !knownDateFormat(s.DateFormat) {
		p.add("date_format", "choose one of the offered date formats")
	}
	if s.FollowUpDays < 7 || s.FollowUpDays > 365 {
		p.add("follow_up_days", "must be between 7 and 365 days")
	}
	if s.IdleLockMinutes < 1 || s.IdleLockMinutes > MaxIdleMinutes {
		p.add("idle_lock_minutes", fmt.Sprintf("must be between 1 and %d minutes", MaxIdleMinutes))
	}
	if len(s.Logo) > 2<<20 {
		p.add("logo", "is larger than 2 MB; use a smaller image")
	}
	for _, a := range Areas {
		r, ok := s.DepthRanges[a]
		if !ok {
			continue
		}
		// Written to pass only good ranges: NaN (ParseFloat reads "nan")
		// fails every comparison, and could not be saved as JSON.
		if !(r.MinMM >= MinDepthMM && r.MaxMM <= MaxDepthMM && r.MinMM <= r.MaxMM) {
			p.add("depth_range_"+string(a), fmt.Sprintf("%s: the range must run from low to high, within %.1f to %.1f mm",
				a.Label(), MinDepthMM, MaxDepthMM))
		}
	}
	for _, fe := range FieldProblems(s.Aftercare.Validate()) {
		p.add(fe.Field, fe.Message)
	}
	for _, fe := range FieldProblems(s.Backups.Validate()) {
		p.add(fe.Field, fe.Message)
	}
	for _, fe := range FieldProblems(s.Mail.Validate()) {
		p.add(fe.Field, fe.Message)
	}
	s.validateBook(&p)
	return p.err()
}

func knownDateFormat(f string) bool {
	for _, k := range DateFormats {
		if k == f {
			return true
		}
	}
	return false
}

// FormatDate shows a date in the clinic's chosen format.
func (s Settings) FormatDate(d Date) string {
	if d.IsZero() {
		return ""
	}
	f := s.DateFormat
	if !knownDateFormat(f) {
		f = time.DateOnly
	}
	return d.Time(time.UTC).Format(f)
}
