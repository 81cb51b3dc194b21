package cli

import (
	"bytes"
	"database/sql"
	"needledesk/data/backup"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCheckNeverChangesADamagedFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("not a database "), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	before := fileHash(t, bad)
	code, _, errOut := runCLI(t, "check", "--db", bad)
	if code != 1 || errOut == "" {
		t.Fatalf("check on garbage: exit %d, stderr %q", code, errOut)
	}
	if fileHash(t, bad) != before {
		t.Fatal("check changed the damaged file")
	}
	missing := filepath.Join(dir, "missing.db")
	if code, _, _ := runCLI(t, "check", "--db", missing); code != 1 {
		t.Fatalf("check on a missing file: exit %d", code)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("check created a database")
	}
}

// TestCheckFindsATamperedAuditTrail edits a demo clinic's trail as someone
// with a database tool would, and `check` names the event and fails.
func TestCheckFindsATamperedAuditTrail(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "30"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, _ := runCLI(t, "check", "--db", db)
	if code != 0 || !strings.Contains(out, "audit trail: ok (") {
		t.Fatalf("check on a fresh demo clinic: exit %d\n%s", code, out)
	}
	for _, c := range []struct{ edit, want string }{
		{`UPDATE audit_event SET actor_id = 42 WHERE id = 5`, "audit trail: audit event 5 was changed"},
		{`DELETE FROM audit_event WHERE id > (SELECT max(id) - 3 FROM audit_event)`, "audit trail: audit events after "},
	} {
		orig, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		copied := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(copied, orig, 0o600); err != nil {
			t.Fatal(err)
		}
		conn, err := sql.Open("sqlite", copied)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TRIGGER IF EXISTS audit_event_no_update`, `DROP TRIGGER IF EXISTS audit_event_no_delete`, c.edit} {
			if _, err := conn.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := conn.Close(); err != nil {
			t.Fatal(err)
		}
		before := fileHash(t, copied)
		code, out, errOut := runCLI(t, "check", "--db", copied)
		if code != 1 || !strings.Contains(out, c.want) || !strings.Contains(errOut, "it was not changed") {
			t.Errorf("after %s: exit %d, want 1 and %q\n%s%s", c.edit, code, c.want, out, errOut)
		}
		if fileHash(t, copied) != before {
			t.Error("check changed the file")
		}
	}
}

// TestCheckFindsTruncationAndEditsBehindNeedleDesk: issue 19's cases, run
// as someone with a database tool would on the clinic's own file (its
// witness file beside it): before, check said "ok (N events)" to the
// first two and nothing at all about the others.
func TestCheckFindsTruncationAndEditsBehindNeedleDesk(t *testing.T) {
	zero := strings.Repeat("0", 64)
	for _, c := range []struct {
		name  string
		edits []string
		want  []string
	}{
		{"drop the triggers, delete the newest events, move the head", []string{
			`DROP TRIGGER audit_event_no_update`, `DROP TRIGGER audit_event_no_delete`,
			`DELETE FROM audit_event WHERE id > (SELECT max(id) - 5 FROM audit_event)`,
			`UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_event), events = (SELECT count(*) FROM audit_event), hash = (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1)`,
		}, []string{"trigger audit_event_no_delete) is missing", "events were removed from its end"}},
		{"delete every event and zero the head", []string{
			`DROP TRIGGER audit_event_no_update`, `DROP TRIGGER audit_event_no_delete`, `DELETE FROM audit_event`,
			`UPDATE audit_head SET last_id = 0, events = 0, hash = '` + zero + `'`,
		}, []string{"every event was removed"}},
		{"a direct UPDATE of a client row", []string{`UPDATE client SET medications = 'none' WHERE id = 2`},
			[]string{"client 2 does not match its last change recorded in the audit trail"}},
		{"a direct UPDATE of a staff row", []string{`UPDATE staff SET role = 'owner' WHERE role = 'receptionist'`},
			[]string{"does not match its last change recorded in the audit trail"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "clinic.db")
			if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "20"); code != 0 {
				t.Fatal(errOut)
			}
			conn, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range c.edits {
				if _, err := conn.ExecContext(t.Context(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := conn.Close(); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "check", "--db", db)
			if code != 1 {
				t.Errorf("exit %d, want 1\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("check does not say %q:\n%s", w, out)
				}
			}
		})
	}
}

// damagedWithBackup makes a clinic with a good backup in the backups folder
// beside it, then damages the clinic's pages.
func damagedWithBackup(t *testing.T) (db, backupPath string) {
	t.Helper()
	db = demoDB(t, "80")
	backupPath = filepath.Join(filepath.Dir(db), "backups", backup.FileName(time.Now().Add(-time.Hour), 1, false))
	if err := os.Mkdir(filepath.Dir(backupPath), 0o700); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "backup", "--db", db, "--out", backupPath); code != 0 {
		t.Fatal(errOut)
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < 5*4096 && i < len(b); i++ {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(db, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return db, backupPath
}

func TestCheckNamesTheNewestGoodBackup(t *testing.T) {
	db, backup := damagedWithBackup(t)
	before := fileHash(t, db)
	code, stdout, errOut := runCLI(t, "check", "--db", db)
	if code != 1 || !strings.Contains(stdout, "the newest good backup is "+backup) ||
		!strings.Contains(stdout, "needledesk restore --db") || !strings.Contains(errOut, "damaged") {
		t.Errorf("check on a damaged clinic: exit %d\n%s\n%s", code, stdout, errOut)
	}
	code, stdout, _ = runCLI(t, "check", "--db", db, "--backups", t.TempDir())
	if code != 1 || !strings.Contains(stdout, "no good backup was found") {
		t.Errorf("check with an empty backups folder: exit %d\n%s", code, stdout)
	}
	if fileHash(t, db) != before {
		t.Error("check changed the damaged file")
	}
}
