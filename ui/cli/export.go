package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"needledesk/data/transfer"
	"time"
)

// runExport writes one client's export (a data access request) or, with
// --all, every client and session as two spreadsheets.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	clientID := fs.Int64("client", 0, "the client's ID")
	all := fs.Bool("all", false, "every client and session")
	out := fs.String("out", "", "folder to write the export into")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected %q; give --client ID or --all, and --out DIR: %w", rest[0], errUsage)
	case *out == "" || (*clientID != 0) == *all:
		return fmt.Errorf("give --out DIR and either --client ID or --all: %w", errUsage)
	case *clientID < 0:
		return fmt.Errorf("--client takes a client's ID, a whole number above 0: %w", errUsage)
	}
	if err := mustExist(*dbPath); err != nil {
		return err
	}
	st, actor, kept, err := openForOutput(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := kept.CheckFolder(*out); err != nil {
		return err
	}
	x := transfer.Exporter{Source: st}
	if *all {
		return exportAll(ctx, x, actor, *out, stdout, stderr)
	}
	res, err := x.ExportClient(ctx, actor, *clientID, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d sessions, %d aftercare sheets):\n", res.Dir, res.Sessions, res.Sheets)
	for _, f := range res.Files {
		fmt.Fprintf(stdout, "  %s\n", f)
	}
	return nil
}

func exportAll(ctx context.Context, x transfer.Exporter, actor int64, out string, stdout, stderr io.Writer) error {
	started := time.Now()
	shown := false
	res, err := x.ExportAll(ctx, actor, out, func(done, total int) {
		fmt.Fprintf(stderr, "\rexported %d of %d records", done, total)
		shown = true
	})
	if shown {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s in %s:\n  clients.csv (%d clients)\n  sessions.csv (%d sessions)\n",
		res.Dir, time.Since(started).Round(time.Millisecond), res.Clients, res.Sessions)
	return nil
}
