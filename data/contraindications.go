package data

import "fmt"

// IsotretinoinWaitMonths is how long after stopping isotretinoin the drug
// label asks to wait before needling. The screening question, the
// warnings and the record all take the number from here.
const IsotretinoinWaitMonths = 6

// RecentActivesWaitDays is how long after retinoids, peels or other
// procedures a warning is still shown.
const RecentActivesWaitDays = 14

// IsotretinoinQuestion is the screening question as the client form asks
// it: the same period the warning uses.
func IsotretinoinQuestion() string {
	return fmt.Sprintf("Takes isotretinoin (Roaccutane), or stopped it less than %d months ago", IsotretinoinWaitMonths)
}

// IsotretinoinState is where a client stands with isotretinoin on a day.
type IsotretinoinState int

// The states of the isotretinoin rule.
const (
	// IsotretinoinNo: the screening answer is no.
	IsotretinoinNo IsotretinoinState = iota
	// IsotretinoinTaking: still taking it on the day (no stop date, or a
	// stop date after the day).
	IsotretinoinTaking
	// IsotretinoinWaiting: stopped, but less than IsotretinoinWaitMonths
	// before the day.
	IsotretinoinWaiting
	// IsotretinoinDone: stopped at least IsotretinoinWaitMonths before the
	// day; kept as history, no longer a contraindication.
	IsotretinoinDone
)

// Isotretinoin applies the one isotretinoin rule for a treatment on day
// on. until is the first day needling is allowed again (zero while the
// client is taking it with no stop date).
func Isotretinoin(k Contraindications, on Date) (state IsotretinoinState, until Date) {
	switch {
	case !k.Isotretinoin:
		return IsotretinoinNo, Date{}
	case k.IsotretinoinStopped.IsZero():
		return IsotretinoinTaking, Date{}
	}
	until = k.IsotretinoinStopped.AddMonths(IsotretinoinWaitMonths)
	switch {
	case on.Before(k.IsotretinoinStopped):
		return IsotretinoinTaking, until
	case on.Before(until):
		return IsotretinoinWaiting, until
	}
	return IsotretinoinDone, until
}

// isotretinoinWarning words the rule for a treatment day, or "" when it
// does not stand in the way. Dates are in the clinic's format.
func isotretinoinWarning(k Contraindications, on Date, st Settings) string {
	state, until := Isotretinoin(k, on)
	switch state {
	case IsotretinoinTaking:
		if k.IsotretinoinStopped.IsZero() {
			return fmt.Sprintf("Isotretinoin: the client still takes it; no needling until %d months after the last dose",
				IsotretinoinWaitMonths)
		}
		return fmt.Sprintf("Isotretinoin: the client was still taking it on the day of this treatment (stopped on %s); "+
			"no needling until %s", st.FormatDate(k.IsotretinoinStopped), st.FormatDate(until))
	case IsotretinoinWaiting:
		return fmt.Sprintf("Isotretinoin stopped on %s, less than %d months before the treatment: wait until %s before needling",
			st.FormatDate(k.IsotretinoinStopped), IsotretinoinWaitMonths, st.FormatDate(until))
	}
	return ""
}

// IsotretinoinHistory is the line a record shows once the wait is over,
// so a client who took isotretinoin never reads as one who did not; ""
// otherwise.
func IsotretinoinHistory(k Contraindications, on Date, st Settings) string {
	if state, _ := Isotretinoin(k, on); state != IsotretinoinDone {
		return ""
	}
	return fmt.Sprintf("Took isotretinoin; stopped on %s, more than %d months ago, so the wait is over",
		st.FormatDate(k.IsotretinoinStopped), IsotretinoinWaitMonths)
}

// Screen lists what a technician must see before treating the client on
// the given day: the screening answers, and the allergies that fall in a
// screening category (metals against the needles, numbing agents) even
// where the box was not ticked. Field names the answer each warning comes
// from. Dates are in the clinic's format (st.DateFormat). An empty list
// means nothing was found.
func Screen(c Client, on Date, st Settings) []Warning {
	k := c.Contra
	var out []Warning
	add := func(field, msg string) {
		if msg != "" {
			out = append(out, Warning{Field: field, Message: msg})
		}
	}
	add("isotretinoin", isotretinoinWarning(k, on, st))
	if k.PregnantOrNursing {
		add("pregnant_or_nursing", "Pregnant or breastfeeding")
	}
	if k.Anticoagulants {
		add("anticoagulants", "Takes blood thinners or has a bleeding disorder")
	}
	if k.KeloidTendency {
		add("keloid_tendency", "History of keloid or raised scarring: take extra care")
	}
	if k.ActiveInfection {
		add("active_infection", "Active skin infection, cold sores or inflamed acne in the area")
	}
	add(MetalAllergies.Field, metalWarning(c))
	add(NumbingAllergies.Field, numbingWarning(c))
	add("recent_actives", recentActivesWarning(k, on, st))
	return out
}

// metalWarning joins the metal-allergy box and the metals the allergy
// list names.
func metalWarning(c Client) string {
	listed := allergyNames(MetalAllergies.Matches(c.Allergies))
	switch {
	case listed != "":
		return "Allergy to metals used in needles: the allergies list " + listed
	case c.Contra.MetalAllergy:
		return "Allergy to metals used in needles"
	}
	return ""
}

func numbingWarning(c Client) string {
	listed := allergyNames(NumbingAllergies.Matches(c.Allergies))
	if listed == "" {
		return ""
	}
	return "Allergy to numbing agents: the allergies list " + listed + "; numb with something free of it, or not at all"
}

func recentActivesWarning(k Contraindications, on Date, st Settings) string {
	if !k.RecentActives || !(k.RecentActivesOn.IsZero() || on.Before(k.RecentActivesOn.AddDays(RecentActivesWaitDays))) {
		return ""
	}
	what := k.RecentActivesWhat
	if what == "" {
		what = "retinoids, peels or another procedure"
	}
	when := ""
	if !k.RecentActivesOn.IsZero() {
		when = " on " + st.FormatDate(k.RecentActivesOn)
	}
	return fmt.Sprintf("Recent actives or procedure%s: %s", when, what)
}

// ContraindicationWarnings are the messages of Screen.
func ContraindicationWarnings(c Client, on Date, st Settings) []string {
	return warningMessages(Screen(c, on, st))
}

func warningMessages(ws []Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Message)
	}
	return out
}

// ConsentWarning is the consent rule: treatment on day on needs consent
// signed on or before that day. It returns "" when there is, and
// otherwise what is missing. Signed consent forms feed it through
// Consent.
func ConsentWarning(k Consent, on Date, st Settings) string {
	switch {
	case k.SignedOn.IsZero():
		return "No consent on file: have the client sign the consent form before treating"
	case on.Before(k.SignedOn):
		return fmt.Sprintf("The consent on file was signed on %s, after the day of this treatment", st.FormatDate(k.SignedOn))
	}
	return ""
}

// BeforeTreating is everything the session form shows before a treatment
// on day on: the consent rule first, then Screen.
func BeforeTreating(c Client, on Date, st Settings) []string {
	var out []string
	if w := ConsentWarning(c.Consent, on, st); w != "" {
		out = append(out, w)
	}
	return append(out, ContraindicationWarnings(c, on, st)...)
}

// SessionWarnings is what must be answered before a session is saved:
// BeforeTreating for the session's own day (in the clinic's local time),
// then what the session puts on the skin that clashes with the client's
// allergies (SkinContactClashes). Overriding any of them needs a reason.
func SessionWarnings(c Client, s Session, catalogue []Product, st Settings) []string {
	out := BeforeTreating(c, s.Day(), st)
	for _, cl := range SkinContactClashes(c, s, catalogue) {
		out = append(out, cl.Message())
	}
	return out
}
