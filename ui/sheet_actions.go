package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"golang.org/x/text/unicode/norm"

	"needledesk/data"
	"needledesk/data/printing"
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

// writeSheetToTemp writes a sheet where the print service or the viewer
// can read it: a private folder in the system's temporary folder.
func writeSheetToTemp(hs handedSheet) (string, error) {
	dir := filepath.Join(os.TempDir(), "NeedleDesk-sheets")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("preparing a folder for the sheet: %w", err)
	}
	path := filepath.Join(dir, hs.fileName())
	if err := os.WriteFile(path, hs.PDF, 0o600); err != nil {
		return "", fmt.Errorf("writing the sheet for the viewer: %w", err)
	}
	return path, nil
}

// openSheetInViewer opens a kept sheet in the computer's PDF viewer.
func openSheetInViewer(env *appEnv, hs handedSheet) {
	out := env.deps.output()
	background(env, func(ctx context.Context) (struct{}, error) {
		path, err := writeSheetToTemp(hs)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, out.OpenInViewer(ctx, path)
	}, func(_ struct{}, err error) {
		if err != nil {
			env.showMessage("Could not open the sheet", sentence(data.UserMessage(err))+
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
	printer, out := env.settings.Printer, env.deps.output()
	background(env, func(ctx context.Context) (printing.Result, error) {
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
			env.showError("Could not print the sheet", err)
			return
		}
		env.showMessage(printOutcome(res))
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

// saveSheetAs asks where to save a kept sheet and writes its exact bytes.
func saveSheetAs(env *appEnv, hs handedSheet) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			env.showError("Could not save the sheet", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		writeSavedSheet(env, w, hs.PDF)
	}, env.window)
	d.SetFileName(hs.fileName())
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// writeSavedSheet writes a sheet to the file chosen, off the UI goroutine,
// and then says where it went, with the full path. A file that could not
// be written whole is removed.
func writeSavedSheet(env *appEnv, w fyne.URIWriteCloser, pdf []byte) {
	where := w.URI()
	background(env, func(context.Context) (struct{}, error) {
		_, err := w.Write(pdf)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = storage.Delete(where)
		}
		return struct{}{}, err
	}, func(_ struct{}, err error) {
		if err != nil {
			env.showError("Could not save the sheet", data.Explained(fmt.Errorf("writing %s: %w", uriPlace(where), err)))
			return
		}
		env.showMessage("Sheet saved", "The aftercare sheet is saved as:\n"+uriPlace(where))
	})
}

// uriPlace is where a URI points, as a person reads it: the full path of
// a file.
func uriPlace(u fyne.URI) string {
	if u.Scheme() == "file" {
		return filepath.FromSlash(u.Path())
	}
	return u.String()
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
