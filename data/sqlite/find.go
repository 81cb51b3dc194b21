package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"needledesk/data"
)

// Client list page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// minPhoneDigits is how many digits a query needs before it is also tried
// against phone numbers; fewer would match nearly every client.
const minPhoneDigits = 3

// FindClients lists clients matching f.
//
// Text is folded like the stored names (case and accents ignored), split
// into words, and every word must appear somewhere in the client's given
// name, family name or e-mail; when the text holds at least three digits,
// a client whose phone number contains those digits matches too. Due dates
// bound clients.next_due, both ends inclusive. The list is in name order
// (family, given, ID), or by next due date then name when a due bound is set.
func (s *Store) FindClients(ctx context.Context, f data.ClientFilter) ([]data.ClientSummary, error) {
	where, args := clientWhere(f)
	from, order := clientOrder(f)
	q := `SELECT id, given_name, family_name, date_of_birth, phone, email, notes,
		last_session_at, next_due, archived_at IS NOT NULL
		FROM ` + from + ` WHERE ` + where + ` ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	args = append(args, pageLimit(f.Limit, DefaultPageSize, MaxPageSize), max(f.Offset, 0))
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("finding clients: %w", err)
	}
	defer rows.Close()
	var out []data.ClientSummary
	for rows.Next() {
		c, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("finding clients: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding clients: %w", err)
	}
	return out, nil
}

// clientOrder picks the table access and the order. With a text search,
// SQLite would walk the name index and fetch every row it passes to test
// the words, which on 100,000 clients takes about three times as long as
// reading the table straight through and sorting the few that match (and
// typing a name usually matches few). So text searches say NOT INDEXED.
func clientOrder(f data.ClientFilter) (from, order string) {
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		return `client`, `next_due, family_sort, given_sort, id`
	}
	if text, _ := textCondition(f.Text); text != "" {
		return `client NOT INDEXED`, `family_sort, given_sort, id`
	}
	return `client`, `family_sort, given_sort, id`
}

// clientWhere builds the WHERE clause for f. Values always travel as
// arguments; only fixed SQL fragments are joined.
func clientWhere(f data.ClientFilter) (string, []any) {
	conds := []string{archiveCondition(f.State)}
	var args []any
	if text, textArgs := textCondition(f.Text); text != "" {
		conds = append(conds, text)
		args = append(args, textArgs...)
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		conds = append(conds, `next_due IS NOT NULL`)
	}
	if !f.DueFrom.IsZero() {
		conds = append(conds, `next_due >= ?`)
		args = append(args, f.DueFrom.String())
	}
	if !f.DueTo.IsZero() {
		conds = append(conds, `next_due <= ?`)
		args = append(args, f.DueTo.String())
	}
	return strings.Join(conds, " AND "), args
}

func archiveCondition(st data.ArchiveState) string {
	switch st {
	case data.ArchivedOnly:
		return `archived_at IS NOT NULL`
	case data.AnyState:
		return `1 = 1`
	default: // CurrentOnly, and anything unknown errs on the side of the front desk
		return `archived_at IS NULL`
	}
}

// textCondition matches every word of the query against search_text, or
// the query's digits against the phone number. It returns "" when the
// query has nothing to match on.
func textCondition(text string) (string, []any) {
	words := strings.Fields(data.FoldForSearch(text))
	if len(words) == 0 {
		return "", nil
	}
	parts := make([]string, len(words))
	args := make([]any, 0, len(words)+1)
	for i, w := range words {
		parts[i] = `search_text LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(w)+"%")
	}
	cond := strings.Join(parts, " AND ")
	if digits := data.PhoneDigits(text); len(digits) >= minPhoneDigits {
		cond = "(" + cond + `) OR phone_digits LIKE ?`
		args = append(args, "%"+digits+"%")
	}
	return "(" + cond + ")", args
}

// escapeLike makes %, _ and \ in a search word match themselves.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func scanSummary(sc scanner) (data.ClientSummary, error) {
	var c data.ClientSummary
	var dob, last, due sql.NullString
	err := sc.Scan(&c.ID, &c.GivenName, &c.FamilyName, &dob, &c.Phone, &c.Email, &c.Notes, &last, &due, &c.Archived)
	if err != nil {
		return c, err
	}
	if c.DateOfBirth, err = parseDate(dob); err != nil {
		return c, err
	}
	if c.LastSession, err = parseTime(last); err != nil {
		return c, err
	}
	c.NextDue, err = parseDate(due)
	return c, err
}
