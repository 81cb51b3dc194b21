// NeedleDesk: client records, treatment charts and aftercare sheets for
// skin-needling clinics. main only wires flags and subcommands to the data,
// store and ui packages.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
	"needledesk/pdf"
	"needledesk/ui"
	_ "needledesk/ui/syslocale" // before Fyne reads the locale: see the package
)

const usage = `NeedleDesk: client records and aftercare sheets for skin-needling clinics.

Usage:
  needledesk [--db PATH]                                   open the app
  needledesk demo --db PATH --clients N [--seed S]         fill a database with a sample clinic
  needledesk import-clients --db PATH FILE.csv [--all-or-nothing]
                                                           add clients from a spreadsheet
  needledesk clients --db PATH [--find TEXT] [--json]      list clients
  needledesk export --db PATH (--client ID | --all) --out DIR
                                                           write a client's record, or every client, to files
  needledesk check --db PATH [--backups DIR]               check a database without changing it
  needledesk backup --db PATH --out FILE [--passphrase-file F]
                                                           write a checked copy of a database
  needledesk restore --db PATH --from FILE [--passphrase-file F]
                                                           replace (or create) a database from a backup
  needledesk aftercare --db PATH (--session ID | --client ID) --out FILE.pdf [--regenerate] [--force]
                                                           write a session's aftercare sheet
  needledesk reset-password --db PATH --staff NAME          set a new password (for an owner who forgot it)

Commands that change the database work under the first active owner's
account, or the owner named with --as NAME, and the audit trail records
them as done from the command line by the computer's user.

Without --db the app uses %s.
A backup is encrypted when a passphrase is given, from a file or the
NEEDLEDESK_PASSPHRASE environment variable; never on the command line.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := "gui"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	commands := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"gui":            runGUI,
		"demo":           runDemo,
		"import-clients": runImportClients,
		"clients":        runClients,
		"export":         runExport,
		"check":          runCheck,
		"backup":         runBackup,
		"restore":        runRestore,
		"aftercare":      runAftercare,
		"reset-password": runResetPassword,
	}
	f, ok := commands[cmd]
	if ok && cmd != "gui" {
		var err error
		if ctx, args, err = commandLineWork(ctx, args); err != nil {
			fmt.Fprintf(stderr, "needledesk %s: %v\n", cmd, err)
			return 2
		}
	}
	if !ok {
		fmt.Fprintf(stderr, "needledesk: unknown command %q\n\n", cmd)
		fmt.Fprintf(stderr, usage, defaultDBPath())
		return 2
	}
	err := f(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(stderr, usage, defaultDBPath())
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "needledesk %s: %v\n", cmd, err)
		return 2
	case errors.Is(err, errReported):
		return 1
	case cmd == "gui":
		fmt.Fprintf(stderr, "needledesk: %v\n", err)
		return 1
	default:
		fmt.Fprintf(stderr, "needledesk %s: %v\n", cmd, err)
		return 1
	}
}

var (
	errUsage    = errors.New("usage")
	errReported = errors.New("problems were reported")
)

// defaultDBPath is the clinic database in the user's config folder.
func defaultDBPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "NeedleDesk", "clinic.db")
}

// parseFlags parses flags wherever they stand among the arguments, so
// `import-clients FILE.csv --db x.db` works as well as the documented order.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%v: %w", err, errUsage)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func openStore(ctx context.Context, path string) (*sqlite.Store, error) {
	if path == "" {
		return nil, fmt.Errorf("--db PATH is required: %w", errUsage)
	}
	return sqlite.Open(ctx, path)
}

// actorFor picks who command-line work is recorded as, and whose role the
// store checks: the active owner --as names, else the first active owner
// by name, or NeedleDesk itself (data.SystemActor, allowed everything) on
// a database with no owner yet. Whoever can run the command can open the
// database file anyway; the trail says it was the command line, and which
// of the computer's users (commandLineWork).
func actorFor(ctx context.Context, st data.StaffStore) (int64, error) {
	staff, err := st.StaffList(ctx, false)
	if err != nil {
		return 0, err
	}
	as, _ := ctx.Value(actAsKey{}).(string)
	var owners []string
	for _, s := range staff {
		if s.Role == data.RoleOwner && (as == "" || strings.EqualFold(s.Name, as)) {
			return s.ID, nil
		}
		if s.Role == data.RoleOwner {
			owners = append(owners, s.Name)
		}
	}
	if as != "" {
		return 0, fmt.Errorf("--as %q names no active owner of this clinic; command-line work is done under an owner's account (owners: %s)",
			as, strings.Join(owners, ", "))
	}
	return data.SystemActor, nil
}

// actAsKey carries the --as NAME of a command.
type actAsKey struct{}

// commandLineWork takes --as NAME out of a command's arguments into ctx,
// and marks ctx so that the audit trail records the work as done from the
// command line by the computer's user who ran it.
func commandLineWork(ctx context.Context, args []string) (context.Context, []string, error) {
	var rest []string
	as := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--as" || a == "-as":
			if i+1 >= len(args) || args[i+1] == "" {
				return ctx, nil, fmt.Errorf("--as needs an owner's name")
			}
			as, i = args[i+1], i+1
		case strings.HasPrefix(a, "--as=") || strings.HasPrefix(a, "-as="):
			as = a[strings.Index(a, "=")+1:]
		default:
			rest = append(rest, a)
		}
	}
	ctx = context.WithValue(ctx, actAsKey{}, strings.TrimSpace(as))
	return sqlite.WithOrigin(ctx, "from the command line, as the computer's user "+osUser()), rest, nil
}

// osUser is the name of the computer's user running NeedleDesk.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, v := range []string{"USER", "USERNAME", "LOGNAME"} {
		if name := os.Getenv(v); name != "" {
			return name
		}
	}
	return "(unknown)"
}

// openAsOwner opens the store for a command that writes, with the actor
// it acts as (see actorFor); the caller closes the store.
func openAsOwner(ctx context.Context, path string) (*sqlite.Store, int64, error) {
	st, err := openStore(ctx, path)
	if err != nil {
		return nil, 0, err
	}
	actor, err := actorFor(ctx, st)
	if err != nil {
		st.Close()
		return nil, 0, err
	}
	return st, actor, nil
}

// runGUI opens the app's window on the database; see clinicFor for how the
// database is checked, opened and restored.
func runGUI(ctx context.Context, args []string, _, stderr io.Writer) error {
	fs := flag.NewFlagSet("needledesk", flag.ContinueOnError)
	dbPath := fs.String("db", defaultDBPath(), "database file")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	limitMemory()
	return ui.Run(ctx, clinicFor(*dbPath, stderr))
}

// guiMemoryLimit is a soft limit on the Go heap of the running app. The
// app's live heap is about 30-50 MB; without a limit the collector lets it
// grow to twice that (a password hash alone leaves 19 MB of garbage), so
// a limit keeps a desk computer's memory for its other programs. It is
// soft: work that needs more (a large export) still gets it.
const guiMemoryLimit = 96 << 20

// limitMemory applies guiMemoryLimit unless GOMEMLIMIT already sets one.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(guiMemoryLimit)
	}
}

// clinicFor is how the app checks, opens and restores the database at
// path. Automatic backups run while it is open: one at start-up when the
// newest is a day old, one when it closes.
func clinicFor(path string, stderr io.Writer) ui.Clinic {
	return ui.Clinic{
		Path: path,
		Check: func(ctx context.Context) error {
			return asDamage(sqlite.StartUpLook(ctx, path, backupsFolder(path)))
		},
		Open: func(ctx context.Context) (ui.Deps, func(backUp bool), error) {
			// The pages are checked in the background; writes wait for it.
			st, err := sqlite.Open(ctx, path, sqlite.WithBackgroundCheck(sqlite.BackgroundCheck{BackupsFolder: backupsFolder(path)}))
			if err != nil {
				return ui.Deps{}, nil, asDamage(err)
			}
			backups := startAutoBackups(ctx, st, stderr)
			closeDB := func(backUp bool) {
				backups.stop()
				if backUp {
					backups.atQuit(ctx)
				}
				if err := st.Close(); err != nil {
					fmt.Fprintf(stderr, "needledesk: closing %s: %v\n", path, err)
				}
			}
			deps := appDeps(st, backups)
			deps.Checked = func(ctx context.Context) error { return asDamage(st.Checked(ctx)) }
			return deps, closeDB, nil
		},
		Restore: func(ctx context.Context, r ui.RestoreRequest) (string, error) {
			res, err := sqlite.Restore(ctx, path, r.From, sqlite.RestoreOptions{
				Passphrase: r.Passphrase, Actor: r.Actor, Progress: r.Progress})
			return res.SafetyCopy, err
		},
	}
}

// asDamage turns the store's damaged-file error into the window's.
func asDamage(err error) error {
	var d *sqlite.DamagedDatabaseError
	if errors.As(err, &d) {
		return &ui.Damage{Problem: d.Problem.Error(), Backup: d.Backup, BackupAt: d.BackupAt}
	}
	return err
}

// appDeps hands the window's screens the open store and lets them hear
// of the automatic backups.
func appDeps(st *sqlite.Store, backups *autoBackups) ui.Deps {
	deps := depsFor(st)
	deps.WatchBackups = backups.watch
	return deps
}

// depsFor hands the app's screens the open store.
func depsFor(st *sqlite.Store) ui.Deps {
	return ui.Deps{
		Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st, Accounts: st, Audit: st,
		Export: st, DatabasePath: st.Path(),
		Backup: func(ctx context.Context, actor int64, dest string, passphrase []byte, progress func(done, total int)) error {
			return st.Backup(ctx, actor, dest, sqlite.BackupOptions{Passphrase: passphrase, Progress: progress})
		},
		Render: pdf.RenderAftercare,
		LoadSampleData: func(ctx context.Context, progress func(done, total int)) error {
			_, err := demo.Fill(ctx, st, demo.Options{Clients: 300, Seed: 1, Now: time.Now(), Progress: progress})
			return err
		},
	}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file (created if missing)")
	clients := fs.Int("clients", 500, "number of clients to add")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same clinic")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *clients < 0 || *clients > 5_000_000 {
		return fmt.Errorf("--clients must be between 0 and 5000000: %w", errUsage)
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	started := time.Now()
	res, err := demo.Fill(ctx, st, demo.Options{
		Clients: *clients, Seed: *seed, Now: time.Now(),
		Progress: func(done, total int) { fmt.Fprintf(stderr, "\radded %d of %d clients", done, total) },
	})
	if *clients > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d clients and %d sessions to %s in %s\n",
		res.Clients, res.Sessions, *dbPath, time.Since(started).Round(time.Millisecond))
	printDemoAccounts(stdout, res.Accounts)
	return nil
}

// printDemoAccounts lists who can sign in to a new demo clinic, and how.
func printDemoAccounts(w io.Writer, accounts []demo.Account) {
	if len(accounts) == 0 {
		return
	}
	fmt.Fprintln(w, "sign in as:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\tpassword %s\n", a.Staff.Name, a.Staff.Role.Label(), a.Password)
	}
	_ = tw.Flush()
}

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
	rows, err := data.NewClientCSV(f, data.DateOf(time.Now()), data.CSVOptions{Size: size,
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

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func runClients(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("clients", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	find := fs.String("find", "", "only clients whose name, phone or e-mail matches")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	out := newClientPrinter(stdout, *asJSON)
	const page = 1000
	for offset := 0; ; offset += page {
		list, err := st.FindClients(ctx, data.SystemActor, data.ClientFilter{Text: *find, Offset: offset, Limit: page})
		if err != nil {
			return err
		}
		for _, c := range list {
			if err := out.print(c); err != nil {
				return err
			}
		}
		if len(list) < page {
			return out.flush()
		}
	}
}

// clientJSON is the stable shape of `clients --json` for owners' scripts.
type clientJSON struct {
	ID          int64  `json:"id"`
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth string `json:"date_of_birth"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Notes       string `json:"notes"`
	LastSession string `json:"last_session,omitempty"`
	NextDue     string `json:"next_due,omitempty"`
}

type clientPrinter struct {
	json *json.Encoder
	tab  *tabwriter.Writer
}

func newClientPrinter(w io.Writer, asJSON bool) *clientPrinter {
	if asJSON {
		return &clientPrinter{json: json.NewEncoder(w)}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBORN\tPHONE\tEMAIL\tNEXT DUE")
	return &clientPrinter{tab: tw}
}

func (p *clientPrinter) print(c data.ClientSummary) error {
	if p.json != nil {
		j := clientJSON{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName,
			DateOfBirth: c.DateOfBirth.String(), Phone: c.Phone, Email: c.Email, Notes: c.Notes,
			NextDue: c.NextDue.String()}
		if !c.LastSession.IsZero() {
			j.LastSession = c.LastSession.UTC().Format(time.RFC3339)
		}
		return p.json.Encode(j)
	}
	_, err := fmt.Fprintf(p.tab, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.FullName(), c.DateOfBirth, c.Phone, c.Email, c.NextDue)
	return err
}

func (p *clientPrinter) flush() error {
	if p.tab != nil {
		return p.tab.Flush()
	}
	return nil
}

func runCheck(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	folder := fs.String("backups", "", "where to look for a backup when the database is damaged (default: the backups folder beside it)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dbPath == "" {
		return fmt.Errorf("--db PATH is required: %w", errUsage)
	}
	if *folder == "" {
		*folder = backupsFolder(*dbPath)
	}
	rep, err := sqlite.CheckWith(ctx, *dbPath, sqlite.CheckOptions{BackupsFolder: *folder})
	if errors.Is(err, data.ErrDamaged) {
		suggestBackup(ctx, stdout, *dbPath, *folder)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (this NeedleDesk knows up to %d)\n", rep.SchemaVersion, rep.KnownVersion)
	fmt.Fprintln(stdout, "audit trail:", auditChainLine(rep.AuditChain))
	for _, w := range rep.Witnesses {
		fmt.Fprintln(stdout, "witness:", w)
	}
	fmt.Fprintf(stdout, "records: %d clients, sessions and staff match their last recorded change", rep.Rows.Checked)
	if rep.Rows.Unrecorded > 0 {
		fmt.Fprintf(stdout, " (%d more have no change recorded since this version, so they were not compared)", rep.Rows.Unrecorded)
	}
	fmt.Fprintln(stdout)
	if len(rep.Problems) == 0 {
		fmt.Fprintln(stdout, "integrity: ok\nforeign keys: ok")
		return nil
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stdout, "problem:", p)
	}
	if !rep.IntegrityOK {
		suggestBackup(ctx, stdout, *dbPath, *folder)
	}
	return fmt.Errorf("%s has %d problem(s); it was not changed", *dbPath, len(rep.Problems))
}

// auditChainLine says what the check found in the audit trail's chain.
func auditChainLine(r data.AuditChainReport) string {
	switch {
	case !r.Chained:
		return "not chained yet; this version chains it when it opens the database"
	case r.OK():
		return fmt.Sprintf("ok (%d events)", r.Events)
	}
	return r.Problem
}

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
	st, actor, err := openAsOwner(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	// The destination is checked before a sheet is made, kept or recorded
	// as handed over.
	kept, err := keptFiles(ctx, st, *dbPath)
	if err != nil {
		return err
	}
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
