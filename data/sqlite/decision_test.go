package sqlite_test

import (
	"errors"
	"testing"

	"needledesk/data"
)

// Issue 11: a decision not to treat is one audit row with its reason,
// under the person who took it, about the client.
func TestRecordDoNotTreatKeepsTheReason(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client()
	err := e.st.RecordDoNotTreat(e.ctx, tech.ID, data.DoNotTreat{ClientID: c.ID,
		Reason: "  Cold sore on the upper lip;\n rebooked in two weeks "})
	if err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionDoNotTreat, data.EntityClient, c.ID)
	if got := e.lastAudit(); got.ClientID != c.ID || got.Detail != "Cold sore on the upper lip; rebooked in two weeks" {
		t.Errorf("recorded %+v; want the client and the reason on one line", got)
	}
	evs, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ClientID: c.ID, Action: data.ActionDoNotTreat})
	if err != nil || len(evs) != 1 {
		t.Errorf("filtering the trail by client and action finds %d events, %v", len(evs), err)
	}
}

func TestRecordDoNotTreatRefusesWithoutAReasonOrAClient(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client()
	before := e.counts("audit_event")
	e.refused(e.st.RecordDoNotTreat(e.ctx, tech.ID, data.DoNotTreat{ClientID: c.ID, Reason: " \n "}), "reason", before)
	long := make([]byte, data.MaxAuditDetail+1)
	for i := range long {
		long[i] = 'x'
	}
	e.refused(e.st.RecordDoNotTreat(e.ctx, tech.ID, data.DoNotTreat{ClientID: c.ID, Reason: string(long)}), "reason", before)
	err := e.st.RecordDoNotTreat(e.ctx, tech.ID, data.DoNotTreat{ClientID: c.ID + 100, Reason: "Not today"})
	if !errors.Is(err, data.ErrNotFound) {
		t.Errorf("an unknown client gives %v; want data.ErrNotFound", err)
	}
	if n := e.count("audit_event"); n != before["audit_event"] {
		t.Errorf("refused decisions wrote %d audit rows", n-before["audit_event"])
	}
}
