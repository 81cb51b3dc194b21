package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/data/storetest"
)

// testNow is noon UTC, so "today" is the same date in nearly every zone the
// tests might run in.
var testNow = time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)

var today = data.DateOf(testNow)

// testClock is a clock the tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an open store on a fresh file with a hand-moved clock.
type env struct {
	t     *testing.T
	ctx   context.Context
	st    *sqlite.Store
	clock *testClock
	path  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clinic", "needledesk.db")
	clock := &testClock{t: testNow}
	st, err := sqlite.Open(t.Context(), path, sqlite.WithClock(clock.Now))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &env{t: t, ctx: t.Context(), st: st, clock: clock, path: path}
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

// named sets the names and a distinct e-mail.
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

// validSession is storetest's session: on day at 10:30 UTC, due back
// four weeks later.
func validSession(clientID, techID int64, day data.Date) data.Session {
	return storetest.Session(clientID, techID, day)
}

// fullSession sets every field of a session on day.
func (e *env) fullSession(clientID, techID int64, day data.Date, products ...data.Product) data.Session {
	s := validSession(clientID, techID, day)
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

// count counts a table's rows through the write connection, which sees
// everything committed.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.st.WriterForTest().QueryRowContext(e.ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatalf("counting %s: %v", table, err)
	}
	return n
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

// counts snapshots row counts before a write that should be refused.
func (e *env) counts(tables ...string) map[string]int {
	out := map[string]int{}
	for _, t := range tables {
		out[t] = e.count(t)
	}
	return out
}

// rawDB opens the file with no store in between, as another program would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// owner adds an active owner, for tests that need a real staff member
// whose role allows everything.
func (e *env) owner() data.Staff { return e.staff("Maya Lindqvist", data.RoleOwner) }
