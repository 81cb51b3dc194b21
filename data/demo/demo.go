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

// Store is what filling a clinic needs from the store.
type Store interface {
	data.StaffStore
	data.ProductStore
	data.SettingsStore
	ImportClients(ctx context.Context, actor int64, cs []data.Client) error
	ImportSessions(ctx context.Context, actor int64, ss []data.Session) error
}

// Options says how much to make.
type Options struct {
	Clients  int
	Seed     uint64
	Now      time.Time             // the clinic's present; sessions fall in the two years before it
	Progress func(done, total int) // called after each batch; may be nil
}

// batchSize bounds memory and gives progress a steady beat.
const batchSize = 5000

// Result counts what was added.
type Result struct {
	Clients, Sessions int
	Staff             []data.Staff
}

// Fill adds a catalogue and staff when the database has none, then adds
// opts.Clients clients with 0 to 8 sessions each.
func Fill(ctx context.Context, st Store, opts Options) (Result, error) {
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	var res Result
	settings, err := ensureSettings(ctx, st)
	if err != nil {
		return res, err
	}
	staff, err := ensureStaff(ctx, st)
	if err != nil {
		return res, err
	}
	res.Staff = staff
	products, err := ensureProducts(ctx, st, staff[0].ID)
	if err != nil {
		return res, err
	}
	g := generator{rng: rng, now: opts.Now.UTC(), settings: settings, staff: staff, products: products}
	actor := ownerOf(staff)
	// Small fills (the welcome screen's sample clinic) use small batches so
	// their progress bar moves.
	batch := min(batchSize, max(25, opts.Clients/20))
	for done := 0; done < opts.Clients; {
		n := min(batch, opts.Clients-done)
		clients := make([]data.Client, n)
		for i := range clients {
			clients[i] = g.client()
		}
		if err := st.ImportClients(ctx, actor, clients); err != nil {
			return res, fmt.Errorf("adding demo clients: %w", err)
		}
		var sessions []data.Session
		for _, c := range clients {
			sessions = append(sessions, g.sessions(c)...)
		}
		if err := st.ImportSessions(ctx, actor, sessions); err != nil {
			return res, fmt.Errorf("adding demo sessions: %w", err)
		}
		done += n
		res.Clients += n
		res.Sessions += len(sessions)
		if opts.Progress != nil {
			opts.Progress(done, opts.Clients)
		}
	}
	return res, nil
}

func ensureSettings(ctx context.Context, st Store) (data.Settings, error) {
	s, err := st.Settings(ctx)
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
	if err := st.SaveSettings(ctx, data.SystemActor, s); err != nil {
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

func ensureStaff(ctx context.Context, st Store) ([]data.Staff, error) {
	existing, err := st.StaffList(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("reading staff: %w", err)
	}
	roles := map[data.Role]bool{}
	for _, s := range existing {
		roles[s.Role] = true
	}
	if roles[data.RoleOwner] && roles[data.RoleTechnician] && roles[data.RoleReceptionist] {
		return existing, nil
	}
	var out []data.Staff
	for _, s := range demoStaff {
		if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
			return nil, fmt.Errorf("adding demo staff %s: %w", s.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
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
	existing, err := st.Products(ctx, false)
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
