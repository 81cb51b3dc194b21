// Package demo fills a database with a realistic, repeatable clinic: a
// product catalogue, staff of every role, and clients with a treatment
// history. The same seed and day give the same clinic.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"needledesk/data"
)

// Store is what filling a clinic needs from the store: a store, or the
// one a first start's set-up hands its sample clinic.
type Store = data.SampleStore

// BookStore is what filling the appointment book needs as well: the
// rooms and the treatment menu (read, and added to when the clinic has
// none), the book's days (read, so a second fill books around what is
// there) and an import of appointments. A store that has it gets two
// years of appointments matching the sessions and the next two weeks'
// bookings, a few of them today and on the next day the clinic opens.
// Every store is one, and so is what a first start's set-up hands the
// sample clinic.
type BookStore interface {
	Store
	Rooms(ctx context.Context, actor int64, includeRetired bool) ([]data.Room, error)
	CreateRoom(ctx context.Context, actor int64, r *data.Room) error
	TreatmentTypes(ctx context.Context, actor int64, includeRetired bool) ([]data.TreatmentType, error)
	CreateTreatmentType(ctx context.Context, actor int64, t *data.TreatmentType) error
	ImportAppointments(ctx context.Context, actor int64, as []data.Appointment) error
	DayAppointments(ctx context.Context, actor int64, day data.Date) ([]data.Appointment, error)
}

// SampleClients is how many made-up clients the sample clinic has.
const SampleClients = 300

// Sample is the sample clinic a first start offers
// (data.ClinicSetup.Sample): SampleClients clients with their histories,
// made as of now(), a catalogue, staff of every role and, when the
// set-up's store is a BookStore (both stores' are), the appointment book.
func Sample(now func() time.Time) data.SampleFiller {
	return func(ctx context.Context, st data.SampleStore, progress func(done, total int)) error {
		_, err := Fill(ctx, st, Options{Clients: SampleClients, Seed: 1, Now: now(), Progress: progress})
		return err
	}
}

// Options says how much to make.
type Options struct {
	Clients  int
	Seed     uint64
	Now      time.Time             // the clinic's present; sessions fall in the two years before it, bookings in the two weeks after
	Progress func(done, total int) // called after each batch; may be nil
}

// batchSize bounds memory and gives progress a steady beat.
const batchSize = 5000

// Result counts what was added.
type Result struct {
	Clients, Sessions int
	// Appointments counts every appointment added: one per session, the
	// cancelled and missed ones, and the next two weeks' bookings (with a
	// few today and on the next day the clinic opens).
	Appointments int
	// Staff is the clinic's staff the clients were made with.
	Staff []data.Staff
	// Accounts are the staff the demo gave a password (Passwords), one per
	// role it added; empty when the clinic already had staff of every role.
	Accounts []Account
}

// Account is a demo staff member who can sign in, and their password.
type Account struct {
	Staff    data.Staff
	Password string
}

// Passwords are the demo clinic's sign-in passwords, one account per role,
// as the README's "Demo sign-in" lists them. They are for trying
// NeedleDesk out; a clinic that keeps real records in a demo database must
// change them.
var Passwords = map[data.Role]string{
	data.RoleOwner:        "owner-demo",
	data.RoleTechnician:   "tech-demo",
	data.RoleReceptionist: "desk-demo",
}

// Fill adds a catalogue and staff when the database has none, then adds
// opts.Clients clients with 0 to 8 sessions each, and their appointments
// when st is a BookStore.
func Fill(ctx context.Context, st Store, opts Options) (Result, error) {
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	var res Result
	settings, err := ensureSettings(ctx, st)
	if err != nil {
		return res, err
	}
	staff, accounts, err := ensureStaff(ctx, st)
	if err != nil {
		return res, err
	}
	res.Staff, res.Accounts = staff, accounts
	actor := ownerOf(staff)
	products, err := ensureProducts(ctx, st, actor)
	if err != nil {
		return res, err
	}
	g := generator{rng: rng, now: opts.Now.UTC(), settings: settings, staff: staff, products: products}
	book, hasBook := st.(BookStore)
	if hasBook {
		if err := g.setUpBook(ctx, book, actor); err != nil {
			return res, err
		}
	}
	// Small fills (the welcome screen's sample clinic) use small batches so
	// their progress bar moves.
	batch := min(batchSize, max(25, opts.Clients/20))
	for done := 0; done < opts.Clients; {
		n := min(batch, opts.Clients-done)
		people := make([]person, n)
		clients := make([]data.Client, n)
		for i := range people {
			people[i] = g.person()
			clients[i] = people[i].client
		}
		if err := st.ImportClients(ctx, actor, clients); err != nil {
			return res, fmt.Errorf("adding demo clients: %w", err)
		}
		var sessions []data.Session
		var visits []visit
		for i := range people {
			people[i].client = clients[i] // with its ID
			ss, vs, err := g.sessions(people[i])
			if err != nil {
				return res, err
			}
			sessions, visits = append(sessions, ss...), append(visits, vs...)
		}
		if err := st.ImportSessions(ctx, actor, sessions); err != nil {
			return res, fmt.Errorf("adding demo sessions: %w", err)
		}
		var appts []data.Appointment
		if hasBook {
			if appts, err = g.appointments(people, sessions, visits); err != nil {
				return res, err
			}
			if err := book.ImportAppointments(ctx, actor, appts); err != nil {
				return res, fmt.Errorf("adding demo appointments: %w", err)
			}
		}
		done += n
		res.Clients += n
		res.Sessions += len(sessions)
		res.Appointments += len(appts)
		if opts.Progress != nil {
			opts.Progress(done, opts.Clients)
		}
	}
	if hasBook {
		n, err := g.bookFrontDesk(ctx, book, actor)
		if err != nil {
			return res, err
		}
		res.Appointments += n
	}
	res.Staff = g.staff // with the technicians a busy book added
	return res, nil
}

func ensureSettings(ctx context.Context, st Store) (data.Settings, error) {
	s, err := st.Settings(ctx, data.SystemActor)
	if err != nil {
		return s, fmt.Errorf("reading settings: %w", err)
	}
	if s.ClinicName != "" {
		return s, nil
	}
	s.ClinicName = "Lumen Skin Studio"
	s.Address = "12 Harbour Lane\nBrighton BN1 2AB\nUnited Kingdom"
	s.Phone = "+44 1273 555 018"
	s.Email = "hello@lumenskin.example"
	s.Website = "lumenskin.example"
	s.TimeZone = "Europe/London" // Brighton's, whatever the computer's zone
	if err := st.SaveSettings(ctx, data.SystemActor, &s); err != nil {
		return s, fmt.Errorf("saving demo settings: %w", err)
	}
	return s, nil
}

var demoStaff = []data.Staff{
	{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true},
	{Name: "Priya Raman", Role: data.RoleTechnician, Active: true},
	{Name: "Tomás Herrera", Role: data.RoleTechnician, Active: true},
	{Name: "Chloé Martin", Role: data.RoleTechnician, Active: true},
	{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true},
	{Name: "Yuki Tanaka", Role: data.RoleReceptionist, Active: true},
}

// ensureStaff adds the demo staff of every role the clinic lacks, and
// gives the first added of each role its demo password. A clinic that
// already has an owner keeps its owner and gains no demo owner, so no
// known password opens its owner's screens.
func ensureStaff(ctx context.Context, st Store) ([]data.Staff, []Account, error) {
	existing, err := st.StaffList(ctx, data.SystemActor, false)
	if err != nil {
		return nil, nil, fmt.Errorf("reading staff: %w", err)
	}
	had := map[data.Role]bool{}
	for _, s := range existing {
		had[s.Role] = true
	}
	if had[data.RoleOwner] && had[data.RoleTechnician] && had[data.RoleReceptionist] {
		return existing, nil, nil
	}
	out := existing
	var accounts []Account
	for _, s := range demoStaff {
		if had[s.Role] {
			continue
		}
		if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
			return nil, nil, fmt.Errorf("adding demo staff %s: %w", s.Name, err)
		}
		if !hasAccount(accounts, s.Role) {
			pw := Passwords[s.Role]
			if err := st.SetPassword(ctx, data.SystemActor, s.ID, pw); err != nil {
				return nil, nil, fmt.Errorf("setting the demo password of %s: %w", s.Name, err)
			}
			s.HasPassword = true
			accounts = append(accounts, Account{Staff: s, Password: pw})
		}
		out = append(out, s)
	}
	return out, accounts, nil
}

func hasAccount(accounts []Account, r data.Role) bool {
	for _, a := range accounts {
		if a.Staff.Role == r {
			return true
		}
	}
	return false
}

func ownerOf(staff []data.Staff) int64 {
	for _, s := range staff {
		if s.Role == data.RoleOwner {
			return s.ID
		}
	}
	return data.SystemActor
}

func ensureProducts(ctx context.Context, st Store, actor int64) ([]data.Product, error) {
	existing, err := st.Products(ctx, data.SystemActor, false)
	if err != nil {
		return nil, fmt.Errorf("reading products: %w", err)
	}
	if len(existing) > 0 {
		return existing, nil
	}
	var out []data.Product
	for _, p := range catalogue {
		p.Active = true
		if err := st.CreateProduct(ctx, actor, &p); err != nil {
			return nil, fmt.Errorf("adding demo product %s: %w", p.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}
