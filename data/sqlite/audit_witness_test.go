package sqlite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

// witnessedClinic is a closed database with every kind of write in its
// trail, its witness file beside it and a backup (with its manifest) in
// the backups folder beside it.
func witnessedClinic(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	mixedWrites(e)
	if _, err := backup.Auto(e.ctx, e.st, data.DefaultBackupSettings().FolderFor(e.st.Path()), data.DefaultBackupSettings(), e.clock.Now(), backup.AtQuit); err != nil {
		t.Fatal(err)
	}
	for i := range 5 { // events after the backup
		e.client(named("Late", string(rune('A'+i))))
	}
	e.closeStore()
	rep, err := sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
	if err != nil || len(rep.Problems) != 0 || len(rep.Witnesses) != 2 || rep.Rows.Checked == 0 || rep.Rows.Unrecorded != 0 {
		t.Fatalf("check before tampering: %+v, %v", rep, err)
	}
	return e
}

// sqlEdit runs statements on the database file as someone with a database
// tool would, with NeedleDesk closed.
func sqlEdit(t *testing.T, path string, qs ...string) {
	t.Helper()
	db := rawDB(t, path)
	for _, q := range qs {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func wantProblems(t *testing.T, rep sqlite.CheckReport, want ...string) {
	t.Helper()
	all := strings.Join(rep.Problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
}

const dropTriggers = `DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete`

// TestCheckFindsWhatTheChainAloneMissed: issue 19's cases. The chain
// checks out in the first two ("ok (2536 events)", "ok (0 events)"), and
// the row edits touch no event at all; check now reports each.
func TestCheckFindsWhatTheChainAloneMissed(t *testing.T) {
	for name, c := range map[string]struct {
		edit []string
		want []string
	}{
		"drop the triggers, delete the newest events and move the head": {
			edit: []string{dropTriggers, `DELETE FROM audit_event WHERE id > (SELECT max(id) - 4 FROM audit_event)`,
				`UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), events = (SELECT count(*) FROM audit_event),
				hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)`},
			want: []string{"trigger audit_event_no_update) is missing", "trigger audit_event_no_delete) is missing",
				"the witness file saw it reach event", "events were removed from its end"},
		},
		"delete every event and zero the head": {
			edit: []string{dropTriggers, `DELETE FROM audit_event`,
				`UPDATE audit_head SET last_id = 0, events = 0, hash = '` + strings.Repeat("0", 64) + `'`},
			want: []string{"it has no events, but the witness file saw it reach event", "every event was removed",
				"it has no events, but the backup needledesk-"},
		},
		"a client's allergies changed with UPDATE": {
			edit: []string{`UPDATE client SET allergies = 'none known' WHERE given_name = 'Ada'`},
			want: []string{"records: client 1 does not match its last change recorded in the audit trail"},
		},
		"a receptionist made an owner with UPDATE": {
			edit: []string{`UPDATE staff SET role = 'owner' WHERE role = 'technician'`},
			want: []string{"records: staff 1 does not match its last change recorded"},
		},
		"a session's depth changed with UPDATE": {
			edit: []string{`UPDATE session_area SET depth_mm = 2.5 WHERE session_id = 1`},
			want: []string{"records: session 1 does not match its last change recorded"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := witnessedClinic(t)
			sqlEdit(t, e.path, c.edit...)
			rep, err := sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			wantProblems(t, rep, c.want...)
		})
	}
}

// TestOpeningPutsTheTriggersBackAndKeepsTheEvidence: the store puts back
// the append-only triggers when it opens the file, records that, and
// writes on; the witness file still names the head that was removed, so
// check still reports the truncation. With the witness file deleted too,
// the backup's manifest still shows it.
func TestOpeningPutsTheTriggersBackAndKeepsTheEvidence(t *testing.T) {
	e := witnessedClinic(t)
	sqlEdit(t, e.path, dropTriggers, `DELETE FROM audit_event WHERE id > (SELECT max(id) - 10 FROM audit_event)`,
		`UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), events = (SELECT count(*) FROM audit_event),
		hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)`)
	st, err := sqlite.Open(e.ctx, e.path, sqlite.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if evs[1].Entity != data.EntityAudit || !strings.Contains(evs[1].Detail, "audit_event_no_update was missing") ||
		!strings.Contains(evs[0].Detail, "audit_event_no_delete was missing") {
		t.Errorf("newest events %+v; want the two triggers put back", evs[:2])
	}
	c := validClient(named("After", "Tampering"))
	if err := st.CreateClient(e.ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(rep.Problems, "\n"), "trigger") {
		t.Errorf("the triggers are still reported: %v", rep.Problems)
	}
	wantProblems(t, rep, "the witness file saw it reach event 26", "events were removed from its end")
	if err := os.Remove(sqlite.WitnessPath(e.path)); err != nil {
		t.Fatal(err)
	}
	rep, err = sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantProblems(t, rep, "the backup needledesk-", "events were removed from its end")
}

// TestWitnessFileIsPrivateAndFollowsTheTrail: 0600, rewritten as events
// are added, and left alone by a check.
func TestWitnessFileIsPrivateAndFollowsTheTrail(t *testing.T) {
	e := newEnv(t)
	e.client()
	e.closeStore()
	path := sqlite.WitnessPath(e.path)
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("witness file: %v, %v; want mode 0600", info, err)
	}
	before, _ := os.ReadFile(path)
	st, err := sqlite.Open(e.ctx, e.path)
	if err != nil {
		t.Fatal(err)
	}
	c := validClient(named("Second", "Client"))
	if err := st.CreateClient(e.ctx, data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(path)
	if string(after) == string(before) || !strings.Contains(string(after), `"last_event"`) {
		t.Errorf("the witness file did not follow the new event:\n%s", after)
	}
	if _, err := sqlite.Check(e.ctx, e.path); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(after) {
		t.Error("check changed the witness file")
	}
}

// TestARestoreStartsANewTrail: restoring an older backup leaves newer
// backups' manifests and the old witness behind it without a false alarm,
// and the trail after the restore is witnessed in its turn.
func TestARestoreStartsANewTrail(t *testing.T) {
	e := witnessedClinic(t)
	older := filepath.Join(t.TempDir(), "older.db")
	st, err := sqlite.Open(e.ctx, e.path, sqlite.WithClock(e.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Backup(e.ctx, data.SystemActor, older, sqlite.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(25 * 3600e9)
	if _, err := backup.Auto(e.ctx, st, data.DefaultBackupSettings().FolderFor(st.Path()), data.DefaultBackupSettings(), e.clock.Now(), backup.AtQuit); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Restore(e.ctx, e.path, older, sqlite.RestoreOptions{Clock: e.clock.Now}); err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("check after restoring an older backup: %+v, %v", rep, err)
	}
	if !strings.Contains(strings.Join(rep.Witnesses, "\n"), "the witness file saw event") {
		t.Errorf("the restored trail is not witnessed: %v", rep.Witnesses)
	}
	sqlEdit(t, e.path, dropTriggers, `DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)`,
		`UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), events = (SELECT count(*) FROM audit_event),
		hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)`)
	rep, _ = sqlite.CheckWith(e.ctx, e.path, sqlite.CheckOptions{})
	wantProblems(t, rep, "events were removed from its end")
}
