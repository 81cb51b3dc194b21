package data

import "fmt"

// IsotretinoinWaitMonths is how long after stopping isotretinoin the drug
// label asks to wait before needling.
const IsotretinoinWaitMonths = 6

// RecentActivesWaitDays is how long after retinoids, peels or other
// procedures a warning is still shown.
const RecentActivesWaitDays = 14

// ContraindicationWarnings lists what a technician must see before treating
// the client on the given day. An empty list means nothing was found.
func ContraindicationWarnings(c Client, on Date) []string {
	k := c.Contra
	var out []string
	if k.Isotretinoin {
		switch {
		case k.IsotretinoinStopped.IsZero():
			out = append(out, "Isotretinoin: the client still takes it; do not needle until 6 months after stopping")
		case on.Before(k.IsotretinoinStopped.AddMonths(IsotretinoinWaitMonths)):
			out = append(out, fmt.Sprintf("Isotretinoin stopped %s, less than %d months ago",
				k.IsotretinoinStopped, IsotretinoinWaitMonths))
		}
	}
	if k.PregnantOrNursing {
		out = append(out, "Pregnant or breastfeeding")
	}
	if k.Anticoagulants {
		out = append(out, "Takes blood thinners or has a bleeding disorder")
	}
	if k.KeloidTendency {
		out = append(out, "History of keloid or raised scarring: take extra care")
	}
	if k.ActiveInfection {
		out = append(out, "Active skin infection, cold sores or inflamed acne in the area")
	}
	if k.MetalAllergy {
		out = append(out, "Allergy to metals used in needles")
	}
	if k.RecentActives && (k.RecentActivesOn.IsZero() || on.Before(k.RecentActivesOn.AddDays(RecentActivesWaitDays))) {
		what := k.RecentActivesWhat
		if what == "" {
			what = "retinoids, peels or another procedure"
		}
		when := ""
		if !k.RecentActivesOn.IsZero() {
			when = " on " + k.RecentActivesOn.String()
		}
		out = append(out, fmt.Sprintf("Recent actives or procedure%s: %s", when, what))
	}
	return out
}
