package sqlite_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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

// inLocalZone runs the test with the clinic's computer in zone.
func inLocalZone(t *testing.T, zone *time.Location) {
	old := time.Local
	time.Local = zone
	t.Cleanup(func() { time.Local = old })
}

// matches is what AuditEvents should return for f, said in Go.
func matches(f data.AuditFilter, ev data.AuditEvent) bool {
	day := data.DateOf(ev.At.In(time.Local))
	return (f.ActorID == 0 || ev.ActorID == f.ActorID) &&
		(f.ClientID == 0 || ev.ClientID == f.ClientID) &&
		(f.Action == "" || ev.Action == f.Action) &&
		(f.Entity == "" || ev.Entity == f.Entity) &&
		(f.EntityID == 0 || ev.EntityID == f.EntityID) &&
		(f.From.IsZero() || !day.Before(f.From)) &&
		(f.To.IsZero() || !day.After(f.To))
}

func eventIDs(evs []data.AuditEvent) []int64 {
	out := make([]int64, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return out
}

// TestAuditEventsEveryFilter records events around local midnights, in a
// zone ten hours east of UTC so a local day spans two UTC dates, and
// checks every filter field against the same filter written in Go.
func TestAuditEventsEveryFilter(t *testing.T) {
	inLocalZone(t, time.FixedZone("UTC+10", 10*3600))
	e := newEnv(t) // the settings seed: 22:00 local on 22 November
	written := []data.AuditEvent{e.lastAudit()}
	midnight := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.Local)
	at := []time.Time{
		midnight.Add(-time.Nanosecond), midnight, midnight.Add(9 * time.Hour),
		midnight.Add(24*time.Hour - time.Nanosecond), midnight.Add(24 * time.Hour), midnight.Add(50 * time.Hour),
	}
	actions := []data.Action{data.ActionView, data.ActionExport, data.ActionDenied, data.ActionReprint}
	entities := []data.Entity{data.EntityClient, data.EntitySheet, data.EntityDatabase}
	for i := range 24 {
		e.clock.Advance(at[i%len(at)].Sub(e.clock.Now())) // back and forth, as a wrong clock might go
		ev := data.AuditEvent{ActorID: int64(i%3 + 1), ClientID: int64(i % 4 * 2), Action: actions[i%len(actions)],
			Entity: entities[i%len(entities)], EntityID: int64(i % 5), Detail: fmt.Sprintf("event %d, \"quoted\"", i)}
		if err := e.st.RecordEventForTest(e.ctx, ev); err != nil {
			t.Fatal(err)
		}
		got := e.lastAudit()
		ev.ID, ev.At = got.ID, e.clock.Now()
		if got != ev {
			t.Fatalf("recorded %+v; read back %+v", ev, got)
		}
		written = append(written, ev)
	}
	slices.Reverse(written) // newest first
	nov := func(d int) data.Date { return data.NewDate(2026, time.November, d) }
	filters := []data.AuditFilter{
		{ActorID: 2}, {ClientID: 4}, {Action: data.ActionExport}, {Entity: data.EntitySheet},
		{Entity: data.EntityClient, EntityID: 3}, {EntityID: 4},
		{From: nov(23), To: nov(23)}, {From: nov(22), To: nov(22)}, {From: nov(24)}, {To: nov(23)}, {From: nov(25), To: nov(25)},
		{ActorID: 1, From: nov(23), To: nov(24)}, {ClientID: 6, Action: data.ActionReprint}, {ClientID: 2, Entity: data.EntityDatabase},
	}
	for _, f := range filters {
		var want []int64
		for _, ev := range written {
			if matches(f, ev) {
				want = append(want, ev.ID)
			}
		}
		if len(want) == 0 || len(want) == len(written) {
			t.Errorf("filter %+v matches %d of %d events; the test should pick one that narrows", f, len(want), len(written))
		}
		got, err := e.st.AuditEvents(e.ctx, data.SystemActor, f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(eventIDs(got), want) {
			t.Errorf("filter %+v: %v; want %v", f, eventIDs(got), want)
		}
	}
	// The edges themselves: 23:59:59.999999999 on the 22nd is not on the
	// 23rd, midnight is; the 23rd ends a nanosecond before the 24th.
	day23, _ := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{From: nov(23), To: nov(23)})
	for _, ev := range day23 {
		if local := ev.At.In(time.Local); local.Before(midnight) || !local.Before(midnight.Add(24*time.Hour)) {
			t.Errorf("event at %v is not on 23 November", local)
		}
	}
	if n := len(day23); n != 12 {
		t.Errorf("23 November has %d events; want 12 (midnight and 09:00 and 23:59:59.999999999, four times each)", n)
	}
	none, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{From: nov(26)})
	if err != nil || len(none) != 0 {
		t.Errorf("events after the last day: %v, %v", eventIDs(none), err)
	}
}

func TestAuditEventsPages(t *testing.T) {
	e := newEnv(t)
	for i := range 10 {
		ev := data.AuditEvent{ActorID: int64(i % 2), Action: data.ActionView, Entity: data.EntityClient, EntityID: int64(i)}
		if err := e.st.RecordEventForTest(e.ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ActorID: 1})
	if err != nil || len(all) != 5 {
		t.Fatalf("all of actor 1: %v, %v", eventIDs(all), err)
	}
	var paged []data.AuditEvent
	for offset := 0; ; offset += 2 {
		page, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ActorID: 1, Limit: 2, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if len(page) < 2 {
			break
		}
	}
	if !slices.Equal(eventIDs(paged), eventIDs(all)) {
		t.Errorf("pages of 2 give %v; want %v", eventIDs(paged), eventIDs(all))
	}
	if neg, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{ActorID: 1, Offset: -3}); err != nil || !slices.Equal(eventIDs(neg), eventIDs(all)) {
		t.Errorf("a negative offset: %v, %v; want the first page", eventIDs(neg), err)
	}
}

func TestRecordEventRefusesBadEvents(t *testing.T) {
	e := newEnv(t)
	before := e.counts("audit_event")
	for field, ev := range map[string]data.AuditEvent{
		"action": {Action: "erase", Entity: data.EntityClient},
		"entity": {Action: data.ActionView},
		"detail": {Action: data.ActionDenied, Entity: data.EntitySettings, Detail: strings.Repeat("x", data.MaxAuditDetail+1)},
	} {
		err := e.st.RecordEventForTest(e.ctx, ev)
		e.refused(err, field, before)
	}
	err := e.st.RecordEventForTest(e.ctx, data.AuditEvent{Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "line\nbreak"})
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a detail with a line break: %v", err)
	}
	e.refused(err, "detail", before)
}

// TestAuditEventsCarryNames: the trail is read with the names behind its
// IDs (who acted, the client, the staff member or product the event is
// about), and a name changed later reads as it is now.
func TestAuditEventsCarryNames(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client(named("結衣", "佐藤"))
	e.clock.Advance(time.Second)
	s := validSession(c.ID, tech.ID, data.NewDate(2026, 11, 20))
	if err := e.st.CreateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	gel := e.product("Calm Barrier Recovery Gel", data.CategoryMoisturiser)
	all, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	find := func(entity data.Entity, id int64) data.AuditEvent {
		for _, ev := range all {
			if ev.Entity == entity && ev.EntityID == id && ev.Action == data.ActionCreate {
				return ev
			}
		}
		t.Fatalf("no creation of %s %d in %+v", entity, id, all)
		return data.AuditEvent{}
	}
	if ev := find(data.EntitySession, s.ID); ev.ActorName != tech.Name || ev.ClientName != "佐藤結衣" {
		t.Errorf("the session's creation reads %+v; want %s and the client's full name", ev, tech.Name)
	}
	if ev := find(data.EntityClient, c.ID); ev.ClientName != "佐藤結衣" || ev.ActorName != "" {
		t.Errorf("the client's creation reads %+v", ev)
	}
	if ev := find(data.EntityProduct, gel.ID); ev.RecordName != gel.Name {
		t.Errorf("the product's creation reads %+v", ev)
	}
	if ev := find(data.EntityStaff, tech.ID); ev.RecordName != tech.Name {
		t.Errorf("the staff member's creation reads %+v", ev)
	}
}
