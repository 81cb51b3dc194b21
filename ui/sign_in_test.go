package ui

import (
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// withPasswords gives each of the test clinic's staff a password: their
// role's name followed by "-pass-1".
func withPasswords(t *testing.T, e *storeEnv) {
	t.Helper()
	list, err := e.st.StaffList(e.Ctx, data.SystemActor, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if err := e.st.SetPassword(e.Ctx, data.SystemActor, s.ID, string(s.Role)+"-pass-1"); err != nil {
			t.Fatal(err)
		}
	}
}

// signInAs picks the person on the sign-in screen and types the password.
func signInAs(t *testing.T, e *storeEnv, m *mainWindow, who data.Staff, password string) {
	t.Helper()
	e.q.WaitFor(t, "the staff list on the sign-in screen", func() bool { return len(m.signIn.staff) > 0 })
	for i, s := range m.signIn.staff {
		if s.ID == who.ID {
			m.signIn.who.SetSelectedIndex(i)
		}
	}
	m.signIn.password.SetText("")
	test.Type(m.signIn.password, password)
	m.signIn.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

func tabTitles(m *mainWindow) []string {
	var out []string
	for _, t := range m.tabs.Items {
		out = append(out, t.Text)
	}
	return out
}

func TestSignInOpensTheScreensTheRoleAllows(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	if m.work.Visible() {
		t.Fatal("the work screens should be hidden before anyone signs in")
	}
	desk := e.c.StaffByRole(t, data.RoleReceptionist)

	signInAs(t, e, m, desk, "wrong password")
	e.q.WaitFor(t, "the wrong-password message", func() bool { return m.signIn.message.Visible() })
	if m.work.Visible() || m.signIn.password.Text != "" {
		t.Fatal("a wrong password must not sign in, and the field should be emptied")
	}

	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	if got := strings.Join(tabTitles(m), ","); got != "Clients,Due back" {
		t.Errorf("a receptionist sees %s; want Clients and Due back only", got)
	}
	if m.staffBar.who.Text != desk.Name+" · Receptionist" || m.env.Actor.ID != desk.ID {
		t.Errorf("the bar says %q, working as %+v", m.staffBar.who.Text, m.env.Actor)
	}
	evs, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{ActorID: desk.ID})
	if err != nil || len(evs) != 2 || evs[0].Action != data.ActionSignIn || evs[1].Action != data.ActionSignInFailed {
		t.Fatalf("the trail should hold the failed then the good sign-in: %+v, %v", evs, err)
	}

	test.Tap(m.staffBar.switchU)
	e.q.WaitFor(t, "the sign-in screen again", func() bool { return m.signIn.content.Visible() && !m.work.Visible() })
	owner := e.c.StaffByRole(t, data.RoleOwner)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the owner's screens", func() bool { return m.work.Visible() && m.env.Actor.ID == owner.ID })
	if got := strings.Join(tabTitles(m), ","); got != "Clients,Due back,Products,Settings,Book set-up,Audit" {
		t.Errorf("an owner sees %s", got)
	}
	e.q.WaitFor(t, "the sign-out in the trail", func() bool {
		evs, _ := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{ActorID: desk.ID, Action: data.ActionSignOut})
		return len(evs) == 1
	})
}

func TestAfterFiveWrongPasswordsTheScreenSaysToWait(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	for i := 1; i <= data.FreeSignInAttempts; i++ {
		signInAs(t, e, m, tech, "not it")
		e.q.WaitFor(t, "the attempt to be refused", func() bool { return !m.signIn.busy })
	}
	if msg := m.signIn.message.Text; !strings.Contains(strings.ToLower(msg), "wait") && !strings.Contains(strings.ToLower(msg), "try again") {
		t.Fatalf("after five wrong passwords the screen says %q; want it to say how long to wait", msg)
	}
	signInAs(t, e, m, tech, "technician-pass-1")
	e.q.WaitFor(t, "the refusal during the wait", func() bool { return !m.signIn.busy })
	if m.work.Visible() {
		t.Fatal("even the right password must wait its turn after five wrong ones")
	}
}

func TestIdleLockHidesEverythingAndTheSamePersonCarriesOn(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	now := testClock()
	e.deps.Now = func() time.Time { return now }
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindowSignedOut(t, e)
	owner := e.c.StaffByRole(t, data.RoleOwner)
	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	m.openClient(zoe.ID)
	if m.stack.Depth() != 2 {
		t.Fatal("Zoë's record should be open")
	}

	now = now.Add(4 * time.Minute)
	m.tick()
	if !m.work.Visible() {
		t.Fatal("four idle minutes should not lock (the default is five)")
	}
	m.touched() // the pointer moved
	now = now.Add(4 * time.Minute)
	m.tick()
	if !m.work.Visible() {
		t.Fatal("the pointer moving should count as use")
	}
	now = now.Add(5 * time.Minute)
	m.tick()
	if m.work.Visible() || !m.signIn.content.Visible() || m.signIn.heading.Text != "Locked" {
		t.Fatal("five idle minutes should lock the screen and hide the client's record")
	}
	e.q.WaitFor(t, "the lock in the trail", func() bool {
		evs, _ := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{ActorID: owner.ID, Action: data.ActionLock})
		return len(evs) == 1
	})
	e.q.WaitFor(t, "the locked person offered", func() bool { return m.signIn.who.SelectedIndex() >= 0 })

	signInAs(t, e, m, owner, "owner-pass-1")
	e.q.WaitFor(t, "the work screens again", func() bool { return m.work.Visible() })
	if m.stack.Depth() != 2 {
		t.Error("the same person should find Zoë's record still open")
	}
}

func TestChangeOwnPassword(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	desk := e.c.StaffByRole(t, data.RoleReceptionist)
	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })

	test.Tap(m.staffBar.password)
	top := m.window.Canvas().Overlays().Top()
	entries := passwordEntries(top)
	if len(entries) != 2 {
		t.Fatalf("the dialog has %d password fields; want 2", len(entries))
	}
	test.Type(entries[0], "short")
	test.Type(entries[1], "short")
	test.Tap(uitest.Button(t, m.window, "Change password"))
	if !uitest.Shows(m.window.Canvas().Overlays().Top(), "The new password "+data.CheckPassword("short")+".") {
		t.Fatal("a short password should be refused in words")
	}
	entries[0].SetText("front-desk-2027")
	entries[1].SetText("front-desk-2027")
	test.Tap(uitest.Button(t, m.window, "Change password"))
	e.q.WaitFor(t, "the password changed", func() bool {
		return uitest.Shows(m.window.Canvas().Overlays().Top(), "Use the new password from the next time you sign in.")
	})
	if _, err := e.st.SignIn(e.Ctx, desk.ID, "front-desk-2027"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
}

func passwordEntries(root fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	uitest.Walk(root, func(o fyne.CanvasObject) {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			out = append(out, e)
		}
	})
	return out
}

// TestLockScreenSaysWhoLockedIt: after Lock the screen says the person
// locked it, not that NeedleDesk locked itself; after the idle minutes it
// says it locked itself, and after how long. The trail tells the two apart.
func TestLockScreenSaysWhoLockedIt(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	now := testClock()
	e.deps.Now = func() time.Time { return now }
	m := newShellWindowSignedOut(t, e)
	desk := e.c.StaffByRole(t, data.RoleReceptionist)
	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })

	test.Tap(m.staffBar.lock)
	intro := m.signIn.intro.Text
	if !m.signIn.content.Visible() || strings.Contains(intro, "itself") || !strings.Contains(intro, desk.Name+" locked NeedleDesk") {
		t.Errorf("after Lock the screen says %q; want that %s locked it", intro, desk.Name)
	}
	signInAs(t, e, m, desk, "receptionist-pass-1")
	e.q.WaitFor(t, "the work screens again", func() bool { return m.work.Visible() })

	m.tick() // takes in the focus the sign-in moved
	now = now.Add(time.Duration(data.DefaultIdleMinutes) * time.Minute)
	m.tick()
	if intro := m.signIn.intro.Text; m.work.Visible() || !strings.Contains(intro, "locked itself after 5 minutes without use") {
		t.Errorf("after the idle minutes the screen says %q", intro)
	}
	var evs []data.AuditEvent
	e.q.WaitFor(t, "both locks in the trail", func() bool {
		evs, _ = e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{ActorID: desk.ID, Action: data.ActionLock})
		return len(evs) == 2
	})
	if idle, byHand := evs[0].Detail, evs[1].Detail; idle == byHand || !strings.Contains(idle, "idle") || strings.Contains(byHand, "idle") {
		t.Errorf("the trail notes the idle lock as %q and the one by hand as %q", idle, byHand)
	}
}

// Before the staff list has arrived the name list has nothing to offer:
// it waits, disabled, instead of opening an empty menu (which crashed).
func TestNameListWaitsForTheNames(t *testing.T) {
	e := newStoreEnv(t)
	s := newSignInScreen(e.appEnv, nil, func(data.Staff) {})
	e.w.SetContent(s.content)
	test.Tap(s.who)
	if !s.who.Disabled() || s.who.PlaceHolder != "Reading the staff list…" {
		t.Errorf("before the names arrive the list is enabled %v, says %q", !s.who.Disabled(), s.who.PlaceHolder)
	}
	staff, err := e.st.SignInList(e.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.applyStaff(staff, nil)
	if s.who.Disabled() || len(s.who.Options) != len(staff) || s.who.PlaceHolder != "Choose your name" {
		t.Errorf("with the names the list is disabled %v with %d names, says %q", s.who.Disabled(), len(s.who.Options), s.who.PlaceHolder)
	}
	s.applyStaff(nil, nil)
	if !s.who.Disabled() {
		t.Error("an empty staff list leaves the name list open")
	}
}

// TestBeforeSignInTheWindowReadsOnlyWhatTheSignInScreenShows: with nobody
// signed in the window holds the staff's names (no roles) and the few
// settings the sign-in screen needs; the whole settings are read for the
// person who signs in.
func TestBeforeSignInTheWindowReadsOnlyWhatTheSignInScreenShows(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	e.q.WaitFor(t, "the names", func() bool { return len(m.signIn.who.Options) == 3 })
	if got := strings.Join(m.signIn.who.Options, ", "); got != "Maya Lindqvist, Priya Raman, Sam O'Neill" {
		t.Errorf("the sign-in screen lists %s; want the names alone", got)
	}
	if m.env.Settings.Phone != "" || m.env.Settings.ClinicName != "Lumen Skin Studio" {
		t.Errorf("before anyone signed in the window holds the clinic's phone %q (name %q); want only what sign-in needs",
			m.env.Settings.Phone, m.env.Settings.ClinicName)
	}
	signInAs(t, e, m, e.c.StaffByRole(t, data.RoleReceptionist), "receptionist-pass-1")
	e.q.WaitFor(t, "the whole settings", func() bool { return m.env.Settings.Phone == "+44 1273 555 018" })
}

// TestPasswordCheckMemoryIsGivenBack: the 19 MiB a password check fills
// are garbage once it is over, and the window hands them back to the
// computer at once: right after signing in again at the lock (nothing
// else being made then), the Go heap holds no more than the app keeps,
// and has no free pages kept back from the computer. (Otherwise a
// collection during the check counts them as kept, and the heap grows to
// twice that before collecting again.)
func TestPasswordCheckMemoryIsGivenBack(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	desk := e.c.StaffByRole(t, data.RoleReceptionist)
	// The heap is read the moment a check's memory is given back: read
	// later, it also held what the screens made meanwhile. The first
	// sign-in's is waited for too: it is given back in the background,
	// and heard late it was taken for the second's, whose check was then
	// still filling its 19 MiB.
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	freed := make(chan struct{}, 1)
	hashMemoryFreed = func() { metrics.Read(s); freed <- struct{}{} }
	t.Cleanup(func() { hashMemoryFreed = nil })
	given := func() {
		t.Helper()
		select {
		case <-freed:
		case <-time.After(time.Minute):
			t.Fatal("the memory of the password check was never given back")
		}
	}
	signInAs(t, e, m, desk, "receptionist-pass-1")
	given()
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	m.lockNow()
	signInAs(t, e, m, desk, "receptionist-pass-1")
	given()
	live, objects, free := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
	t.Logf("after signing in: %.1f MB kept, %.1f MB in objects, %.1f MB free and held", float64(live)/(1<<20), float64(objects)/(1<<20), float64(free)/(1<<20))
	if objects+free > live+8<<20 {
		t.Errorf("after signing in the heap holds %.1f MB beyond the %.1f MB the app keeps: the password check's memory is still held",
			float64(objects+free-live)/(1<<20), float64(live)/(1<<20))
	}
	e.q.WaitFor(t, "the work screens again", func() bool { return m.work.Visible() })
}

// TestWorkScreensWaitForThePassword: the window shows the sign-in screen
// without making the work screens first (all the tabs, laid out, held it
// up); it makes them once a password is on its way to be checked, before
// the answer comes, and shows them, with the clients, after it.
func TestWorkScreensWaitForThePassword(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	e.c.AddClient(t, "Zoë", "Adams")
	m := newShellWindowSignedOut(t, e)
	if m.tabs != nil || m.clients != nil {
		t.Fatal("the work screens were made before anyone typed a password")
	}
	signInAs(t, e, m, e.c.StaffByRole(t, data.RoleReceptionist), "receptionist-pass-1")
	if m.tabs == nil || m.work.Visible() {
		t.Fatalf("while the password is checked the work screens are made %v and shown %v; want made and hidden", m.tabs != nil, m.work.Visible())
	}
	e.q.WaitFor(t, "the work screens with the clients", func() bool {
		return m.work.Visible() && sameNames(shownNames(m.window), "Zoë Adams")
	})
	if got := strings.Join(tabTitles(m), ","); got != "Clients,Due back" {
		t.Errorf("a receptionist sees %s", got)
	}
}

// TestTabScreensJoinWhenChosen: at sign-in only the Clients tab's screen
// is in the window; another tab's screen joins it the first time the tab
// is chosen (Fyne's tabs lay out every tab's content whenever they
// change, and the screens nobody had opened held up each sign-in), and
// then works as before.
func TestTabScreensJoinWhenChosen(t *testing.T) {
	e := newStoreEnv(t)
	withPasswords(t, e)
	m := newShellWindowSignedOut(t, e)
	signInAs(t, e, m, e.c.StaffByRole(t, data.RoleOwner), "owner-pass-1")
	e.q.WaitFor(t, "the work screens", func() bool { return m.work.Visible() })
	holds := func(tab *container.TabItem, screen fyne.CanvasObject) bool {
		if tab.Content == screen {
			return true
		}
		box, ok := tab.Content.(*fyne.Container)
		return ok && len(box.Objects) == 1 && box.Objects[0] == screen
	}
	var settingsT *container.TabItem
	for _, tab := range m.tabs.Items {
		if tab.Text == "Settings" {
			settingsT = tab
		}
	}
	if settingsT == nil {
		t.Fatalf("no Settings tab for the owner: %v", tabTitles(m))
	}
	if !holds(m.clientsT, m.stack.Content) {
		t.Error("the Clients tab does not hold the client list")
	}
	if holds(settingsT, m.settings.Content) {
		t.Error("the settings screen is in the window before its tab was chosen")
	}
	m.tabs.Select(settingsT)
	if !holds(settingsT, m.settings.Content) {
		t.Fatal("choosing the Settings tab does not show the settings screen")
	}
	m.tabs.Select(m.clientsT)
	m.tabs.Select(settingsT)
	if !holds(settingsT, m.settings.Content) {
		t.Error("the settings screen left its tab when the tab was chosen again")
	}
}
