package sqlite_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

func TestOpenCreatesPrivateFolderAndFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes")
	}
	e := newEnv(t)
	want := map[string]os.FileMode{filepath.Dir(e.path): 0o700, e.path: 0o600, e.path + "-wal": 0o600}
	for p, mode := range want {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != mode {
			t.Errorf("%s has mode %o; want %o", filepath.Base(p), got, mode)
		}
	}
}

func TestOpenSetsPragmasOnEveryConnection(t *testing.T) {
	e := newEnv(t)
	checks := []struct {
		pragma string
		want   string
	}{{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "2"}, {"busy_timeout", "5000"}}
	for _, c := range checks {
		var got string
		if err := e.st.WriterForTest().QueryRowContext(e.ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("writer: PRAGMA %s = %s; want %s", c.pragma, got, c.want)
		}
	}
	// Several read connections at once, each must have foreign keys on and
	// refuse writes.
	r := e.st.ReaderForTest()
	conns := make([]interface{ Close() error }, 0, 3)
	for range 3 {
		conn, err := r.Conn(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		var fk, qo int
		if err := conn.QueryRowContext(e.ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(e.ctx, "PRAGMA query_only").Scan(&qo); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || qo != 1 {
			t.Errorf("reader: foreign_keys %d, query_only %d; want 1 and 1", fk, qo)
		}
	}
	for _, c := range conns {
		_ = c.Close()
	}
}

func TestOpenMigratesOnceAndReopensIdempotently(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if got := e.count("schema_migrations"); got != sqlite.KnownVersion() {
		t.Fatalf("schema_migrations has %d rows; want %d", got, sqlite.KnownVersion())
	}
	audits := e.count("audit_event")
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		st, err := sqlite.Open(e.ctx, e.path)
		if err != nil {
			t.Fatalf("reopening: %v", err)
		}
		e.st = st
		if got := e.count("schema_migrations"); got != sqlite.KnownVersion() {
			t.Errorf("after reopening, schema_migrations has %d rows", got)
		}
		if got := e.count("settings"); got != 1 {
			t.Errorf("after reopening, settings has %d rows", got)
		}
		if got := e.count("audit_event"); got != audits {
			t.Errorf("reopening wrote audit rows: %d, was %d", got, audits)
		}
		if _, err := st.Client(e.ctx, data.SystemActor, c.ID); err != nil {
			t.Errorf("client lost on reopening: %v", err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	e.st, _ = sqlite.Open(e.ctx, e.path) // for the cleanup's Close
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	e := newEnv(t)
	if _, err := e.st.WriterForTest().ExecContext(e.ctx,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(e.ctx, e.path)
	if err == nil {
		_ = st.Close()
		t.Fatal("a database from a newer version was opened")
	}
	if !errors.Is(err, sqlite.ErrNewerSchema) {
		t.Errorf("error %v does not wrap ErrNewerSchema", err)
	}
	want := fmt.Sprintf("this database was written by a newer version of NeedleDesk (schema 999; this version knows up to %d): update NeedleDesk to open it",
		sqlite.KnownVersion())
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error = %q; want it to say %q", err, want)
	}
}

func TestOpenRefusesFilesThatAreNotOurs(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database at all. ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	if _, err := rawDB(t, foreign).ExecContext(t.Context(), `CREATE TABLE invoices (id INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{garbage, foreign} {
		st, err := sqlite.Open(t.Context(), p)
		if err == nil {
			_ = st.Close()
			t.Errorf("%s was opened", filepath.Base(p))
			continue
		}
		if !strings.Contains(err.Error(), "is not a NeedleDesk database or is damaged") {
			t.Errorf("%s: error = %v", filepath.Base(p), err)
		}
	}
}

func TestOpenRefusesEmptyPath(t *testing.T) {
	if _, err := sqlite.Open(t.Context(), ""); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("Open(\"\") = %v; want ErrInvalid", err)
	}
}

func TestOpenHandlesAwkwardPaths(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Clinic #2 (50% off?)", "Zoë's data.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not where asked: %v", err)
	}
}

func TestSeedsDefaultSettingsWithAuditRow(t *testing.T) {
	e := newEnv(t)
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	want := data.DefaultSettings()
	if got.FollowUpDays != want.FollowUpDays || got.PaperSize != want.PaperSize ||
		got.DateFormat != want.DateFormat || len(got.DepthRanges) != len(want.DepthRanges) {
		t.Errorf("seeded settings = %+v; want the defaults %+v", got, want)
	}
	e.wantAudit(data.SystemActor, data.ActionCreate, data.EntitySettings, 1)
}

func TestAuditTrailIsAppendOnly(t *testing.T) {
	e := newEnv(t)
	e.client()
	for _, q := range []string{`UPDATE audit_event SET actor_id = 99`, `DELETE FROM audit_event`} {
		_, err := e.st.WriterForTest().ExecContext(e.ctx, q)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error = %v; want the trigger's refusal", q, err)
		}
	}
	// Another program, without the store's settings, is refused too.
	if _, err := rawDB(t, e.path).ExecContext(e.ctx, `DELETE FROM audit_event`); err == nil {
		t.Error("a raw connection deleted the audit trail")
	}
	if got := e.count("audit_event"); got != 2 { // settings seed + client
		t.Errorf("audit_event has %d rows; want 2", got)
	}
}

func TestCloseThenUseFailsCleanly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Client(t.Context(), data.SystemActor, 1); err == nil {
		t.Error("a closed store answered")
	}
}

func TestOpenRederivesSearchColumnsWhenTheFoldChanges(t *testing.T) {
	e := newEnv(t)
	c := e.client(named("Zoë", "Łukasiewicz"))
	// What a database written by a build that folded differently looks like.
	_, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE client SET search_text = 'zoë łukasiewicz',
		family_sort = 'zzz', given_sort = 'zzz', phone_digits = ''`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `UPDATE store_meta SET value = 'an older fold'`); err != nil {
		t.Fatal(err)
	}
	if got := e.find(data.ClientFilter{Text: "zoe"}); len(got) != 0 {
		t.Fatalf("the stale columns were not stale: %v", got)
	}
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	e.st = st
	for _, q := range []string{"zoe", "lukasiewicz", "0000"} {
		if got := e.find(data.ClientFilter{Text: q}); len(got) != 1 || got[0].ID != c.ID {
			t.Errorf("after reopening, %q finds %v", q, names(got))
		}
	}
}
