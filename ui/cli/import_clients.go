package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"needledesk/data"
	"needledesk/data/transfer"
)

// runImportClients adds clients from a CSV file, reporting every refused row.
func runImportClients(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import-clients", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	allOrNothing := fs.Bool("all-or-nothing", false, "import nothing when any row is refused")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("give exactly one CSV file: %w", errUsage)
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	var size int64
	if info, err := f.Stat(); err == nil {
		size = info.Size()
	}
	progress := percentPrinter(stderr, "reading "+filepath.Base(files[0]))
	rows, err := transfer.NewClientCSV(f, data.DateOf(time.Now()), transfer.CSVOptions{Size: size,
		Progress: func(done, total int64) { progress(int(done>>10), int(total>>10)) }})
	if err != nil {
		return err
	}
	st, actor, err := openAsOwner(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.ImportClientRows(ctx, actor, rows, data.ImportOptions{AllOrNothing: *allOrNothing,
		Report: func(p data.RowProblem) { fmt.Fprintf(stderr, "\r%s\n", p) }})
	if size > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return fmt.Errorf("nothing was imported: %w", err)
	}
	fmt.Fprintln(stdout, importSummary(res))
	if res.Refused > 0 {
		return errReported
	}
	return nil
}

// importSummary accounts for every data line of an import.
func importSummary(r data.ImportResult) string {
	if r.Rows == 0 {
		return "the file has no rows after its header; nothing was imported"
	}
	rows := plural(r.Rows, "row", "rows")
	lines := fmt.Sprintf("lines %d to %d", r.FirstLine, r.LastLine)
	if r.Lines() != r.Rows {
		lines += fmt.Sprintf(" (%s in %s)", plural(r.Lines(), "line", "lines"), rows)
	}
	if r.RolledBack {
		return fmt.Sprintf("%s: nothing was imported, because %s refused and --all-or-nothing was given (%d would have been imported, %d skipped as already in the clinic)",
			lines, plural(r.Refused, "row was", "rows were"), r.Rows-r.Refused-r.Skipped-r.Blank, r.Skipped)
	}
	return fmt.Sprintf("%s: imported %s; refused %s; skipped %s already in the clinic and %s",
		lines, plural(r.Imported, "client", "clients"), plural(r.Refused, "row", "rows"),
		plural(r.Skipped, "row", "rows"), plural(r.Blank, "blank line", "blank lines"))
}
