package sqlite_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/demo"
)

// TestDemoClinicFills runs the demo generator against the real store: the
// generator's clients, sessions, catalogue and staff must all be accepted,
// and the derived columns must agree with the sessions written.
func TestDemoClinicFills(t *testing.T) {
	e := newEnv(t)
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 300, Seed: 7, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Clients != 300 || res.Sessions == 0 {
		t.Fatalf("demo made %+v", res)
	}
	if got := e.count("session"); got != res.Sessions {
		t.Errorf("session has %d rows; the demo made %d", got, res.Sessions)
	}
	all := e.find(data.ClientFilter{Limit: 1000})
	if len(all) != 300 {
		t.Fatalf("%d clients listed", len(all))
	}
	for _, c := range all[:20] {
		ss, err := e.st.ClientSessions(e.ctx, data.SystemActor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(ss) == 0 && (!c.LastSession.IsZero() || !c.NextDue.IsZero()):
			t.Errorf("%s has no sessions but a last session %v", c.FullName(), c.LastSession)
		case len(ss) > 0 && (!ss[0].StartedAt.Equal(c.LastSession) || ss[0].NextDue != c.NextDue):
			t.Errorf("%s: list says %v / %s, newest session says %v / %s",
				c.FullName(), c.LastSession, c.NextDue, ss[0].StartedAt, ss[0].NextDue)
		}
	}
}

// TestDemoAccountsSignIn: a new demo clinic has one account per role, each
// signing in with the password the README documents (demo.Passwords); a
// second fill keeps the staff and adds no accounts.
func TestDemoAccountsSignIn(t *testing.T) {
	e := newEnv(t)
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 5, Seed: 1, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	roles := map[data.Role]bool{}
	for _, a := range res.Accounts {
		roles[a.Staff.Role] = true
		if a.Password != demo.Passwords[a.Staff.Role] {
			t.Errorf("%s's password is %q; the README says %q", a.Staff.Name, a.Password, demo.Passwords[a.Staff.Role])
		}
		got, err := e.st.SignIn(e.ctx, a.Staff.ID, demo.Passwords[a.Staff.Role])
		if err != nil || got.Role != a.Staff.Role {
			t.Errorf("signing in as %s (%s): %+v, %v", a.Staff.Name, a.Staff.Role, got, err)
		}
	}
	if len(res.Accounts) != len(data.Roles) || len(roles) != len(data.Roles) {
		t.Errorf("demo accounts %+v; want one per role", res.Accounts)
	}
	if need, _ := e.st.NeedsOwner(e.ctx); need {
		t.Error("a demo clinic still needs an owner")
	}
	again, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 5, Seed: 2, Now: testNow})
	if err != nil || len(again.Accounts) != 0 || len(again.Staff) != len(res.Staff) {
		t.Errorf("a second fill: %d accounts, %d staff, %v", len(again.Accounts), len(again.Staff), err)
	}
}

// TestDemoAddsNoOwnerToAClinicWithOne: sample data loaded into a clinic
// whose owner exists gives no known password to an owner account.
func TestDemoAddsNoOwnerToAClinicWithOne(t *testing.T) {
	e := newEnv(t)
	boss, err := e.st.CreateFirstOwner(e.ctx, "Ines Duarte", "my own clinic")
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 5, Seed: 1, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Staff {
		if s.Role == data.RoleOwner && s.ID != boss.ID {
			t.Errorf("the demo added an owner: %+v", s)
		}
	}
	for _, a := range res.Accounts {
		if a.Staff.Role == data.RoleOwner {
			t.Errorf("the demo gave an owner a known password: %+v", a)
		}
	}
}

// isoDates finds the dates written YYYY-MM-DD in a stored warning.
var isoDates = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)

// TestDemoClinicIsConsistentInTime reads a generated clinic back and holds
// every date to the story it tells: no session after the clinic's present;
// each client an adult with consent signed by their first treatment (on a
// form of that year or earlier); no treatment while still on isotretinoin;
// and each session warned only of what had happened by its day: every
// date in its warnings on or before it, isotretinoin only once stopped,
// recent actives only from their day until the wait is over. Warnings
// and the reason for going ahead come together.
func TestDemoClinicIsConsistentInTime(t *testing.T) {
	e := newEnv(t)
	if _, err := demo.Fill(e.ctx, e.st, demo.Options{Clients: 1500, Seed: 11, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	today := data.DateOf(testNow)
	var warnedIso, warnedActives, sessions int
	for _, sum := range e.allClients() { // every client: a page holds at most 1,000
		c, err := e.st.Client(e.ctx, data.SystemActor, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := e.st.ClientSessions(e.ctx, data.SystemActor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		k := c.Contra
		for _, d := range []data.Date{c.Consent.SignedOn, k.IsotretinoinStopped, k.RecentActivesOn} {
			if d.After(today) {
				t.Errorf("%s: a date of the record, %s, is after today", c.FullName(), d)
			}
		}
		if len(ss) == 0 {
			continue
		}
		first := data.DateOf(ss[len(ss)-1].StartedAt)
		if data.YearsBetween(c.DateOfBirth, first) < 18 {
			t.Errorf("%s, born %s, was treated at %d on %s", c.FullName(), c.DateOfBirth, data.YearsBetween(c.DateOfBirth, first), first)
		}
		signed := c.Consent.SignedOn
		if signed.IsZero() || signed.After(first) {
			t.Errorf("%s was first treated on %s with consent signed on %q", c.FullName(), first, signed)
		}
		if year, err := strconv.Atoi(strings.Split(c.Consent.FormVersion, "-")[0]); err != nil || year > signed.Year {
			t.Errorf("%s signed form %q on %s", c.FullName(), c.Consent.FormVersion, signed)
		}
		for _, s := range ss {
			sessions++
			day := data.DateOf(s.StartedAt)
			if s.StartedAt.After(testNow) {
				t.Errorf("%s: session %d starts %v, after the clinic's present", c.FullName(), s.ID, s.StartedAt)
			}
			if !s.NextDue.After(day) {
				t.Errorf("%s: session of %s is due back on %s", c.FullName(), day, s.NextDue)
			}
			if k.Isotretinoin && (k.IsotretinoinStopped.IsZero() || !day.After(k.IsotretinoinStopped)) {
				t.Errorf("%s was treated on %s while taking isotretinoin (stopped %q)", c.FullName(), day, k.IsotretinoinStopped)
			}
			if (len(s.Warnings) > 0) != (s.OverrideReason != "") {
				t.Errorf("%s: session of %s has warnings %q and reason %q", c.FullName(), day, s.Warnings, s.OverrideReason)
			}
			for _, w := range s.Warnings {
				for _, text := range isoDates.FindAllString(w, -1) {
					if d, err := data.ParseDate(text); err != nil || d.After(day) {
						t.Errorf("%s: the session of %s is warned %q, of a day after it", c.FullName(), day, w)
					}
				}
				switch {
				case strings.HasPrefix(w, "Isotretinoin"):
					warnedIso++
					if k.IsotretinoinStopped.IsZero() || k.IsotretinoinStopped.After(day) {
						t.Errorf("%s: the session of %s is warned %q; the record says stopped %s", c.FullName(), day, w, k.IsotretinoinStopped)
					}
				case strings.HasPrefix(w, "Recent actives"):
					warnedActives++
					on := k.RecentActivesOn
					if on.IsZero() || on.After(day) || !day.Before(on.AddDays(data.RecentActivesWaitDays)) {
						t.Errorf("%s: the session of %s is warned %q; the record says %s", c.FullName(), day, w, on)
					}
				}
			}
		}
	}
	if sessions == 0 || warnedIso == 0 || warnedActives == 0 {
		t.Errorf("the clinic has %d sessions, %d warned of isotretinoin and %d of recent actives; want some of each",
			sessions, warnedIso, warnedActives)
	}
}
