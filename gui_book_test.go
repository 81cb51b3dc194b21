//go:build cgo

package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
)

// TestWindowBookByKeyboard drives the appointment book in the real
// window, as a receptionist on the demo clinic: after signing in the Book
// tab's day view has the keyboard; Page Down goes to a free weekday, Home
// to its first slot and the arrows to 10:00, Enter opens the booking dialog, the client is found by
// typing the name and a consultation chosen from the menu, Enter books.
// The block is then drawn where the slot was (captured before and after
// into the test's temporary folder), and Enter on it opens the
// appointment, which is moved to 14:30. The database says what happened.
func TestWindowBookByKeyboard(t *testing.T) {
	dir, bin, db, env := demoWindow(t)
	desk := rememberStaff(t, db, dir, data.RoleReceptionist)
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
	keys := func(k ...string) { xdo(t, env, append([]string{"key", "--delay", "150"}, k...)...) }
	typeText := func(s string) { xdo(t, env, "type", "--delay", "40", s) }
	typeText(demo.Passwords[data.RoleReceptionist])
	keys("Return")
	waitFor(t, 30*time.Second, "the receptionist's sign-in", func() bool {
		return sqlCount(t, db, fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'sign_in' AND actor_id = %d", desk)) == 1
	})
	time.Sleep(2 * time.Second) // the Book tab, first for the front desk, reads today

	// A weekday beyond the demo's two weeks of bookings, so its 10:00 is
	// free in the first column.
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	today := data.LocalDay(time.Now(), loc)
	day := today.AddDays(15)
	for wd := day.Time(time.UTC).Weekday(); wd == time.Saturday || wd == time.Sunday; wd = day.Time(time.UTC).Weekday() {
		day = day.AddDays(1)
	}
	for range today.DaysUntil(day) {
		keys("Page_Down") // the next day
	}
	keys("Home", "Down", "Down", "Down", "Down") // the day's first slot, 09:00, then 10:00 (today opened at the time now)
	time.Sleep(1500 * time.Millisecond)
	shots := t.TempDir()
	before := capture(t, env, shots, "day-before.png")

	client, name := uniqueASCIIClient(t, db)
	keys("Return") // the booking dialog, its cursor in the client search
	time.Sleep(1500 * time.Millisecond)
	typeText(name)
	time.Sleep(1500 * time.Millisecond) // the search finds the one client
	keys("Tab", "Tab", "Tab", "Tab")    // the match, technician, room, treatment
	keys("Right")                       // the menu's first line (by name): Consultation
	capture(t, env, shots, "booking-dialog.png")
	keys("Tab", "Return") // Enter in the day books
	booked := fmt.Sprintf("SELECT count(*) FROM appointment WHERE client_id = %d AND created_by = %d", client, desk)
	waitFor(t, 15*time.Second, name+"'s booking", func() bool { return sqlCount(t, db, booked) == 1 })
	start, treatment := bookedAt(t, db, client, desk)
	if want := data.At(day, data.TimeOf(10, 0), loc); !start.Equal(want) || treatment != "Consultation" {
		t.Fatalf("booked %s at %v, want a consultation at %v", treatment, start, want)
	}
	time.Sleep(1500 * time.Millisecond) // the day is read again and drawn
	after := capture(t, env, shots, "day-booked.png")
	if n := changedPixels(before, after); n < 5000 {
		t.Fatalf("only %d pixels changed in the day view after booking; no block was drawn (%s)", n, shots)
	}

	// Enter on the block opens the appointment; Move… (by mouse) asks for
	// the new time, typed over the start, and Enter moves it to 14:30.
	keys("Return")
	time.Sleep(1500 * time.Millisecond)
	capture(t, env, shots, "appointment.png")
	xdo(t, env, "search", "--name", title, "mousemove", "--window", "%1", "127", "284", "click", "1") // Move…, the first button of a booked appointment not yet due
	time.Sleep(1500 * time.Millisecond)                                                               // the book's names are read, then the form shows with the day focused
	keys("Tab", "ctrl+a")
	typeText("14:30")
	keys("Return")
	moved := fmt.Sprintf("SELECT count(*) FROM audit_event WHERE action = 'update' AND entity = 'appointment' AND actor_id = %d", desk)
	waitFor(t, 15*time.Second, "the move in the audit trail", func() bool { return sqlCount(t, db, moved) == 1 })
	if start, _ := bookedAt(t, db, client, desk); !start.Equal(data.At(day, data.TimeOf(14, 30), loc)) {
		t.Fatalf("moved to %v, want 14:30 on %v", start, day)
	}
	time.Sleep(time.Second)
	capture(t, env, shots, "appointment-moved.png")
	quitApp(t, app, exited, logs)
}

// rememberStaff writes the app's preferences as if the demo clinic's
// first member of staff with role and a password had signed in on this
// computer before, and returns their ID.
func rememberStaff(t *testing.T, db, configHome string, role data.Role) int64 {
	t.Helper()
	id := sqlCount(t, db, fmt.Sprintf("SELECT min(id) FROM staff WHERE role = '%s' AND active = 1 AND password_hash != ''", role))
	prefs := filepath.Join(configHome, "fyne", "com.needledesk.app")
	if err := os.MkdirAll(prefs, 0o700); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"actor_id": %d}`, id)
	if err := os.WriteFile(filepath.Join(prefs, "preferences.json"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return id
}

// bookedAt is when the client's appointment booked by the given member
// of staff starts, and its treatment's name.
func bookedAt(t *testing.T, db string, client, by int64) (time.Time, string) {
	t.Helper()
	row := sqlText(t, db, fmt.Sprintf(`SELECT a.start_at || '|' || tt.name FROM appointment a JOIN treatment_type tt ON tt.id = a.treatment_id
		WHERE a.client_id = %d AND a.created_by = %d`, client, by))
	at, name, _ := strings.Cut(row, "|")
	start, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		t.Fatalf("the appointment starts at %q: %v", at, err)
	}
	return start, name
}

// capture photographs the display into dir, fails when the picture looks
// empty, and returns it.
func capture(t *testing.T, env []string, dir, name string) image.Image {
	t.Helper()
	shot := filepath.Join(dir, name)
	cmd := exec.Command("import", "-window", "root", shot)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("capture: %v\n%s", err, out)
	}
	if n := distinctColours(t, shot); n < 20 {
		t.Fatalf("the capture has only %d colours; the window looks empty (%s)", n, shot)
	}
	f, err := os.Open(shot)
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

// changedPixels counts the pixels that differ between two captures.
func changedPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}
