package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"needledesk/data/move"
	"needledesk/data/storeopen"
)

// runMoveToPostgres copies a clinic from its SQLite file into an empty
// database on a PostgreSQL server, and checks the copy.
func runMoveToPostgres(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("move-to-postgres", flag.ContinueOnError)
	from := fs.String("from", "", "the clinic's SQLite file; it is only read, never changed")
	to := fs.String("to", "", "the empty database pg-init set up, as the role that ran pg-init: postgres://OWNER@HOST/DATABASE (a password comes from ~/.pgpass or PGPASSFILE)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return fmt.Errorf("--from FILE and --to postgres://... are both required: %w", errUsage)
	}
	if storeopen.IsServer(*from) || !storeopen.IsServer(*to) {
		return fmt.Errorf("--from names the clinic's file and --to a PostgreSQL address (postgres://...): %w", errUsage)
	}
	started := time.Now()
	p := &moveProgress{w: stderr}
	rep, err := move.Move(ctx, *from, *to, p.show)
	p.end()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "moved the clinic in %s to the server in %s; the file was not changed\n", *from, time.Since(started).Round(time.Millisecond))
	fmt.Fprintln(stdout, "each table has the same rows on both sides (counted, and hashed with SHA-256):")
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, t := range rep.Tables {
		rows := "rows"
		if t.Rows == 1 {
			rows = "row"
		}
		fmt.Fprintf(tw, "  %s\t%d %s\t%.16s\n", t.Name, t.Rows, rows, t.Hash)
	}
	_ = tw.Flush()
	fmt.Fprintln(stdout, "audit trail on the server:", auditChainLine(rep.AuditChain))
	return nil
}

// moveProgress shows on the terminal which table is being copied or
// checked and how many of its rows are done, one line per table.
type moveProgress struct {
	w       io.Writer
	current string
}

func (p *moveProgress) show(m move.Progress) {
	what := "copying"
	if m.Checking {
		what = "checking"
	}
	line := what + " " + m.Table
	if line != p.current {
		p.end()
		p.current = line
	}
	fmt.Fprintf(p.w, "\r%s: %d of %d rows", line, m.Done, m.Total)
}

func (p *moveProgress) end() {
	if p.current != "" {
		fmt.Fprintln(p.w)
		p.current = ""
	}
}
