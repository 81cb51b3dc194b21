package ui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/pdf"
)

// testClock is the fixed "now" of UI tests: Sunday 22 November 2026, 10:00.
var testClock = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.Local) }

// storeEnv is a screen's world in a test: a real SQLite store in a temporary
// folder, a test window, and a queue standing in for fyne.Do that the test
// goroutine drains (q.waitFor), so only the test goroutine touches widgets.
type storeEnv struct {
	*appEnv
	st *sqlite.Store
	q  uiQueue
	w  fyne.Window
}

// newStoreEnv opens a fresh database with a named clinic and one staff
// member of each role; the owner is working.
func newStoreEnv(t testing.TB) *storeEnv {
	t.Helper()
	a := test.NewTempApp(t)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "clinic.db"), sqlite.WithClock(testClock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); st.Close() })
	settings, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	settings.ClinicName, settings.Phone = "Lumen Skin Studio", "+44 1273 555 018"
	if err := st.SaveSettings(ctx, data.SystemActor, &settings); err != nil {
		t.Fatal(err)
	}
	var owner data.Staff
	for _, s := range []data.Staff{
		{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true},
		{Name: "Priya Raman", Role: data.RoleTechnician, Active: true},
		{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true},
	} {
		if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
			t.Fatal(err)
		}
		if s.Role == data.RoleOwner {
			owner = s
		}
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1180, 760))
	t.Cleanup(w.Close)
	q := newUIQueue()
	env := &appEnv{
		ctx: ctx, do: q.do, events: newEvents(), window: w, settings: settings, actor: owner,
		deps: Deps{Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st, Accounts: st, Audit: st, Export: st,
			Render: pdf.RenderAftercare, Now: testClock},
	}
	_ = a
	return &storeEnv{appEnv: env, st: st, q: q, w: w}
}

// staffByRole finds the test clinic's staff member with role r.
func (e *storeEnv) staffByRole(t testing.TB, r data.Role) data.Staff {
	t.Helper()
	list, err := e.st.StaffList(e.ctx, data.SystemActor, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Role == r {
			return s
		}
	}
	t.Fatalf("no %s in the test clinic", r)
	return data.Staff{}
}

// addClient saves a valid client and returns it.
func (e *storeEnv) addClient(t testing.TB, given, family string, edit ...func(*data.Client)) data.Client {
	t.Helper()
	c := data.Client{GivenName: given, FamilyName: family, DateOfBirth: data.NewDate(1990, 3, 14),
		Phone: "+44 20 7946 0958", Email: "client@example.com"}
	for _, f := range edit {
		f(&c)
	}
	if err := e.st.CreateClient(e.ctx, e.actor.ID, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// addProduct saves an active catalogue product.
func (e *storeEnv) addProduct(t testing.TB, name string, cat data.Category, startDay int, ingredients ...string) data.Product {
	t.Helper()
	p := data.Product{Name: name, Brand: "Lumen Lab", Category: cat, DefaultStartDay: startDay,
		HowToUse: "Use as shown.", KeyIngredients: ingredients, Active: true}
	if err := e.st.CreateProduct(e.ctx, e.actor.ID, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// addSession saves a session for client c on the given day.
func (e *storeEnv) addSession(t testing.TB, c data.Client, day data.Date, edit ...func(*data.Session)) data.Session {
	t.Helper()
	tech := e.staffByRole(t, data.RoleTechnician)
	s := data.Session{ClientID: c.ID, TechnicianID: tech.ID,
		StartedAt: day.Time(time.Local).Add(10 * time.Hour),
		Areas:     []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}},
		Passes:    3, NextDue: day.AddDays(28)}
	for _, f := range edit {
		f(&s)
	}
	if err := e.st.CreateSession(e.ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// show puts a page's content in the test window.
func (e *storeEnv) show(p *page) { e.w.SetContent(p.content) }
