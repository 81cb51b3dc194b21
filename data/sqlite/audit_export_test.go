package sqlite_test

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"needledesk/data"
	"needledesk/data/transfer"
)

// auditExports are the export rows against the audit trail.
func (e *env) auditExports(actor int64) []data.AuditEvent {
	e.t.Helper()
	evs, err := e.st.AuditEvents(e.ctx, actor, data.AuditFilter{Action: data.ActionExport, Entity: data.EntityAudit})
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

func TestExportAuditFromTheStore(t *testing.T) {
	e := newEnv(t)
	owner := e.owner()
	e.client()
	path := filepath.Join(t.TempDir(), "audit.csv")
	res, err := transfer.ExportAudit(e.ctx, e.st, owner.ID, transfer.AuditExport{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != res.Events+1 || res.Events == 0 {
		t.Fatalf("%d rows, %v; want a header and the %d events", len(rows), err, res.Events)
	}
	evs := e.auditExports(owner.ID)
	if len(evs) != 1 || evs[0].ActorID != owner.ID || !strings.HasSuffix(evs[0].Detail, "events to audit.csv") {
		t.Fatalf("export rows %+v; want one by the owner naming the file", evs)
	}

	// A receptionist reads no events, so writes no file and no export.
	desk := e.staff("Sam O'Neill", data.RoleReceptionist)
	other := filepath.Join(filepath.Dir(path), "desk.csv")
	if _, err := transfer.ExportAudit(e.ctx, e.st, desk.ID, transfer.AuditExport{Path: other}); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("a receptionist's export: %v; want ErrForbidden", err)
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) || len(e.auditExports(owner.ID)) != 1 {
		t.Fatalf("a refused export left a file (%v) or a row", err)
	}
}

// TestExportAuditRecordRefusedLeavesNoFile: the store refuses the export's
// row (a trigger stands in for a disk that takes no more), so the file
// is removed again and an earlier one at that name is back.
func TestExportAuditRecordRefusedLeavesNoFile(t *testing.T) {
	e := newEnv(t)
	owner := e.owner()
	_, err := e.st.WriterForTest().ExecContext(e.ctx, `CREATE TRIGGER test_no_export BEFORE INSERT ON audit_event
		WHEN NEW.action = 'export' BEGIN SELECT RAISE(ABORT, 'no room for the row'); END`)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.csv")
	_, err = transfer.ExportAudit(e.ctx, e.st, owner.ID, transfer.AuditExport{Path: path})
	if err == nil || !strings.Contains(err.Error(), "no room for the row") {
		t.Fatalf("err = %v; want the store's refusal", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the folder holds %d files; want none", len(entries))
	}
	if err := os.WriteFile(path, []byte("kept"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := transfer.ExportAudit(e.ctx, e.st, owner.ID, transfer.AuditExport{Path: path, Replace: true}); err == nil {
		t.Fatal("an export without its row was reported as done")
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "kept" {
		t.Fatalf("the file it would have replaced holds %q, %v", b, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("the folder holds %d files; want the earlier one only", len(entries))
	}
	if _, err := e.st.WriterForTest().ExecContext(e.ctx, `DROP TRIGGER test_no_export`); err != nil {
		t.Fatal(err)
	}
	if evs := e.auditExports(owner.ID); len(evs) != 0 {
		t.Fatalf("export rows %+v; want none", evs)
	}
}

// TestExportAuditFileRefusedLeavesNoRow: a file that cannot be written
// (the open database, a folder that is not there) is not recorded.
func TestExportAuditFileRefusedLeavesNoRow(t *testing.T) {
	e := newEnv(t)
	owner := e.owner()
	for _, x := range []transfer.AuditExport{
		{Path: e.path, Replace: true, Kept: data.KeptFiles{Database: e.path}},
		{Path: filepath.Join(t.TempDir(), "gone", "audit.csv")},
	} {
		if _, err := transfer.ExportAudit(e.ctx, e.st, owner.ID, x); err == nil {
			t.Fatalf("exporting to %s: no error", x.Path)
		}
	}
	if evs := e.auditExports(owner.ID); len(evs) != 0 {
		t.Fatalf("export rows %+v; want none", evs)
	}
}
