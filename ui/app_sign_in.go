package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// This file is the main window's side of signing in: who may see what,
// the idle lock and switching user.

// idleTick is how often the window looks for typing and checks the lock.
const idleTick = 5 * time.Second

// signedIn opens the work screens for st. After a lock, the same person
// finds everything as they left it, the cursor included; anyone else gets
// new screens (newWork), with none of the last person's searches, filters
// or open records.
func (m *mainWindow) signedIn(st data.Staff) {
	same := m.workFor == st.ID
	if !same {
		m.dropHiddenOverlays()
		if m.workFor != 0 {
			m.newWork()
		}
	}
	m.prepareWork()
	m.workFor = st.ID
	m.env.Actor = st
	m.staffBar.show(st)
	m.applyRole(st.Role)
	m.signIn.content.Hide()
	m.work.Show()
	m.window.Canvas().Unfocus() // off the sign-in screen, before dialogs come back with their own focus
	m.showHiddenOverlays()
	m.idle = data.NewIdleLock(m.env.Now, m.idleMinutes())
	m.startIdleTicker()
	if same {
		m.restoreFocus()
		return
	}
	m.loadSettings() // the whole settings, now that someone may read them
	m.showFirstTab(st.Role)
}

// restoreFocus puts the keyboard back where it was when the screen
// locked: in the screens or in a dialog that was open.
func (m *mainWindow) restoreFocus() {
	if f := m.lockedFocus; f != nil {
		m.window.Canvas().Focus(f)
	}
	m.lockedFocus = nil
}

// applyRole shows only the screens the person's role can use; the store
// refuses the rest anyway.
func (m *mainWindow) applyRole(r data.Role) {
	var items []*container.TabItem
	if r == data.RoleReceptionist && m.bookT != nil { // the front desk's day starts in the book
		items = append(items, m.bookT)
	}
	for _, t := range m.allTabs {
		if t == m.bookT && len(items) > 0 && items[0] == t {
			continue
		}
		if p, ok := m.tabNeeds[t]; !ok || r.Can(p) {
			items = append(items, t)
		}
	}
	m.tabs.SetItems(items)
}

// signedInNow reports whether someone is at work in the window.
func (m *mainWindow) signedInNow() bool { return m.env.Actor.ID != 0 && m.work.Visible() }

// lockNow is Lock and Ctrl+L: the person locks the screen by hand.
func (m *mainWindow) lockNow() { m.lock(data.LockedByHand) }

// lock hides every client detail until someone signs in again; the
// person's open screens stay as they were underneath. The sign-in screen
// and the audit trail say why it locked.
func (m *mainWindow) lock(why data.LockReason) {
	if !m.signedInNow() {
		return
	}
	who := m.env.Actor
	m.stopIdleTicker()
	m.lockedFocus = m.window.Canvas().Focused()
	m.hideOverlays()
	m.work.Hide()
	m.signIn.lock(who, why)
	m.signIn.content.Show()
	m.signIn.focus()
	m.record(func(ctx context.Context, a Accounts) error { return a.RecordLock(ctx, who.ID, why) })
}

// switchUser signs the person out so someone else can sign in, after
// asking about unsaved changes.
func (m *mainWindow) switchUser() {
	if !m.signedInNow() {
		return
	}
	if m.hasUnsaved() {
		m.env.Confirm("Unsaved changes", "Some changes are not saved yet. Sign out and lose them?",
			"Sign out without saving", m.signOut)
		return
	}
	m.signOut()
}

// signOut closes the person's screens at once (newWork), so nothing of
// theirs waits behind the sign-in screen.
func (m *mainWindow) signOut() {
	who := m.env.Actor
	m.stopIdleTicker()
	m.work.Hide()
	m.dropHiddenOverlays()
	m.newWork()
	m.env.Actor = data.Staff{}
	m.signIn.start()
	m.signIn.content.Show()
	m.signIn.focus()
	m.record(func(ctx context.Context, a Accounts) error { return a.SignOut(ctx, who.ID) })
}

// changeOwnPassword lets whoever is signed in choose a new password.
func (m *mainWindow) changeOwnPassword() {
	if !m.signedInNow() || m.env.deps.Accounts == nil {
		return
	}
	who := m.env.Actor
	pass, repeat := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass.PlaceHolder, repeat.PlaceHolder = "At least 8 characters", "The new password again"
	problem := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	problem.Hide()
	var d dialog.Dialog
	save := func() {
		msg := ""
		switch problem := data.CheckPassword(pass.Text); {
		case problem != "":
			msg = "The new password " + problem + "."
		case pass.Text != repeat.Text:
			msg = "The two passwords are not the same."
		}
		if msg != "" {
			problem.SetText(msg)
			problem.Show()
			dialogs.ShowDialog(m.window, d, nil) // Change password closed it
			return
		}
		accounts, password := m.env.deps.Accounts, pass.Text
		screen.Background(m.env.Env, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, accounts.SetPassword(ctx, who.ID, who.ID, password)
		}, func(_ struct{}, err error) {
			if err != nil {
				problem.SetText(data.UserMessage(err))
				problem.Show()
				dialogs.ShowDialog(m.window, d, nil)
				return
			}
			d.Hide()
			m.env.ShowMessage("Password changed", "Use the new password from the next time you sign in.")
		})
	}
	repeat.OnSubmitted = func(string) { save() }
	body := container.NewVBox(widgets.Caption("A new password for "+who.Name+"."), pass, repeat, problem)
	d = dialog.NewCustomConfirm("Change your password", "Change password", "Cancel", body, func(ok bool) {
		if ok {
			save()
		}
	}, m.window)
	d.Resize(fyne.NewSize(420, 260))
	dialogs.ShowDialog(m.window, d, nil)
	m.window.Canvas().Focus(pass)
}

// record writes a sign-out or lock to the audit trail in the background.
// A failure is shown but changes nothing on screen: the data is hidden
// either way.
func (m *mainWindow) record(write func(context.Context, Accounts) error) {
	a := m.env.deps.Accounts
	if a == nil {
		return
	}
	screen.Background(m.env.Env, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, write(ctx, a)
	}, func(_ struct{}, err error) {
		if err != nil {
			m.env.ShowError("Could not record this in the audit trail", err)
		}
	})
}

// prepareWork makes the work screens if there are none yet. They are not
// made before the sign-in screen shows, which they would hold up (all the
// tabs, laid out, take longer than the rest of the window), but while the
// first password is checked, on the other processor, or at the latest
// when someone signs in. They show no records until then.
func (m *mainWindow) prepareWork() {
	if m.tabs == nil {
		m.newWork()
	}
}

// tabLater is a tab whose screen joins the window the first time the tab
// is chosen (showTab), and start, when not nil, is called then (the screen
// reads its records from then on): until then the tab holds an empty box. Fyne's tabs
// refresh every tab's content whenever they change (made, given the
// role's tabs at sign-in, chosen), and laying out screens nobody had
// opened yet, the settings form above all, took most of the time between
// a password typed and the client list shown.
func (m *mainWindow) tabLater(title string, icon fyne.Resource, screen fyne.CanvasObject, start func()) *container.TabItem {
	t := container.NewTabItemWithIcon(title, icon, container.NewStack())
	m.later[t] = laterTab{screen, start}
	return t
}

// laterTab is a tab's screen waiting to be shown, and what starts it.
type laterTab struct {
	screen fyne.CanvasObject
	start  func()
}

// showTab puts a tab's screen in its box the first time the tab is
// chosen.
func (m *mainWindow) showTab(t *container.TabItem) {
	later, ok := m.later[t]
	if !ok {
		return
	}
	delete(m.later, t)
	box := t.Content.(*fyne.Container)
	box.Objects = []fyne.CanvasObject{later.screen}
	box.Refresh()
	if later.start != nil {
		later.start()
	}
}

func (m *mainWindow) hasUnsaved() bool {
	if m.stack == nil {
		return false
	}
	return m.stack.HasUnsaved() || m.products.HasUnsaved() || m.settings.HasUnsaved() || m.setup.HasUnsaved()
}

// idleMinutes is the clinic's lock delay.
func (m *mainWindow) idleMinutes() int {
	if n := m.env.Settings.IdleLockMinutes; n > 0 {
		return n
	}
	return data.DefaultIdleMinutes
}

// touched is called on any pointer movement over the window.
func (m *mainWindow) touched() {
	if m.idle != nil {
		m.idle.Touch()
	}
}

// tick runs on the UI goroutine every idleTick.
func (m *mainWindow) tick() {
	if !m.signedInNow() || m.idle == nil {
		return
	}
	if m.keys.changed(m.window.Canvas()) {
		m.idle.Touch()
	}
	if m.idle.Locked() {
		m.lock(data.LockedWhenIdle)
	}
}

func (m *mainWindow) startIdleTicker() {
	m.stopIdleTicker()
	t := time.NewTicker(idleTick)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				m.env.Do(m.tick)
			case <-done:
				return
			case <-m.env.Ctx.Done():
				return
			}
		}
	}()
	m.stopTicker = func() { t.Stop(); close(done) }
}

func (m *mainWindow) stopIdleTicker() {
	if m.stopTicker != nil {
		m.stopTicker()
		m.stopTicker = nil
	}
}

// hideOverlays takes open dialogs off the screen while it is locked; they
// come back for the same person.
func (m *mainWindow) hideOverlays() {
	ov := m.window.Canvas().Overlays()
	for _, o := range ov.List() {
		m.hiddenOverlays = append(m.hiddenOverlays, o)
		ov.Remove(o)
	}
}

func (m *mainWindow) showHiddenOverlays() {
	for _, o := range m.hiddenOverlays {
		m.window.Canvas().Overlays().Add(o)
	}
	m.hiddenOverlays = nil
}

// dropHiddenOverlays forgets the dialogs of the person who locked the
// screen, when someone else signs in.
func (m *mainWindow) dropHiddenOverlays() {
	m.hiddenOverlays = nil
	m.lockedFocus = nil
}
