package transfer

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"needledesk/data"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Exporter writes a client's export (a data access request) and the
// owner's export of the whole clinic into folders. Exports hold health
// data, so folders are made 0700 and files 0600. Each export is written to
// a hidden temporary folder and renamed into place only once every file is
// on disk, so a failure never leaves half an export behind, and an existing
// export is never overwritten: a second one the same day gets "-2" and so on.
type Exporter struct {
	Source   data.ExportSource
	Now      data.Clock     // nil means time.Now
	Location *time.Location // the clinic's zone for CSV times and names; nil means local time
}

// ExportResult says what an export wrote.
type ExportResult struct {
	Dir      string   // the new folder holding the export
	Files    []string // the files in it, relative to Dir with "/" between folders, in the order written
	Clients  int
	Sessions int
	Sheets   int
}

// ExportClient writes everything kept about one client into a new folder
// inside dir (created if missing): record.json, client.csv, sessions.csv
// and every aftercare sheet handed over, byte for byte, under sheets/. The
// export is recorded in the audit trail against the client. A client that
// does not exist is ErrNotFound with the words "no client with ID n".
func (x Exporter) ExportClient(ctx context.Context, actor, clientID int64, dir string) (ExportResult, error) {
	if err := x.Source.Authorize(ctx, actor, data.PermExport); err != nil {
		return ExportResult{}, fmt.Errorf("exporting client %d: %w", clientID, err)
	}
	rec, err := x.Source.ClientRecord(ctx, clientID)
	if errors.Is(err, data.ErrNotFound) {
		return ExportResult{}, fmt.Errorf("no client with ID %d: %w", clientID, data.ErrNotFound)
	}
	if err != nil {
		return ExportResult{}, fmt.Errorf("exporting client %d: %w", clientID, err)
	}
	now, loc := x.now(), orLocal(x.Location)
	exp := NewClientExport(rec, now, loc)
	for _, sh := range exp.Sheets {
		if data.SumPDF(sh.pdf) != sh.SHA256 {
			return ExportResult{}, data.Explained(fmt.Errorf("aftercare sheet %d (session %d, version %d) is damaged: its bytes no longer match their SHA-256, so nothing was exported",
				sh.ID, sh.SessionID, sh.Version))
		}
	}
	f, err := startExport(dir)
	if err != nil {
		return ExportResult{}, err
	}
	defer f.discard()
	if err := writeClientFiles(ctx, f, exp, rec, loc); err != nil {
		return ExportResult{}, err
	}
	folder, err := f.finish(ExportFolderName(rec.Client, data.DateOf(now.In(loc))))
	if err != nil {
		return ExportResult{}, err
	}
	res := ExportResult{Dir: folder, Files: f.files, Clients: 1, Sessions: len(exp.Sessions), Sheets: len(exp.Sheets)}
	return res, x.record(ctx, folder, data.AuditEvent{
		ActorID: actor, Action: data.ActionExport, Entity: data.EntityClient, EntityID: clientID, ClientID: clientID,
		// The folder's name holds the client's name; the trail names the
		// client by ID and says only which folder the export went into.
		Detail: fmt.Sprintf("record, %d sessions and %d aftercare sheets into %s", res.Sessions, res.Sheets, f.parent),
	})
}

func writeClientFiles(ctx context.Context, f *exportFolder, exp ClientExport, rec data.ClientRecord, loc *time.Location) error {
	if err := f.writeFile("record.json", exp.WriteJSON); err != nil {
		return err
	}
	err := f.writeFile("client.csv", func(w io.Writer) error {
		return writeTable(w, loc, NewClientsCSV, []data.Client{rec.Client})
	})
	if err != nil {
		return err
	}
	err = f.writeFile("sessions.csv", func(w io.Writer) error {
		return writeTable(w, loc, NewSessionsCSV, sessionsOldestFirst(rec.Sessions))
	})
	if err != nil {
		return err
	}
	for _, sh := range exp.Sheets {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := f.writeFile(sh.File, func(w io.Writer) error {
			_, err := w.Write(sh.pdf)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func writeTable[T any](w io.Writer, loc *time.Location, start func(io.Writer, *time.Location) (*CSVTable[T], error), rows []T) error {
	t, err := start(w, loc)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if err := t.Write(r); err != nil {
			return err
		}
	}
	return t.Flush()
}

func sessionsOldestFirst(ss []data.Session) []data.Session {
	out := slices.Clone(ss)
	slices.SortStableFunc(out, func(a, b data.Session) int {
		return cmp.Or(a.StartedAt.Compare(b.StartedAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// progressEvery is how many records pass between progress reports and
// checks for cancellation during a whole-clinic export.
const progressEvery = 1000

// ExportAll writes every client, archived ones included, to clients.csv
// and every session to sessions.csv, in a new folder all-clients-<date>
// inside dir. The records stream from one snapshot of the store, so the
// two files agree with each other and memory stays small however large
// the clinic. progress (may be nil) hears how many records of the total
// are written. The export is recorded in the audit trail against the
// database.
func (x Exporter) ExportAll(ctx context.Context, actor int64, dir string, progress func(done, total int)) (ExportResult, error) {
	if err := x.Source.Authorize(ctx, actor, data.PermExport); err != nil {
		return ExportResult{}, fmt.Errorf("exporting every client: %w", err)
	}
	now, loc := x.now(), orLocal(x.Location)
	f, err := startExport(dir)
	if err != nil {
		return ExportResult{}, err
	}
	defer f.discard()
	res, err := writeClinicFiles(ctx, f, x.Source, loc, progress)
	if err != nil {
		return ExportResult{}, err
	}
	if res.Dir, err = f.finish("all-clients-" + data.DateOf(now.In(loc)).String()); err != nil {
		return ExportResult{}, err
	}
	res.Files = f.files
	return res, x.record(ctx, res.Dir, data.AuditEvent{
		ActorID: actor, Action: data.ActionExport, Entity: data.EntityDatabase,
		Detail: fmt.Sprintf("%d clients and %d sessions into %s", res.Clients, res.Sessions, f.parent),
	})
}

func writeClinicFiles(ctx context.Context, f *exportFolder, src data.ExportSource, loc *time.Location, progress func(done, total int)) (ExportResult, error) {
	var res ExportResult
	clientFile, err := f.create("clients.csv")
	if err != nil {
		return res, err
	}
	sessionFile, err := f.create("sessions.csv")
	if err != nil {
		return res, err
	}
	clients, err := NewClientsCSV(clientFile, loc)
	if err != nil {
		return res, err
	}
	sessions, err := NewSessionsCSV(sessionFile, loc)
	if err != nil {
		return res, err
	}
	total := 0
	tick := func() error {
		done := res.Clients + res.Sessions
		if done%progressEvery != 0 && done != total {
			return nil
		}
		if progress != nil {
			progress(done, total)
		}
		return ctx.Err()
	}
	err = src.WalkClinic(ctx, data.ClinicWalker{
		Totals: func(c, s int) error { total = c + s; return tick() },
		Client: func(c data.Client) error { res.Clients++; return errors.Join(clients.Write(c), tick()) },
		Session: func(s data.Session) error {
			res.Sessions++
			return errors.Join(sessions.Write(s), tick())
		},
	})
	if err != nil {
		return res, fmt.Errorf("exporting the clinic: %w", err)
	}
	if err := errors.Join(clients.Flush(), sessions.Flush()); err != nil {
		return res, err
	}
	return res, errors.Join(f.close(clientFile), f.close(sessionFile))
}

// record writes an export's audit event. An export the audit trail does
// not know of must not exist, so when recording fails the folder is
// removed again. Recording goes ahead even if ctx was cancelled meanwhile:
// the files are already written.
func (x Exporter) record(ctx context.Context, folder string, e data.AuditEvent) error {
	if err := x.Source.RecordExport(context.WithoutCancel(ctx), e.ActorID, e.Entity, e.ClientID, e.Detail); err != nil {
		_ = os.RemoveAll(folder)
		return fmt.Errorf("the export could not be recorded in the audit trail, so it was removed again: %w", err)
	}
	return nil
}

func (x Exporter) now() time.Time {
	if x.Now != nil {
		return x.Now()
	}
	return time.Now()
}

// exportFolder is an export being written into a hidden temporary folder
// beside where it will end up.
type exportFolder struct {
	parent, tmp string
	files       []string
	open        []*exportFile
}

// exportFile is one file of an export, buffered.
type exportFile struct {
	*bufio.Writer
	f *os.File
}

func startExport(parent string) (*exportFolder, error) {
	if parent == "" {
		return nil, data.Invalid("folder", "choose a folder to export into")
	}
	// Absolute, so the result and the audit trail say where it really went.
	parent, err := filepath.Abs(parent)
	if err != nil {
		return nil, data.FileProblem("finding the folder "+parent, err)
	}
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, data.FileProblem("making the folder "+parent, err)
	}
	tmp, err := os.MkdirTemp(parent, ".needledesk-export-*.partial")
	if err != nil {
		return nil, data.FileProblem("writing into "+parent, err)
	}
	return &exportFolder{parent: parent, tmp: tmp}, nil
}

// create opens a new file (0600) at name, a "/"-separated path inside the
// export, making its folders (0700).
func (f *exportFolder) create(name string) (*exportFile, error) {
	path := filepath.Join(f.tmp, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, data.FileProblem("writing "+name, err)
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, data.FileProblem("writing "+name, err)
	}
	ef := &exportFile{Writer: bufio.NewWriterSize(file, 64<<10), f: file}
	f.open = append(f.open, ef)
	f.files = append(f.files, name)
	return ef, nil
}

// close writes a file out and syncs it to disk.
func (f *exportFolder) close(ef *exportFile) error {
	f.open = slices.DeleteFunc(f.open, func(o *exportFile) bool { return o == ef })
	err := ef.Flush()
	if err == nil {
		err = ef.f.Sync()
	}
	if cerr := ef.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return data.FileProblem("writing "+ef.f.Name(), err)
	}
	return nil
}

// writeFile writes one whole file with fn.
func (f *exportFolder) writeFile(name string, fn func(io.Writer) error) error {
	ef, err := f.create(name)
	if err != nil {
		return err
	}
	if err := fn(ef); err != nil {
		return data.FileProblem("writing "+name, err)
	}
	return f.close(ef)
}

// finish moves the export into place under name, or name-2, name-3... when
// an export of that name is already there, and returns its path.
func (f *exportFolder) finish(name string) (string, error) {
	dirs := map[string]bool{f.tmp: true}
	for _, name := range f.files {
		dirs[filepath.Dir(filepath.Join(f.tmp, filepath.FromSlash(name)))] = true
	}
	for d := range dirs {
		if err := data.SyncDir(d); err != nil {
			return "", err
		}
	}
	for n := 1; ; n++ {
		target := filepath.Join(f.parent, name)
		if n > 1 {
			target += "-" + strconv.Itoa(n)
		}
		_, err := os.Lstat(target)
		if err == nil {
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", data.FileProblem("writing "+target, err)
		}
		if err := os.Rename(f.tmp, target); err != nil {
			return "", data.FileProblem("writing "+target, err)
		}
		f.tmp = ""
		return target, data.SyncDir(f.parent)
	}
}

// discard removes an export that did not finish.
func (f *exportFolder) discard() {
	for _, ef := range f.open {
		_ = ef.f.Close()
	}
	if f.tmp != "" {
		_ = os.RemoveAll(f.tmp)
	}
}
