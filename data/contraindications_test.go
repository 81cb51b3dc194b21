package data

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Issue 11: one isotretinoin rule, one number, dates in the clinic's
// format.
func TestIsotretinoinRule(t *testing.T) {
	st := DefaultSettings() // dd/mm/yyyy
	on := NewDate(2026, 11, 22)
	for _, tc := range []struct {
		name    string
		ticked  bool
		stopped Date
		state   IsotretinoinState
		warning string
		history string
	}{
		{"not ticked", false, Date{}, IsotretinoinNo, "", ""},
		{"still taking", true, Date{}, IsotretinoinTaking,
			"Isotretinoin: the client still takes it; no needling until 6 months after the last dose", ""},
		{"stopped after the day", true, NewDate(2026, 12, 1), IsotretinoinTaking,
			"Isotretinoin: the client was still taking it on the day of this treatment (stopped on 01/12/2026); no needling until 01/06/2027", ""},
		{"stopped 2 months before", true, NewDate(2026, 9, 22), IsotretinoinWaiting,
			"Isotretinoin stopped on 22/09/2026, less than 6 months before the treatment: wait until 22/03/2027 before needling", ""},
		{"last day of the wait", true, NewDate(2026, 5, 23), IsotretinoinWaiting,
			"Isotretinoin stopped on 23/05/2026, less than 6 months before the treatment: wait until 23/11/2026 before needling", ""},
		{"wait over that day", true, NewDate(2026, 5, 22), IsotretinoinDone, "",
			"Took isotretinoin; stopped on 22/05/2026, more than 6 months ago, so the wait is over"},
		{"stopped 9 months before", true, NewDate(2026, 2, 22), IsotretinoinDone, "",
			"Took isotretinoin; stopped on 22/02/2026, more than 6 months ago, so the wait is over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := Contraindications{Isotretinoin: tc.ticked, IsotretinoinStopped: tc.stopped}
			if got, _ := Isotretinoin(k, on); got != tc.state {
				t.Errorf("state %v, want %v", got, tc.state)
			}
			ws := ContraindicationWarnings(Client{Contra: k}, on, st)
			if (tc.warning == "" && len(ws) != 0) || (tc.warning != "" && !slices.Equal(ws, []string{tc.warning})) {
				t.Errorf("warnings %q, want %q", ws, tc.warning)
			}
			if got := IsotretinoinHistory(k, on, st); got != tc.history {
				t.Errorf("history %q, want %q", got, tc.history)
			}
		})
	}
	if q := IsotretinoinQuestion(); !strings.Contains(q, "6 months") || strings.Contains(q, "year") {
		t.Errorf("the question %q does not ask about the 6 months the warning counts", q)
	}
	us := st
	us.DateFormat = "01/02/2006"
	k := Contraindications{Isotretinoin: true, IsotretinoinStopped: NewDate(2026, 9, 22)}
	if ws := ContraindicationWarnings(Client{Contra: k}, on, us); len(ws) != 1 || !strings.Contains(ws[0], "stopped on 09/22/2026") {
		t.Errorf("with a US date format: %q", ws)
	}
}

// Issue 18: an allergy typed in the list warns as the box would.
func TestScreenReadsTheAllergyList(t *testing.T) {
	st, on := DefaultSettings(), NewDate(2026, 11, 22)
	fields := func(c Client) []string {
		var out []string
		for _, w := range Screen(c, on, st) {
			out = append(out, w.Field+": "+w.Message)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		c    Client
		want []string
	}{
		{"metal box only", Client{Contra: Contraindications{MetalAllergy: true}},
			[]string{"metal_allergy: Allergy to metals used in needles"}},
		{"nickel typed, box not ticked", Client{Allergies: "Nickel"},
			[]string{"metal_allergy: Allergy to metals used in needles: the allergies list Nickel"}},
		{"both, once", Client{Allergies: "cobalt", Contra: Contraindications{MetalAllergy: true}},
			[]string{"metal_allergy: Allergy to metals used in needles: the allergies list cobalt"}},
		{"lidocaine", Client{Allergies: "penicillin, Lidocaine"},
			[]string{"numbing_allergy: Allergy to numbing agents: the allergies list Lidocaine; numb with something free of it, or not at all"}},
		{"nothing in a category", Client{Allergies: "penicillin, nickelodeon"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fields(tc.c); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// Issue 11: the consent rule, for the day of the treatment.
func TestConsentWarning(t *testing.T) {
	st, on := DefaultSettings(), NewDate(2026, 11, 22)
	for _, tc := range []struct {
		name string
		k    Consent
		want string
	}{
		{"none on file", Consent{}, "No consent on file: have the client sign the consent form before treating"},
		{"signed before", Consent{SignedOn: NewDate(2026, 1, 10), FormVersion: "v3"}, ""},
		{"signed that day", Consent{SignedOn: on}, ""},
		{"signed after the treatment", Consent{SignedOn: NewDate(2026, 12, 1)},
			"The consent on file was signed on 01/12/2026, after the day of this treatment"},
	} {
		if got := ConsentWarning(tc.k, on, st); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	c := Client{Contra: Contraindications{PregnantOrNursing: true}}
	if got := BeforeTreating(c, on, st); len(got) != 2 || !strings.HasPrefix(got[0], "No consent on file") {
		t.Errorf("BeforeTreating = %q; want consent first, then the screening", got)
	}
}

// Issue 18: a session is screened for its own day, not today.
func TestSessionWarningsUseTheSessionsDay(t *testing.T) {
	st := DefaultSettings()
	c := Client{Consent: Consent{SignedOn: NewDate(2025, 1, 1)}, Allergies: "Lidocaine",
		Contra: Contraindications{Isotretinoin: true, IsotretinoinStopped: NewDate(2026, 10, 1)}}
	s := Session{StartedAt: time.Date(2026, 9, 20, 10, 0, 0, 0, time.Local), NumbingAgent: "LMX 4"}
	got := SessionWarnings(c, s, nil, st)
	want := []string{
		"Isotretinoin: the client was still taking it on the day of this treatment (stopped on 01/10/2026); no needling until 01/04/2027",
		"Allergy to numbing agents: the allergies list Lidocaine; numb with something free of it, or not at all",
		"Numbing agent: LMX 4 contains lidocaine; the client is allergic to Lidocaine",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	s.StartedAt = time.Date(2027, 6, 1, 10, 0, 0, 0, time.Local)
	if got := SessionWarnings(c, s, nil, st); len(got) != 2 || strings.Contains(got[0], "Isotretinoin") {
		t.Errorf("eight months after stopping: %q", got)
	}
}

func TestJoinReasonsAndDoNotTreat(t *testing.T) {
	if got := JoinReasons("  Doctor agreed ", "", "Patch-tested", "Doctor agreed"); got != "Doctor agreed\nPatch-tested" {
		t.Errorf("JoinReasons = %q", got)
	}
	d := DoNotTreat{ClientID: 3, Reason: " Cold sore;\n\trebooked "}
	if err := d.Validate(); err != nil || d.Detail() != "Cold sore; rebooked" {
		t.Errorf("Validate %v, detail %q", err, d.Detail())
	}
	if FieldProblems(DoNotTreat{ClientID: 3, Reason: "\n "}.Validate()) == nil {
		t.Error("a decision without a reason is accepted")
	}
	if FieldProblems(DoNotTreat{Reason: "No consent"}.Validate()) == nil {
		t.Error("a decision about no client is accepted")
	}
}
