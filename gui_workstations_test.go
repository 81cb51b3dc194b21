//go:build cgo

package main

import (
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/postgres/pgtest"
)

// The clinic on the throwaway server, as the README sets one up: the
// workstations' role with a password, the database owned by the person
// who sets it up and moves the clinic in.
const (
	wsDatabase = "clinic"
	wsOwner    = "clinic_owner"
	wsAppRole  = "needledesk"
	wsPassword = "room-and-desk"
)

// TestWindowTwoWorkstationsOnOneServer is issue 13's two workstations:
// a demo clinic moved onto a throwaway PostgreSQL server with the app's
// own commands (pg-init, move-to-postgres), then two NeedleDesk
// processes under one Xvfb, each with its own home (its own ~/.pgpass
// and its own remembered person), both on the server. The technician
// signs in at the treatment room (B), the receptionist at the front desk
// (A); the front desk registers a client whose name sorts first, and the
// treatment room's list takes it by itself: B's picture of the list
// changes with nothing done in B, and Enter in B's search, which opens
// the list's first client, opens the new one (the audit trail's "view"
// row on the server says whom). Had B's list not taken the change, its
// first client would be someone else.
func TestWindowTwoWorkstationsOnOneServer(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed; run `make test-deps`", tool)
		}
	}
	dir := t.TempDir()
	bin := buildApp(t, dir)
	file := filepath.Join(dir, "clinic.db")
	if out, err := exec.Command(bin, "demo", "--db", file, "--clients", "50").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	appURL, server := clinicOnServer(t, bin, file)

	display := startXvfb(t)
	desk := workstation(t, bin, display, file, appURL, "desk", data.RoleReceptionist)
	room := workstation(t, bin, display, file, appURL, "room", data.RoleTechnician)

	room.signIn(t, server)
	time.Sleep(2 * time.Second) // the technician's client list arrives and paints
	room.raise(t)
	screenshot(t, room.env, "workstations-room-before.png")
	desk.signIn(t, server)
	room.raise(t) // the front desk types with the treatment room's window on top
	shots := t.TempDir()
	first := capture(t, room.env, shots, "room-first.png")

	// The front desk registers Aino Aalto from the keyboard: Ctrl+N, the
	// names and date of birth with Tab between them, Ctrl+S. Until then
	// the treatment room's list stands still.
	desk.focus(t)
	desk.keys(t, "ctrl+n")
	time.Sleep(time.Second)
	fillClient(t, func(k ...string) { desk.keys(t, k...) }, func(s string) { desk.typeText(t, s) }, "Aino", "Aalto")
	before := capture(t, room.env, shots, "room-before.png")
	if n := changedPixels(listArea(first), listArea(before)); n > 0 {
		t.Fatalf("the treatment room's list changed (%d pixels) while the front desk typed, before anything was saved", n)
	}
	desk.keys(t, "ctrl+s")
	var client int64
	waitFor(t, 15*time.Second, "Aino Aalto saved on the server", func() bool {
		client = server.count(t, "SELECT coalesce(max(id), 0) FROM client WHERE trim(given_name) = 'Aino' AND family_name = 'Aalto'")
		return client != 0
	})
	if first := server.count(t, "SELECT id FROM client WHERE archived_at IS NULL ORDER BY family_sort, given_sort, id LIMIT 1"); first != client {
		t.Fatalf("Aino Aalto (%d) is not the first client in the list's order; client %d is", client, first)
	}

	// Nothing is done in the treatment room: its list shows the new
	// client by itself (the rows below the search box are drawn again).
	waitFor(t, 30*time.Second, "the treatment room's list to change by itself", func() bool {
		now := capture(t, room.env, shots, "room-now.png")
		return changedPixels(listArea(before), listArea(now)) > 200
	})
	time.Sleep(500 * time.Millisecond) // the list finishes painting
	screenshot(t, room.env, "workstations-room-after.png")
	desk.raise(t)
	screenshot(t, desk.env, "workstations-desk.png")

	// Enter in the treatment room's search opens the list's first client.
	room.focus(t)
	room.keys(t, "Return")
	views := fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'view' AND actor_id = %d", room.staff)
	waitFor(t, 15*time.Second, "the treatment room opening a record", func() bool { return server.count(t, views) > 0 })
	opened := server.count(t, fmt.Sprintf("SELECT client_id FROM audit_event WHERE action = 'view' AND actor_id = %d ORDER BY id LIMIT 1", room.staff))
	if opened != client {
		t.Fatalf("Enter in the treatment room's list opened client %d, not the new Aino Aalto (%d): its list had not taken the front desk's change", opened, client)
	}
	room.raise(t)
	time.Sleep(time.Second)
	screenshot(t, room.env, "workstations-room-record.png")

	desk.quit(t)
	room.quit(t)
}

// listArea is the part of the screen below the client search (whose
// border and cursor come and go with the window's focus), where the
// client list and its count are drawn; the window sits at the top left.
func listArea(img image.Image) image.Image {
	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok {
		return img
	}
	b := img.Bounds()
	return sub.SubImage(image.Rect(b.Min.X, b.Min.Y+150, b.Max.X, b.Max.Y))
}

// wsServer is the throwaway server holding the clinic, and a connection
// to it as its superuser for the test's questions.
type wsServer struct {
	conn *pgx.Conn
}

// count runs a query giving one number on the server.
func (s *wsServer) count(t *testing.T, query string) int64 {
	t.Helper()
	var n int64
	if err := s.conn.QueryRow(t.Context(), query).Scan(&n); err != nil {
		t.Fatalf("%q on the server: %v", query, err)
	}
	return n
}

// clinicOnServer starts a throwaway PostgreSQL server (stopped at the end
// of the test) and sets the clinic up there as the README tells a
// clinic: the workstations' role made with a password, a database owned
// by the person setting it up, `needledesk pg-init` and `needledesk
// move-to-postgres` of the clinic's file run as that owner. The server
// then asks the workstations' role for its password, even on its socket.
// It returns the address the workstations open and the server.
func clinicOnServer(t *testing.T, bin, file string) (string, *wsServer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	srv, err := pgtest.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("stopping the server: %v", err)
		}
	})
	admin, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	for _, stmt := range []string{
		`CREATE ROLE ` + wsAppRole + ` LOGIN PASSWORD '` + wsPassword + `'`,
		`CREATE ROLE ` + wsOwner + ` LOGIN`,
		`CREATE DATABASE ` + wsDatabase + ` OWNER ` + wsOwner,
	} {
		if _, err := admin.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	owner := fmt.Sprintf("postgres://%s@/%s?host=%s&port=5432", wsOwner, wsDatabase, srv.Dir())
	for _, args := range [][]string{
		{"pg-init", "--db", owner},
		{"move-to-postgres", "--from", file, "--to", owner},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("needledesk %s: %v\n%s", args[0], err, out)
		}
	}
	askForPassword(t, ctx, admin, srv.Dir())
	appURL := fmt.Sprintf("postgres://%s@/%s?host=%s&port=5432", wsAppRole, wsDatabase, srv.Dir())
	cfg, err := pgx.ParseConfig(appURL)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Password = "" // whatever the test's own ~/.pgpass says
	if conn, err := pgx.ConnectConfig(ctx, cfg); err == nil {
		conn.Close(ctx)
		t.Fatal("the server lets the workstations' role in without a password; the test would not show ~/.pgpass is read")
	}
	conn, err := pgx.Connect(t.Context(), srv.URL(wsDatabase))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return appURL, &wsServer{conn: conn}
}

// askForPassword makes the server ask the workstations' role for its
// password on the socket too (the throwaway server trusts its socket),
// as a clinic's server asks on its network.
func askForPassword(t *testing.T, ctx context.Context, admin *pgx.Conn, serverDir string) {
	t.Helper()
	hba := filepath.Join(serverDir, "data", "pg_hba.conf")
	old, err := os.ReadFile(hba)
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("local %s %s scram-sha-256\n", wsDatabase, wsAppRole)
	if err := os.WriteFile(hba, append([]byte(line), old...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `SELECT pg_reload_conf()`); err != nil {
		t.Fatal(err)
	}
}

// aWorkstation is one NeedleDesk process with a home of its own.
type aWorkstation struct {
	name  string
	role  data.Role
	staff int64 // the person it remembers, who signs in
	env   []string
	pid   int
	win   string // its X window
	quit  func(t *testing.T)
}

// workstation starts NeedleDesk on the server at appURL with a home of
// its own (HOME and XDG_CONFIG_HOME) holding a ~/.pgpass (mode 0600) with
// the workstations' role's password, and the preferences of a computer
// where the clinic's first member of staff with role signed in before.
// It waits for the process's window.
func workstation(t *testing.T, bin, display, file, appURL, name string, role data.Role) *aWorkstation {
	t.Helper()
	home := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	pass := fmt.Sprintf("localhost:5432:%s:%s:%s\n", wsDatabase, wsAppRole, wsPassword) // pgx looks a socket up as localhost
	if err := os.WriteFile(filepath.Join(home, ".pgpass"), []byte(pass), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &aWorkstation{name: name, role: role, staff: rememberStaff(t, file, home, role)}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") { // nothing of the test's own PostgreSQL settings
			w.env = append(w.env, kv)
		}
	}
	w.env = append(w.env, "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+home, "LANG=en_US.UTF-8")
	app, exited, logs := startApp(t, bin, w.env, "--db", appURL)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the %s workstation's output:\n%s", name, logs.String())
		}
	})
	w.pid = app.Process.Pid
	w.quit = func(t *testing.T) { t.Helper(); quitApp(t, app, exited, logs) }
	waitFor(t, 60*time.Second, "the "+name+" workstation's window", func() bool {
		search := exec.Command("xdotool", "search", "--all", "--pid", strconv.Itoa(w.pid), "--name", "NeedleDesk")
		search.Env = w.env
		out, err := search.Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			w.win = ids[0]
		}
		return w.win != ""
	})
	return w
}

// signIn types the remembered person's demo password into the sign-in
// screen (the cursor waits in the password) and waits for the sign-in's
// audit row on the server.
func (w *aWorkstation) signIn(t *testing.T, server *wsServer) {
	t.Helper()
	signIns := fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'sign_in' AND actor_id = %d", w.staff)
	waitFor(t, 30*time.Second, "the "+w.name+" workstation's sign-in screen", func() bool {
		return windowTitle(t, w.env, w.win) != "NeedleDesk" // the clinic's name joins the title once the records are open
	})
	time.Sleep(2 * time.Second) // the staff list arrives and paints
	w.focus(t)
	w.typeText(t, demo.Passwords[w.role])
	w.keys(t, "Return")
	waitFor(t, 30*time.Second, "the "+string(w.role)+"'s sign-in at the "+w.name+" workstation", func() bool {
		return server.count(t, signIns) == 1
	})
}

func (w *aWorkstation) focus(t *testing.T) {
	t.Helper()
	xdo(t, w.env, "windowfocus", "--sync", w.win)
}

// raise puts the window on top (there is no window manager), so that
// the screen's picture shows it.
func (w *aWorkstation) raise(t *testing.T) {
	t.Helper()
	xdo(t, w.env, "windowraise", w.win)
	time.Sleep(500 * time.Millisecond) // it paints what was covered
}

func (w *aWorkstation) keys(t *testing.T, k ...string) {
	t.Helper()
	xdo(t, w.env, append([]string{"key", "--delay", "120"}, k...)...)
}

func (w *aWorkstation) typeText(t *testing.T, s string) {
	t.Helper()
	xdo(t, w.env, "type", "--delay", "40", s)
}

// windowTitle is the X window's name.
func windowTitle(t *testing.T, env []string, win string) string {
	t.Helper()
	cmd := exec.Command("xdotool", "getwindowname", win)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdotool getwindowname %s: %v", win, err)
	}
	return strings.TrimSpace(string(out))
}
