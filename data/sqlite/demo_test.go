package sqlite_test

import (
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
