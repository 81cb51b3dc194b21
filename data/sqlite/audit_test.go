package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
)

func TestAuditEventsFilterAndOrder(t *testing.T) {
	e := newEnv(t)
	a := e.client(named("Ada", "One"))
	e.clock.Advance(time.Second)
	b := e.client(named("Bo", "Two"))
	e.clock.Advance(time.Second)
	tech := e.staff("Priya Raman", data.RoleTechnician)
	a.Notes = "edited"
	if err := e.st.UpdateClient(e.ctx, tech.ID, &a); err != nil {
		t.Fatal(err)
	}

	all, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// settings seed, client a, client b, staff, update a: newest first.
	if len(all) != 5 || all[1].Entity != data.EntityStaff || all[1].EntityID != tech.ID ||
		all[0].Entity != data.EntityClient || all[4].Entity != data.EntitySettings {
		t.Fatalf("all events: %+v", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID || all[i].At.After(all[i-1].At) {
			t.Errorf("events %d and %d are not newest first", i-1, i)
		}
	}

	cases := []struct {
		f    data.AuditFilter
		want int
	}{
		{data.AuditFilter{Entity: data.EntityClient}, 3},
		{data.AuditFilter{Entity: data.EntityClient, EntityID: a.ID}, 2},
		{data.AuditFilter{Entity: data.EntityClient, EntityID: b.ID}, 1},
		{data.AuditFilter{ActorID: tech.ID}, 1},
		{data.AuditFilter{Limit: 2}, 2},
		{data.AuditFilter{Entity: data.EntitySession}, 0},
	}
	for _, c := range cases {
		got, err := e.st.AuditEvents(e.ctx, data.SystemActor, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != c.want {
			t.Errorf("filter %+v: %d events; want %d", c.f, len(got), c.want)
		}
	}
	upd, _ := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ActorID: tech.ID})
	if len(upd) == 1 && (upd[0].Action != data.ActionUpdate || upd[0].EntityID != a.ID ||
		!upd[0].At.Equal(testNow.Add(2*time.Second))) {
		t.Errorf("update event: %+v", upd[0])
	}
}

func TestAuditEventsDefaultLimit(t *testing.T) {
	e := newEnv(t)
	cs := make([]data.Client, 150)
	for i := range cs {
		cs[i] = validClient()
	}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 {
		t.Errorf("default page of the audit trail has %d events; want 100", len(got))
	}
}
