package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storeopen"
	"needledesk/ui/admin"
	"needledesk/ui/uitest"
)

// The throwaway PostgreSQL server of this test binary, started on first
// use and stopped by TestMain.
var (
	pgOnce   sync.Once
	pgServer *pgtest.Server
	pgErr    error
)

func stopTestServer() {
	if pgServer != nil {
		if err := pgServer.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the test server:", err)
		}
	}
}

// serverDatabase is a new empty database on the throwaway server.
func serverDatabase(t *testing.T) string {
	t.Helper()
	pgOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		pgServer, pgErr = pgtest.Start(ctx)
	})
	if pgErr != nil {
		t.Fatal(pgErr)
	}
	u, err := pgServer.CreateDatabase(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// serverClient opens the clinic at url once and adds a client to it.
func serverClient(t *testing.T, url, given string) {
	t.Helper()
	st, err := storeopen.Open(t.Context(), url, storeopen.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := data.Client{GivenName: given, FamilyName: "Adams", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
}

// testServers opens clinics on servers the way ui/desktop does, through
// storeopen, without the backups and mail that the window adds.
func testServers() *Servers {
	return &Servers{
		Clinic: func(url, password string) Clinic {
			return Clinic{Path: url,
				Open: func(ctx context.Context) (Deps, func(bool), error) {
					st, err := storeopen.Open(ctx, url, storeopen.WithPassword(password), storeopen.WithClock(testClock))
					if err != nil {
						return Deps{}, nil, err
					}
					deps := DepsOf(st)
					deps.Now = testClock
					return deps, func(bool) { st.Close() }, nil
				},
				Restore: func(context.Context, admin.RestoreRequest) (string, error) {
					return "", errors.New("no restore on a server")
				},
			}
		},
		Test: func(ctx context.Context, url, password string) error {
			st, err := storeopen.Open(ctx, url, storeopen.WithPassword(password))
			if err != nil {
				return err
			}
			return st.Close()
		},
		SavePassword: storeopen.SavePassword,
	}
}

// beginLauncher starts the window as Run does, in app a.
func beginLauncher(t *testing.T, a fyne.App, clinic Clinic) (*launcher, uitest.Queue, fyne.Window) {
	t.Helper()
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1180, 760))
	q := uitest.NewQueue()
	l := newLauncher(context.Background(), a, w, clinic, q.Do)
	t.Cleanup(func() {
		if l.main != nil {
			l.main.stopAll()
		}
		l.shutdown()
		w.Close()
	})
	l.begin()
	return l, q, w
}

// newWorkstation is the file on this computer that is not there yet.
func newWorkstation(t *testing.T) Clinic {
	c := testClinic(t, filepath.Join(t.TempDir(), "clinic.db"))
	c.Empty, c.Servers = true, testServers()
	return c
}

// namedServer is the clinic --db names on a server.
func namedServer(url string) Clinic {
	c := testServers().Clinic(url, "")
	c.Server, c.Named, c.Servers = true, true, testServers()
	return c
}

// showsText reports whether a visible label in the window holds part.
func showsText(w fyne.Window, part string) bool {
	for _, s := range uitest.Texts(w.Content()) {
		if strings.Contains(s, part) {
			return true
		}
	}
	return false
}

func entryAfterLabel(t *testing.T, w fyne.Window, label string) *widget.Entry {
	t.Helper()
	var found *widget.Entry
	var seen bool
	uitest.Walk(w.Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == label {
			seen = true
		}
		if e, ok := o.(*widget.Entry); ok && seen && found == nil {
			found = e
		}
	})
	if found == nil {
		t.Fatalf("no field %q on screen", label)
	}
	return found
}

// fillServer types a server's address into the connect screen.
func fillServer(t *testing.T, w fyne.Window, dbURL string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	entryAfterLabel(t, w, "Server").SetText(u.Query().Get("host"))
	entryAfterLabel(t, w, "Port").SetText(u.Query().Get("port"))
	entryAfterLabel(t, w, "Database").SetText(strings.TrimPrefix(u.Path, "/"))
	entryAfterLabel(t, w, "User name").SetText(u.User.Username())
	var sel *widget.Select
	uitest.Walk(w.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	})
	sel.SetSelected(sslWords("disable"))
}

// TestNewWorkstationConnectsToTheServer: with no --db and no file yet the
// window asks where the records are; "Connect to the clinic's server"
// opens the connect screen, Test connection says it works, Connect opens
// the server's records and saves the address (no password) in the
// settings, and the next start opens the server without asking.
func TestNewWorkstationConnectsToTheServer(t *testing.T) {
	dbURL := serverDatabase(t)
	serverClient(t, dbURL, "Zoë")
	a := test.NewTempApp(t)
	local := newWorkstation(t)
	l, q, w := beginLauncher(t, a, local)
	if !showsText(w, "Where are the clinic's records?") {
		t.Fatalf("a new workstation shows %q", uitest.Texts(w.Content()))
	}
	test.Tap(uitest.Button(t, w, "Connect to the clinic's server"))
	fillServer(t, w, dbURL)
	test.Tap(uitest.Button(t, w, "Test connection"))
	q.WaitFor(t, "the test to say it connected", func() bool { return showsText(w, "Connected") })
	test.Tap(uitest.Button(t, w, "Connect"))
	q.WaitFor(t, "the server's records to open", func() bool { return l.main != nil })
	if got := clientNames(t, l.main.env.deps); len(got) != 1 || got[0] != "Zoë" {
		t.Errorf("the window shows the clients %v; want the server's Zoë", got)
	}
	saved := a.Preferences().String(prefServer)
	u, err := url.Parse(saved)
	if err != nil || u.User == nil || u.User.Username() != "postgres" {
		t.Fatalf("the settings keep %q", saved)
	}
	if _, has := u.User.Password(); has {
		t.Errorf("the settings keep a password: %q", saved)
	}
	if _, err := os.Stat(local.Path); err == nil {
		t.Error("a file was made on this computer as well")
	}

	l2, q2, w2 := beginLauncher(t, a, newWorkstation(t))
	q2.WaitFor(t, "the saved server to open at the next start", func() bool { return l2.main != nil })
	if showsText(w2, "Where are the clinic's records?") || clientNames(t, l2.main.env.deps)[0] != "Zoë" {
		t.Error("the next start did not open the saved server")
	}
}

// TestNewWorkstationKeepsTheRecordsHere: "Use this computer only" opens
// (and so makes) the file on this computer.
func TestNewWorkstationKeepsTheRecordsHere(t *testing.T) {
	local := newWorkstation(t)
	l, q, w := beginLauncher(t, test.NewTempApp(t), local)
	test.Tap(uitest.Button(t, w, "Use this computer only"))
	q.WaitFor(t, "the file to open", func() bool { return l.main != nil })
	if got := l.main.env.deps.databasePath(); got != local.Path {
		t.Errorf("the window opened %q; want %s", got, local.Path)
	}
}

// TestAServerThatCannotBeReachedOffersRetryAndChangeServer: a closed port
// gets a plain message, Retry tries again, and Change server leads to
// the connect screen, from which the right server opens.
func TestAServerThatCannotBeReachedOffersRetryAndChangeServer(t *testing.T) {
	good := serverDatabase(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprintf("postgres://needledesk@%s/clinic?sslmode=disable&connect_timeout=3", ln.Addr())
	ln.Close()
	a := test.NewTempApp(t)
	l, q, w := beginLauncher(t, a, namedServer(closed))
	q.WaitFor(t, "the server's problem", func() bool { return showsText(w, "cannot be reached") })
	port := ln.Addr().(*net.TCPAddr).Port
	if !showsText(w, "switched on") || !showsText(w, fmt.Sprintf(`the database "clinic" on 127.0.0.1, port %d, as the user "needledesk"`, port)) {
		t.Errorf("the message: %q", uitest.Texts(w.Content()))
	}
	test.Tap(uitest.Button(t, w, "Retry"))
	if !showsText(w, "Connecting to the clinic's server.") {
		t.Error("Retry shows no progress")
	}
	q.WaitFor(t, "the problem again", func() bool { return showsText(w, "cannot be reached") })
	test.Tap(uitest.Button(t, w, "Change server"))
	if got := entryAfterLabel(t, w, "Server").Text; got != "127.0.0.1" {
		t.Errorf("the connect screen shows the server %q", got)
	}
	fillServer(t, w, good)
	test.Tap(uitest.Button(t, w, "Connect"))
	q.WaitFor(t, "the right server to open", func() bool { return l.main != nil })
	if a.Preferences().String(prefServer) == "" {
		t.Error("the server chosen was not saved")
	}
}

// passwordRole makes a role with a password on the throwaway server,
// which asks for it over the socket, owning the database at dbURL; it
// returns the URL for that role.
func passwordRole(t *testing.T, dbURL, role, password string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	db := conn.Config().Database
	for _, q := range []string{
		fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s'`, role, password),
		fmt.Sprintf(`ALTER DATABASE %s OWNER TO %s`, db, role),
		fmt.Sprintf(`ALTER SCHEMA public OWNER TO %s`, role),
	} {
		if _, err := conn.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	hba := filepath.Join(pgServer.Dir(), "data", "pg_hba.conf")
	old, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hba, append([]byte("local all "+role+" scram-sha-256\n"), old...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(t.Context(), `SELECT pg_reload_conf()`); err != nil {
		t.Fatal(err)
	}
	u := strings.Replace(dbURL, "postgres://postgres@", "postgres://"+role+"@", 1)
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	deadline := time.Now().Add(10 * time.Second)
	for { // the server reads its rules again shortly after the reload
		c, err := pgx.Connect(t.Context(), u)
		if err != nil {
			break
		}
		c.Close(context.Background())
		if time.Now().After(deadline) {
			t.Fatal("the server still lets the role in without a password")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return u
}

// TestAWrongPasswordIsSaidAndTheRightOneKept: the server refuses the
// password in ~/.pgpass (PGPASSFILE); the screen says so, with Retry and
// Change server and a field for the password; the right one typed opens
// the clinic and, ticked, replaces the wrong one in the file, mode 0600,
// and is nowhere in the settings.
func TestAWrongPasswordIsSaidAndTheRightOneKept(t *testing.T) {
	u := passwordRole(t, serverDatabase(t), "desk_wrong", "right-pass-1")
	pass := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(pass, []byte("localhost:5432:*:desk_wrong:wrong-pass\n*:*:*:other:kept\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", pass)
	a := test.NewTempApp(t)
	l, q, w := beginLauncher(t, a, namedServer(u))
	q.WaitFor(t, "the refusal", func() bool { return showsText(w, "refused the user name or password") })
	uitest.Button(t, w, "Change server")
	if showsText(w, "wrong-pass") {
		t.Error("the screen shows the password")
	}
	entryAfterLabel(t, w, "Password").SetText("right-pass-1")
	var keep *widget.Check
	uitest.Walk(w.Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok {
			keep = c
		}
	})
	keep.SetChecked(true)
	test.Tap(uitest.Button(t, w, "Retry"))
	q.WaitFor(t, "the clinic to open with the typed password", func() bool { return l.main != nil })
	q.WaitFor(t, "the password to be kept", func() bool {
		b, _ := os.ReadFile(pass)
		return strings.Contains(string(b), "right-pass-1")
	})
	b, _ := os.ReadFile(pass)
	// The new line goes first, so it is the one found; the others stay.
	if got := string(b); !strings.Contains(strings.SplitN(got, "\n", 2)[0], ":desk_wrong:right-pass-1") || !strings.Contains(got, "other:kept") {
		t.Errorf("the password file now reads %q", got)
	}
	if fi, err := os.Stat(pass); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the password file's mode: %v, %v", fi.Mode(), err)
	}
	if st, err := storeopen.Open(t.Context(), u); err != nil {
		t.Errorf("the kept password does not open the clinic: %v", err)
	} else {
		st.Close()
	}
}

// TestTheServerAsksForAPassword: no password anywhere: the window asks
// for one; typed and not ticked, it opens the clinic and is written
// nowhere.
func TestTheServerAsksForAPassword(t *testing.T) {
	u := passwordRole(t, serverDatabase(t), "desk_ask", "right-pass-2")
	pass := os.Getenv("PGPASSFILE")
	l, q, w := beginLauncher(t, test.NewTempApp(t), namedServer(u))
	q.WaitFor(t, "the question", func() bool { return showsText(w, "asks for a password") })
	entryAfterLabel(t, w, "Password").SetText("right-pass-2")
	test.Tap(uitest.Button(t, w, "Connect"))
	q.WaitFor(t, "the clinic to open", func() bool { return l.main != nil })
	if _, err := os.Stat(pass); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a password file was written without being asked: %v", err)
	}
}

// TestANewerNeedleDesksRecordsAreRefusedPlainly: a database whose schema
// is above this build's gets a plain message, Retry and Change server,
// and the window does not open the records.
func TestANewerNeedleDesksRecordsAreRefusedPlainly(t *testing.T) {
	u := serverDatabase(t)
	serverClient(t, u, "Zoë")
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(t.Context(), `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'from_the_future', 'x')`,
		postgres.KnownVersion()+1)
	conn.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l, q, w := beginLauncher(t, test.NewTempApp(t), namedServer(u))
	q.WaitFor(t, "the refusal", func() bool { return showsText(w, "newer version of NeedleDesk") })
	uitest.Button(t, w, "Change server")
	test.Tap(uitest.Button(t, w, "Retry"))
	q.WaitFor(t, "the refusal again", func() bool { return showsText(w, "Update NeedleDesk") })
	if l.main != nil {
		t.Error("the records opened")
	}
}

// TestTheConnectScreenSaysWhatIsMissing: an empty server name and a port
// that is no number are said under their fields, and nothing is tried.
func TestTheConnectScreenSaysWhatIsMissing(t *testing.T) {
	_, _, w := beginLauncher(t, test.NewTempApp(t), newWorkstation(t))
	test.Tap(uitest.Button(t, w, "Connect to the clinic's server"))
	entryAfterLabel(t, w, "Port").SetText("54x")
	test.Tap(uitest.Button(t, w, "Connect"))
	if !showsText(w, "Enter the server's name or address") || !showsText(w, "A port is a number") {
		t.Errorf("the screen shows %q", uitest.Texts(w.Content()))
	}
	test.Tap(uitest.Button(t, w, "Back"))
	if !showsText(w, "Where are the clinic's records?") {
		t.Error("Back does not return to the choice")
	}
}

// TestAServerAddressReadsBack: the address the screen writes is read
// back into the same fields, with no password, for a host and a socket.
func TestAServerAddressReadsBack(t *testing.T) {
	for _, a := range []serverAddress{
		{host: "clinic-server", port: "5432", database: "clinic", user: "needledesk", sslMode: "verify-full"},
		{host: "192.168.1.20", port: "6543", database: "lumen", user: "desk", sslMode: "require"},
		{host: "/run/postgresql", port: "5432", database: "clinic", user: "needledesk", sslMode: "disable"},
	} {
		got := parseServerAddress(a.url())
		if got != a {
			t.Errorf("%s reads back as %+v; want %+v", a.url(), got, a)
		}
	}
	if got := (serverAddress{host: "clinic-server", port: "5432", database: "clinic", user: "needledesk", sslMode: "verify-full"}).url(); got != "postgres://needledesk@clinic-server/clinic?sslmode=verify-full" {
		t.Errorf("the address is %s", got)
	}
}

// TestTheProblemScreenLeadsToTheServer: a clinic file that cannot be
// opened offers "Connect to the clinic's server" beside Quit; Back
// returns to the problem, and the server chosen opens.
func TestTheProblemScreenLeadsToTheServer(t *testing.T) {
	dbURL := serverDatabase(t)
	dir := t.TempDir() // a folder, not a database file
	c := testClinic(t, dir)
	c.Named, c.Servers = true, testServers()
	l, q, w := beginLauncher(t, test.NewTempApp(t), c)
	q.WaitFor(t, "the problem screen", func() bool { return showsText(w, "could not open the clinic's records") })
	test.Tap(uitest.Button(t, w, "Connect to the clinic's server"))
	test.Tap(uitest.Button(t, w, "Back"))
	if !showsText(w, "could not open the clinic's records") {
		t.Fatalf("Back shows %q", uitest.Texts(w.Content()))
	}
	test.Tap(uitest.Button(t, w, "Connect to the clinic's server"))
	fillServer(t, w, dbURL)
	test.Tap(uitest.Button(t, w, "Connect"))
	q.WaitFor(t, "the server's records to open", func() bool { return l.main != nil })
}

// TestAWorkstationChangesItsServerFromTheSignInScreen: a workstation on
// the clinic's server offers "Change server…" before anyone signs in; it
// closes the records there and shows the connect screen, and the server
// chosen there opens and is kept for the next start. A workstation whose
// records are a file on this computer offers nothing of the kind.
func TestAWorkstationChangesItsServerFromTheSignInScreen(t *testing.T) {
	first, second := serverDatabase(t), serverDatabase(t)
	serverClient(t, first, "Zoë")
	serverClient(t, second, "Ada")
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefServer, first)
	l, q, w := beginLauncher(t, a, newWorkstation(t))
	q.WaitFor(t, "the saved server to open", func() bool { return l.main != nil })
	if got := clientNames(t, l.main.env.deps); len(got) != 1 || got[0] != "Zoë" {
		t.Fatalf("the first server's clients: %v", got)
	}
	old := l.main.env.deps.Store

	test.Tap(uitest.Button(t, w, "Change server…"))
	q.WaitFor(t, "the connect screen", func() bool { return showsText(w, "Ask whoever set the server up") })
	if l.main != nil || l.close != nil {
		t.Fatal("the first server's records are still open behind the connect screen")
	}
	if _, err := old.FindClients(t.Context(), data.SystemActor, data.ClientFilter{}); err == nil {
		t.Error("the first server's store still answers after Change server")
	}
	fillServer(t, w, second)
	test.Tap(uitest.Button(t, w, "Connect"))
	q.WaitFor(t, "the second server's records", func() bool { return l.main != nil })
	if got := clientNames(t, l.main.env.deps); len(got) != 1 || got[0] != "Ada" {
		t.Errorf("after Change server the window shows %v; want the second server's Ada", got)
	}
	if u, err := url.Parse(a.Preferences().String(prefServer)); err != nil || u.Path != mustURL(t, second).Path {
		t.Errorf("the settings keep %q; want the second server", a.Preferences().String(prefServer))
	}

	local := newWorkstation(t)
	l2, q2, w2 := beginLauncher(t, test.NewTempApp(t), local)
	test.Tap(uitest.Button(t, w2, "Use this computer only"))
	q2.WaitFor(t, "the file to open", func() bool { return l2.main != nil })
	if showsText(w2, "Change server…") {
		t.Error("a workstation keeping its records in a file offers Change server")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
