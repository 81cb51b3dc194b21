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
		ss, err := e.st.ClientSessions(e.ctx, c.ID)
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
