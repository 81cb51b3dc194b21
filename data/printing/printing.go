// Package printing hands a PDF file to the computer: to its print service
// (CUPS' lp command on Linux and macOS) or, where there is none or it
// fails, to the program that opens PDF files, to print from there.
//
// It is an adapter to things outside NeedleDesk, like the SMTP sender in
// DESIGN.md: it runs other programs and reads what they say, so it stays
// out of the domain package and imports no Fyne. The desktop app and the
// command line can both use it, and tests put fake lp, lpstat and
// xdg-open programs first on PATH instead of needing a printer.
package printing

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"needledesk/data"
)

// JobTitle names every print job. Print queues are often visible to
// everyone on the network, so the title never names the client (lp would
// otherwise use the file's name).
const JobTitle = "NeedleDesk aftercare sheet"

// Errors that say which program is missing; both read as plain words.
var (
	ErrNoPrintService = data.Explained(errors.New("this computer has no print service NeedleDesk can use (the lp command of CUPS)"))
	ErrNoViewer       = data.Explained(errors.New("this computer has no program NeedleDesk can open PDF files with"))
)

// System is the computer's print service and PDF viewer. The zero value
// is ready to use.
type System struct {
	// ViewerGrace is how long the command that opens the viewer may take
	// to report a failure; one still running then has started a viewer,
	// which may stay open for as long as the person likes. 0 means 3 s.
	ViewerGrace time.Duration
}

// Printers are the print queues the print service offers.
type Printers struct {
	Names   []string // in the order lpstat lists them
	Default string   // the system's default printer; "" when none is set
}

// Printers lists the print service's printers: `lpstat -e`, or `lpstat -a`
// where -e is not known; the default from `lpstat -d`. Without a print
// service the error is ErrNoPrintService.
func (System) Printers(ctx context.Context) (Printers, error) {
	lpstat, err := exec.LookPath("lpstat")
	if err != nil {
		return Printers{}, ErrNoPrintService
	}
	var p Printers
	out, err := run(ctx, lpstat, "-e")
	if err != nil {
		if out, err = run(ctx, lpstat, "-a"); err != nil {
			return Printers{}, printServiceError("the print service could not list its printers", out, err)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			p.Names = append(p.Names, f[0])
		}
	}
	if out, err := run(ctx, lpstat, "-d"); err == nil {
		p.Default = parseDefault(out)
	}
	return p, nil
}

// parseDefault reads `lpstat -d`: "system default destination: Office",
// or "no system default destination".
func parseDefault(out string) string {
	_, name, ok := strings.Cut(strings.TrimSpace(out), "destination:")
	if !ok {
		return ""
	}
	return strings.TrimSpace(name)
}

// Job is a print job the print service accepted.
type Job struct {
	Printer string // as asked; "" for the system's default
	ID      string // the service's request ID, such as "Office-12"; "" if it gave none
}

// Print sends file to printer ("" for the system's default) with
// `lp [-d PRINTER] -t JobTitle FILE`. lp has copied the file to the
// service's queue when it returns, so the file may go afterwards. Without
// a print service the error is ErrNoPrintService; a service that refuses
// the job gives an error with what it said.
func (System) Print(ctx context.Context, file, printer string) (Job, error) {
	lp, err := exec.LookPath("lp")
	if err != nil {
		return Job{}, ErrNoPrintService
	}
	args := []string{"-t", JobTitle, file}
	if printer != "" {
		args = append([]string{"-d", printer}, args...)
	}
	out, err := run(ctx, lp, args...)
	if err != nil {
		return Job{}, printServiceError("the print service refused the sheet", out, err)
	}
	return Job{Printer: printer, ID: parseRequestID(out)}, nil
}

// parseRequestID reads lp's "request id is Office-12 (1 file(s))".
func parseRequestID(out string) string {
	_, rest, ok := strings.Cut(out, "request id is ")
	if !ok {
		return ""
	}
	if f := strings.Fields(rest); len(f) > 0 {
		return f[0]
	}
	return ""
}

// printServiceError is a failure in the print service's own words.
func printServiceError(what, out string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return data.Explained(fmt.Errorf("%s: it did not answer within %v: %w", what, commandTimeout, err))
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	said := strings.TrimSpace(out)
	for _, prefix := range []string{"lpstat:", "lp:"} {
		said = strings.TrimSpace(strings.TrimPrefix(said, prefix))
	}
	if said == "" {
		said = err.Error()
	}
	return data.Explained(fmt.Errorf("%s: %s", what, said))
}

// commandTimeout is how long the print service may take to answer.
const commandTimeout = 30 * time.Second

// run runs a short command and returns what it printed, both streams.
func run(ctx context.Context, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return out.String(), err
}

// viewerCommand is the program that opens a file with the program chosen
// for its type, as the person's desktop has it.
func viewerCommand(file string) (string, []string) {
	switch runtime.GOOS {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", file}
	case "darwin":
		return "open", []string{file}
	}
	return "xdg-open", []string{file}
}

// OpenInViewer opens file in the computer's PDF viewer. Without a program
// to open it, or when that program reports that it found no viewer, the
// error is ErrNoViewer with what it said.
func (s System) OpenInViewer(ctx context.Context, file string) error {
	name, args := viewerCommand(file)
	path, err := exec.LookPath(name)
	if err != nil {
		return ErrNoViewer
	}
	var out bytes.Buffer
	cmd := exec.Command(path, args...) // not tied to ctx: the viewer outlives the request
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: %v", ErrNoViewer, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	grace := s.ViewerGrace
	if grace == 0 {
		grace = 3 * time.Second
	}
	select {
	case err := <-exited:
		if err != nil {
			said := strings.TrimSpace(out.String())
			if said == "" {
				said = err.Error()
			}
			return fmt.Errorf("%w (%s said: %s)", ErrNoViewer, name, said)
		}
		return nil
	case <-time.After(grace):
		return nil // still running: it is showing the file
	case <-ctx.Done():
		return ctx.Err()
	}
}

// How says what became of a sheet given to PrintOrOpen.
type How int

const (
	// Printed: the print service accepted the job.
	Printed How = iota + 1
	// Opened: the sheet is open in the viewer, to print from there,
	// because there is no print service or it refused the job.
	Opened
)

// Result is what PrintOrOpen did.
type Result struct {
	How How
	Job Job // when Printed
	// PrintProblem is why the sheet went to the viewer instead: the print
	// service is missing (ErrNoPrintService) or refused the job.
	PrintProblem error
}

// PrintOrOpen prints file on printer ("" for the system's default)
// through the print service and, where there is none or it refuses the
// job, opens the file in the viewer to print from there. When neither
// works the error names both problems.
func (s System) PrintOrOpen(ctx context.Context, file, printer string) (Result, error) {
	job, perr := s.Print(ctx, file, printer)
	if perr == nil {
		return Result{How: Printed, Job: job}, nil
	}
	if ctx.Err() != nil {
		return Result{}, perr
	}
	if verr := s.OpenInViewer(ctx, file); verr != nil {
		return Result{}, data.Explained(fmt.Errorf("%s, and %s. Save the sheet as a PDF file instead and print it from another computer",
			capitalise(data.UserMessage(perr)), data.UserMessage(verr)))
	}
	return Result{How: Opened, PrintProblem: perr}, nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
