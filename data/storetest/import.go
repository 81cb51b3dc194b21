package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"

	"needledesk/data"
)

func (ct contract) importClients(t *testing.T) {
	e := ct.env(t)
	cs := make([]data.Client, 250)
	for i := range cs {
		cs[i] = validClient()
	}
	boss := e.owner()
	before := e.count("audit_event")
	if err := e.st.ImportClients(e.ctx, boss.ID, cs); err != nil {
		t.Fatal(err)
	}
	for i, c := range cs {
		if c.ID == 0 || !c.CreatedAt.Equal(TestNow) {
			t.Fatalf("client %d: ID %d, created %v", i, c.ID, c.CreatedAt)
		}
	}
	if got := e.count("client"); got != len(cs) {
		t.Errorf("client has %d rows; want %d", got, len(cs))
	}
	if got := e.count("audit_event") - before; got != len(cs) {
		t.Errorf("import wrote %d audit rows; want %d", got, len(cs))
	}
	e.wantAudit(boss.ID, data.ActionCreate, data.EntityClient, cs[len(cs)-1].ID)
}

func (ct contract) importClientsIsAllOrNothing(t *testing.T) {
	e := ct.env(t)
	cs := []data.Client{validClient(), validClient(), validClient(func(c *data.Client) { c.Email = "not an address" })}
	before := e.counts("client", "audit_event")
	err := e.st.ImportClients(e.ctx, data.SystemActor, cs)
	e.refused(err, "email", before)
	for i, c := range cs {
		if c.ID != 0 {
			t.Errorf("client %d of a refused import got ID %d", i, c.ID)
		}
	}
}

func (ct contract) importNoClients(t *testing.T) {
	e := ct.env(t)
	if err := e.st.ImportClients(e.ctx, data.SystemActor, nil); err != nil {
		t.Errorf("importing nothing: %v", err)
	}
}

func (ct contract) importWithCancelledContextWritesNothing(t *testing.T) {
	e := ct.env(t)
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	before := e.counts("client", "audit_event")
	cs := []data.Client{validClient(), validClient()}
	if err := e.st.ImportClients(ctx, data.SystemActor, cs); !errors.Is(err, context.Canceled) {
		t.Errorf("import with a cancelled context: %v", err)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s: %d rows, was %d", table, got, n)
		}
	}
}

// rowList is a file's rows, already read, for ImportClientRows.
type rowList []data.ImportRow

func (r *rowList) Next() (data.ImportRow, error) {
	if len(*r) == 0 {
		return data.ImportRow{}, io.EOF
	}
	row := (*r)[0]
	*r = (*r)[1:]
	return row, nil
}

// importRows are a file's lines 2 to 8: a new client, a blank line, a
// row the reader refused, a client already in the clinic by e-mail, the
// new client again (name and birth date), a client already in the
// clinic by phone, and a row with an allergy, which a receptionist may
// not record.
func importRows() *rowList {
	row := func(line int, c data.Client) data.ImportRow {
		return data.ImportRow{Line: line, EndLine: line, Client: c}
	}
	byEmail := validClient(named("Zed", "Other"))
	byEmail.Email = "ZOE@example.com"
	byPhone := validClient(named("Phil", "Phone"))
	byPhone.Phone = "+44 20 7946 0958"
	clinical := validClient(named("Rhea", "Clinical"))
	clinical.Allergies = "latex"
	return &rowList{
		row(2, validClient(named("Ada", "One"))),
		{Line: 3, EndLine: 3, Blank: true},
		{Line: 4, EndLine: 4, Problems: []data.RowProblem{{Line: 4, EndLine: 4, Field: "date_of_birth", Reason: "not a date"}}},
		row(5, byEmail),
		row(6, validClient(named("Ada", "One"))),
		row(7, byPhone),
		row(8, clinical),
	}
}

// importClientRowsAccountsForEveryRow: ImportClientRows (the import of a
// client file) adds new clients, skips those already in the clinic or
// earlier in the file, refuses what the reader or the actor's role
// refuses, reports each in file order, and accounts for every row.
func (ct contract) importClientRowsAccountsForEveryRow(t *testing.T) {
	e := ct.env(t)
	zoe := e.client()
	sam := e.staff("Sam O'Neill", data.RoleReceptionist)
	trail := e.count("audit_event")
	var reports []data.RowProblem
	res, err := e.st.ImportClientRows(e.ctx, sam.ID, importRows(), data.ImportOptions{Report: func(p data.RowProblem) { reports = append(reports, p) }})
	if err != nil {
		t.Fatal(err)
	}
	want := data.ImportResult{FirstLine: 2, LastLine: 8, Rows: 7, Imported: 1, Refused: 2, Skipped: 3, Blank: 1}
	if res != want {
		t.Errorf("result %+v; want %+v", res, want)
	}
	var lines []int
	for _, p := range reports {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{4, 5, 6, 7, 8}) {
		t.Errorf("reported lines %v; want 4 to 8", lines)
	}
	if len(reports) == 5 {
		for i, w := range []struct {
			skipped bool
			reason  string
		}{
			{false, "not a date"},
			{true, fmt.Sprintf("already in the clinic as client %d (same e-mail)", zoe.ID)},
			{true, "the same client as line 2 of this file (same name and date of birth)"},
			{true, fmt.Sprintf("already in the clinic as client %d (same phone number)", zoe.ID)},
			{false, ""},
		} {
			if p := reports[i]; p.Skipped != w.skipped || w.reason != "" && p.Reason != w.reason || p.Reason == "" {
				t.Errorf("line %d reported %+v; want skipped %v, %q", p.Line, p, w.skipped, w.reason)
			}
		}
	}
	found := e.find(data.ClientFilter{State: data.AnyState})
	if len(found) != 2 || found[0].FullName() != "Zoë O'Brien" && found[1].FullName() != "Zoë O'Brien" {
		t.Errorf("clients after the import: %v; want Zoë and Ada", found)
	}
	if n := e.count("audit_event") - trail; n != 1 {
		t.Errorf("the import wrote %d audit rows; want one for Ada", n)
	}
	e.wantAudit(sam.ID, data.ActionCreate, data.EntityClient, found[0].ID+found[1].ID-zoe.ID)
}

// importClientRowsAllOrNothing: with AllOrNothing, a refused row undoes
// the whole import, and the result says so.
func (ct contract) importClientRowsAllOrNothing(t *testing.T) {
	e := ct.env(t)
	e.client()
	sam := e.staff("Sam O'Neill", data.RoleReceptionist)
	before := e.counts("client", "audit_event")
	res, err := e.st.ImportClientRows(e.ctx, sam.ID, importRows(), data.ImportOptions{AllOrNothing: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.RolledBack || res.Imported != 0 || res.Refused != 2 || res.Rows != 7 {
		t.Errorf("result %+v; want rolled back with nothing imported", res)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after a rolled-back import; want %d", table, got, n)
		}
	}
	// Without the refused rows, the same file goes in.
	rows := importRows()
	*rows = slices.DeleteFunc(*rows, func(r data.ImportRow) bool { return len(r.Problems) > 0 || r.Client.Allergies != "" })
	res, err = e.st.ImportClientRows(e.ctx, sam.ID, rows, data.ImportOptions{AllOrNothing: true})
	if err != nil || res.RolledBack || res.Imported != 1 || res.Skipped != 3 {
		t.Errorf("the file without its refused rows: %+v, %v", res, err)
	}
}
