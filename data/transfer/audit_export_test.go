package transfer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// auditTrail is an AuditSource over events in memory that keeps the
// exports recorded, and can refuse to read or to record.
type auditTrail struct {
	events    []data.AuditEvent
	readErr   error
	recordErr error
	recorded  []string // the details of the exports recorded
	fileThere []bool   // whether the file was in place when each was recorded
	watch     string   // the file whose presence is noted
	// beforeRecord, when set, runs as RecordExport is called.
	beforeRecord func()
}

func (a *auditTrail) AuditEvents(context.Context, int64, data.AuditFilter) ([]data.AuditEvent, error) {
	return a.events, a.readErr
}

func (a *auditTrail) RecordExport(ctx context.Context, _ int64, entity data.Entity, _ int64, detail string) error {
	if a.beforeRecord != nil {
		a.beforeRecord()
	}
	if a.recordErr != nil {
		return a.recordErr
	}
	if entity != data.EntityAudit {
		return errors.New("recorded against " + string(entity))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err := os.Stat(a.watch)
	a.recorded = append(a.recorded, detail)
	a.fileThere = append(a.fileThere, err == nil)
	return nil
}

func someEvents() []data.AuditEvent {
	at := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return []data.AuditEvent{
		{ID: 2, At: at, ActorID: 1, ActorName: "Maya Lindqvist", Action: data.ActionSignIn, Entity: data.EntityStaff, EntityID: 1},
		{ID: 1, At: at.Add(-time.Hour), ActorID: 1, ActorName: "Maya Lindqvist", Action: data.ActionView, Entity: data.EntityClient,
			EntityID: 7, ClientID: 7, ClientName: "Zoë Adams"},
	}
}

// filesIn lists the names in dir, hidden ones too.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestExportAuditWritesTheFileThenItsRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.csv")
	trail := &auditTrail{events: someEvents(), watch: path}
	res, err := ExportAudit(t.Context(), trail, 1, AuditExport{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != path || res.Events != 2 {
		t.Fatalf("result %+v; want %s with 2 events", res, path)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "Zoë Adams") || strings.Count(string(b), "\r\n") != 3 {
		t.Fatalf("the file holds %q, %v; want a header and two events", b, err)
	}
	if len(trail.recorded) != 1 || trail.recorded[0] != "2 events to audit.csv" || !trail.fileThere[0] {
		t.Fatalf("recorded %q (file there: %v); want one record, made once the file was in place", trail.recorded, trail.fileThere)
	}
	if got := filesIn(t, dir); len(got) != 1 {
		t.Fatalf("the folder holds %q; want only the export", got)
	}
}

// TestExportAuditFileFailsNoRecord: the file cannot be written, so the
// trail gains no record of it.
func TestExportAuditFileFailsNoRecord(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "clinic.db")
	if err := os.WriteFile(db, []byte("the clinic"), 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for name, tc := range map[string]struct {
		ctx  context.Context
		x    AuditExport
		want error
	}{
		"folder missing": {t.Context(), AuditExport{Path: filepath.Join(dir, "gone", "audit.csv")}, os.ErrNotExist},
		"the database":   {t.Context(), AuditExport{Path: db, Replace: true, Kept: data.KeptFiles{Database: db}}, data.ErrKeptFile},
		"a folder":       {t.Context(), AuditExport{Path: dir, Replace: true}, data.ErrInvalid},
		"cancelled":      {cancelled, AuditExport{Path: filepath.Join(dir, "audit.csv")}, context.Canceled},
	} {
		trail := &auditTrail{events: someEvents(), watch: tc.x.Path}
		_, err := ExportAudit(tc.ctx, trail, 1, tc.x)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", name, err, tc.want)
		}
		if len(trail.recorded) != 0 {
			t.Errorf("%s: recorded %q for a file that was not written", name, trail.recorded)
		}
	}
	if got := filesIn(t, dir); len(got) != 1 || got[0] != "clinic.db" {
		t.Fatalf("the folder holds %q; want only the database", got)
	}
	if b, _ := os.ReadFile(db); string(b) != "the clinic" {
		t.Fatalf("the database was written: %q", b)
	}

	earlier := filepath.Join(dir, "earlier.csv")
	if err := os.WriteFile(earlier, []byte("an earlier export"), 0o600); err != nil {
		t.Fatal(err)
	}
	trail := &auditTrail{events: someEvents()}
	if _, err := ExportAudit(cancelled, trail, 1, AuditExport{Path: earlier, Replace: true}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled over an earlier file: %v", err)
	}
	if b, _ := os.ReadFile(earlier); string(b) != "an earlier export" || len(filesIn(t, dir)) != 2 || len(trail.recorded) != 0 {
		t.Fatalf("cancelled over an earlier file: it holds %q, the folder %q, recorded %q", b, filesIn(t, dir), trail.recorded)
	}

	trail = &auditTrail{readErr: data.ErrForbidden}
	path := filepath.Join(dir, "refused.csv")
	if _, err := ExportAudit(t.Context(), trail, 3, AuditExport{Path: path}); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("a refused read: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) || len(trail.recorded) != 0 {
		t.Fatalf("a refused read left a file (%v) or a record %q", err, trail.recorded)
	}
}

// TestExportAuditRecordFailsNoFile: the record cannot be written, so the
// file is taken away again, and a file it replaced is back as it was.
func TestExportAuditRecordFailsNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.csv")
	trail := &auditTrail{events: someEvents(), recordErr: errors.New("disk full")}
	_, err := ExportAudit(t.Context(), trail, 1, AuditExport{Path: path})
	if err == nil || !strings.Contains(err.Error(), "could not be recorded in the audit trail, so the file was not kept") ||
		!strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v; want the record's failure, saying the file was not kept", err)
	}
	if got := filesIn(t, dir); len(got) != 0 {
		t.Fatalf("the folder holds %q; want nothing", got)
	}

	earlier := []byte("an earlier export\r\n")
	if err := os.WriteFile(path, earlier, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := ExportAudit(t.Context(), trail, 1, AuditExport{Path: path, Replace: true}); err == nil {
		t.Fatal("an export whose record failed was reported as done")
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != string(earlier) {
		t.Fatalf("the file replaced holds %q, %v; want the earlier export back", b, err)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o640 {
		t.Fatalf("the earlier file's mode: %v, %v", info.Mode(), err)
	}
	if got := filesIn(t, dir); len(got) != 1 {
		t.Fatalf("the folder holds %q; want only the earlier export", got)
	}

	// Replaced and recorded, the earlier file's second name goes.
	trail.recordErr = nil
	trail.watch = path
	if _, err := ExportAudit(t.Context(), trail, 1, AuditExport{Path: path, Replace: true}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) == string(earlier) || len(trail.recorded) != 1 {
		t.Fatalf("after a recorded export the file holds %q, recorded %q", b, trail.recorded)
	}
	if got := filesIn(t, dir); len(got) != 1 {
		t.Fatalf("the folder holds %q; want only the new export", got)
	}
}

// TestExportAuditRecordsOnceInPlaceEvenIfCancelled: a cancel that comes
// after the file took its name still records it, and the file stays.
func TestExportAuditRecordsOnceInPlaceEvenIfCancelled(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.csv")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	trail := &auditTrail{events: someEvents(), watch: path, beforeRecord: cancel} // Cancel pressed just then
	if _, err := ExportAudit(ctx, trail, 1, AuditExport{Path: path}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil || len(trail.recorded) != 1 {
		t.Fatalf("file: %v, recorded %q; want both", err, trail.recorded)
	}
}
