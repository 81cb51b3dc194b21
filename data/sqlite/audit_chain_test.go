package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// specHash is the chain's hash written from its description, apart from
// the store's code: SHA-256 over the previous hash's 32 bytes, a tag, then
// the fields with integers as 8 bytes big-endian and text behind its
// length. A second implementation (PostgreSQL) must agree with it.
//
// An event that records the hash of the row it wrote (row_hash, schema 10)
// is version 2: the tag says v2 and the row hash follows the detail.
func specHash(t *testing.T, prevHex string, id int64, at string, actor int64, action, entity string, entityID, clientID int64, detail string, rowHash ...string) string {
	t.Helper()
	b, err := hex.DecodeString(prevHex)
	if err != nil || len(b) != 32 {
		t.Fatalf("prev_hash %q is not a SHA-256", prevHex)
	}
	v2 := len(rowHash) > 0 && rowHash[0] != ""
	if v2 {
		b = append(b, "needledesk audit event v2\x00"...)
	} else {
		b = append(b, "needledesk audit event v1\x00"...)
	}
	num := func(n int64) { b = binary.BigEndian.AppendUint64(b, uint64(n)) }
	text := func(s string) { num(int64(len(s))); b = append(b, s...) }
	num(id)
	text(at)
	num(actor)
	text(action)
	text(entity)
	num(entityID)
	num(clientID)
	text(detail)
	if v2 {
		text(rowHash[0])
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// rawEvent is an audit_event row with its links, as stored.
type rawEvent struct {
	id, actor, entityID, clientID int64
	at, action, entity, detail    string
	rowHash, prevHash, hash       string
}

func (r rawEvent) specHash(t *testing.T) string {
	return specHash(t, r.prevHash, r.id, r.at, r.actor, r.action, r.entity, r.entityID, r.clientID, r.detail, r.rowHash)
}

func rawEvents(t *testing.T, db *sql.DB) []rawEvent {
	t.Helper()
	rows, err := db.QueryContext(t.Context(), `SELECT id, at, actor_id, action, entity, entity_id, client_id, detail, row_hash, prev_hash, hash
		FROM audit_event ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []rawEvent
	for rows.Next() {
		var r rawEvent
		if err := rows.Scan(&r.id, &r.at, &r.actor, &r.action, &r.entity, &r.entityID, &r.clientID, &r.detail, &r.rowHash, &r.prevHash, &r.hash); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantSpecChain checks every stored hash and link against specHash and the
// head record against the last event.
func wantSpecChain(t *testing.T, db *sql.DB) []rawEvent {
	t.Helper()
	evs := rawEvents(t, db)
	prev := strings.Repeat("0", 64)
	for _, r := range evs {
		if r.prevHash != prev || r.hash != r.specHash(t) {
			t.Fatalf("event %d: prev_hash %s hash %s; want %s and %s", r.id, r.prevHash, r.hash, prev, r.specHash(t))
		}
		prev = r.hash
	}
	var lastID, events int64
	var hash string
	if err := db.QueryRowContext(t.Context(), `SELECT last_id, events, hash FROM audit_head`).Scan(&lastID, &events, &hash); err != nil {
		t.Fatal(err)
	}
	if n := len(evs); n == 0 || lastID != evs[n-1].id || events != int64(n) || hash != evs[n-1].hash {
		t.Fatalf("head = %d %d %s; want the last of %d events", lastID, events, hash, n)
	}
	return evs
}

// mixedWrites makes every kind of audit write the store has: single
// changes, imports, sheets, settings and recorded events, each a moment
// after the last.
func mixedWrites(e *env) {
	e.t.Helper()
	must := func(err error) {
		e.t.Helper()
		if err != nil {
			e.t.Fatal(err)
		}
		e.clock.Advance(time.Second)
	}
	tech, owner := e.technician(), e.owner()
	p := e.product("Calm serum", data.Categories[0])
	p.Brand = "Other"
	must(e.st.UpdateProduct(e.ctx, tech.ID, &p))
	a := e.client(named("Ada", "One"))
	a.Notes = "edited"
	must(e.st.UpdateClient(e.ctx, tech.ID, &a))
	imported := []data.Client{validClient(), validClient(named("Bo", "Two")), validClient(named("Cy", "Three"))}
	must(e.st.ImportClients(e.ctx, tech.ID, imported))
	ses := e.session(validSession(a.ID, tech.ID, today))
	ses.Notes = "more"
	must(e.st.UpdateSession(e.ctx, tech.ID, &ses))
	must(e.st.ImportSessions(e.ctx, tech.ID, []data.Session{
		validSession(imported[0].ID, tech.ID, today), validSession(imported[2].ID, tech.ID, today.AddDays(-3)),
	}))
	must(e.st.KeepSheet(e.ctx, tech.ID, &data.Sheet{SessionID: ses.ID, PDF: fakePDF("sheet")}))
	settings, err := e.st.Settings(e.ctx, data.SystemActor)
	must(err)
	settings.ClinicName = "Lumen Skin Studio"
	must(e.st.SaveSettings(e.ctx, owner.ID, &settings))
	must(e.st.ArchiveClient(e.ctx, owner.ID, imported[1].ID))
	must(e.st.RecordEventForTest(e.ctx, data.AuditEvent{ActorID: tech.ID, Action: data.ActionView, Entity: data.EntityClient,
		EntityID: a.ID, ClientID: a.ID}))
	must(e.st.RecordEventForTest(e.ctx, data.AuditEvent{ActorID: tech.ID, Action: data.ActionDenied, Entity: data.EntitySettings,
		Detail: "a technician may not change the clinic's settings, = or + or \"quotes\", 王芳"}))
	must(e.st.RecordEventForTest(e.ctx, data.AuditEvent{Action: data.ActionBackup, Entity: data.EntityDatabase, Detail: "to D:\\backups\\clinic.db"}))
}

func TestAuditChainHoldsAfterMixedWrites(t *testing.T) {
	e := newEnv(t)
	mixedWrites(e)
	evs := wantSpecChain(t, e.st.WriterForTest())
	// The settings seed, then staff (2), product (2), client (2), import (3),
	// session (2), session import (2), sheet, settings, archive, 3 recorded.
	if len(evs) != 20 {
		t.Fatalf("%d events; want 20", len(evs))
	}
	rep, err := e.st.VerifyAuditChain(e.ctx)
	if err != nil || !rep.OK() || rep.Events != int64(len(evs)) || rep.BadEventID != 0 {
		t.Errorf("VerifyAuditChain = %+v, %v; want %d events intact", rep, err, len(evs))
	}
	check, err := sqlite.Check(e.ctx, e.path)
	if err != nil || len(check.Problems) != 0 || !check.AuditChain.OK() || check.AuditChain.Events != int64(len(evs)) {
		t.Errorf("Check = %+v, %v", check, err)
	}
}

// A refused write leaves the chain and its head as they were.
func TestAuditChainRefusedWriteLeavesNoTrace(t *testing.T) {
	e := newEnv(t)
	e.client()
	before := rawEvents(t, e.st.WriterForTest())
	bad := validClient(func(c *data.Client) { c.Email = "not an address" })
	if err := e.st.CreateClient(e.ctx, data.SystemActor, &bad); err == nil {
		t.Fatal("an invalid client was accepted")
	}
	missing := data.Sheet{SessionID: 99, PDF: fakePDF("x")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &missing); err == nil {
		t.Fatal("a sheet for a missing session was accepted")
	}
	if after := wantSpecChain(t, e.st.WriterForTest()); len(after) != len(before) {
		t.Errorf("%d events after refused writes; want %d", len(after), len(before))
	}
}

func TestStoreWritesNameTheClient(t *testing.T) {
	e := newEnv(t)
	tech := e.technician()
	c := e.client()
	if got := e.lastAudit(); got.ClientID != c.ID {
		t.Errorf("create client: %+v", got)
	}
	ses := e.session(validSession(c.ID, tech.ID, today))
	if got := e.lastAudit(); got.ClientID != c.ID || got.EntityID != ses.ID {
		t.Errorf("create session: %+v", got)
	}
	other := e.client(named("Bo", "Two"))
	ses.ClientID = other.ID // charted against the wrong client, then moved
	if err := e.st.UpdateSession(e.ctx, tech.ID, &ses); err != nil {
		t.Fatal(err)
	}
	if got := e.lastAudit(); got.ClientID != other.ID {
		t.Errorf("update session: %+v; want the client it belongs to now", got)
	}
	sh := data.Sheet{SessionID: ses.ID, PDF: fakePDF("x")}
	if err := e.st.KeepSheet(e.ctx, tech.ID, &sh); err != nil {
		t.Fatal(err)
	}
	if got := e.lastAudit(); got.ClientID != other.ID || got.Entity != data.EntitySheet || got.EntityID != sh.ID {
		t.Errorf("keep sheet: %+v", got)
	}
	if err := e.st.ArchiveClient(e.ctx, e.owner().ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.lastAudit(); got.ClientID != c.ID || got.Action != data.ActionArchive {
		t.Errorf("archive: %+v", got)
	}
	cs := []data.Client{validClient(), validClient(named("Cy", "Three"))}
	if err := e.st.ImportClients(e.ctx, tech.ID, cs); err != nil {
		t.Fatal(err)
	}
	ss := []data.Session{validSession(cs[1].ID, tech.ID, today), validSession(cs[0].ID, tech.ID, today)}
	if err := e.st.ImportSessions(e.ctx, tech.ID, ss); err != nil {
		t.Fatal(err)
	}
	evs, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{Limit: 4})
	if err != nil || len(evs) != 4 {
		t.Fatalf("AuditEvents: %v, %v", evs, err)
	}
	want := [][2]int64{{ss[1].ID, cs[0].ID}, {ss[0].ID, cs[1].ID}, {cs[1].ID, cs[1].ID}, {cs[0].ID, cs[0].ID}}
	for i, ev := range evs {
		if ev.EntityID != want[i][0] || ev.ClientID != want[i][1] {
			t.Errorf("import event %d: %+v; want record %d of client %d", i, ev, want[i][0], want[i][1])
		}
	}
	p := e.product("Balm", data.Categories[0])
	if got := e.lastAudit(); got.ClientID != 0 || got.EntityID != p.ID {
		t.Errorf("a product event names a client: %+v", got)
	}
}

// trailFile is a closed database whose trail has exactly twenty events:
// the settings seed, then nineteen recorded views of clients 1 to 19 by
// staff 1 to 3, each a second apart.
func trailFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trail.db")
	clock := &testClock{t: testNow}
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= 19; i++ {
		clock.Advance(time.Second)
		ev := data.AuditEvent{ActorID: i%3 + 1, Action: data.ActionView, Entity: data.EntityClient, EntityID: i, ClientID: i,
			Detail: fmt.Sprintf("opened from the list, page %d", i)}
		if err := st.RecordEventForTest(t.Context(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// tamper copies the trail and changes the copy as someone with a database
// tool would: the append-only triggers dropped first, then edit.
func tamper(t *testing.T, trail string, edit func(ctx context.Context, db *sql.DB) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tampered.db")
	copyFile(t, trail, path)
	db := rawDB(t, path)
	for _, q := range []string{`DROP TRIGGER audit_event_no_update`, `DROP TRIGGER audit_event_no_delete`} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if err := edit(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	// Put the triggers back as they were, so that only the chain shows the
	// edit (check reports missing triggers on their own).
	for _, q := range []string{
		"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event\nBEGIN\n    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be changed');\nEND",
		"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event\nBEGIN\n    SELECT RAISE(ABORT, 'the audit trail is append-only: events cannot be deleted');\nEND",
	} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// execs is an edit made of statements.
func execs(qs ...string) func(context.Context, *sql.DB) error {
	return func(ctx context.Context, db *sql.DB) error {
		for _, q := range qs {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	}
}

// rehashed changes event id's actor and gives it the hash that matches,
// as someone who knows the format would: only the next event's link, or
// the head, can tell.
func rehashed(t *testing.T, id int64) func(context.Context, *sql.DB) error {
	return func(ctx context.Context, db *sql.DB) error {
		for _, r := range rawEvents(t, db) {
			if r.id == id {
				r.actor = 99
				_, err := db.ExecContext(ctx, `UPDATE audit_event SET actor_id = 99, hash = ? WHERE id = ?`, r.specHash(t), id)
				return err
			}
		}
		return fmt.Errorf("no event %d", id)
	}
}

func swapIDs(a, b int) func(context.Context, *sql.DB) error {
	return execs(
		fmt.Sprintf(`UPDATE audit_event SET id = -1 WHERE id = %d`, a),
		fmt.Sprintf(`UPDATE audit_event SET id = %d WHERE id = %d`, a, b),
		fmt.Sprintf(`UPDATE audit_event SET id = %d WHERE id = -1`, b),
	)
}

func TestCheckFindsATamperedAuditTrail(t *testing.T) {
	trail := trailFile(t)
	rep, err := sqlite.Check(t.Context(), trail)
	if err != nil || len(rep.Problems) != 0 || !rep.AuditChain.OK() || rep.AuditChain.Events != 20 {
		t.Fatalf("the untouched trail: %+v, %v", rep, err)
	}
	changed10 := "audit event 10 was changed"
	cases := []struct {
		name   string
		edit   func(context.Context, *sql.DB) error
		badID  int64
		report string
	}{
		{"time", execs(`UPDATE audit_event SET at = '2026-11-22T12:00:09.500000000Z' WHERE id = 10`), 10, changed10},
		{"actor", execs(`UPDATE audit_event SET actor_id = 1 - actor_id WHERE id = 10`), 10, changed10},
		{"action", execs(`UPDATE audit_event SET action = 'export' WHERE id = 10`), 10, changed10},
		{"entity", execs(`UPDATE audit_event SET entity = 'session' WHERE id = 10`), 10, changed10},
		{"entity id", execs(`UPDATE audit_event SET entity_id = 11 WHERE id = 10`), 10, changed10},
		{"client", execs(`UPDATE audit_event SET client_id = 0 WHERE id = 10`), 10, changed10},
		{"detail", execs(`UPDATE audit_event SET detail = detail || '.' WHERE id = 10`), 10, changed10},
		{"detail case", execs(`UPDATE audit_event SET detail = upper(detail) WHERE id = 10`), 10, changed10},
		{"hash", execs(`UPDATE audit_event SET hash = (SELECT hash FROM audit_event WHERE id = 3) WHERE id = 10`), 10, changed10},
		{"link", execs(`UPDATE audit_event SET prev_hash = (SELECT prev_hash FROM audit_event WHERE id = 9) WHERE id = 10`), 10, changed10},
		{"link not a hash", execs(`UPDATE audit_event SET prev_hash = 'x' WHERE id = 10`), 10, changed10},
		{"link too long", execs(`UPDATE audit_event SET prev_hash = prev_hash || prev_hash WHERE id = 10`), 10, changed10},
		{"first event", execs(`UPDATE audit_event SET actor_id = 5 WHERE id = 1`), 1, "audit event 1 was changed"},
		{"rehashed", rehashed(t, 10), 10, changed10},
		{"rehashed last", rehashed(t, 20), 20, "audit event 20 does not match the trail's head record"},
		{"deleted", execs(`DELETE FROM audit_event WHERE id = 10`), 10, "audit event 10 is missing"},
		{"deleted three", execs(`DELETE FROM audit_event WHERE id BETWEEN 10 AND 12`), 10, "audit events 10 to 12 are missing"},
		{"deleted first", execs(`DELETE FROM audit_event WHERE id = 1`), 1, "audit event 1 is missing"},
		{"swapped neighbours", swapIDs(10, 11), 10, "audit event 10 is out of order: it was written as event 11"},
		{"swapped apart", swapIDs(5, 15), 5, "audit event 5 is out of order: it was written as event 15"},
		{"contents swapped", execs(`CREATE TEMP TABLE pair AS SELECT * FROM audit_event WHERE id IN (10, 11)`,
			`UPDATE audit_event SET (at, actor_id, action, entity, entity_id, client_id, detail, prev_hash, hash) =
				(SELECT at, actor_id, action, entity, entity_id, client_id, detail, prev_hash, hash FROM pair WHERE pair.id = 21 - audit_event.id)
			WHERE id IN (10, 11)`), 10, "audit event 10 is out of order: it was written as event 11"},
		{"fields swapped", execs(`CREATE TEMP TABLE pair AS SELECT * FROM audit_event WHERE id IN (10, 11)`,
			`UPDATE audit_event SET (actor_id, entity_id, client_id, detail) =
				(SELECT actor_id, entity_id, client_id, detail FROM pair WHERE pair.id = 21 - audit_event.id)
			WHERE id IN (10, 11)`), 10, changed10},
		{"moved to the end", execs(`UPDATE audit_event SET id = 21 WHERE id = 10`), 10, "audit event 10 is missing"},
		{"truncated", execs(`DELETE FROM audit_event WHERE id > 17`), 18, "audit events after 17 were removed (the trail ended at 20)"},
		{"emptied", execs(`DELETE FROM audit_event`), 1, "all 20 audit events were removed"},
		{"head hash", execs(`UPDATE audit_head SET hash = (SELECT hash FROM audit_event WHERE id = 19)`), 20,
			"audit event 20 does not match the trail's head record"},
		{"head count", execs(`UPDATE audit_head SET events = 19`), 20, "the trail's head record counts 19 audit events up to event 20, but there are 20"},
		{"head last id", execs(`UPDATE audit_head SET last_id = 19`), 20, "audit events after 19 were added outside NeedleDesk"},
		{"head removed", execs(`DELETE FROM audit_head`), 20, "the audit trail's head record is missing"},
		{"added", execs(`INSERT INTO audit_event (at, actor_id, action, entity, entity_id) VALUES ('2026-11-22T13:00:00.000000000Z', 1, 'view', 'client', 3)`),
			21, "audit event 21 was added outside NeedleDesk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := tamper(t, trail, c.edit)
			before := fileHash(t, path)
			rep, err := sqlite.Check(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			if fileHash(t, path) != before {
				t.Error("Check changed the file")
			}
			got := rep.AuditChain
			if got.OK() || got.BadEventID != c.badID || !strings.HasPrefix(got.Problem, c.report) {
				t.Errorf("audit chain report %+v; want event %d and %q", got, c.badID, c.report)
			}
			if !rep.IntegrityOK || len(rep.Problems) != 1 || rep.Problems[0] != "audit trail: "+got.Problem {
				t.Errorf("report: %+v; want the audit trail's problem only", rep)
			}
		})
	}
}

// After tampering the clinic keeps working, and the evidence stays: new
// events chain on from the head, past the hole.
func TestWritesGoOnAfterTamperingAndTheEvidenceStays(t *testing.T) {
	trail := trailFile(t)
	for name, c := range map[string]struct {
		edit   func(context.Context, *sql.DB) error
		badID  int64
		report string
	}{
		"truncated":    {execs(`DELETE FROM audit_event WHERE id > 17`), 18, "audit events 18 to 20 are missing"},
		"changed":      {execs(`UPDATE audit_event SET detail = '' WHERE id = 4`), 4, "audit event 4 was changed"},
		"head damaged": {execs(`UPDATE audit_head SET hash = 'not a hash'`), 21, "audit event 21 starts the trail again"},
		// Removing the end and the head together is seen only until the next
		// write, which rebuilds the head from the last event: the chain is
		// unkeyed, so whoever can do this could as well write a new head.
		"head removed": {execs(`DELETE FROM audit_event WHERE id > 17`, `DELETE FROM audit_head`), 0, ""},
		"added":        {execs(`INSERT INTO audit_event (at, actor_id, action, entity, entity_id) VALUES ('2026-11-22T13:00:00.000000000Z', 1, 'view', 'client', 3)`), 21, "audit event 21 was added outside NeedleDesk"},
	} {
		t.Run(name, func(t *testing.T) {
			path := tamper(t, trail, c.edit)
			st, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			cl := validClient()
			if err := st.CreateClient(t.Context(), data.SystemActor, &cl); err != nil {
				t.Fatalf("writing after tampering: %v", err)
			}
			rep, err := st.VerifyAuditChain(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if c.report == "" { // the head rebuilt from the last event: nothing left to see
				if !rep.OK() {
					t.Errorf("report %+v; want the rebuilt trail intact", rep)
				}
				return
			}
			if rep.OK() || rep.BadEventID != c.badID || !strings.HasPrefix(rep.Problem, c.report) {
				t.Errorf("report %+v; want event %d and %q", rep, c.badID, c.report)
			}
		})
	}
}

// TestUpgradeChainsTheExistingTrail: a schema 5 database with a trail
// written before the chain comes out of Open with every event chained in
// order, each knowing its client, and new events chained on.
func TestUpgradeChainsTheExistingTrail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := sqlite.OldDatabaseForTest(t, path, sqlite.AuditChainVersionForTest-1)
	setup := []string{
		`INSERT INTO staff (id, name, role) VALUES (1, 'Priya Raman', 'technician')`,
		`INSERT INTO client (id, given_name, date_of_birth, created_at, updated_at, family_sort, given_sort, search_text, phone_digits)
			VALUES (4, 'Ada', '1990-01-02', 'x', 'x', '', 'ada', '', ''), (5, 'Bo', '1990-01-02', 'x', 'x', '', 'bo', '', '')`,
		`INSERT INTO session (id, client_id, technician_id, started_at, created_at, updated_at) VALUES (7, 5, 1, 'x', 'x', 'x')`,
		`INSERT INTO sheet (id, session_id, version, made_at, made_by, sha256, pdf) VALUES (9, 7, 1, 'x', 1, 'x', x'00')`,
	}
	for _, q := range setup {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	old := []struct {
		action     data.Action
		entity     data.Entity
		id, client int64
	}{
		{data.ActionCreate, data.EntityStaff, 1, 0},
		{data.ActionCreate, data.EntityClient, 4, 4},
		{data.ActionCreate, data.EntityClient, 5, 5},
		{data.ActionCreate, data.EntitySession, 7, 5},
		{data.ActionCreate, data.EntitySheet, 9, 5},
		{data.ActionUpdate, data.EntityClient, 4, 4},
		{data.ActionCreate, data.EntitySession, 8, 0}, // a session that is gone
	}
	for i, o := range old {
		if err := sqlite.AddOldAuditForTest(t.Context(), db, testNow.Add(time.Duration(i)*time.Minute), 1, o.action, o.entity, o.id); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(func() time.Time { return testNow.Add(time.Hour) }))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	evs := wantSpecChain(t, st.WriterForTest())
	if len(evs) != len(old)+1 {
		t.Fatalf("%d events after the upgrade; want the seed and %d more", len(evs), len(old))
	}
	for i, o := range old {
		if ev := evs[i+1]; ev.entity != string(o.entity) || ev.entityID != o.id || ev.clientID != o.client {
			t.Errorf("old event %d came through as %+v; want client %d", i+1, ev, o.client)
		}
	}
	ofBo, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{ClientID: 5})
	if err != nil || len(ofBo) != 3 {
		t.Errorf("events of client 5: %+v, %v; want her client, session and sheet events", ofBo, err)
	}
	if err := st.RecordEventForTest(t.Context(), data.AuditEvent{ActorID: 1, Action: data.ActionView, Entity: data.EntityClient, EntityID: 4, ClientID: 4}); err != nil {
		t.Fatal(err)
	}
	wantSpecChain(t, st.WriterForTest())
	if rep, err := st.VerifyAuditChain(t.Context()); err != nil || !rep.OK() || rep.Events != int64(len(old)+2) {
		t.Errorf("after the upgrade: %+v, %v", rep, err)
	}
	for _, q := range []string{`UPDATE audit_event SET detail = 'x'`, `DELETE FROM audit_event WHERE id = 1`} {
		if _, err := st.WriterForTest().ExecContext(t.Context(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s after the upgrade: %v; want the append-only refusal", q, err)
		}
	}
}

// Check on a database from before the chain says so and finds no fault.
func TestCheckOnATrailNotYetChained(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := sqlite.OldDatabaseForTest(t, path, sqlite.AuditChainVersionForTest-1)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.Check(t.Context(), path)
	if err != nil || len(rep.Problems) != 0 || rep.AuditChain.Chained || rep.AuditChain.OK() {
		t.Errorf("Check on schema %d: %+v, %v", sqlite.AuditChainVersionForTest-1, rep, err)
	}
}
