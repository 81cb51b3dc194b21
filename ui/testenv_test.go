package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/pdf"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// testClock is the fixed "now" of UI tests.
var testClock = uitest.Clock

// storeEnv is a screen's world in a test (uitest.Clinic) with the shell's
// stores on the real SQLite store.
type storeEnv struct {
	*appEnv
	st *sqlite.Store
	q  uitest.Queue
	w  fyne.Window
}

// newStoreEnv opens a fresh database with a named clinic and one staff
// member of each role; the owner is working.
func newStoreEnv(t testing.TB) *storeEnv {
	t.Helper()
	c := uitest.NewClinic(t)
	st := c.Store
	env := &appEnv{Env: c.Env,
		deps: Deps{Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st, Accounts: st, Audit: st, Export: st,
			Render: pdf.RenderAftercare, Now: testClock},
	}
	env.Kept = env.keptFiles
	return &storeEnv{appEnv: env, st: st, q: c.Queue, w: c.W}
}

// staffByRole finds the test clinic's staff member with role r.
func (e *storeEnv) staffByRole(t testing.TB, r data.Role) data.Staff {
	t.Helper()
	list, err := e.st.StaffList(e.Ctx, true)
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
	if err := e.st.CreateClient(e.Ctx, e.Actor.ID, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// addProduct saves an active catalogue product.
func (e *storeEnv) addProduct(t testing.TB, name string, cat data.Category, startDay int, ingredients ...string) data.Product {
	t.Helper()
	p := data.Product{Name: name, Brand: "Lumen Lab", Category: cat, DefaultStartDay: startDay,
		HowToUse: "Use as shown.", KeyIngredients: ingredients, Active: true}
	if err := e.st.CreateProduct(e.Ctx, e.Actor.ID, &p); err != nil {
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
	if err := e.st.CreateSession(e.Ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// show puts a page's content in the test window.
func (e *storeEnv) show(p *screen.Page) { e.w.SetContent(p.Content) }
