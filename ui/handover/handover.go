// Package handover hands a PDF the app made to the person: opened in the
// computer's PDF viewer, printed through its print service (or opened to
// print from the viewer when there is none), or saved where they choose,
// never over the clinic's database or its backups. The aftercare sheet and
// the day's schedule go out this way.
package handover

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

// Document is a PDF to hand over, with the words that name it.
type Document struct {
	PDF      []byte
	FileName string // offered when saving, and used for the viewer's copy
	Noun     string // "sheet": "Could not print the sheet"
	Title    string // "the aftercare sheet": "The aftercare sheet went to ..."
}

// Output is the computer's print service and PDF viewer: printing.System
// in the app.
type Output interface {
	Printers(ctx context.Context) (printing.Printers, error)
	PrintOrOpen(ctx context.Context, file, printer string) (printing.Result, error)
	OpenInViewer(ctx context.Context, file string) error
}

// FileNamePart makes s safe in a file name on Linux, macOS and Windows:
// letters, marks and digits of any script stay (composed, NFC); the
// characters Windows forbids (/ \ : * ? " < > |) become hyphens; control
// and invisible formatting characters (such as right-to-left overrides,
// which can disguise a name) go; runs of spaces become one; dots and
// spaces leave the ends; and the result is cut to at most max bytes on a
// character boundary. An empty result is empty.
func FileNamePart(s string, max int, empty string) string {
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
		return empty
	}
	return out
}

// handedFiles is this run's private folder for the documents handed to the
// PDF viewer or the print service. Its files carry clients' names, so it
// is made afresh for each run with os.MkdirTemp (0700, a name nobody can
// guess or plant beforehand), its files are created exclusively (0600),
// and the launcher removes it when the app closes; a viewer still showing
// a sheet then loses its copy, which is kept in the database anyway.
var handedFiles tempFolder

// tempFolder is a private temporary folder made on first use.
type tempFolder struct {
	mu  sync.Mutex
	dir string
}

// write puts a sheet in the folder under name, or "name (2).pdf" and so
// on when that is taken, and returns its path.
func (f *tempFolder) write(name string, pdf []byte) (string, error) {
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

func (f *tempFolder) create(name string, pdf []byte) (string, error) {
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
func (f *tempFolder) removeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.dir != "" {
		_ = os.RemoveAll(f.dir)
		f.dir = ""
	}
}

// WriteTemp writes a document where the print service or the viewer can
// read it: this run's private folder (handedFiles).
func WriteTemp(doc Document) (string, error) { return handedFiles.write(doc.FileName, doc.PDF) }

// RemoveTemp removes the documents handed to the viewer or the print
// service in this run, when the app ends.
func RemoveTemp() { handedFiles.removeAll() }

// Open opens a document in the computer's PDF viewer.
func Open(env *screen.Env, out Output, doc Document) {
	screen.Background(env, func(ctx context.Context) (struct{}, error) {
		path, err := WriteTemp(doc)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, out.OpenInViewer(ctx, path)
	}, func(_ struct{}, err error) {
		if err != nil {
			env.ShowMessage("Could not open the "+doc.Noun, sentence(data.UserMessage(err))+
				" Use Save PDF to keep the "+doc.Noun+" as a file instead.")
		}
	})
}

// Print prints a document on printer ("" for the default) through the
// computer's print service, and says what happened: sent to the printer;
// or, with no print service or one that refused it, opened in the viewer
// to print from there; or what is missing when neither works.
func Print(env *screen.Env, out Output, printer string, doc Document) {
	screen.Background(env, func(ctx context.Context) (printing.Result, error) {
		path, err := WriteTemp(doc)
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
			env.ShowError("Could not print the "+doc.Noun, err)
			return
		}
		env.ShowMessage(printOutcome(res, doc))
	})
}

// printOutcome is the title and message that say what became of a print.
func printOutcome(res printing.Result, doc Document) (title, message string) {
	if res.How == printing.Printed {
		where, title := "the computer's default printer", "Sent to the default printer"
		if res.Job.Printer != "" {
			where, title = "the printer "+res.Job.Printer, "Sent to printer "+res.Job.Printer
		}
		message = upperFirst(doc.Title) + " went to " + where
		if res.Job.ID != "" {
			message += " (print job " + res.Job.ID + ")"
		}
		return title, message + "."
	}
	title = "Opened in the PDF viewer"
	if res.PrintProblem == nil || errors.Is(res.PrintProblem, printing.ErrNoPrintService) {
		return title, "This computer has no print service NeedleDesk can use, so the " + doc.Noun + " is open in your PDF viewer: " +
			"print it from there with the viewer's Print command."
	}
	return title, "The " + doc.Noun + " did not go to the printer: " + data.UserMessage(res.PrintProblem) +
		"\n\nIt is open in your PDF viewer instead: print it from there with the viewer's Print command."
}

// SaveAs asks where to save a document and writes its exact bytes there,
// once the place is checked (see dialogs.AskSavePath).
func SaveAs(env *screen.Env, doc Document) {
	dialogs.AskSavePath(env.Window, "Save "+doc.Title, doc.FileName, ".pdf", func(path string) {
		SaveTo(env, doc, path)
	})
}

// SaveTo checks path, asking before it replaces a file, and writes the
// document there.
func SaveTo(env *screen.Env, doc Document, path string) {
	env.CheckSaveTarget(path, screen.FileSave{FailTitle: "Could not save the " + doc.Noun, CanReplace: true,
		Write: func(path string, replace bool) { writeSaved(env, path, replace, doc) }})
}

// writeSaved writes a document to path, off the UI goroutine, through a
// temporary file beside it, and then says where it went, with the full
// path. A write that fails leaves whatever was at path as it was.
func writeSaved(env *screen.Env, path string, replace bool, doc Document) {
	kept := env.KeptFiles()
	screen.Background(env, func(context.Context) (string, error) {
		return data.WriteFileAtomic(path, kept, replace, func(w io.Writer) error {
			_, err := w.Write(doc.PDF)
			return err
		})
	}, func(_ string, err error) {
		if err != nil {
			env.ShowError("Could not save the "+doc.Noun, err)
			return
		}
		env.ShowMessage(upperFirst(doc.Noun)+" saved", upperFirst(doc.Title)+" is saved as:\n"+path)
	})
}

// upperFirst starts s with a capital letter.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// sentence starts s with a capital letter and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = upperFirst(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
