package sqlite_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"needledesk/data"
)

// clinic is what the role tests act on (the contract suite's role tests,
// data/storetest/roles.go, have their own): one staff member of each kind and
// one record of each kind, all made by NeedleDesk itself.
type clinic struct {
	staff   map[string]int64 // receptionist, technician, owner, inactive, unknown, colleague
	client  data.Client
	session data.Session // a week before today, so changing it is an amendment
	product data.Product
	sheet   data.Sheet
}

func (e *env) clinic() clinic {
	e.t.Helper()
	cl := clinic{staff: map[string]int64{"unknown": 9999}}
	for _, k := range []struct {
		key string
		s   data.Staff
	}{
		{"receptionist", data.Staff{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true}},
		{"technician", data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}},
		{"owner", data.Staff{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true}},
		{"inactive", data.Staff{Name: "Olga Former", Role: data.RoleOwner}}, // an owner whose account is off
		{"colleague", data.Staff{Name: "Chloé Martin", Role: data.RoleTechnician, Active: true}},
	} {
		if err := e.st.CreateStaff(e.ctx, data.SystemActor, &k.s); err != nil {
			e.t.Fatal(err)
		}
		cl.staff[k.key] = k.s.ID
	}
	cl.client = e.client(func(c *data.Client) { c.Allergies = "Lidocaine"; c.SkinType = 2 })
	cl.product = e.product("Calm Gel", data.CategoryProtectiveGel)
	cl.session = e.session(e.fullSession(cl.client.ID, cl.staff["technician"], today.AddDays(-7), cl.product))
	cl.sheet = data.Sheet{SessionID: cl.session.ID, PDF: fakePDF("kept")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &cl.sheet); err != nil {
		e.t.Fatal(err)
	}
	return cl
}

// wantRefused checks err is a permission error a person can read, and that
// the refusal changed nothing but the audit trail, by one row.
func (e *env) wantRefused(err error, actor int64, before map[string][]string) {
	e.t.Helper()
	if !errors.Is(err, data.ErrForbidden) {
		e.t.Fatalf("error = %v; want data.ErrForbidden", err)
	}
	var fe *data.ForbiddenError
	if msg := data.UserMessage(err); !errors.As(err, &fe) || !strings.Contains(msg, fe.Message) || strings.Contains(msg, "Something went wrong") {
		e.t.Errorf("the message for a refusal reads %q", msg)
	}
	after := e.snapshot()
	for table, rows := range before {
		if table == "audit_event" || table == "audit_head" {
			continue // the trail itself: one denied row, checked below
		}
		if !slices.Equal(rows, after[table]) {
			e.t.Errorf("a refused action changed %s:\nbefore %q\nafter  %q", table, rows, after[table])
		}
	}
	if got, want := len(after["audit_event"]), len(before["audit_event"])+1; got != want {
		e.t.Fatalf("the audit trail has %d rows after a refusal; want %d", got, want)
	}
	last := e.lastAudit()
	if last.Action != data.ActionDenied || last.ActorID != actor || !last.At.Equal(e.clock.Now()) {
		e.t.Errorf("the refusal was recorded as %+v; want a denied row by %d", last, actor)
	}
}

// snapshot reads every row of every table, as text, in a fixed order, so
// that two snapshots are equal exactly when nothing changed.
func (e *env) snapshot() map[string][]string {
	e.t.Helper()
	db := e.st.WriterForTest()
	rows, err := db.QueryContext(e.ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		e.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			e.t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		e.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		out[table] = e.tableRows(table)
	}
	return out
}

func (e *env) tableRows(table string) []string {
	e.t.Helper()
	rows, err := e.st.WriterForTest().QueryContext(e.ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		e.t.Fatalf("reading %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%q", vals))
	}
	if err := rows.Err(); err != nil {
		e.t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
