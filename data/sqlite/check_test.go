package sqlite_test

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data/sqlite"
)

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// closedDB makes a database with a little in it and closes it, so the WAL
// is checkpointed and the main file is all there is.
func closedDB(t *testing.T) string {
	t.Helper()
	e := newEnv(t)
	e.session(validSession(e.client().ID, e.technician().ID, today))
	if err := e.st.Close(); err != nil {
		t.Fatal(err)
	}
	e.st, _ = sqlite.Open(e.ctx, filepath.Join(t.TempDir(), "spare.db")) // for the cleanup's Close
	return e.path
}

func TestCheckGoodDatabase(t *testing.T) {
	path := closedDB(t)
	before := fileHash(t, path)
	rep, err := sqlite.Check(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	// The trail: the settings seed, the client, the technician, the session.
	if !rep.IntegrityOK || len(rep.Problems) != 0 || rep.SchemaVersion != sqlite.KnownVersion() ||
		rep.KnownVersion != sqlite.KnownVersion() || !rep.AuditChain.OK() || rep.AuditChain.Events != 4 {
		t.Errorf("report on a good database: %+v", rep)
	}
	if fileHash(t, path) != before {
		t.Error("Check changed the database file")
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 { // the database and the witness file the store wrote
		t.Errorf("Check left files beside the database: %v", entries)
	}
}

func TestCheckWhileTheStoreIsOpen(t *testing.T) {
	e := newEnv(t)
	e.client()
	rep, err := sqlite.Check(e.ctx, e.path)
	if err != nil || !rep.IntegrityOK {
		t.Errorf("checking an open database: %+v, %v", rep, err)
	}
}

func TestCheckFindsBrokenReferences(t *testing.T) {
	path := closedDB(t)
	db := rawDB(t, path) // foreign keys are off on a plain connection
	if _, err := db.ExecContext(t.Context(), `UPDATE session SET client_id = 999`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	rep, err := sqlite.Check(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	// The session was changed behind NeedleDesk's back, so it no longer
	// matches its last recorded change either.
	if rep.IntegrityOK || len(rep.Problems) != 2 || !strings.Contains(rep.Problems[0], "in session refers to a missing client") ||
		!strings.Contains(rep.Problems[1], "session 1 does not match its last change") {
		t.Errorf("report: %+v", rep)
	}
}

func TestCheckReportsNewerSchema(t *testing.T) {
	path := closedDB(t)
	db := rawDB(t, path)
	future := sqlite.KnownVersion() + 1
	if _, err := db.ExecContext(t.Context(), `INSERT INTO schema_migrations VALUES (?, 'future', 'x')`, future); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	rep, err := sqlite.Check(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.IntegrityOK || rep.SchemaVersion != future || len(rep.Problems) != 1 ||
		!strings.Contains(rep.Problems[0], "newer version of NeedleDesk") {
		t.Errorf("report: %+v", rep)
	}
}

func TestCheckGarbageFile(t *testing.T) {
	for name, content := range map[string]string{
		"text":        strings.Repeat("this is not a database. ", 200),
		"empty":       "",
		"fake header": "SQLite format 3\x00" + strings.Repeat("\xff", 4000),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "clinic.db")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			before := fileHash(t, path)
			_, err := sqlite.Check(t.Context(), path)
			if err == nil || !strings.Contains(err.Error(), "is not a NeedleDesk database or is damaged") {
				t.Errorf("error = %v; want a clear refusal", err)
			}
			if fileHash(t, path) != before {
				t.Error("Check changed the file")
			}
			if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
				t.Errorf("Check left files beside it: %v", entries)
			}
		})
	}
}

func TestCheckMissingPathCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "nope.db"), filepath.Join(dir, "no", "such", "folder.db")} {
		_, err := sqlite.Check(t.Context(), path)
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Check(%s) = %v; want fs.ErrNotExist", path, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Check created %s", path)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("Check left files behind: %v", entries)
	}
	if _, err := sqlite.Check(t.Context(), dir); err == nil {
		t.Error("Check accepted a folder")
	}
}

// TestCheckFindsACopiedClientNameChangedOutside: each appointment keeps
// a copy of its client's name for the day view (migration 20), kept by
// SQLite's triggers. A copy changed with a database tool would put the
// wrong name in the book, so check names it; the clinic as NeedleDesk
// left it passes.
func TestCheckFindsACopiedClientNameChangedOutside(t *testing.T) {
	b := newBook(t)
	a := b.booked(b.desk.ID, b.appt())
	if err := b.st.Close(); err != nil {
		t.Fatal(err)
	}
	b.st, _ = sqlite.Open(b.ctx, filepath.Join(t.TempDir(), "spare.db")) // for the cleanup's Close
	if rep, err := sqlite.Check(t.Context(), b.path); err != nil || len(rep.Problems) != 0 {
		t.Fatalf("the clinic as NeedleDesk left it: %+v, %v", rep.Problems, err)
	}
	db := rawDB(t, b.path)
	if _, err := db.ExecContext(t.Context(), `UPDATE appointment SET client_name = 'Someone' || char(31) || 'Else' WHERE id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	rep, err := sqlite.Check(t.Context(), b.path)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("appointment %d shows a client name that is not its client's", a.ID)
	if len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], want) {
		t.Errorf("problems %q; want one saying %q", rep.Problems, want)
	}
}
