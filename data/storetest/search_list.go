package storetest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"needledesk/data"
)

// ClientListCopy is a store that answers searches from a copy of the
// client list it keeps in memory (both stores do: data/internal/
// clientlist). ClientListForTest waits for the copy being read, if any,
// and reports the version of the list it was read at (-1 for none) and
// the list's version now. The contract waits for the copy with it, so
// that the searches after are answered from the copy.
type ClientListCopy interface {
	ClientListForTest(ctx context.Context) (kept, now int64, err error)
}

// listed is a client as the test expects the search to list it.
type listed struct {
	id                          int64
	given, family, email, phone string
	archived                    bool
	due                         data.Date
}

// listSearch is a search and which clients it should find: the page of
// those match says yes to, in list order.
type listSearch struct {
	f     data.ClientFilter
	match func(m listed) bool
}

// searchSeesEveryChange: searches over archived clients, due lists,
// pages further on and phone numbers list what the records hold, in list
// order, before the store has a copy of the client list and after, and
// straight after another workstation renames, archives, adds or changes
// a client, or a statement typed by hand brings one back: a copy that no
// longer fits is never used.
func (c contract) searchSeesEveryChange(t *testing.T) {
	e := c.env(t)
	tech := e.technician()
	cs := make([]data.Client, 60)
	for i := range cs {
		cs[i] = validClient(named("Anna", "Family "+string(rune('A'+i/26))+string(rune('a'+i%26))))
		cs[i].Phone = fmt.Sprintf("+44 7700 9001%02d", i)
	}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	var model []listed
	for i, s := range e.find(data.ClientFilter{State: data.AnyState, Limit: 100}) {
		model = append(model, listed{id: s.ID, given: "Anna", family: cs[i].FamilyName, phone: cs[i].Phone})
	}
	today := data.DateOf(TestNow)
	for i := range model {
		if i%3 == 0 {
			model[i].archived = true
			if err := e.st.ArchiveClient(e.ctx, data.SystemActor, model[i].id); err != nil {
				t.Fatal(err)
			}
		}
		if i%4 == 1 { // due back on days out of name order
			day := today.AddDays(-(i * 7 % 20))
			e.session(Session(model[i].id, tech.ID, day))
			model[i].due = day.AddDays(28)
		}
	}
	due := data.ClientFilter{Text: "anna", DueFrom: today.AddDays(10), DueTo: today.AddDays(26), Limit: 5, Offset: 1}
	searches := []listSearch{
		{data.ClientFilter{Text: "anna"}, func(m listed) bool { return m.given == "Anna" }},
		{data.ClientFilter{Text: "ANNA", State: data.ArchivedOnly, Offset: 2, Limit: 3}, func(m listed) bool { return m.given == "Anna" }},
		{data.ClientFilter{Text: "anna", State: data.AnyState, Offset: 40, Limit: 50}, func(m listed) bool { return m.given == "Anna" }},
		{data.ClientFilter{Text: "family b"}, func(m listed) bool { return strings.HasPrefix(m.family, "Family B") }},
		{data.ClientFilter{Text: "07700 900105", State: data.AnyState}, func(m listed) bool { return m.phone == "+44 7700 900105" }},
		{data.ClientFilter{Text: "900199"}, func(m listed) bool { return strings.HasSuffix(m.phone, "900199") }},
		{data.ClientFilter{Text: "extra"}, func(m listed) bool { return strings.Contains(m.email, "extra") }},
		{due, func(m listed) bool { return m.given == "Anna" && !m.due.Before(due.DueFrom) && !m.due.After(due.DueTo) }},
	}
	e.wantSearches(searches, model, "before the store had a copy of the list")
	e.clientListCurrent()
	e.wantSearches(searches, model, "from the copy of the list")

	other := e.again()
	current := func(first bool) int {
		for i := range model {
			j := i
			if !first {
				j = len(model) - 1 - i
			}
			if !model[j].archived && model[j].given == "Anna" {
				return j
			}
		}
		t.Fatal("no current client")
		return 0
	}
	changes := []struct {
		what   string
		change func() error
	}{
		{"renamed from last to first", func() error {
			i := current(false)
			model[i].family = "Aardvark"
			return other.UpdateClient(e.ctx, data.SystemActor, e.edited(other, model[i].id, func(c *data.Client) { c.FamilyName = "Aardvark" }))
		}},
		{"archived", func() error {
			i := current(true)
			model[i].archived = true
			return other.ArchiveClient(e.ctx, data.SystemActor, model[i].id)
		}},
		{"added", func() error {
			added := validClient(named("Anna", "Aalto"))
			if err := other.CreateClient(e.ctx, data.SystemActor, &added); err != nil {
				return err
			}
			model = append(model, listed{id: added.ID, given: "Anna", family: "Aalto", phone: added.Phone})
			return nil
		}},
		{"given a new e-mail address and phone number", func() error {
			model[7].email, model[7].phone = "anna.extra@example.org", "+44 7700 900199"
			return other.UpdateClient(e.ctx, data.SystemActor, e.edited(other, model[7].id, func(c *data.Client) {
				c.Email, c.Phone = model[7].email, model[7].phone
			}))
		}},
		{"brought back by hand", func() error {
			model[3].archived = false
			return e.raw.ExecRaw(e.ctx, fmt.Sprintf(`UPDATE client SET archived_at = NULL WHERE id = %d`, model[3].id))
		}},
	}
	for _, ch := range changes {
		if err := ch.change(); err != nil {
			t.Fatalf("a client %s: %v", ch.what, err)
		}
		e.wantSearches(searches, model, "straight after a client was "+ch.what+" elsewhere")
		e.clientListCurrent()
		e.wantSearches(searches, model, "from the copy read after a client was "+ch.what+" elsewhere")
	}
}

// edited reads client id on st, edits it and returns it to be saved.
func (e *env) edited(st data.Store, id int64, edit func(*data.Client)) *data.Client {
	e.t.Helper()
	c, err := st.Client(e.ctx, data.SystemActor, id)
	if err != nil {
		e.t.Fatal(err)
	}
	edit(&c)
	return &c
}

// clientListCurrent has the store read its copy of the client list anew
// if it no longer fits (a search does), and waits for it.
func (e *env) clientListCurrent() {
	e.t.Helper()
	lc, ok := e.st.(ClientListCopy)
	if !ok {
		return
	}
	e.find(data.ClientFilter{Text: "anna"})
	kept, now, err := lc.ClientListForTest(e.ctx)
	if err != nil || kept != now {
		e.t.Fatalf("the copy of the client list is of version %d, the list at %d (%v)", kept, now, err)
	}
}

// wantSearches checks each search lists the clients of model it should,
// in list order: by name (folded family, given, ID), or for a due list
// by due date first.
func (e *env) wantSearches(searches []listSearch, model []listed, when string) {
	e.t.Helper()
	for _, s := range searches {
		var want []int64
		ms := slices.Clone(model)
		slices.SortFunc(ms, func(a, b listed) int {
			byDue := !s.f.DueFrom.IsZero() || !s.f.DueTo.IsZero()
			if c := a.due.Compare(b.due); byDue && c != 0 {
				return c
			}
			return cmp.Or(strings.Compare(data.FoldForSearch(a.family), data.FoldForSearch(b.family)),
				strings.Compare(data.FoldForSearch(a.given), data.FoldForSearch(b.given)), cmp.Compare(a.id, b.id))
		})
		for _, m := range ms {
			if s.match(m) && archiveAdmits(s.f.State, m.archived) {
				want = append(want, m.id)
			}
		}
		limit := s.f.Limit
		if limit <= 0 {
			limit = 50
		}
		want = want[min(s.f.Offset, len(want)):min(s.f.Offset+limit, len(want))]
		var got []int64
		for _, c := range e.find(s.f) {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, want) {
			e.t.Errorf("%s: %+v found %v; want %v", when, s.f, got, want)
		}
	}
}

func archiveAdmits(st data.ArchiveState, archived bool) bool {
	switch st {
	case data.ArchivedOnly:
		return archived
	case data.AnyState:
		return true
	default:
		return !archived
	}
}
