package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"needledesk/data"
)

// The behaviour tests moved from data/sqlite (issue 13) work on an env: a
// new store on a clock the test moves by hand, and a look behind the
// store at its tables (Raw) to check that a refused write left nothing.

// Raw is what the suite needs of a store's database behind the store, as
// another program would see it; the stores' TestContract wrap their
// stores in it.
type Raw interface {
	// CountRows counts a table's rows.
	CountRows(ctx context.Context, table string) (int, error)
	// ExecRaw runs one statement without arguments, as another program
	// connected to the database would.
	ExecRaw(ctx context.Context, statement string) error
	// QueryText runs one query without arguments whose rows have one
	// text column, as another program would, and gives its values.
	QueryText(ctx context.Context, query string) ([]string, error)
	// Snapshot reads every row of every table, each row as text, the
	// rows of a table sorted, so that two snapshots are equal exactly
	// when nothing changed.
	Snapshot(ctx context.Context) (map[string][]string, error)
}

// env is an open store on a new clinic with a hand-moved clock.
type env struct {
	t     *testing.T
	ctx   context.Context
	st    data.Store
	raw   Raw
	clock *Clock
	c     contract
}

func (c contract) env(t *testing.T) *env {
	t.Helper()
	clock := NewClock(TestNow)
	st := c.open(t, clock.Now)
	t.Cleanup(func() { _ = st.Close() })
	raw, ok := st.(Raw)
	if !ok {
		t.Fatalf("the store %T cannot be looked behind (storetest.Raw)", st)
	}
	return &env{t: t, ctx: t.Context(), st: st, raw: raw, clock: clock, c: c}
}

// again opens a second handle onto the env's clinic, on the same clock.
func (e *env) again() data.Store {
	e.t.Helper()
	other := e.c.again(e.t, e.st, e.clock.Now)
	e.t.Cleanup(func() { _ = other.Close() })
	return other
}

// validClient is a client every check accepts; edits change it per test.
func validClient(edits ...func(*data.Client)) data.Client {
	c := data.Client{
		GivenName:   "Zoë",
		FamilyName:  "O'Brien",
		DateOfBirth: data.NewDate(1990, time.March, 14),
		Phone:       "+44 20 7946 0958",
		Email:       "zoe@example.com",
	}
	for _, e := range edits {
		e(&c)
	}
	return c
}

// named sets the names and clears the e-mail address.
func named(given, family string) func(*data.Client) {
	return func(c *data.Client) {
		c.GivenName, c.FamilyName = given, family
		c.Email = ""
		c.Phone = "+1 555 010 0000"
	}
}

func (e *env) client(edits ...func(*data.Client)) data.Client {
	e.t.Helper()
	c := validClient(edits...)
	if err := e.st.CreateClient(e.ctx, data.SystemActor, &c); err != nil {
		e.t.Fatalf("CreateClient(%s): %v", c.FullName(), err)
	}
	return c
}

func (e *env) staff(name string, role data.Role) data.Staff {
	e.t.Helper()
	s := data.Staff{Name: name, Role: role, Active: true}
	if err := e.st.CreateStaff(e.ctx, data.SystemActor, &s); err != nil {
		e.t.Fatalf("CreateStaff(%s): %v", name, err)
	}
	return s
}

func (e *env) technician() data.Staff { return e.staff("Priya Raman", data.RoleTechnician) }

// owner adds an active owner, for tests that need a real staff member
// whose role allows everything.
func (e *env) owner() data.Staff { return e.staff("Maya Lindqvist", data.RoleOwner) }

func validProduct(name string, cat data.Category) data.Product {
	return data.Product{
		Name: name, Brand: "Lumen Lab", Category: cat, DefaultStartDay: 3, Active: true,
		HowToUse:       "Apply a thin layer.\nAgain at night.",
		KeyIngredients: []string{"Panthenol", "Aloe vera"},
	}
}

func (e *env) product(name string, cat data.Category) data.Product {
	e.t.Helper()
	p := validProduct(name, cat)
	if err := e.st.CreateProduct(e.ctx, data.SystemActor, &p); err != nil {
		e.t.Fatalf("CreateProduct(%s): %v", name, err)
	}
	return p
}

// Session is a valid session on day at 10:30 UTC, due back four weeks
// later: the one the stores' tests and benchmarks chart.
func Session(clientID, techID int64, day data.Date) data.Session {
	return data.Session{
		ClientID:     clientID,
		TechnicianID: techID,
		StartedAt:    day.Time(time.UTC).Add(10*time.Hour + 30*time.Minute),
		Areas: []data.AreaTreatment{
			{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaForehead, DepthMM: 0.25},
		},
		Device:    "Dermapen 4",
		NeedleLot: "LOT-2611-042",
		Passes:    3,
		Reaction:  "Even redness, no bleeding",
		NextDue:   day.AddDays(28),
	}
}

// fullSession sets every field of a session on day.
func (e *env) fullSession(clientID, techID int64, day data.Date, products ...data.Product) data.Session {
	s := Session(clientID, techID, day)
	s.NumbingAgent, s.NumbingMinutes = "Lidocaine 5% cream", 30
	s.GlideSerum = "Hyaluronic glide"
	s.ProductsApplied = "Calm gel\nSPF"
	s.Notes = "Client chatty; 王芳 referred her."
	s.Warnings = []string{"Pregnant or breastfeeding", "Allergy to metals used in needles"}
	s.OverrideReason = "Doctor's letter on file."
	s.AftercareNotes = "Zoë, keep the gel in the fridge; it feels lovely cold."
	for i, p := range products {
		s.Recommendations = append(s.Recommendations, data.Recommendation{ProductID: p.ID, StartDay: i + 1})
	}
	return s
}

func (e *env) session(s data.Session) data.Session {
	e.t.Helper()
	if err := e.st.CreateSession(e.ctx, data.SystemActor, &s); err != nil {
		e.t.Fatalf("CreateSession: %v", err)
	}
	return s
}

// keep keeps a sheet for a session with the given bytes.
func (e *env) keep(actor, sessionID int64, pdf string) data.Sheet {
	e.t.Helper()
	sh := data.Sheet{SessionID: sessionID, PDF: []byte(pdf)}
	if err := e.st.KeepSheet(e.ctx, actor, &sh); err != nil {
		e.t.Fatalf("KeepSheet: %v", err)
	}
	return sh
}

func (e *env) find(f data.ClientFilter) []data.ClientSummary {
	e.t.Helper()
	got, err := e.st.FindClients(e.ctx, data.SystemActor, f)
	if err != nil {
		e.t.Fatalf("FindClients(%+v): %v", f, err)
	}
	return got
}

// count counts a table's rows as the database holds them.
func (e *env) count(table string) int {
	e.t.Helper()
	n, err := e.raw.CountRows(e.ctx, table)
	if err != nil {
		e.t.Fatalf("counting %s: %v", table, err)
	}
	return n
}

// counts snapshots row counts before a write that should be refused.
func (e *env) counts(tables ...string) map[string]int {
	out := map[string]int{}
	for _, t := range tables {
		out[t] = e.count(t)
	}
	return out
}

// lastAudit is the newest audit event.
func (e *env) lastAudit() data.AuditEvent {
	e.t.Helper()
	evs, err := e.st.AuditEvents(e.ctx, data.SystemActor, data.AuditFilter{Limit: 1})
	if err != nil || len(evs) != 1 {
		e.t.Fatalf("AuditEvents: %v (%d events)", err, len(evs))
	}
	return evs[0]
}

// wantAudit checks the newest audit event says what the change was.
func (e *env) wantAudit(actor int64, action data.Action, entity data.Entity, id int64) {
	e.t.Helper()
	got := e.lastAudit()
	if got.ActorID != actor || got.Action != action || got.Entity != entity || got.EntityID != id {
		e.t.Errorf("last audit event = %+v; want actor %d %s %s %d", got, actor, action, entity, id)
	}
	if !got.At.Equal(e.clock.Now()) {
		e.t.Errorf("audit event at %v; want the store's clock, %v", got.At, e.clock.Now())
	}
}

// refused checks err is a validation error naming field, and that the
// tables the write would have touched did not change.
func (e *env) refused(err error, field string, before map[string]int) {
	e.t.Helper()
	if !errors.Is(err, data.ErrInvalid) {
		e.t.Fatalf("error = %v; want data.ErrInvalid", err)
	}
	var ve *data.ValidationError
	if !errors.As(err, &ve) || ve.For(field) == "" {
		e.t.Errorf("error %v does not name the field %q", err, field)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			e.t.Errorf("%s has %d rows after a refused write; want %d", table, got, n)
		}
	}
}
