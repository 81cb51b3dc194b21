package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"needledesk/data"
	"needledesk/data/printing"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
)

// handedSheet is a kept sheet with what names it: whose it is and the
// day of the treatment it is for.
type handedSheet struct {
	data.Sheet
	client    string
	treatedOn data.Date
}

// fileName is the name offered for the sheet's file.
func (hs handedSheet) fileName() string { return sheetFileName(hs.client, hs.treatedOn, hs.Version) }

// sheetDelivery hands a kept sheet to the user: saves it, opens it in the
// viewer or prints it.
type sheetDelivery func(env *appEnv, hs handedSheet)

// treatmentDay is the day of the record's session id, in the clinic's
// time, which names its sheets' files.
func (r *clientRecord) treatmentDay(id int64) data.Date {
	for _, s := range r.rec.sessions {
		if s.ID == id {
			return data.DateOf(s.StartedAt.Local())
		}
	}
	return data.Date{}
}

// sheetOutput is the computer's print service and PDF viewer as the sheet
// actions use them: printing.System in the app.
type sheetOutput interface {
	Printers(ctx context.Context) (printing.Printers, error)
	PrintOrOpen(ctx context.Context, file, printer string) (printing.Result, error)
	OpenInViewer(ctx context.Context, file string) error
}

// sheetFileName is "Aftercare Zoë Adams 2026-11-20 v1.pdf": the client's
// name and the treatment day, year first so a folder of sheets sorts by
// it, and the version. Letters of every script stay; what a file system
// forbids or could misread goes (see fileNamePart).
func sheetFileName(client string, treatedOn data.Date, version int) string {
	name := "Aftercare " + fileNamePart(client, 150)
	if !treatedOn.IsZero() {
		name += " " + treatedOn.String()
	}
	return fmt.Sprintf("%s v%d.pdf", name, version)
}

// fileNamePart makes s safe in a file name on Linux, macOS and Windows:
// letters, marks and digits of any script stay (composed, NFC); the
// characters Windows forbids (/ \ : * ? " < > |) become hyphens; control
// and invisible formatting characters (such as right-to-left overrides,
// which can disguise a name) go; runs of spaces become one; dots and
// spaces leave the ends; and the result is cut to at most max bytes on a
// character boundary. An empty result is "client".
func fileNamePart(s string, max int) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case strings.ContainsRune(`/\:*?"<>|`, r):
			r = '-'
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == utf8.RuneError, !unicode.IsPrint(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	for len(out) > max {
		_, size := utf8.DecodeLastRuneInString(out)
		out = out[:len(out)-size]
	}
	out = strings.Trim(out, " .")
	if out == "" {
		return "client"
	}
	return out
}

// viewerSheets is this run's private folder for the sheets handed to the
// PDF viewer or the print service. Its files carry clients' names, so it
// is made afresh for each run with os.MkdirTemp (0700, a name nobody can
// guess or plant beforehand), its files are created exclusively (0600),
// and the launcher removes it when the app closes; a viewer still showing
// a sheet then loses its copy, which is kept in the database anyway.
var viewerSheets sheetFolder

// sheetFolder is a private temporary folder made on first use.
type sheetFolder struct {
	mu  sync.Mutex
	dir string
}

// write puts a sheet in the folder under name, or "name (2).pdf" and so
// on when that is taken, and returns its path.
func (f *sheetFolder) write(name string, pdf []byte) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, err := f.create(name, pdf)
	if errors.Is(err, fs.ErrNotExist) { // the folder was cleared away: make a new one
		f.dir = ""
		path, err = f.create(name, pdf)
	}
	if err != nil {
		return "", fmt.Errorf("writing the sheet for the viewer: %w", err)
	}
	return path, nil
}

func (f *sheetFolder) create(name string, pdf []byte) (string, error) {
	if f.dir == "" {
		dir, err := os.MkdirTemp("", "NeedleDesk-sheets-*")
		if err != nil {
			return "", err
		}
		f.dir = dir
	}
	stem := strings.TrimSuffix(name, ".pdf")
	for n := 1; n < 100; n++ {
		path := filepath.Join(f.dir, name)
		if n > 1 {
			path = filepath.Join(f.dir, fmt.Sprintf("%s (%d).pdf", stem, n))
		}
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = file.Write(pdf)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path) // made just now, by NeedleDesk
			return "", err
		}
		return path, nil
	}
	return "", fmt.Errorf("too many copies of %s are open already", name)
}

// removeAll removes the folder and every sheet in it.
func (f *sheetFolder) removeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
		f.dir = ""
	}
}

// writeSheetToTemp writes a sheet where the print service or the viewer
// can read it: this run's private folder (viewerSheets).
func writeSheetToTemp(hs handedSheet) (string, error) {
	return viewerSheets.write(hs.fileName(), hs.PDF)
}

// openSheetInViewer opens a kept sheet in the computer's PDF viewer.
func openSheetInViewer(env *appEnv, hs handedSheet) {
	out := env.deps.output()
	screen.Background(env.Env, func(ctx context.Context) (struct{}, error) {
		path, err := writeSheetToTemp(hs)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, out.OpenInViewer(ctx, path)
	}, func(_ struct{}, err error) {
		if err != nil {
			env.ShowMessage("Could not open the sheet", sentence(data.UserMessage(err))+
				" Use Save PDF to keep the sheet as a file instead.")
		}
	})
}

// printSheet prints a kept sheet on the printer chosen in the settings,
// through the computer's print service, and says what happened: sent to
// the printer; or, with no print service or one that refused the sheet,
// opened in the viewer to print from there; or what is missing when
// neither works.
func printSheet(env *appEnv, hs handedSheet) {
	printer, out := env.Settings.Printer, env.deps.output()
	screen.Background(env.Env, func(ctx context.Context) (printing.Result, error) {
		path, err := writeSheetToTemp(hs)
		if err != nil {
			return printing.Result{}, err
		}
		res, err := out.PrintOrOpen(ctx, path, printer)
		if res.How == printing.Printed {
			_ = os.Remove(path) // the print service has its own copy
		}
		return res, err
	}, func(res printing.Result, err error) {
		if err != nil {
			env.ShowError("Could not print the sheet", err)
			return
		}
		env.ShowMessage(printOutcome(res))
	})
}

// printOutcome is the title and message that say what became of a print.
func printOutcome(res printing.Result) (title, message string) {
	if res.How == printing.Printed {
		where, title := "the computer's default printer", "Sent to the default printer"
		if res.Job.Printer != "" {
			where, title = "the printer "+res.Job.Printer, "Sent to printer "+res.Job.Printer
		}
		message = "The aftercare sheet went to " + where
		if res.Job.ID != "" {
			message += " (print job " + res.Job.ID + ")"
		}
		return title, message + "."
	}
	title = "Opened in the PDF viewer"
	if res.PrintProblem == nil || errors.Is(res.PrintProblem, printing.ErrNoPrintService) {
		return title, "This computer has no print service NeedleDesk can use, so the sheet is open in your PDF viewer: " +
			"print it from there with the viewer's Print command."
	}
	return title, "The sheet did not go to the printer: " + data.UserMessage(res.PrintProblem) +
		"\n\nIt is open in your PDF viewer instead: print it from there with the viewer's Print command."
}

// saveSheetAs asks where to save a kept sheet and writes its exact bytes
// there, once the place is checked (see save_dialog.go).
func saveSheetAs(env *appEnv, hs handedSheet) {
	dialogs.AskSavePath(env.Window, "Save the aftercare sheet", hs.fileName(), ".pdf", func(path string) {
		saveSheetTo(env, hs, path)
	})
}

// saveSheetTo checks path, asking before it replaces a file, and writes
// the sheet there.
func saveSheetTo(env *appEnv, hs handedSheet, path string) {
	env.CheckSaveTarget(path, screen.FileSave{FailTitle: "Could not save the sheet", CanReplace: true,
		Write: func(path string, replace bool) { writeSavedSheet(env, path, replace, hs.PDF) }})
}

// writeSavedSheet writes a sheet to path, off the UI goroutine, through a
// temporary file beside it, and then says where it went, with the full
// path. A write that fails leaves whatever was at path as it was.
func writeSavedSheet(env *appEnv, path string, replace bool, pdf []byte) {
	kept := env.keptFiles()
	screen.Background(env.Env, func(context.Context) (string, error) {
		return data.WriteFileAtomic(path, kept, replace, func(w io.Writer) error {
			_, err := w.Write(pdf)
			return err
		})
	}, func(_ string, err error) {
		if err != nil {
			env.ShowError("Could not save the sheet", err)
			return
		}
		env.ShowMessage("Sheet saved", "The aftercare sheet is saved as:\n"+path)
	})
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
