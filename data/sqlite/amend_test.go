package sqlite_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"needledesk/data"
)

// TestChangingAPastSessionKeepsTheEarlierVersion: a session changed after
// its treatment day keeps each version it replaces, with who changed it
// and when, newest first.
func TestChangingAPastSessionKeepsTheEarlierVersion(t *testing.T) {
	e := newEnv(t)
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

// TestChangingASessionOnItsDayIsAnUpdate: on the treatment day itself, and
// for a save that changes nothing, no earlier version is kept.
func TestChangingASessionOnItsDayIsAnUpdate(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tech := e.technician()
	s := validSession(c.ID, tech.ID, today)
	s.StartedAt = testNow // the store's own "now", the same day in every zone
	s = e.session(s)
	e.clock.Advance(time.Hour)
	s.Reaction = "Settled within the hour"
	if err := e.st.UpdateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionUpdate, data.EntitySession, s.ID)

	past := e.session(validSession(c.ID, tech.ID, today.AddDays(-10)))
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

// TestEarlierVersionsAreKeptForGood: like the audit trail, kept versions
// cannot be changed or deleted, even by SQL from another program.
func TestEarlierVersionsAreKeptForGood(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tech := e.technician()
	s := e.session(validSession(c.ID, tech.ID, today.AddDays(-1)))
	s.Passes = 4
	if err := e.st.UpdateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, e.path)
	for _, q := range []string{`UPDATE session_version SET changed_by = 99`, `DELETE FROM session_version`} {
		if _, err := db.ExecContext(e.ctx, q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if n := e.count("session_version"); n != 1 {
		t.Errorf("%d versions; want 1", n)
	}
}
