package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"needledesk/data"
	"needledesk/pdf"
)

// runAftercare writes a session's aftercare sheet to a PDF file: the kept
// sheet as it was handed over, or with --regenerate a new version, kept too.
func runAftercare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("aftercare", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	sessionID := fs.Int64("session", 0, "the session's ID")
	clientID := fs.Int64("client", 0, "a client's ID: their latest session")
	out := fs.String("out", "", "PDF file to write")
	regenerate := fs.Bool("regenerate", false, "make and keep a new version instead of the kept one")
	force := fs.Bool("force", false, "replace FILE.pdf if it exists (never the database or a backup)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if (*sessionID == 0) == (*clientID == 0) || *out == "" {
		return fmt.Errorf("give --out FILE.pdf and either --session ID or --client ID: %w", errUsage)
	}
	st, actor, kept, err := openForOutput(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	// The destination is checked before a sheet is made, kept or recorded
	// as handed over.
	if err := checkOut(*out, kept, *force); err != nil {
		return err
	}
	if *clientID != 0 {
		if *sessionID, err = latestSessionID(ctx, st, actor, *clientID); err != nil {
			return err
		}
	}
	maker := data.SheetMaker{Sources: st, Sheets: st, Render: pdf.RenderAftercare}
	var stale string
	if !*regenerate {
		if stale, err = keptSheetStaleness(ctx, maker, actor, *sessionID); err != nil {
			return err
		}
	}
	var sheet data.Sheet
	if *regenerate {
		sheet, err = maker.Make(ctx, actor, *sessionID)
	} else {
		sheet, err = maker.Kept(ctx, actor, *sessionID)
	}
	if err != nil {
		return err
	}
	_, err = data.WriteFileAtomic(*out, kept, *force, func(w io.Writer) error {
		_, err := w.Write(sheet.PDF)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: session %d, sheet version %d made %s, sha256 %s\n",
		*out, sheet.SessionID, sheet.Version, sheet.MadeAt.Local().Format(time.DateTime), sheet.SHA256)
	if stale != "" {
		fmt.Fprintf(stderr, "needledesk aftercare: this is the kept sheet, version %d, as it was handed over. %s "+
			"Run again with --regenerate to make and keep a new version; this one stays kept.\n", sheet.Version, stale)
	}
	return nil
}

// keptSheetStaleness says why the session's kept sheet may no longer match
// the record, or "" when it does or there is none yet.
func keptSheetStaleness(ctx context.Context, maker data.SheetMaker, actor, sessionID int64) (string, error) {
	_, f, err := maker.LatestFreshness(ctx, actor, sessionID)
	if errors.Is(err, data.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return f.Explain(), nil
}

func latestSessionID(ctx context.Context, st data.SessionStore, actor, clientID int64) (int64, error) {
	sessions, err := st.ClientSessions(ctx, actor, clientID)
	if err != nil {
		return 0, err
	}
	if len(sessions) == 0 {
		return 0, fmt.Errorf("client %d has no sessions yet, so there is no aftercare sheet to make", clientID)
	}
	return sessions[0].ID, nil
}
