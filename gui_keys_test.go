//go:build cgo

package main

import (
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// TestWindowKeyboardAndWheel drives the real window with the keyboard and
// the mouse wheel only, as in issue 11: the window's shortcuts work right
// after signing in, after a drop-down closes and after a dialog closes, and
// the wheel over a text field scrolls the form by a comfortable step. What
// happened is read back from the database and from screenshots.
func TestWindowKeyboardAndWheel(t *testing.T) {
	dir, bin, db, env := demoWindow(t)
	owner := rememberOwner(t, db, dir)
	app, exited, logs := startApp(t, bin, env, "--db", db)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the app's output:\n%s", logs.String())
		}
	})
	title := "NeedleDesk - Lumen Skin Studio"
	waitFor(t, 60*time.Second, "a window titled "+title, func() bool {
		search := exec.Command("xdotool", "search", "--name", title)
		search.Env = env
		out, err := search.Output()
		return err == nil && len(strings.TrimSpace(string(out))) > 0
	})
	time.Sleep(2 * time.Second)
	xdo(t, env, "search", "--name", title, "windowfocus", "--sync")
	keys := func(k ...string) { xdo(t, env, append([]string{"key", "--delay", "120"}, k...)...) }
	typeText := func(s string) { xdo(t, env, "type", "--delay", "40", s) }

	typeText(demo.Passwords[data.RoleOwner])
	keys("Return")
	waitFor(t, 30*time.Second, "the owner's sign-in", func() bool {
		return sqlCount(t, db, fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'sign_in' AND actor_id = %d", owner)) == 1
	})
	time.Sleep(2 * time.Second)

	// Right after signing in: Ctrl+F, a name, Enter opens the record.
	id, name := uniqueASCIIClient(t, db)
	keys("ctrl+f")
	typeText(name)
	time.Sleep(1500 * time.Millisecond) // the search waits for typing to pause
	keys("Return")
	waitFor(t, 15*time.Second, name+"'s record opened by Ctrl+F, the name and Enter", func() bool {
		return sqlCount(t, db, fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'view' AND client_id = %d", id)) == 1
	})

	// Ctrl+N, the form filled from the keyboard, a skin type chosen in its
	// drop-down, then Ctrl+S with the drop-down focused.
	time.Sleep(time.Second)
	keys("ctrl+n")
	time.Sleep(time.Second)
	fillClient(t, keys, typeText, "Dropdown", "Keys")
	keys("Tab", "Tab", "Tab", "Tab") // e-mail, the e-mail reminders tick, address, skin type
	keys("space")                    // opens the drop-down
	time.Sleep(500 * time.Millisecond)
	keys("Down", "Down", "Return") // a skin type; the drop-down closes
	time.Sleep(500 * time.Millisecond)
	keys("ctrl+s")
	waitFor(t, 15*time.Second, "the client saved by Ctrl+S after the drop-down", func() bool {
		return sqlCount(t, db, "SELECT count(*) FROM client WHERE trim(given_name) = 'Dropdown' AND family_name = 'Keys' AND skin_type > 0") == 1
	})

	// A dialog: Ctrl+F over an unsaved form asks first; Escape closes the
	// question as Cancel, then Ctrl+N asks again and leaving opens a new
	// form.
	time.Sleep(time.Second)
	keys("ctrl+n")
	time.Sleep(time.Second)
	typeText("Unsaved")
	keys("ctrl+f")
	time.Sleep(time.Second)
	keys("Escape") // Cancel
	time.Sleep(time.Second)
	keys("ctrl+n")
	time.Sleep(time.Second)
	keys("Tab", "Tab", "space") // Leave without saving
	time.Sleep(time.Second)
	fillClient(t, keys, typeText, "Dialog", "Keys")
	keys("ctrl+s")
	waitFor(t, 15*time.Second, "the client saved after Ctrl+N following a closed dialog", func() bool {
		return sqlCount(t, db, "SELECT count(*) FROM client WHERE trim(given_name) = 'Dialog' AND family_name = 'Keys'") == 1
	})
	if n := sqlCount(t, db, "SELECT count(*) FROM client WHERE given_name LIKE 'Unsaved%'"); n != 0 {
		t.Fatal("the form left without saving was saved")
	}

	// The wheel over a text field of a long form scrolls the form.
	time.Sleep(time.Second)
	keys("ctrl+n")
	time.Sleep(1500 * time.Millisecond)
	xdo(t, env, "mousemove", "630", "480") // the postal address
	time.Sleep(500 * time.Millisecond)
	before := screenshot2(t, env, "wheel-before.png")
	xdo(t, env, "click", "5", "click", "5") // two notches down
	time.Sleep(time.Second)
	after := screenshot2(t, env, "wheel-after.png")
	if shift := verticalShift(before, after, image.Rect(200, 110, 1060, 690), 320); math.Abs(float64(shift-150)) > 12 {
		t.Fatalf("two notches of the wheel over a text field moved the form %d pixels; want 150 (3 x 25 a notch)", shift)
	}
	quitApp(t, app, exited, logs)
}

// fillClient types a client's names, date of birth and phone into the
// client form, from the given name on.
func fillClient(t *testing.T, keys func(...string), typeText func(string), given, family string) {
	t.Helper()
	typeText(given)
	keys("Tab")
	typeText(family)
	keys("Tab")
	typeText("1990-03-14")
	keys("Tab")
	typeText("+44 20 7946 0001")
}

// uniqueASCIIClient is a demo client whose name no other client has and is
// typed with plain letters.
func uniqueASCIIClient(t *testing.T, db string) (int64, string) {
	t.Helper()
	out, err := exec.Command("sqlite3", "-readonly", "-separator", "|", db,
		"SELECT id, given_name || ' ' || family_name FROM client WHERE given_name || family_name NOT GLOB '*[^A-Za-z]*' "+
			"GROUP BY given_name, family_name HAVING count(*) = 1 ORDER BY min(id) LIMIT 1").Output()
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	parts := strings.SplitN(strings.TrimSpace(string(out)), "|", 2)
	if len(parts) != 2 {
		t.Fatalf("no client to search for: %q", out)
	}
	if _, err := fmt.Sscan(parts[0], &id); err != nil {
		t.Fatal(err)
	}
	return id, parts[1]
}

// screenshot2 captures the display into the artefact folder and returns it.
func screenshot2(t *testing.T, env []string, name string) image.Image {
	t.Helper()
	screenshot(t, env, name)
	f, err := os.Open(filepath.Join(artefactDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// verticalShift is how far up the picture inside area moved from before
// to after: the shift, up to limit, at which the two agree best.
func verticalShift(before, after image.Image, area image.Rectangle, limit int) int {
	grey := func(img image.Image, x, y int) float64 {
		r, g, b, _ := img.At(x, y).RGBA()
		return float64(r+g+b) / 3
	}
	best, bestDiff := -1, math.Inf(1)
	for s := 0; s <= limit; s++ {
		var diff float64
		n := 0
		for y := area.Min.Y; y+s < area.Max.Y; y += 2 {
			for x := area.Min.X; x < area.Max.X; x += 4 {
				diff += math.Abs(grey(before, x, y+s) - grey(after, x, y))
				n++
			}
		}
		if n > 0 && diff/float64(n) < bestDiff {
			best, bestDiff = s, diff/float64(n)
		}
	}
	return best
}
