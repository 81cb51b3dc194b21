package postgres_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/postgres"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storetest"
)

// listStore is a store on a new database with a connection of its own
// beside it, as another program would have.
type listStore struct {
	*postgres.Store
	raw *pgxpool.Pool
	t   *testing.T
}

func newListStore(t *testing.T) listStore {
	t.Helper()
	url := pgtest.NewDatabase(t)
	raw, err := pgxpool.New(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(raw.Close)
	return listStore{Store: openStore(t, url), raw: raw, t: t}
}

func (s listStore) version() int64 {
	s.t.Helper()
	_, now, err := s.ClientListForTest(s.t.Context())
	if err != nil {
		s.t.Fatal(err)
	}
	return now
}

func (s listStore) exec(sql string, args ...any) error {
	_, err := s.raw.Exec(s.t.Context(), sql, args...)
	return err
}

func dated(c data.Client, i int) data.Client {
	c.DateOfBirth = data.NewDate(1980, time.January, 1+i%28)
	return c
}

// TestClientListVersionFollowsEveryChange: whatever can move a client in
// the list, put one on or off it, or change what a search finds in it
// moves the version on, once for a whole transaction, through the store
// or by hand; what cannot leaves it, so the copy a search uses is not
// read again for nothing.
func TestClientListVersionFollowsEveryChange(t *testing.T) {
	s := newListStore(t)
	ctx := t.Context()
	c := dated(data.Client{GivenName: "Ada", FamilyName: "Lovelace", Phone: "+44 20 7946 0001"}, 0)
	var tech data.Staff
	steps := []struct {
		what  string
		moves int64 // by how much the version goes up
		do    func() error
	}{
		{"adding a client", 1, func() error { return s.CreateClient(ctx, data.SystemActor, &c) }},
		{"importing 500 clients in one transaction", 1, func() error {
			cs := make([]data.Client, 500)
			for i := range cs {
				cs[i] = dated(data.Client{GivenName: "Ida", FamilyName: "Imported " + string(rune('a'+i%26)) + string(rune('a'+i/26)), Phone: "+44 20 7946 0002"}, i)
			}
			return s.ImportClients(ctx, data.SystemActor, cs)
		}},
		{"a new family name", 1, func() error { c.FamilyName = "Byron"; return s.UpdateClient(ctx, data.SystemActor, &c) }},
		{"a new given name", 1, func() error { c.GivenName = "Augusta"; return s.UpdateClient(ctx, data.SystemActor, &c) }},
		{"the same names in capitals", 0, func() error {
			c.GivenName, c.FamilyName = "AUGUSTA", "BYRON"
			return s.UpdateClient(ctx, data.SystemActor, &c)
		}},
		{"notes", 0, func() error { c.Notes = "Prefers mornings"; return s.UpdateClient(ctx, data.SystemActor, &c) }},
		{"a new phone number", 1, func() error { c.Phone = "+44 7700 900999"; return s.UpdateClient(ctx, data.SystemActor, &c) }},
		{"a new e-mail address", 1, func() error { c.Email = "ada@example.org"; return s.UpdateClient(ctx, data.SystemActor, &c) }},
		{"a session (a new due date)", 0, func() error {
			tech = data.Staff{Name: "Priya", Role: data.RoleTechnician, Active: true}
			if err := s.CreateStaff(ctx, data.SystemActor, &tech); err != nil {
				return err
			}
			ses := storetest.Session(c.ID, tech.ID, data.NewDate(2026, time.November, 2))
			return s.CreateSession(ctx, data.SystemActor, &ses)
		}},
		{"archiving", 1, func() error { return s.ArchiveClient(ctx, data.SystemActor, c.ID) }},
		{"archiving again", 0, func() error { return s.ArchiveClient(ctx, data.SystemActor, c.ID) }},
		{"a cancelled import", 0, func() error {
			cancelled, cancel := context.WithCancel(ctx)
			cancel()
			if err := s.ImportClients(cancelled, data.SystemActor, []data.Client{dated(data.Client{GivenName: "No", Phone: "+44 20 7946 0003"}, 1)}); err == nil {
				t.Error("a cancelled import succeeded")
			}
			return nil
		}},
		{"an import refused half way", 0, func() error {
			cs := []data.Client{dated(data.Client{GivenName: "Fine", Phone: "+44 20 7946 0004"}, 1), {GivenName: "No birth date"}}
			if err := s.ImportClients(ctx, data.SystemActor, cs); err == nil {
				t.Error("an import with an invalid client succeeded")
			}
			return nil
		}},
		{"bringing a client back by hand", 1, func() error { return s.exec(`UPDATE client SET archived_at = NULL WHERE id = $1`, c.ID) }},
		{"a sort key changed by hand", 1, func() error { return s.exec(`UPDATE client SET given_sort = 'zz' WHERE id = $1`, c.ID) }},
		{"a search text changed by hand", 1, func() error { return s.exec(`UPDATE client SET search_text = '  zz' WHERE id = $1`, c.ID) }},
		{"phone digits changed by hand", 1, func() error { return s.exec(`UPDATE client SET phone_digits = '1' WHERE id = $1`, c.ID) }},
		{"nothing changed by hand", 0, func() error { return s.exec(`UPDATE client SET family_sort = family_sort`) }},
		{"clients deleted by hand", 1, func() error { return s.exec(`DELETE FROM client WHERE family_name LIKE 'Imported a%'`) }},
		{"clients deleted in a savepoint rolled back, then one added", 1, func() error {
			tx, err := s.raw.Begin(ctx)
			if err != nil {
				return err
			}
			defer func() { _ = tx.Rollback(ctx) }()
			sp, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			if _, err := sp.Exec(ctx, `DELETE FROM client WHERE family_name LIKE 'Imported b%'`); err != nil {
				return err
			}
			if err := sp.Rollback(ctx); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO client (given_name, date_of_birth, created_at, updated_at, family_sort, given_sort, search_text, phone_digits)
				VALUES ('Hand', '1990-01-01', '2026-01-01', '2026-01-01', '', 'hand', '  hand', '')`); err != nil {
				return err
			}
			return tx.Commit(ctx)
		}},
	}
	for _, st := range steps {
		before := s.version()
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		if after := s.version(); after != before+st.moves {
			t.Errorf("%s moved the list's version from %d to %d; want %d", st.what, before, after, before+st.moves)
		}
	}
}

// TestSearchFromMemoryFindsWhatTheDatabaseFinds: on a demo clinic, texts
// cut from its clients' names, e-mail addresses and phone numbers, and a
// few awkward ones, in every archive state and on pages further on, are
// answered from the copy of the client list exactly as the database
// answers them.
func TestSearchFromMemoryFindsWhatTheDatabaseFinds(t *testing.T) {
	s := newListStore(t)
	ctx := t.Context()
	now := time.Date(2026, time.November, 22, 12, 0, 0, 0, time.UTC)
	if _, err := demo.Fill(ctx, s.Store, demo.Options{Clients: 400, Seed: 7, Now: now}); err != nil {
		t.Fatal(err)
	}
	all, err := s.FindInDatabaseForTest(ctx, data.ClientFilter{State: data.AnyState, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all[:40:40] { // some archived, as a clinic has
		if c.ID%3 == 0 {
			if err := s.ArchiveClient(ctx, data.SystemActor, c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.FindClients(ctx, data.SystemActor, data.ClientFilter{Text: "a"}); err != nil {
		t.Fatal(err)
	}
	if kept, now, err := s.ClientListForTest(ctx); err != nil || kept != now {
		t.Fatalf("the copy is of version %d, the list at %d (%v)", kept, now, err)
	}
	rng := rand.New(rand.NewPCG(7, 13))
	texts := []string{"a", "e", "an", "ova", "o'b", "王", "%", "_", "a_", "\\", "xyzzy", "07700", "+44", "example", "@ex"}
	for range 150 {
		c := all[rng.IntN(len(all))]
		field := []string{c.GivenName, c.FamilyName, c.Email, c.Phone}[rng.IntN(4)]
		r := []rune(field)
		if len(r) == 0 {
			continue
		}
		from := rng.IntN(len(r))
		texts = append(texts, string(r[from:min(len(r), from+1+rng.IntN(5))]))
	}
	texts = append(texts, all[0].GivenName+" "+all[0].FamilyName, strings.ToUpper(all[1].FamilyName))
	answered := 0
	for _, text := range texts {
		for _, st := range []data.ArchiveState{data.CurrentOnly, data.ArchivedOnly, data.AnyState} {
			for _, page := range [][2]int{{0, 0}, {0, 7}, {45, 10}, {0, 500}} {
				f := data.ClientFilter{Text: text, State: st, Offset: page[0], Limit: page[1]}
				want, err := s.FindInDatabaseForTest(ctx, f)
				if err != nil {
					t.Fatalf("%+v from the database: %v", f, err)
				}
				got, err := s.FindInMemoryForTest(ctx, f)
				if err != nil {
					if strings.TrimSpace(text) == "" { // nothing to search for: the whole list, from the database
						continue
					}
					t.Fatalf("%+v from memory: %v", f, err)
				}
				answered++
				if !slices.Equal(got, want) {
					t.Errorf("%+v: from memory %v; from the database %v", f, ids(got), ids(want))
				}
			}
		}
	}
	if answered < len(texts)*10 {
		t.Errorf("only %d searches were answered from memory", answered)
	}
}

func ids(cs []data.ClientSummary) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
