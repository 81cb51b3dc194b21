package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"needledesk/data"
)

// AuditSource is what an export of the audit trail reads, and where it
// is recorded; the store is one.
type AuditSource interface {
	// AuditEvents reads the events that match, for owners only.
	AuditEvents(ctx context.Context, actor int64, f data.AuditFilter) ([]data.AuditEvent, error)
	// RecordExport records an export that has been written.
	RecordExport(ctx context.Context, actor int64, entity data.Entity, clientID int64, detail string) error
}

// AuditExport says which events to export and where.
type AuditExport struct {
	Filter  data.AuditFilter
	Path    string
	Kept    data.KeptFiles // files never written over (see data.CheckDestination)
	Replace bool           // an existing file at Path may be replaced
	// StaffName names an actor for the CSV (see WriteAuditCSV); may be nil.
	StaffName func(id int64) string
}

// AuditExportResult says what an export of the audit trail wrote.
type AuditExportResult struct {
	Path   string // the file written, its folder's links resolved
	Events int
}

// ExportAudit writes the events that match x.Filter as CSV (WriteAuditCSV)
// to x.Path, whole or not at all (data.WriteFileAtomic), and records the
// export in the audit trail, so that the file is there exactly when the
// trail says it was written: a file that cannot be written is not
// recorded, and when the record cannot be written the file is taken away
// again (a file it replaced is put back). Once the file is in place the
// record is written even if ctx was cancelled meanwhile.
func ExportAudit(ctx context.Context, src AuditSource, actor int64, x AuditExport) (AuditExportResult, error) {
	evs, err := src.AuditEvents(ctx, actor, x.Filter)
	if err != nil {
		return AuditExportResult{}, err
	}
	name := filepath.Base(x.Path)
	write := func(w io.Writer) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return WriteAuditCSV(w, evs, x.StaffName)
	}
	record := func() error {
		return src.RecordExport(context.WithoutCancel(ctx), actor, data.EntityAudit, 0, fmt.Sprintf("%d events to %s", len(evs), name))
	}
	path, err := writeRecorded(ctx, x.Path, x.Kept, x.Replace, write, record)
	if err != nil {
		return AuditExportResult{}, err
	}
	return AuditExportResult{Path: path, Events: len(evs)}, nil
}

// writeRecorded writes a file at path as data.WriteFileAtomic does, then
// runs record. If record fails, the file is removed again, or, where it
// replaced one, the earlier file takes its name back, so no file is left
// that record did not record. A cancelled ctx stops it before the file
// takes its name, never after.
func writeRecorded(ctx context.Context, path string, kept data.KeptFiles, replace bool, write func(io.Writer) error, record func() error) (string, error) {
	before, err := keepEarlier(path, kept, replace)
	if err != nil {
		return "", err
	}
	written, err := data.WriteFileAtomic(path, kept, replace, func(w io.Writer) error {
		if err := write(w); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		if before != "" {
			_ = os.Remove(before) // the earlier file still has its own name
		}
		return "", err
	}
	if err := record(); err != nil {
		return "", errors.Join(fmt.Errorf("the export could not be recorded in the audit trail, so the file was not kept: %w", err),
			putBack(written, before))
	}
	if before != "" {
		_ = os.Remove(before) // the second name of the file replaced
	}
	return written, nil
}

// putBack takes the file written away again: the earlier file kept under
// the name before takes its name back, or, when there was none, it is
// removed. Should the earlier file not take its name back, the file
// written is still removed and the error says where the earlier one is.
func putBack(written, before string) error {
	if before == "" {
		return errors.Join(os.Remove(written), data.SyncDir(filepath.Dir(written)))
	}
	if err := os.Rename(before, written); err != nil {
		_ = os.Remove(written)
		return data.FileProblem("the earlier file could not take its name back; it is kept as "+before, err)
	}
	return data.SyncDir(filepath.Dir(written))
}

// keepEarlier keeps a second name for the file that writing path with
// replace would replace, so it can be put back: a hidden hard link beside
// it, or, where the file system has none, a hidden copy. "" when there is
// no such file.
func keepEarlier(path string, kept data.KeptFiles, replace bool) (string, error) {
	if !replace {
		return "", nil
	}
	real, err := data.CheckDestination(path, kept, replace)
	if err != nil {
		return "", err
	}
	if _, err := os.Lstat(real); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".*.earlier")
	if err != nil {
		return "", data.FileProblem("writing beside "+path, err)
	}
	name := tmp.Name()
	_ = tmp.Close()
	if err := os.Remove(name); err == nil && os.Link(real, name) == nil {
		return name, nil
	}
	if err := copyInto(real, name); err != nil {
		_ = os.Remove(name)
		return "", data.FileProblem("keeping a copy of "+path+" until the export is recorded", err)
	}
	return name, nil
}

// copyInto copies the file src into a new file dst (0600).
func copyInto(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
