package sqlite_test

import (
	"context"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// busiestDay is the day with the most appointments and its busiest
// technician, the earliest day and the lowest ID of a tie (the same query
// as data/postgres's perf test, so both stores measure the same day).
func busiestDay(ctx context.Context, st *sqlite.Store) (data.Date, int64, error) {
	var dayText string
	var tech int64
	err := st.ReaderForTest().QueryRowContext(ctx, `SELECT substr(start_at, 1, 10) AS d, technician_id FROM appointment
		WHERE substr(start_at, 1, 10) = (SELECT substr(start_at, 1, 10) FROM appointment GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
		GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 1`).Scan(&dayText, &tech)
	if err != nil {
		return data.Date{}, 0, err
	}
	day, err := data.ParseDate(dayText)
	return day, tech, err
}
