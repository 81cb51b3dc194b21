//go:build cgo

package main

import (
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// TestWindowSmoke runs the real binary in a real X window (Xvfb, rendered
// by Mesa in software): the window appears with the clinic's name at the
// sign-in screen, the owner signs in with the keyboard, screenshots of both
// go to testdata/artefacts for a person to look at, then the window
// shrinks to 1024x640 (the smallest the layouts must hold, a small
// laptop's screen) and the main screens are photographed at that size,
// and SIGTERM quits cleanly.
func TestWindowSmoke(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed; run `make test-deps`", tool)
		}
	}
	dir := t.TempDir()
	bin := buildApp(t, dir)
	db := filepath.Join(dir, "clinic.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--clients", "200").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	display := startXvfb(t)
	env := append(os.Environ(), "DISPLAY="+display, "HOME="+dir, "XDG_CONFIG_HOME="+dir, "LANG=en_US.UTF-8")
	owner := rememberOwner(t, db, dir)

	app, exited, logs := startApp(t, bin, env, "--db", db)

	title := "NeedleDesk - Lumen Skin Studio"
	waitFor(t, 60*time.Second, "a window titled "+title, func() bool {
		search := exec.Command("xdotool", "search", "--name", title)
		search.Env = env
		out, err := search.Output()
		return err == nil && len(strings.TrimSpace(string(out))) > 0
	})
	time.Sleep(2 * time.Second) // let the staff list arrive and paint
	screenshot(t, env, "sign-in.png")

	// The owner signed in here last, so the cursor waits in the password.
	xdo(t, env, "search", "--name", title, "windowfocus", "--sync")
	xdo(t, env, "type", "--delay", "40", demo.Passwords[data.RoleOwner])
	xdo(t, env, "key", "Return")
	waitFor(t, 30*time.Second, "the owner's sign-in in the audit trail", func() bool {
		return sqlCount(t, db, fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'sign_in' AND actor_id = %d", owner)) == 1
	})
	time.Sleep(2 * time.Second) // let the client list arrive and paint
	screenshot(t, env, "main-window.png")

	smallWindowScreens(t, env, db, title, owner)
	quitApp(t, app, exited, logs)
}

// smallWindowScreens shrinks the window to 1024x640 and photographs the
// main screens at that size: the client list, the record of the client
// with the most sessions, one session opened from its timeline, Due back,
// Products and Settings (small-*.png in the artefact folder).
func smallWindowScreens(t *testing.T, env []string, db, title string, owner int64) {
	t.Helper()
	xdo(t, env, "search", "--name", title, "windowsize", "--sync", "1024", "640")
	time.Sleep(2 * time.Second) // the driver lays the screens out again
	screenshot(t, env, "small-clients.png")

	name := sqlText(t, db, `SELECT c.given_name || ' ' || c.family_name FROM client c JOIN session s ON s.client_id = c.id
		WHERE c.archived_at IS NULL AND c.given_name || c.family_name NOT GLOB '*[^A-Za-z]*'
		GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`)
	views := fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'view' AND actor_id = %d", owner)
	before := sqlCount(t, db, views)
	xdo(t, env, "search", "--name", title, "mousemove", "--window", "%1", "500", "115", "click", "1") // the search box
	xdo(t, env, "type", "--delay", "40", name)
	time.Sleep(2 * time.Second) // the search runs and the list fills
	xdo(t, env, "key", "Down", "Return")
	waitFor(t, 30*time.Second, name+"'s record opened", func() bool { return sqlCount(t, db, views) > before })
	time.Sleep(2 * time.Second)
	screenshot(t, env, "small-record.png")

	// A click on the newest session's lines, left of its buttons, opens it.
	xdo(t, env, "search", "--name", title, "mousemove", "--window", "%1", "620", "262", "click", "1")
	time.Sleep(2 * time.Second)
	screenshot(t, env, "small-session.png")
	xdo(t, env, "key", "Escape")

	for _, tab := range []struct {
		name string
		y    int
	}{{"due-back", 170}, {"products", 250}, {"settings", 335}} {
		xdo(t, env, "search", "--name", title, "mousemove", "--window", "%1", "40", fmt.Sprint(tab.y), "click", "1")
		time.Sleep(2 * time.Second)
		screenshot(t, env, "small-"+tab.name+".png")
	}
}

// TestWindowOnADamagedDatabase runs the real binary on a damaged clinic:
// the window explains and offers the newest good backup, and the damaged
// file is neither changed nor given -wal or -shm files beside it.
func TestWindowOnADamagedDatabase(t *testing.T) {
	db, backup := damagedWithBackup(t)
	before := fileHash(t, db)
	beside, _ := os.ReadDir(filepath.Dir(db)) // the file, its witness file and the backups folder
	bin := buildApp(t, t.TempDir())
	display := startXvfb(t)
	home := t.TempDir()
	env := append(os.Environ(), "DISPLAY="+display, "HOME="+home, "XDG_CONFIG_HOME="+home, "LANG=en_US.UTF-8")
	app, exited, logs := startApp(t, bin, env, "--db", db)
	waitFor(t, 60*time.Second, "the NeedleDesk window", func() bool {
		search := exec.Command("xdotool", "search", "--name", "^NeedleDesk$")
		search.Env = env
		out, err := search.Output()
		return err == nil && len(strings.TrimSpace(string(out))) > 0
	})
	time.Sleep(3 * time.Second) // the check runs, then the damage screen paints
	screenshot(t, env, "damaged-database.png")
	quitApp(t, app, exited, logs)
	if fileHash(t, db) != before {
		t.Error("the app changed the damaged file")
	}
	if entries, _ := os.ReadDir(filepath.Dir(db)); len(entries) != len(beside) {
		t.Errorf("files appeared beside the damaged one: %v (before: %v)", entries, beside)
	}
	if _, err := os.Stat(backup); err != nil {
		t.Errorf("the backup offered should still be there: %v", err)
	}
}

// buildApp builds the real binary into dir, with the go command that runs
// the test (go test puts its own GOROOT/bin first in the PATH).
func buildApp(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "needledesk")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startApp starts the binary with env; the returned channel gets its exit.
func startApp(t *testing.T, bin string, env []string, args ...string) (*exec.Cmd, chan error, *strings.Builder) {
	t.Helper()
	app := exec.Command(bin, args...)
	app.Env = env
	logs := &strings.Builder{}
	app.Stdout, app.Stderr = logs, logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() { _ = app.Process.Kill() })
	return app, exited, logs
}

// quitApp sends SIGTERM and expects a clean exit within 20 seconds.
func quitApp(t *testing.T, app *exec.Cmd, exited chan error, logs *strings.Builder) {
	t.Helper()
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("the app did not quit cleanly: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the app did not quit within 20 s of SIGTERM\n%s", logs.String())
	}
}

// rememberOwner writes the app's preferences as if the demo clinic's owner
// had signed in on this computer before, and returns the owner's ID.
func rememberOwner(t *testing.T, db, configHome string) int64 {
	t.Helper()
	return rememberStaff(t, db, configHome, data.RoleOwner)
}

// sqlCount runs a query giving one number with the sqlite3 shell.
func sqlCount(t *testing.T, db, query string) int64 {
	t.Helper()
	out, err := exec.Command("sqlite3", "-readonly", db, query).Output()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v", query, err)
	}
	var n int64
	if _, err := fmt.Sscan(strings.TrimSpace(string(out)), &n); err != nil {
		t.Fatalf("sqlite3 %q printed %q", query, out)
	}
	return n
}

// sqlText runs a query giving one line of text with the sqlite3 shell.
func sqlText(t *testing.T, db, query string) string {
	t.Helper()
	out, err := exec.Command("sqlite3", "-readonly", db, query).Output()
	if err != nil {
		t.Fatalf("sqlite3 %q: %v", query, err)
	}
	return strings.TrimSpace(string(out))
}

// xdo runs xdotool on the test's display.
func xdo(t *testing.T, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// screenshot captures the whole display into the artefact folder and
// fails if it looks empty.
func screenshot(t *testing.T, env []string, name string) {
	t.Helper()
	shot := filepath.Join(artefactDir(t), name)
	capture := exec.Command("import", "-window", "root", shot)
	capture.Env = env
	if out, err := capture.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v\n%s", err, out)
	}
	if n := distinctColours(t, shot); n < 20 {
		t.Fatalf("the screenshot has only %d colours; the window looks empty (%s)", n, shot)
	}
	t.Logf("screenshot: %s", shot)
}

// startXvfb starts a virtual display on a free number and stops it at the
// end of the test.
func startXvfb(t *testing.T) string {
	t.Helper()
	for n := 91; n < 140; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		x := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopXvfb(x) })
		socket := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		waitFor(t, 10*time.Second, "Xvfb on "+display, func() bool { _, err := os.Stat(socket); return err == nil })
		return display
	}
	t.Fatal("no free X display number")
	return ""
}

// stopXvfb ends Xvfb with SIGTERM, so it removes its /tmp/.X<n>-lock
// (killed outright it leaves the lock, and later runs skip that number).
func stopXvfb(x *exec.Cmd) {
	done := make(chan struct{})
	go func() { _ = x.Wait(); close(done) }()
	_ = x.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = x.Process.Kill()
		<-done
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %s", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// artefactDir is where tests leave files for people to look at.
func artefactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("NEEDLEDESK_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artefacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func distinctColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// demoWindow readies a real-window test on a 200-client demo clinic: the
// tools it needs, the app built into a temporary folder that is also its
// home, the clinic, and a virtual display, with the environment to start
// the app in.
func demoWindow(t *testing.T) (dir, bin, db string, env []string) {
	t.Helper()
	for _, tool := range []string{"Xvfb", "xdotool", "import", "sqlite3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed; run `make test-deps`", tool)
		}
	}
	dir = t.TempDir()
	bin = buildApp(t, dir)
	db = filepath.Join(dir, "clinic.db")
	if out, err := exec.Command(bin, "demo", "--db", db, "--clients", "200").CombinedOutput(); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	display := startXvfb(t)
	env = append(os.Environ(), "DISPLAY="+display, "HOME="+dir, "XDG_CONFIG_HOME="+dir, "LANG=en_US.UTF-8")
	return dir, bin, db, env
}
