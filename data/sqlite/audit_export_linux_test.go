//go:build linux

package sqlite_test

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"needledesk/data"
	"needledesk/data/transfer"
)

// TestExportAuditOntoAFullDiskLeavesNoRow: the file fills a real small
// disk half-way, so neither it, nor half of it, nor an export row stays.
func TestExportAuditOntoAFullDiskLeavesNoRow(t *testing.T) {
	e := demoEnv(t, 200)
	disk := tinyDisk(t, "16k")
	owner := e.owner()
	_, err := transfer.ExportAudit(e.ctx, e.st, owner.ID, transfer.AuditExport{Path: filepath.Join(disk, "audit.csv"), Filter: data.AuditFilter{Limit: 10000}})
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, data.ErrExplained) {
		t.Fatalf("an audit export onto a full disk: %v; want the full disk, in words", err)
	}
	if names := folderNames(t, disk); len(names) != 0 {
		t.Errorf("a failed export left %v", names)
	}
	if evs := e.auditExports(owner.ID); len(evs) != 0 {
		t.Errorf("a failed export was recorded: %+v", evs)
	}
}
