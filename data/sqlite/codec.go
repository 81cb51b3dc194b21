package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"needledesk/data"
)

// timeLayout is RFC 3339 in UTC with a fixed nine-digit fraction. The fixed
// width matters: with time.RFC3339Nano, "10:00:00Z" would sort after
// "10:00:00.5Z" as text, and SQL orders sessions by this text.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// timeText formats an instant for storage.
func timeText(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTime reads a stored instant; NULL and "" are the zero time.
func parseTime(ns sql.NullString) (time.Time, error) {
	if !ns.Valid || ns.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, ns.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q is damaged: %w", ns.String, err)
	}
	return t.UTC(), nil
}

// nullDate stores the zero date as NULL.
func nullDate(d data.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// parseDate reads a stored 'YYYY-MM-DD'; NULL and "" are the zero date.
func parseDate(ns sql.NullString) (data.Date, error) {
	if !ns.Valid || ns.String == "" {
		return data.Date{}, nil
	}
	d, err := data.ParseDate(ns.String)
	if err != nil {
		return data.Date{}, fmt.Errorf("stored date %q is damaged: %w", ns.String, err)
	}
	return d, nil
}

// jsonList stores a list as a JSON array; nil becomes [] so the column never
// holds "null".
func jsonList[T any](xs []T) (string, error) {
	if xs == nil {
		xs = []T{}
	}
	b, err := json.Marshal(xs)
	if err != nil {
		return "", fmt.Errorf("encoding a list: %w", err)
	}
	return string(b), nil
}

// parseList reads a JSON array; an empty array comes back as nil so a
// record reads back equal to the one saved with no entries.
func parseList[T any](s string) ([]T, error) {
	var xs []T
	if s == "" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("stored list %q is damaged: %w", s, err)
	}
	if len(xs) == 0 {
		return nil, nil
	}
	return xs, nil
}

// boolInt is how the STRICT tables keep booleans.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}
