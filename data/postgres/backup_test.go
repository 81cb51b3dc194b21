package postgres_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/transfer"
)

// Backups of a clinic on the server: pg_dump's archive, checked, named as
// SQLite's backups are, restored with pg_restore into an empty database
// only.

// backedUpClinic is a clinic with a booking and a few clients, backed up
// into a new folder; it returns the backup's path.
func backedUpClinic(t *testing.T, opts data.BackupOptions) (*pgBook, string) {
	t.Helper()
	b := newPGBook(t)
	ctx := t.Context()
	for i, name := range []string{"Ana", "Björk", "Chidi"} {
		c := data.Client{GivenName: name, FamilyName: "Müller", DateOfBirth: data.NewDate(1980+i, time.May, 2), Phone: "0123 45678"}
		if err := b.st.CreateClient(ctx, data.SystemActor, &c); err != nil {
			t.Fatal(err)
		}
	}
	a := b.appt()
	if err := b.st.BookAppointment(ctx, b.desk.ID, &a); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), backup.DumpName(b.clock.Now(), 1, len(opts.Passphrase) > 0))
	if err := b.st.Backup(ctx, data.SystemActor, dest, opts); err != nil {
		t.Fatal(err)
	}
	return b, dest
}

// clinicRows is every table of a database as text, row by row in key
// order, but the audit trail's events after lastEvent.
func clinicRows(t *testing.T, url string, lastEvent int64) map[string][]string {
	t.Helper()
	ctx := t.Context()
	db, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	rows, _ := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		q := fmt.Sprintf(`SELECT t::text FROM %s t ORDER BY 1`, table)
		switch table {
		case "audit_event":
			q = fmt.Sprintf(`SELECT t::text FROM audit_event t WHERE id <= %d ORDER BY id`, lastEvent)
		case "audit_head", "schema_migrations":
			q = `SELECT count(*)::text FROM ` + table // the head moves with the restore's own event; applied_at differs
		}
		rows, _ := db.Query(ctx, q)
		if out[table], err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			t.Fatalf("reading %s: %v", table, err)
		}
	}
	return out
}

// clientsCSV is the clinic's clients as data/transfer's clients.csv.
func clientsCSV(t *testing.T, st *postgres.Store, url string) string {
	t.Helper()
	ctx := t.Context()
	db, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	rows, _ := db.Query(ctx, `SELECT id FROM client ORDER BY id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	table, err := transfer.NewClientsCSV(&buf, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		c, err := st.Client(ctx, data.SystemActor, id)
		if err == nil {
			err = table.Write(c)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := table.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func lastEvent(t *testing.T, st *postgres.Store) int64 {
	t.Helper()
	evs, err := st.AuditEvents(t.Context(), data.SystemActor, data.AuditFilter{Limit: 1})
	if err != nil || len(evs) != 1 {
		t.Fatalf("reading the newest audit event: %v %v", evs, err)
	}
	return evs[0].ID
}

func TestServerBackupRestoresIntoAnEmptyDatabase(t *testing.T) {
	b, dest := backedUpClinic(t, data.BackupOptions{})
	ctx := t.Context()
	source := urlOf(t, b)
	if evs, _ := b.st.AuditEvents(ctx, data.SystemActor, data.AuditFilter{Limit: 1}); len(evs) != 1 ||
		evs[0].Action != data.ActionBackup || evs[0].Detail != filepath.Base(dest) {
		t.Fatalf("the backup is not the newest audit event: %+v", evs)
	}
	if err := b.st.CheckBackup(ctx, dest, true); err != nil {
		t.Fatalf("the new backup does not check out: %v", err)
	}
	backedUp := lastEvent(t, b.st) - 1 // the backup's own event comes after the dump
	wantRows, wantCSV := clinicRows(t, source, backedUp), clientsCSV(t, b.st, source)

	target := pgtest.NewDatabase(t)
	res, err := postgres.Restore(ctx, target, dest, data.RestoreOptions{Actor: b.tech.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res.SchemaVersion != postgres.KnownVersion() {
		t.Errorf("restored schema %d, want %d", res.SchemaVersion, postgres.KnownVersion())
	}
	restored, err := postgres.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got := clientsCSV(t, restored, target); got != wantCSV {
		t.Errorf("the restored clients export differs:\n%s\nwant:\n%s", got, wantCSV)
	}
	gotRows := clinicRows(t, target, backedUp)
	for table, want := range wantRows {
		if got := gotRows[table]; strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("table %s differs after the restore:\n%q\nwant\n%q", table, got, want)
		}
	}
	rep, err := restored.VerifyAuditChain(ctx)
	if err != nil || !rep.OK() {
		t.Fatalf("the restored audit trail: %+v %v", rep, err)
	}
	evs, _ := restored.AuditEvents(ctx, data.SystemActor, data.AuditFilter{Limit: 1})
	if len(evs) != 1 || evs[0].Action != data.ActionRestore || evs[0].ActorID != b.tech.ID || evs[0].ID != backedUp+1 {
		t.Errorf("the restore is not recorded as the event after the backup's: %+v", evs)
	}
}

func urlOf(t *testing.T, b *pgBook) string {
	t.Helper()
	return b.db.Config().ConnString()
}

func TestADamagedServerBackupIsRefused(t *testing.T) {
	b, dest := backedUpClinic(t, data.BackupOptions{})
	ctx := t.Context()
	whole, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	man := mustRead(t, backup.ManifestPath(dest))
	dir := t.TempDir()
	damaged := []struct {
		name     string
		content  []byte
		manifest bool // the backup's manifest is beside it, as in the backups folder
	}{
		{"cut short", whole[:len(whole)*2/3], false},
		{"its last byte lost", whole[:len(whole)-1], false},
		{"empty", []byte{}, false},
		{"not a dump", []byte("SQLite format 3\x00" + strings.Repeat("x", 100)), false},
		{"changed in the middle", flipped(whole, len(whole)/2), true},
		{"changed near the end", flipped(whole, len(whole)-40), true},
		{"cut short beside its manifest", whole[:len(whole)-1], true},
	}
	for i, d := range damaged {
		path := filepath.Join(dir, backup.DumpName(b.clock.Now(), i+2, false))
		if err := os.WriteFile(path, d.content, 0o600); err != nil {
			t.Fatal(err)
		}
		if d.manifest {
			if err := os.WriteFile(backup.ManifestPath(path), man, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.st.CheckBackup(ctx, path, true); !errors.Is(err, data.ErrDamaged) {
			t.Errorf("%s: the check said %v, want damaged", d.name, err)
		}
		target := pgtest.NewDatabase(t)
		if _, err := postgres.Restore(ctx, target, path, data.RestoreOptions{}); err == nil {
			t.Errorf("%s: restored", d.name)
		}
		if n := tableCount(t, target); n != 0 {
			t.Errorf("%s: the refused restore left %d tables", d.name, n)
		}
	}
	if err := b.st.CheckBackup(ctx, dest, true); err != nil {
		t.Errorf("the backup itself: %v", err)
	}
}

// flipped is b with the byte at i changed.
func flipped(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x5a
	return out
}

func tableCount(t *testing.T, url string) int {
	t.Helper()
	db, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(t.Context())
	var n int
	if err := db.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAnEncryptedServerBackupRoundTrips(t *testing.T) {
	pass := []byte("correct horse battery staple")
	b, dest := backedUpClinic(t, data.BackupOptions{Passphrase: pass, WorkFactor: 10})
	ctx := t.Context()
	head := make([]byte, backup.HeadLen)
	f, err := os.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Read(head)
	_ = f.Close()
	if backup.Detect(head) != backup.FormatAge {
		t.Fatalf("the backup is not an age file: %q", head)
	}
	if bytes.Contains(mustRead(t, dest), []byte("Björk")) {
		t.Fatal("a client's name is readable in the encrypted backup")
	}
	target := pgtest.NewDatabase(t)
	if _, err := postgres.Restore(ctx, target, dest, data.RestoreOptions{}); !errors.Is(err, postgres.ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := postgres.Restore(ctx, target, dest, data.RestoreOptions{Passphrase: []byte("wrong horse battery staple")}); !errors.Is(err, backup.ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	if n := tableCount(t, target); n != 0 {
		t.Fatalf("the refused restores left %d tables", n)
	}
	if _, err := postgres.Restore(ctx, target, dest, data.RestoreOptions{Passphrase: pass}); err != nil {
		t.Fatal(err)
	}
	source := urlOf(t, b)
	restored, err := postgres.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got, want := clientsCSV(t, restored, target), clientsCSV(t, b.st, source); got != want {
		t.Errorf("the restored clients differ:\n%s\nwant:\n%s", got, want)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestARestoreIntoADatabaseThatHoldsAnythingIsRefused(t *testing.T) {
	b, dest := backedUpClinic(t, data.BackupOptions{})
	ctx := t.Context()
	source := urlOf(t, b)
	before := clinicRows(t, source, 1<<62)
	_, err := b.st.RestoreToServer(ctx, dest, source, data.RestoreOptions{Actor: data.SystemActor})
	if !errors.Is(err, postgres.ErrNotEmpty) || !strings.Contains(err.Error(), b.db.Config().Database) ||
		!strings.Contains(err.Error(), "the table appointment") {
		t.Errorf("restoring over the clinic's own database: %v", err)
	}
	if after := clinicRows(t, source, 1<<62); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("the refused restore changed the clinic's database")
	}

	other := pgtest.NewDatabase(t)
	db, err := pgx.Connect(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close(ctx)
	if _, err := db.Exec(ctx, `CREATE TABLE notes (line text)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Restore(ctx, other, dest, data.RestoreOptions{}); !errors.Is(err, postgres.ErrNotEmpty) ||
		!strings.Contains(err.Error(), "the table notes") {
		t.Errorf("restoring into a database with a table of its own: %v", err)
	}
	if n := tableCount(t, other); n != 1 {
		t.Errorf("the refused restore left %d tables, want the 1 that was there", n)
	}
}

func TestOnlyOwnersBackUpAndRestoreOnTheServer(t *testing.T) {
	b, dest := backedUpClinic(t, data.BackupOptions{})
	ctx := t.Context()
	other := filepath.Join(filepath.Dir(dest), "by-the-desk.dump")
	if err := b.st.Backup(ctx, b.desk.ID, other, data.BackupOptions{}); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a receptionist's backup: %v", err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("the refused backup was written")
	}
	target := pgtest.NewDatabase(t)
	if _, err := b.st.RestoreToServer(ctx, dest, target, data.RestoreOptions{Actor: b.desk.ID}); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a receptionist's restore: %v", err)
	}
	if n := tableCount(t, target); n != 0 {
		t.Errorf("the refused restore left %d tables", n)
	}
}

func TestAutomaticBackupsOfTheServerAreNamedAndThinnedAsAFilesAre(t *testing.T) {
	b := newPGBook(t)
	ctx := t.Context()
	folder := t.TempDir()
	notOurs := filepath.Join(folder, "needledesk-2026-01-01T000000Z.db") // a file store's backup, put there by hand
	if err := os.WriteFile(notOurs, []byte("SQLite format 3\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := data.BackupSettings{KeepDaily: 2, KeepWeekly: 0, KeepMonthly: 0}
	start := b.clock.Now()
	var made []string
	for day := range 4 {
		res, err := backup.Auto(ctx, b.st, folder, cfg, start.Add(time.Duration(day)*24*time.Hour), backup.AtStartUp)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Unverified) > 0 {
			t.Errorf("day %d: unverified %v", day, res.Unverified)
		}
		if want := filepath.Join(folder, backup.DumpName(start.Add(time.Duration(day)*24*time.Hour), 1, false)); res.Made != want {
			t.Errorf("day %d: made %q, want %q", day, res.Made, want)
		}
		made = append(made, res.Made)
	}
	files, err := backup.List(folder)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	want := []string{filepath.Base(notOurs), filepath.Base(made[2]), filepath.Base(made[3])}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("the folder holds %v, want %v", names, want)
	}
	if _, err := os.Stat(backup.ManifestPath(made[0])); err == nil {
		t.Error("a removed backup's manifest stayed")
	}
	if err := b.st.CheckBackup(ctx, made[3], true); err != nil {
		t.Error(err)
	}
}
