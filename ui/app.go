// Package ui is NeedleDesk's desktop interface, built with Fyne. Each screen
// or dialog is a small struct in its own file; screens share an appEnv (the
// stores, the window, change events, settings and who is working), do
// database work on background goroutines and apply results with fyne.Do.
package ui

import (
	"context"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"needledesk/assets"
	"needledesk/data"
	"needledesk/ui/admin"
	"needledesk/ui/book"
	"needledesk/ui/booksetup"
	"needledesk/ui/clients"
	"needledesk/ui/screen"
)

// AppID is the application identifier, the same as in FyneApp.toml.
const AppID = "com.needledesk.app"

const appName = "NeedleDesk"

// appIcon is the application icon as a Fyne resource, for the window
// manager; headingIcon is the small one, for headings in the window.
var (
	appIcon     = fyne.NewStaticResource("icon.png", assets.IconPNG)
	headingIcon = fyne.NewStaticResource("icon-64.png", assets.SmallIconPNG)
)

// mainWindow holds the navigation: Clients, Due back, Products, Settings.
// The screens behind the tabs belong to whoever is working: someone else
// signing in gets new ones (newWork), so nothing of the last person's
// searches, filters or open records is left.
type mainWindow struct {
	env      *appEnv
	app      fyne.App
	window   fyne.Window
	cancel   context.CancelFunc
	staffBar *staffBar

	// The work screens, made again for each person (newWork).
	tabs     *container.AppTabs
	clientsT *container.TabItem
	stack    *screen.Stack // the Clients tab: list, records, forms
	admin    *admin.Area   // the owner's screens, for whoever is working
	area     *clients.Area // the clients area's screens, for whoever is working
	clients  *clients.ClientsScreen
	dueBack  *clients.DueBackScreen
	book     *book.Area // the appointment book; nil without a book store
	bookT    *container.TabItem
	products *admin.ProductsScreen
	settings *admin.SettingsScreen
	audit    *admin.AuditScreen
	auditT   *container.TabItem
	setup    *booksetup.Area // the owner's side of the appointment book
	setupT   *container.TabItem
	allTabs  []*container.TabItem
	tabNeeds map[*container.TabItem]data.Permission
	tabSave  map[*container.TabItem]func()   // what Ctrl+S saves on each tab
	later    map[*container.TabItem]laterTab // screens of tabs not chosen yet (tabLater)
	workFor  int64                           // whose screens they are; 0 for nobody's yet

	// Who is signed in, and the lock (app_sign_in.go).
	signIn         *signInScreen
	work           *fyne.Container // everything behind the sign-in screen
	workBody       *fyne.Container // the tabs, in work
	idle           *data.IdleLock
	keys           keyWatch
	hiddenOverlays []fyne.CanvasObject
	lockedFocus    fyne.Focusable // where the keyboard was when the screen locked
	stopTicker     func()
	closed         bool
}

// newMainWindow lets tests choose how background results reach the UI
// goroutine; the app passes fyne.Do.
func newMainWindow(a fyne.App, deps Deps, do func(func())) *mainWindow {
	return newMainWindowIn(a, a.NewWindow(appName), deps, do)
}

// newMainWindowIn fills window w with the main screens.
func newMainWindowIn(a fyne.App, w fyne.Window, deps Deps, do func(func())) *mainWindow {
	ctx, cancel := context.WithCancel(context.Background())
	env := &appEnv{Env: &screen.Env{Ctx: ctx, Do: do, Events: screen.NewEvents(), Window: w, Settings: data.DefaultSettings(), Clock: deps.Now}, deps: deps}
	env.Kept = env.keptFiles
	m := &mainWindow{env: env, app: a, window: w, cancel: cancel}
	env.Router = m.open

	m.staffBar = newStaffBar(m.changeOwnPassword, m.lockNow, m.switchUser)
	m.signIn = newSignInScreen(env, a.Preferences(), m.signedIn)
	m.signIn.whileChecking = m.prepareWork
	m.workBody = container.NewStack()
	m.work = container.NewBorder(m.staffBar.content, nil, nil, nil, m.workBody)
	m.work.Hide()
	m.listenAsShell() // the work screens come with the first sign-in (prepareWork)

	w.SetIcon(appIcon)
	w.SetContent(container.NewStack(newMouseWatch(m.touched), m.work, m.signIn.content))
	w.Resize(fyne.NewSize(1180, 760))
	w.SetCloseIntercept(m.onCloseRequested)
	// However the window ends (the intercept, the app quitting, a test),
	// background work for it stops with it.
	w.SetOnClosed(m.stopAll)
	m.addShortcuts()

	m.loadSettings()
	m.signIn.start()
	m.checkOwner()
	return m
}

// newWork makes the screens behind the tabs afresh, on a new change-event
// hub, and lets go of the old ones: their pages close, their searches stop,
// and the events they listened to no longer reach them.
func (m *mainWindow) newWork() {
	if m.stack != nil {
		m.stack.DiscardToRoot()
		m.products.DiscardChanges()
		m.clients.Stop()
		m.setup.Discard()
	}
	env := m.env
	env.Events = screen.NewEvents()
	m.area = clients.New(env.Env, env.deps.clientStores())
	m.clients = m.area.ClientList(m.openClient, m.newClient)
	m.clients.SetSettings(env.Settings)
	m.stack = screen.NewStack(env.Env, &screen.Page{Title: "Clients", Content: m.clients.Content, Shown: m.clients.Focus})
	m.dueBack = m.area.DueBack()
	m.admin = admin.New(env.Env, env.deps.adminStores())
	m.products = m.admin.Products()
	m.settings = m.admin.Settings()
	m.audit = m.admin.Audit()
	m.setup = booksetup.New(env.Env, env.deps.bookSetupStores())

	m.later = map[*container.TabItem]laterTab{}
	m.clientsT = container.NewTabItemWithIcon("Clients", theme.AccountIcon(), m.stack.Content)
	productsT := m.tabLater("Products", theme.StorageIcon(), m.products.Content, nil)
	settingsT := m.tabLater("Settings", theme.SettingsIcon(), m.settings.Content, nil)
	m.auditT = m.tabLater("Audit", theme.ListIcon(), m.audit.Content, nil)
	m.setupT = m.tabLater("Book set-up", theme.CalendarIcon(), m.setup.Content, nil)
	m.allTabs = []*container.TabItem{
		m.clientsT,
		m.tabLater("Due back", theme.HistoryIcon(), m.dueBack.Content, m.dueBack.Start),
		productsT,
		settingsT,
		m.setupT,
		m.auditT,
	}
	m.book, m.bookT = nil, nil
	if env.deps.Book != nil {
		m.book = book.New(env.Env, env.deps.bookStores())
		m.bookT = m.tabLater("Book", theme.CalendarIcon(), m.book.Content, m.book.Start)
		m.allTabs = append([]*container.TabItem{m.clientsT, m.bookT}, m.allTabs[1:]...)
	}
	m.tabNeeds = map[*container.TabItem]data.Permission{productsT: data.PermProductWrite, settingsT: data.PermSettingsWrite,
		m.auditT: data.PermAuditView, m.setupT: data.PermBookSetup}
	m.tabSave = map[*container.TabItem]func(){m.clientsT: m.stack.SaveTop, productsT: m.products.Stack.SaveTop,
		settingsT: m.settings.Save, m.setupT: m.setup.Save}
	m.tabs = container.NewAppTabs(m.allTabs...)
	m.tabs.SetTabLocation(container.TabLocationLeading)
	m.tabs.OnSelected = m.onTabSelected
	m.workBody.Objects = []fyne.CanvasObject{m.tabs}
	m.workBody.Refresh()
	m.workFor = 0

	m.listenAsShell()
	screen.On(env.Events, func(screen.ClientChanged) { m.clients.Reload() })
	screen.On(env.Events, func(screen.SessionChanged) { m.clients.Reload() })
}

// listenAsShell has the window itself hear of changes to the settings
// and the staff list, with or without work screens.
func (m *mainWindow) listenAsShell() {
	screen.On(m.env.Events, func(screen.SettingsChanged) { m.loadSettings() })
	screen.On(m.env.Events, func(screen.StaffChanged) { m.signIn.reload() })
}

// loadSettings reads the settings in the background and applies them:
// before anyone signs in only those the sign-in screen needs, and the
// whole settings for the person signed in.
func (m *mainWindow) loadSettings() {
	store, actor := m.env.deps.Settings, m.env.ActorID()
	switch {
	case store == nil:
	case actor == 0: // nobody signed in (0 is never a person's ID)
		screen.Background(m.env.Env, func(ctx context.Context) (data.Settings, error) {
			front, err := store.SignInSettings(ctx)
			return front.Settings(), err
		}, m.applySettings)
	default:
		read, folders, db := settingsFor(store, actor), m.env.deps.BackupFolders, m.env.deps.databasePath()
		screen.Background(m.env.Env, func(ctx context.Context) (data.Settings, error) {
			s, err := read(ctx)
			if err == nil && db != "" { // the window holds where backups go on this computer (data/backup)
				s.Backups.Folder, _ = folders.FolderFor(db, s.Backups.Folder)
			}
			return s, err
		}, m.applySettings)
	}
}

func (m *mainWindow) applySettings(s data.Settings, err error) {
	if err != nil {
		msg := "Could not read the clinic settings. " + data.UserMessage(err)
		if m.clients == nil {
			m.signIn.showProblem(msg)
		} else {
			m.clients.ShowProblem(msg)
		}
		return
	}
	m.env.Settings = s
	m.window.SetTitle(windowTitle(s.ClinicName))
	rememberClinicName(m.app.Preferences(), m.env.deps.databasePath(), s.ClinicName)
	if m.clients != nil {
		m.clients.SetSettings(s)
	}
	if m.book != nil && m.env.ActorID() != 0 {
		m.book.Reload() // the clinic's zone and hours
	}
	m.signIn.showIntro()
	if m.idle != nil {
		m.idle = data.NewIdleLock(m.env.Now, m.idleMinutes())
	}
}

// checkOwner shows the welcome when nobody can sign in yet: a new clinic,
// or one from before NeedleDesk had passwords.
func (m *mainWindow) checkOwner() {
	accounts := m.env.deps.Accounts
	if accounts == nil {
		return
	}
	screen.Background(m.env.Env, accounts.NeedsOwner, func(needs bool, err error) {
		if err != nil {
			m.signIn.showProblem("Could not read the staff accounts. " + data.UserMessage(err))
			return
		}
		if needs && !m.welcomed() {
			showWelcome(m.env, m.signedIn)
		}
	})
}

// welcomed reports whether the welcome has already been shown in this run.
func (m *mainWindow) welcomed() bool {
	done := m.env.welcomeShown
	m.env.welcomeShown = true
	return done
}

func (m *mainWindow) onTabSelected(t *container.TabItem) {
	m.showTab(t)
	m.window.Canvas().Unfocus() // the focus stays with the tab left otherwise, hidden
	if t == m.clientsT && m.stack.Depth() == 1 {
		m.focusClientSearch()
	}
	if t == m.auditT {
		m.audit.Shown()
	}
	if t == m.bookT && m.bookT != nil {
		m.book.Shown()
	}
	if t == m.setupT {
		m.setup.Shown()
	}
}

// showFirstTab shows, after signing in, where the person's day starts:
// the book for the front desk, the client search for everyone else.
func (m *mainWindow) showFirstTab(r data.Role) {
	if m.bookT != nil && r == data.RoleReceptionist {
		m.tabs.Select(m.bookT)
		m.onTabSelected(m.bookT)
		return
	}
	m.tabs.Select(m.clientsT)
	m.clients.Reload()
	m.focusClientSearch()
}

// open shows the page a route names (screen.Env.Open): any screen can
// open these without knowing which tab holds them.
func (m *mainWindow) open(r screen.Route) {
	switch r := r.(type) {
	case screen.ClientSearch:
		m.focusSearch()
	case screen.NewClient:
		m.newClient()
	case screen.ClientRecord:
		m.openClient(int64(r.Client))
	case screen.NewSession:
		m.newSession(int64(r.Client), r.Appointment)
	case screen.Book:
		if m.book != nil && m.signedInNow() {
			m.book.BookNext(int64(r.Client))
		}
	case screen.Appointment:
		m.openAppointment(r.ID)
	}
}

// openAppointment shows an appointment's page in the Book tab.
func (m *mainWindow) openAppointment(id int64) {
	if m.book == nil || !m.signedInNow() {
		return
	}
	m.tabs.Select(m.bookT)
	m.book.OpenAppointment(id)
}

// newSession opens the session form for a client, over the client's
// record in the Clients tab, so saving or Back lands on the record.
func (m *mainWindow) newSession(id, appointment int64) {
	if !m.signedInNow() {
		return
	}
	actor := m.env.ActorID()
	screen.Background(m.env.Env, func(ctx context.Context) (data.Client, error) {
		return m.env.deps.Clients.Client(ctx, actor, id)
	}, func(c data.Client, err error) {
		if err != nil {
			m.env.ShowError("Could not open the session form", err)
			return
		}
		if !m.signedInNow() || m.env.ActorID() != actor {
			return // someone else is working now
		}
		m.tabs.Select(m.clientsT)
		m.stack.PopToRoot(func() {
			m.stack.Push(m.area.Record(m.stack, id))
			if appointment != 0 {
				m.stack.Push(m.area.NewSessionFor(m.stack, c, appointment))
				return
			}
			m.stack.Push(m.area.NewSession(m.stack, c))
		})
	})
}

// openClient shows a client's record in the Clients tab.
func (m *mainWindow) openClient(id int64) {
	if !m.signedInNow() {
		return
	}
	m.tabs.Select(m.clientsT)
	m.stack.PopToRoot(func() { m.stack.Push(m.area.Record(m.stack, id)) })
}

// newClient opens an empty client form in the Clients tab.
func (m *mainWindow) newClient() {
	if !m.signedInNow() {
		return
	}
	m.tabs.Select(m.clientsT)
	m.stack.PopToRoot(func() {
		m.stack.Push(m.area.ClientForm(data.Client{}, func(c data.Client) {
			m.stack.ReplaceTop(m.area.Record(m.stack, c.ID))
		}, m.stack.Pop))
	})
}

// focusSearch goes back to the client list with the cursor in the search.
func (m *mainWindow) focusSearch() {
	if !m.signedInNow() {
		return
	}
	m.tabs.Select(m.clientsT)
	m.stack.PopToRoot(m.focusClientSearch)
}

// focusClientSearch puts the cursor in the client search, even before the
// list has been drawn (right after signing in).
func (m *mainWindow) focusClientSearch() {
	m.window.Canvas().Focus(m.clients.Search)
}

// saveInView saves the form on the tab in view, if it shows one: Ctrl+S
// when the focus is not in one of the form's text fields.
func (m *mainWindow) saveInView() {
	if !m.signedInNow() {
		return
	}
	if save := m.tabSave[m.tabs.Selected()]; save != nil {
		save()
	}
}

// onCloseRequested asks before closing over unsaved changes.
func (m *mainWindow) onCloseRequested() {
	if !m.hasUnsaved() {
		m.close()
		return
	}
	m.env.Confirm("Unsaved changes", "Some changes are not saved yet. Close NeedleDesk and lose them?",
		"Close without saving", m.close)
}

// stopAll ends the window's background work: searches, loads and the
// idle lock's ticker. The window itself stays, as after a restore.
func (m *mainWindow) stopAll() {
	m.stopIdleTicker()
	if m.clients != nil {
		m.clients.Stop()
	}
	m.cancel()
}

func (m *mainWindow) close() {
	if m.closed {
		return // closing twice upsets Fyne's drivers
	}
	m.closed = true
	m.window.Close() // its OnClosed stops the background work
}

// windowTitle is "NeedleDesk - <clinic name>", or "NeedleDesk" before the
// clinic has a name.
func windowTitle(clinic string) string {
	clinic = strings.TrimSpace(clinic)
	if clinic == "" {
		return appName
	}
	return appName + " - " + clinic
}

// The clinic's name is remembered in the app's preferences with the
// database it came from, so that the next start names the clinic in the
// title at once, while the database is still being checked and opened (and
// on the screen that says it is damaged), not only once its settings have
// been read.
const (
	prefClinicName = "clinic_name"
	prefClinicDB   = "clinic_name_database"
)

// rememberClinicName keeps the name of the clinic whose database is at db.
func rememberClinicName(p fyne.Preferences, db, clinic string) {
	if db == "" {
		return
	}
	p.SetString(prefClinicDB, sameFile(db))
	p.SetString(prefClinicName, strings.TrimSpace(clinic))
}

// startTitle is the title to show before the database at db is open: the
// clinic's name as last seen in that database, when it was this one.
func startTitle(p fyne.Preferences, db string) string {
	if db == "" || p.String(prefClinicDB) != sameFile(db) {
		return appName
	}
	return windowTitle(p.String(prefClinicName))
}

// sameFile is path as an absolute, clean path, so two spellings of one
// file compare equal.
func sameFile(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}
