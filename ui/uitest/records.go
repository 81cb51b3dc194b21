package uitest

import (
	"needledesk/data"
	"needledesk/ui/screen"
	"testing"
	"time"
)

// StaffByRole finds the test clinic's staff member with role r.
func (e *Clinic) StaffByRole(t testing.TB, r data.Role) data.Staff {
	t.Helper()
	list, err := e.Store.StaffList(e.Ctx, data.SystemActor, true)
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

// AddClient saves a valid client and returns it.
func (e *Clinic) AddClient(t testing.TB, given, family string, edit ...func(*data.Client)) data.Client {
	t.Helper()
	c := data.Client{GivenName: given, FamilyName: family, DateOfBirth: data.NewDate(1990, 3, 14),
		Phone: "+44 20 7946 0958", Email: "client@example.com"}
	for _, f := range edit {
		f(&c)
	}
	if err := e.Store.CreateClient(e.Ctx, e.Actor.ID, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// AddProduct saves an active catalogue product.
func (e *Clinic) AddProduct(t testing.TB, name string, cat data.Category, startDay int, ingredients ...string) data.Product {
	t.Helper()
	p := data.Product{Name: name, Brand: "Lumen Lab", Category: cat, DefaultStartDay: startDay,
		HowToUse: "Use as shown.", KeyIngredients: ingredients, Active: true}
	if err := e.Store.CreateProduct(e.Ctx, e.Actor.ID, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// AddSession saves a session for client c on the given day.
func (e *Clinic) AddSession(t testing.TB, c data.Client, day data.Date, edit ...func(*data.Session)) data.Session {
	t.Helper()
	tech := e.StaffByRole(t, data.RoleTechnician)
	s := data.Session{ClientID: c.ID, TechnicianID: tech.ID,
		StartedAt: day.Time(time.Local).Add(10 * time.Hour),
		Areas:     []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}},
		Passes:    3, NextDue: day.AddDays(28)}
	for _, f := range edit {
		f(&s)
	}
	if err := e.Store.CreateSession(e.Ctx, tech.ID, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// StaffNamed finds the staff member called name.
func (e *Clinic) StaffNamed(t testing.TB, name string) data.Staff {
	t.Helper()
	list, err := e.Store.StaffList(e.Ctx, data.SystemActor, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no staff member called %q", name)
	return data.Staff{}
}

// CountEvents counts the events of type E published on h from now on.
func CountEvents[E screen.Event](h *screen.Events) *int {
	n := new(int)
	screen.On(h, func(E) { *n++ })
	return n
}
