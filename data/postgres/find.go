package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"needledesk/data"
)

// Page sizes, as data/sqlite's.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// FindClients lists clients by name (or by due date for a due list),
// matching the text as data/sqlite does: every word of the folded query
// within the folded names and e-mail, or the phone digits within the
// phone number. A text search is answered from the store's copy of the
// client list when it is current (client_list.go); otherwise, and for the
// whole list and due lists, the database answers (findQuery), its trigram
// indexes (migration 4) finding the matches.
func (s *Store) FindClients(ctx context.Context, actor int64, f data.ClientFilter) ([]data.ClientSummary, error) {
	if _, err := s.allowRead(ctx, actor, data.PermClientView, target{entity: data.EntityClient}); err != nil {
		return nil, fmt.Errorf("finding clients: %w", err)
	}
	if srch := parseSearch(f.Text); !srch.Empty() && !byDue(f) {
		out, ok, err := s.findInMemory(ctx, f, srch)
		if err != nil {
			return nil, fmt.Errorf("finding clients: %w", describeServerError(err))
		}
		if ok {
			return out, nil
		}
	}
	out, err := s.findInDatabase(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("finding clients: %w", describeServerError(err))
	}
	return out, nil
}

func (s *Store) findInDatabase(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error) {
	q, args := findQuery(f)
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (data.ClientSummary, error) { return scanSummary(r) })
}

func pageOf(f data.ClientFilter) (limit, offset int) {
	return pageLimit(f.Limit, DefaultPageSize, MaxPageSize), max(f.Offset, 0)
}

func byDue(f data.ClientFilter) bool { return !f.DueFrom.IsZero() || !f.DueTo.IsZero() }

const summaryColumns = `id, given_name, family_name, date_of_birth, phone, email, notes, last_session_at, next_due, archived_at IS NOT NULL`

func findQuery(f data.ClientFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	switch f.State {
	case data.ArchivedOnly:
		conds = append(conds, `archived_at IS NOT NULL`)
	case data.AnyState:
	default:
		conds = append(conds, `archived_at IS NULL`)
	}
	due := byDue(f)
	if due {
		conds = append(conds, `next_due IS NOT NULL`)
	}
	if !f.DueFrom.IsZero() {
		conds = append(conds, `next_due >= `+arg(f.DueFrom.String()))
	}
	if !f.DueTo.IsZero() {
		conds = append(conds, `next_due <= `+arg(f.DueTo.String()))
	}
	if srch := parseSearch(f.Text); !srch.Empty() {
		var alts []string
		if len(srch.Words) > 0 {
			parts := make([]string, len(srch.Words))
			for i, w := range srch.Words {
				parts[i] = `search_text LIKE ` + arg(likeContains(w))
			}
			alts = append(alts, "("+strings.Join(parts, " AND ")+")")
		}
		for _, p := range srch.Phones {
			alts = append(alts, `phone_digits LIKE `+arg(likeContains(p)))
		}
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
	}
	order := `family_sort, given_sort, id`
	if due {
		order = `next_due, ` + order
	}
	q := `SELECT ` + summaryColumns + ` FROM client`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	limit, offset := pageOf(f)
	q += ` ORDER BY ` + order + ` LIMIT ` + arg(limit) + ` OFFSET ` + arg(offset)
	return q, args
}

func scanSummary(sc pgx.Row) (data.ClientSummary, error) {
	var c data.ClientSummary
	var dob, last, due sql.NullString
	if err := sc.Scan(&c.ID, &c.GivenName, &c.FamilyName, &dob, &c.Phone, &c.Email, &c.Notes, &last, &due, &c.Archived); err != nil {
		return c, err
	}
	c.GivenName, c.FamilyName, c.Notes = data.NeutralisedName(c.GivenName), data.NeutralisedName(c.FamilyName), data.Neutralised(c.Notes)
	var err error
	if c.DateOfBirth, err = parseDate(dob); err != nil {
		return c, err
	}
	if c.LastSession, err = parseTime(last); err != nil {
		return c, err
	}
	c.NextDue, err = parseDate(due)
	return c, err
}
