package ui

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// Accounts signs staff in and out and keeps their passwords; the store
// records each in the audit trail.
type Accounts = data.AccountStore

// signInScreen covers the whole window until someone signs in: at start,
// after switching user, and when the screen locked itself.
type signInScreen struct {
	env        *appEnv
	prefs      fyne.Preferences
	onSignedIn func(data.Staff)
	// whileChecking, when set, runs on the UI goroutine once a password
	// is on its way to be checked: the window makes its work screens then.
	whileChecking func()

	staff     []data.StaffName
	lockedBy  data.Staff // who was working when the screen locked; zero otherwise
	lockedWhy data.LockReason
	picked    int64 // the name chosen by hand since the screen showed; 0 for none
	filling   bool  // the screen itself is choosing the name, not the person
	busy      bool

	heading  *canvas.Text
	intro    *widget.Label
	who      *widget.Select
	password *widget.Entry
	message  *widget.Label
	button   *widget.Button
	// changeServer is there for a clinic on a server (Deps.changeServer).
	changeServer *widget.Button
	content      fyne.CanvasObject
}

func newSignInScreen(env *appEnv, prefs fyne.Preferences, onSignedIn func(data.Staff)) *signInScreen {
	s := &signInScreen{env: env, prefs: prefs, onSignedIn: onSignedIn}
	s.heading = &canvas.Text{Text: "Sign in", TextSize: theme.Size(theme.SizeNameHeadingText),
		TextStyle: fyne.TextStyle{Bold: true}, Color: theme.Color(theme.ColorNameForeground)}
	s.intro = &widget.Label{Wrapping: fyne.TextWrapWord}
	// Disabled until the names arrive: Fyne 2.7 crashes opening an empty
	// drop-down.
	s.who = &widget.Select{PlaceHolder: "Reading the staff list…", OnChanged: s.onPicked}
	s.who.Disable()
	s.password = widget.NewPasswordEntry()
	s.password.PlaceHolder = "Your password"
	s.password.OnSubmitted = func(string) { s.submit() }
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	s.message.Hide()
	s.button = &widget.Button{Text: "Sign in", Icon: theme.LoginIcon(), Importance: widget.HighImportance, OnTapped: s.submit}

	buttons := container.NewHBox(layout.NewSpacer(), s.button)
	if change := env.deps.changeServer; change != nil {
		// A workstation on the clinic's server: another server (the clinic
		// moved, or this one was pointed at the wrong one) is chosen here,
		// before anyone signs in, as at the first start.
		s.changeServer = &widget.Button{Text: "Change server…", Importance: widget.LowImportance, OnTapped: change}
		buttons = container.NewHBox(s.changeServer, layout.NewSpacer(), s.button)
	}
	form := container.NewVBox(
		container.NewHBox(widget.NewIcon(headingIcon), s.heading),
		s.intro,
		&widget.Label{Text: "Name", TextStyle: fyne.TextStyle{Bold: true}},
		s.who,
		&widget.Label{Text: "Password", TextStyle: fyne.TextStyle{Bold: true}},
		s.password,
		s.message,
		buttons,
	)
	s.content = centredCard(420, form)
	s.showIntro()
	return s
}

// start shows the screen for a fresh sign-in: at start or after a switch.
func (s *signInScreen) start() {
	s.lockedBy = data.Staff{}
	s.reset()
}

// lock shows the screen for whoever was working, so they can go on, and
// says whether they locked it or it locked itself.
func (s *signInScreen) lock(who data.Staff, why data.LockReason) {
	s.lockedBy, s.lockedWhy = who, why
	s.reset()
}

func (s *signInScreen) reset() {
	s.picked = 0
	s.busy = false
	s.button.Enable()
	s.password.SetText("")
	s.message.Hide()
	s.showIntro()
	s.reload()
}

func (s *signInScreen) showIntro() {
	clinic := strings.TrimSpace(s.env.Settings.ClinicName)
	switch {
	case s.lockedBy.ID != 0:
		s.heading.Text = "Locked"
		s.intro.SetText(lockedIntro(s.lockedBy.Name, s.lockedWhy, s.env.Settings.IdleLockMinutes))
	case clinic != "":
		s.heading.Text = "Sign in"
		s.intro.SetText("Welcome to " + clinic + ". Choose your name and enter your password.")
	default:
		s.heading.Text = "Sign in"
		s.intro.SetText("Choose your name and enter your password.")
	}
	s.heading.Refresh()
}

// lockedIntro says who locked the screen or that it locked itself, and how
// to carry on.
func lockedIntro(name string, why data.LockReason, idleMinutes int) string {
	first := name + " locked NeedleDesk to keep client records private."
	if why == data.LockedWhenIdle {
		if idleMinutes <= 0 {
			idleMinutes = data.DefaultIdleMinutes
		}
		unit := "minutes"
		if idleMinutes == 1 {
			unit = "minute"
		}
		first = fmt.Sprintf("NeedleDesk locked itself after %d %s without use, to keep client records private.", idleMinutes, unit)
	}
	return first + " " + name + ", enter your password to carry on where you were. If someone else signs in, " +
		name + "'s unsaved changes are closed."
}

// reload reads who may sign in, in the background.
func (s *signInScreen) reload() {
	if s.env.deps.Staff == nil {
		return
	}
	screen.Background(s.env.Env, s.env.deps.Staff.SignInList, s.applyStaff)
}

func (s *signInScreen) applyStaff(staff []data.StaffName, err error) {
	if err != nil {
		s.showProblem("Could not read the staff list. " + data.UserMessage(err))
		return
	}
	s.staff = staff
	names := make([]string, len(staff))
	for i, st := range staff {
		names[i] = st.Name
	}
	s.who.SetOptions(names)
	if len(names) == 0 {
		s.who.Disable()
	} else {
		s.who.PlaceHolder = "Choose your name"
		s.who.Enable()
	}
	want := s.picked // a name chosen before the list came (again) stays chosen
	if want == 0 {
		want = s.lockedBy.ID
	}
	if want == 0 && s.prefs != nil {
		want = int64(s.prefs.Int(actorPreference))
	}
	s.filling = true
	s.who.ClearSelected()
	for i, st := range staff {
		if st.ID == want {
			s.who.SetSelectedIndex(i)
			break
		}
	}
	s.filling = false
	s.focus()
}

// focus puts the cursor where the person types next: the password once a
// name is chosen, the names otherwise. The window calls it as soon as the
// screen shows, so nothing typed goes to the screens hidden behind it.
func (s *signInScreen) focus() {
	if c := s.env.Window.Canvas(); c != nil && s.content.Visible() {
		if s.who.SelectedIndex() >= 0 {
			c.Focus(s.password)
		} else {
			c.Focus(s.who)
		}
	}
}

// onPicked takes the cursor to the password once a name is chosen.
func (s *signInScreen) onPicked(string) {
	s.message.Hide()
	i := s.who.SelectedIndex()
	if i < 0 {
		return
	}
	if !s.filling && i < len(s.staff) {
		s.picked = s.staff[i].ID
	}
	s.focus()
}

// submit checks the password in the background; hashing takes a moment
// on purpose, so the button waits.
func (s *signInScreen) submit() {
	if s.busy {
		return
	}
	i := s.who.SelectedIndex()
	if i < 0 || i >= len(s.staff) {
		s.showProblem("Choose your name first.")
		return
	}
	if s.password.Text == "" {
		s.showProblem("Enter your password.")
		return
	}
	if s.env.deps.Accounts == nil {
		s.showProblem("Sign-in is not available in this build.")
		return
	}
	s.busy = true
	s.button.Disable()
	id, password := s.staff[i].ID, s.password.Text
	screen.Background(s.env.Env, func(ctx context.Context) (data.Staff, error) {
		st, err := s.env.deps.Accounts.SignIn(ctx, id, password)
		go freeHashMemory()
		return st, err
	}, s.afterSignIn)
	if s.whileChecking != nil {
		s.whileChecking()
	}
}

// freeHashMemory gives the memory a password check used back to the
// computer as soon as the check is over. The check (argon2id, data/
// password.go) fills 19 MiB on purpose; once it is done that is garbage,
// but a collection that ran during the check counted it as kept, and the
// Go heap then grows to twice that (about 70 MB) before collecting again,
// and keeps those pages. Collecting at once, and handing the free pages
// back, leaves the heap at its usual 16 MB or so and its goal at twice
// that. hashMemoryFreed, when set, hears that it is done (tests).
func freeHashMemory() {
	debug.FreeOSMemory()
	if hashMemoryFreed != nil {
		hashMemoryFreed()
	}
}

var hashMemoryFreed func()

func (s *signInScreen) afterSignIn(st data.Staff, err error) {
	s.busy = false
	s.button.Enable()
	s.password.SetText("")
	if err != nil {
		s.showProblem(data.UserMessage(err))
		s.env.Window.Canvas().Focus(s.password)
		return
	}
	if s.prefs != nil {
		s.prefs.SetInt(actorPreference, int(st.ID))
	}
	s.message.Hide()
	s.onSignedIn(st)
}

func (s *signInScreen) showProblem(msg string) {
	s.message.SetText(msg)
	s.message.Show()
}
