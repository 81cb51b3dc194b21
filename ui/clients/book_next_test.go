package clients

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/screen"
)

// bookRoutes records the booking routes the screens open, and hands any
// other route to the router there was.
func bookRoutes(e *storeEnv) *[]screen.Book {
	var got []screen.Book
	before := e.Router
	e.Router = func(r screen.Route) {
		if b, ok := r.(screen.Book); ok {
			got = append(got, b)
		} else if before != nil {
			before(r)
		}
	}
	return &got
}

// TestBookNextOnTheRecord: in a clinic with the book, the front desk's
// record of a client offers Book next, which asks the shell for the
// booking dialog for that client; without the book, or for an archived
// client, there is no such button.
func TestBookNextOnTheRecord(t *testing.T) {
	e := newStoreEnv(t)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	e.c.AddSession(t, zoe, data.NewDate(2026, 11, 1))
	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, _ := openClientRecord(t, e, zoe.ID)
	if r.bookNextBtn.Visible() {
		t.Error("a clinic without the book offers Book next")
	}
	e.deps.Appointments = e.st
	routes := bookRoutes(e)
	r, _ = openClientRecord(t, e, zoe.ID)
	if !r.bookNextBtn.Visible() {
		t.Fatal("the receptionist has no Book next on the record")
	}
	test.Tap(r.bookNextBtn)
	if len(*routes) != 1 || (*routes)[0] != (screen.Book{Client: data.ClientID(zoe.ID)}) {
		t.Fatalf("Book next asked for %+v; want the booking for Zoë (%d)", *routes, zoe.ID)
	}
	e.Actor = e.c.StaffByRole(t, data.RoleOwner)
	if err := e.st.ArchiveClient(e.Ctx, e.Actor.ID, zoe.ID); err != nil {
		t.Fatal(err)
	}
	r, _ = openClientRecord(t, e, zoe.ID)
	if r.bookNextBtn.Visible() {
		t.Error("an archived client's record offers Book next")
	}
}

// TestBookOnADueBackRow: each row of the Due back list has Book, which
// asks for the booking dialog for that row's client, not for the row's
// record.
func TestBookOnADueBackRow(t *testing.T) {
	w := newDueWorld(t)
	w.deps.Appointments = w.st
	w.Actor = w.c.StaffByRole(t, data.RoleReceptionist)
	s, opened := openDueBack(t, w)
	w.q.WaitFor(t, "the due list", func() bool { return s.status.Text == "2 clients to call (1 overdue)" })
	routes := bookRoutes(w.storeEnv)
	row := newDueRow().(*dueRow)
	s.updateRow(1, row)
	if !row.book.Visible() {
		t.Fatal("the row has no Book button")
	}
	test.Tap(row.book)
	if len(*routes) != 1 || (*routes)[0] != (screen.Book{Client: data.ClientID(w.soon.ID)}) || *opened != 0 {
		t.Fatalf("Book on Ada's row asked for %+v (record %d opened); want the booking for Ada (%d)", *routes, *opened, w.soon.ID)
	}
	w.deps.Appointments = nil
	s.updateRow(1, row)
	if row.book.Visible() {
		t.Error("a clinic without the book offers Book on the row")
	}
}
