package storetest

import (
	"errors"
	"needledesk/data"
	"reflect"
	"testing"
	"time"
)

func (ct contract) createSessionRoundTrips(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	spf := e.product("Shield SPF 50", data.CategorySunscreen)
	s := e.fullSession(c.ID, tech.ID, data.NewDate(2026, 11, 20), spf, gel)
	if err := e.st.CreateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	if s.ID == 0 || !s.CreatedAt.Equal(TestNow) || !s.UpdatedAt.Equal(TestNow) {
		t.Errorf("after create: ID %d, created %v, updated %v", s.ID, s.CreatedAt, s.UpdatedAt)
	}
	e.wantAudit(tech.ID, data.ActionCreate, data.EntitySession, s.ID)

	got, err := e.st.Session(e.ctx, data.SystemActor, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := s
	want.TechnicianName = tech.Name
	want.Recommendations[0].Product = spf // in the order charted, not by ID
	want.Recommendations[1].Product = gel
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
}

func (ct contract) sessionTimesAreStoredAsInstants(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	s := Session(c.ID, tech.ID, data.NewDate(2026, 11, 20))
	s.StartedAt = time.Date(2026, 11, 20, 9, 15, 0, 123456789, time.FixedZone("UTC+5", 5*3600))
	s = e.session(s)
	got, err := e.st.Session(e.ctx, data.SystemActor, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.StartedAt.Equal(s.StartedAt) || got.StartedAt.Location() != time.UTC {
		t.Errorf("StartedAt %v; want the same instant %v, in UTC", got.StartedAt, s.StartedAt)
	}
}

func (ct contract) createSessionRefusesMissingReferences(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	cases := []struct {
		name  string
		edit  func(*data.Session)
		field string
	}{
		{"missing client", func(s *data.Session) { s.ClientID = c.ID + 100 }, "client"},
		{"missing technician", func(s *data.Session) { s.TechnicianID = tech.ID + 100 }, "technician"},
		{"missing product", func(s *data.Session) {
			s.Recommendations = []data.Recommendation{{ProductID: gel.ID}, {ProductID: gel.ID + 100}}
		}, "recommendations"},
		{"invalid session", func(s *data.Session) { s.Areas = nil }, "areas"},
		{"depth out of range", func(s *data.Session) { s.Areas[0].DepthMM = 3.5 }, "depth_cheeks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.counts("session", "session_area", "session_recommendation", "audit_event")
			s := Session(c.ID, tech.ID, today)
			tc.edit(&s)
			err := e.st.CreateSession(e.ctx, data.SystemActor, &s)
			e.refused(err, tc.field, before)
			if s.ID != 0 {
				t.Errorf("a refused session got ID %d", s.ID)
			}
		})
	}
	if got := e.find(data.ClientFilter{})[0]; !got.NextDue.IsZero() {
		t.Errorf("refused sessions changed the client's next due date to %s", got.NextDue)
	}
}

func (ct contract) missingClientAndTechnicianAreBothReported(t *testing.T) {
	e := ct.env(t)
	s := Session(41, 42, today)
	err := e.st.CreateSession(e.ctx, data.SystemActor, &s)
	problems := data.FieldProblems(err)
	if len(problems) != 2 || problems[0].Message != "this client does not exist" {
		t.Errorf("problems = %+v; want the client and the technician", problems)
	}
}

func (ct contract) sessionForArchivedClientIsAccepted(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	if err := e.st.ArchiveClient(e.ctx, data.SystemActor, c.ID); err != nil {
		t.Fatal(err)
	}
	e.session(Session(c.ID, e.technician().ID, today))
}

func (ct contract) clientSessionsNewestFirst(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	other := e.client(named("Other", "Person"))
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	days := []data.Date{data.NewDate(2026, 9, 1), data.NewDate(2026, 11, 1), data.NewDate(2026, 10, 1)}
	for _, d := range days {
		e.session(e.fullSession(c.ID, tech.ID, d, gel))
	}
	e.session(Session(other.ID, tech.ID, today))

	got, err := e.st.ClientSessions(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []data.Date{days[1], days[2], days[0]}
	if len(got) != len(wantDays) {
		t.Fatalf("%d sessions; want %d", len(got), len(wantDays))
	}
	for i, s := range got {
		if data.DateOf(s.StartedAt) != wantDays[i] {
			t.Errorf("session %d is on %s; want %s", i, data.DateOf(s.StartedAt), wantDays[i])
		}
		if len(s.Areas) != 2 || len(s.Recommendations) != 1 || s.Recommendations[0].Product.Name != "Calm Gel" ||
			s.TechnicianName != tech.Name || s.ClientID != c.ID {
			t.Errorf("session %d is incomplete: %+v", i, s)
		}
	}
}

func (ct contract) clientSessionsEdges(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	got, err := e.st.ClientSessions(e.ctx, data.SystemActor, c.ID)
	if err != nil || len(got) != 0 {
		t.Errorf("a client with no sessions: %v, %v", got, err)
	}
	if _, err := e.st.ClientSessions(e.ctx, data.SystemActor, c.ID+1); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("sessions of a missing client: %v; want ErrNotFound", err)
	}
	if _, err := e.st.Session(e.ctx, data.SystemActor, 99); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a missing session: %v; want ErrNotFound", err)
	}
}

func (ct contract) updateSessionReplacesChildren(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	spf := e.product("Shield SPF 50", data.CategorySunscreen)
	s := e.session(e.fullSession(c.ID, tech.ID, data.NewDate(2026, 11, 1), gel, spf))

	e.clock.Advance(time.Hour)
	s.Areas = []data.AreaTreatment{{Area: data.AreaNeck, DepthMM: 0.5}}
	s.Recommendations = []data.Recommendation{{ProductID: spf.ID, StartDay: 3}}
	s.NextDue = data.NewDate(2026, 12, 24)
	s.Warnings, s.OverrideReason = nil, ""
	s.CreatedAt = time.Time{}
	if err := e.st.UpdateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	if !s.CreatedAt.Equal(TestNow) || !s.UpdatedAt.Equal(TestNow.Add(time.Hour)) {
		t.Errorf("after update: created %v, updated %v", s.CreatedAt, s.UpdatedAt)
	}
	// The session was on 1 November: changing it three weeks later is an
	// amendment.
	e.wantAudit(tech.ID, data.ActionAmend, data.EntitySession, s.ID)
	if s.Amendments != 1 {
		t.Errorf("after an amendment the session counts %d earlier versions; want 1", s.Amendments)
	}
	got, err := e.st.Session(e.ctx, data.SystemActor, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := s
	want.TechnicianName = tech.Name
	want.Recommendations[0].Product = spf
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
	if n := e.count("session_area"); n != 1 {
		t.Errorf("session_area has %d rows; the old areas were not replaced", n)
	}
	if due := e.find(data.ClientFilter{})[0].NextDue; due != s.NextDue {
		t.Errorf("client's next due %s; want the updated %s", due, s.NextDue)
	}
}

func (ct contract) updateSessionMovesBetweenClients(t *testing.T) {
	e := ct.env(t)
	wrong := e.client(named("Wrong", "Client"))
	right := e.client(named("Right", "Client"))
	tech := e.technician()
	s := e.session(Session(wrong.ID, tech.ID, data.NewDate(2026, 11, 1)))
	s.ClientID = right.ID
	if err := e.st.UpdateSession(e.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	for _, sum := range e.find(data.ClientFilter{}) {
		treated := !sum.LastSession.IsZero() || !sum.NextDue.IsZero()
		if treated != (sum.ID == right.ID) {
			t.Errorf("%s: last session %v, next due %s", sum.FullName(), sum.LastSession, sum.NextDue)
		}
	}
}

func (ct contract) updateSessionRefusals(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	s := e.session(Session(c.ID, tech.ID, today))
	before := e.counts("session", "session_area", "audit_event")

	moved := s
	moved.ClientID = 999
	e.refused(e.st.UpdateSession(e.ctx, data.SystemActor, &moved), "client", before)

	bad := s
	bad.Passes = 99
	e.refused(e.st.UpdateSession(e.ctx, data.SystemActor, &bad), "passes", before)

	missing := s
	missing.ID = s.ID + 10
	if err := e.st.UpdateSession(e.ctx, data.SystemActor, &missing); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("updating a missing session: %v; want ErrNotFound", err)
	}
	if got, _ := e.st.Session(e.ctx, data.SystemActor, s.ID); got.ClientID != c.ID || got.Passes != s.Passes {
		t.Errorf("a refused update changed the session: %+v", got)
	}
}

func (ct contract) importSessions(t *testing.T) {
	e := ct.env(t)
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	cs := []data.Client{validClient(named("Ada", "One")), validClient(named("Bo", "Two")), validClient(named("Cy", "Three"))}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	var ss []data.Session
	for i, c := range cs[:2] {
		for d := range 3 {
			ss = append(ss, e.fullSession(c.ID, tech.ID, data.NewDate(2026, time.Month(5+i+d), 1), gel))
		}
	}
	before := e.count("audit_event")
	if err := e.st.ImportSessions(e.ctx, tech.ID, ss); err != nil {
		t.Fatal(err)
	}
	for i, s := range ss {
		if s.ID == 0 || !s.CreatedAt.Equal(TestNow) {
			t.Errorf("session %d: ID %d, created %v", i, s.ID, s.CreatedAt)
		}
	}
	if got := e.count("audit_event") - before; got != len(ss) {
		t.Errorf("import wrote %d audit rows; want %d", got, len(ss))
	}
	e.wantAudit(tech.ID, data.ActionCreate, data.EntitySession, ss[len(ss)-1].ID)
	wantDue := map[int64]data.Date{
		cs[0].ID: data.NewDate(2026, 7, 29), cs[1].ID: data.NewDate(2026, 8, 29), cs[2].ID: {},
	}
	for _, sum := range e.find(data.ClientFilter{}) {
		if sum.NextDue != wantDue[sum.ID] {
			t.Errorf("%s: next due %s; want %s", sum.FullName(), sum.NextDue, wantDue[sum.ID])
		}
	}
}

func (ct contract) importSessionsIsAllOrNothing(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	cases := []struct {
		name  string
		edit  func(*data.Session)
		field string
	}{
		{"missing client", func(s *data.Session) { s.ClientID = 404 }, "client"},
		{"missing technician", func(s *data.Session) { s.TechnicianID = 404 }, "technician"},
		{"missing product", func(s *data.Session) { s.Recommendations[0].ProductID = 404 }, "recommendations"},
		{"invalid", func(s *data.Session) { s.StartedAt = time.Time{} }, "started_at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ss := []data.Session{
				e.fullSession(c.ID, tech.ID, today, gel), e.fullSession(c.ID, tech.ID, today, gel),
				e.fullSession(c.ID, tech.ID, today, gel),
			}
			tc.edit(&ss[2])
			before := e.counts("session", "session_area", "session_recommendation", "audit_event")
			e.refused(e.st.ImportSessions(e.ctx, data.SystemActor, ss), tc.field, before)
			if ss[0].ID != 0 {
				t.Errorf("a session of a refused import got ID %d", ss[0].ID)
			}
		})
	}
	if got := e.find(data.ClientFilter{})[0]; !got.NextDue.IsZero() {
		t.Errorf("a refused import changed the client's next due date to %s", got.NextDue)
	}
}

func (ct contract) changingAPastSessionKeepsTheEarlierVersion(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	boss := e.owner()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	spf := e.product("Shield SPF 50", data.CategorySunscreen)
	original := e.session(e.fullSession(c.ID, tech.ID, today.AddDays(-3), gel))

	e.clock.Advance(time.Hour)
	first := original
	first.Areas = []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 1.0}}
	first.Reaction = "Pinpoint bleeding on the left cheek"
	first.Recommendations = []data.Recommendation{{ProductID: spf.ID, StartDay: 3}}
	if err := e.st.UpdateSession(e.ctx, tech.ID, &first); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionAmend, data.EntitySession, original.ID)
	firstAt := e.clock.Now()

	e.clock.Advance(time.Hour)
	second := first
	second.Notes = "Checked with the client by phone: no bleeding after all."
	if err := e.st.UpdateSession(e.ctx, boss.ID, &second); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionAmend, data.EntitySession, original.ID)

	list, err := e.st.SessionAmendments(e.ctx, tech.ID, original.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("SessionAmendments = %+v, %v; want 2", list, err)
	}
	newest, oldest := list[0], list[1]
	if newest.ChangedBy != boss.ID || newest.ChangedByName != boss.Name || !newest.ChangedAt.Equal(e.clock.Now()) ||
		oldest.ChangedBy != tech.ID || oldest.ChangedByName != tech.Name || !oldest.ChangedAt.Equal(firstAt) {
		t.Errorf("who and when: %+v / %+v", newest, oldest)
	}
	want := original
	want.TechnicianName = tech.Name
	// A kept version is the session's content; its version counter and
	// who saved it are the live record's (migration 12).
	want.Version, want.UpdatedBy = 0, 0
	want.Recommendations[0].Product = gel
	if got := oldest.Earlier; !reflect.DeepEqual(got, want) {
		t.Errorf("the first version kept:\n%+v\nwant\n%+v", got, want)
	}
	if got := newest.Earlier; got.Reaction != first.Reaction || got.Notes != original.Notes ||
		got.Areas[0].DepthMM != 1.0 || got.Recommendations[0].Product.ID != spf.ID || !got.UpdatedAt.Equal(firstAt) {
		t.Errorf("the second version kept: %+v", got)
	}
	now, err := e.st.Session(e.ctx, tech.ID, original.ID)
	if err != nil || now.Notes != second.Notes || now.Amendments != 2 {
		t.Errorf("the session now: %+v, %v", now, err)
	}
}

func (ct contract) changingASessionOnItsDayIsAnUpdate(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	s := Session(c.ID, tech.ID, today)
	s.StartedAt = TestNow // the store's own "now", the same day in every zone
	s = e.session(s)
	e.clock.Advance(time.Hour)
	s.Reaction = "Settled within the hour"
	if err := e.st.UpdateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionUpdate, data.EntitySession, s.ID)

	past := e.session(Session(c.ID, tech.ID, today.AddDays(-10)))
	e.clock.Advance(time.Hour)
	if err := e.st.UpdateSession(e.ctx, tech.ID, &past); err != nil { // saved as it was
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionUpdate, data.EntitySession, past.ID)

	if n := e.count("session_version"); n != 0 {
		t.Errorf("%d earlier versions kept; want none", n)
	}
	for _, id := range []int64{s.ID, past.ID} {
		if list, err := e.st.SessionAmendments(e.ctx, tech.ID, id); err != nil || len(list) != 0 {
			t.Errorf("session %d: amendments %+v, %v", id, list, err)
		}
	}
	if _, err := e.st.SessionAmendments(e.ctx, tech.ID, past.ID+100); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("amendments of a missing session: %v", err)
	}
}

func (ct contract) earlierVersionsAreKeptForGood(t *testing.T) {
	e := ct.env(t)
	c := e.client()
	tech := e.technician()
	s := e.session(Session(c.ID, tech.ID, today.AddDays(-1)))
	s.Passes = 4
	if err := e.st.UpdateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE session_version SET changed_by = 99`, `DELETE FROM session_version`} {
		if err := e.raw.ExecRaw(e.ctx, q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if n := e.count("session_version"); n != 1 {
		t.Errorf("%d versions; want 1", n)
	}
}

func (ct contract) recordDoNotTreatKeepsTheReason(t *testing.T) {
	e := ct.env(t)
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

func (ct contract) recordDoNotTreatRefusesWithoutAReasonOrAClient(t *testing.T) {
	e := ct.env(t)
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
