// Package ui is NeedleDesk's desktop interface, built with Fyne. Each screen
// is a small struct with its own file and constructor; screens talk to the
// data layer only through the small interfaces declared here, do database
// work on background goroutines and apply the results with fyne.Do.
package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"

	"needledesk/assets"
	"needledesk/data"
)

// AppID is the application identifier, the same as in FyneApp.toml.
const AppID = "com.needledesk.app"

const appName = "NeedleDesk"

// ClientFinder lists clients; data/sqlite's store satisfies it.
type ClientFinder interface {
	FindClients(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error)
}

// SettingsReader reads the clinic's settings; data/sqlite's store satisfies it.
type SettingsReader interface {
	Settings(ctx context.Context) (data.Settings, error)
}

// Deps is everything the interface needs from the rest of NeedleDesk.
// Clients is required; when Settings is nil the default settings are used.
type Deps struct {
	Clients  ClientFinder
	Settings SettingsReader
}

// appIcon is the application icon as a Fyne resource.
var appIcon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// mainWindow is NeedleDesk's main window: for now, the client list.
type mainWindow struct {
	window  fyne.Window
	deps    Deps
	do      func(func())
	clients *clientsScreen
	cancel  context.CancelFunc
}

// NewMainWindow builds the main window on app a and starts loading the
// clinic's settings and client list in the background. The caller shows it.
func NewMainWindow(a fyne.App, deps Deps) fyne.Window {
	return newMainWindow(a, deps, fyne.Do).window
}

// newMainWindow lets tests choose how background results reach the UI
// goroutine; everything else passes fyne.Do.
func newMainWindow(a fyne.App, deps Deps, do func(func())) *mainWindow {
	ctx, cancel := context.WithCancel(context.Background())
	m := &mainWindow{
		window: a.NewWindow(appName),
		deps:   deps,
		do:     do,
		cancel: cancel,
	}
	m.clients = newClientsScreen(ctx, deps.Clients, do)
	m.window.SetIcon(appIcon)
	m.window.SetContent(m.clients.content)
	m.window.Resize(fyne.NewSize(960, 640))
	m.window.SetOnClosed(m.onClosed)
	m.window.Canvas().Focus(m.clients.search)

	if deps.Settings != nil {
		go m.loadSettings(ctx)
	}
	m.clients.reload()
	return m
}

// loadSettings runs on a background goroutine.
func (m *mainWindow) loadSettings(ctx context.Context) {
	s, err := m.deps.Settings.Settings(ctx)
	m.do(func() { m.applySettings(s, err) })
}

func (m *mainWindow) applySettings(s data.Settings, err error) {
	if errors.Is(err, context.Canceled) {
		return // the window was closed
	}
	if err != nil {
		m.clients.showProblem("Could not read the clinic settings. " + data.UserMessage(err))
		return
	}
	m.window.SetTitle(windowTitle(s.ClinicName))
	m.clients.setSettings(s)
}

func (m *mainWindow) onClosed() {
	m.clients.stop()
	m.cancel()
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
