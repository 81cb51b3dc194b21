package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"needledesk/data"
	"needledesk/data/internal/bookrow"
	"needledesk/data/internal/settingsdoc"
)

// A busy clinic's day is a thousand appointments, and most of the time
// its read takes is SQLite's work on each row (this SQLite is Go, about
// 6 µs a row). So readDay reads the day in two halves at once, each in a
// read transaction of its own on its own connection, split at the middle
// of the clinic's opening hours that day: each half takes a processor.
//
// Two transactions may see the records at two moments. Every change to
// what the day shows (an appointment, a client's name, a member of
// staff, a room, a treatment, a course) writes an audit row in its own
// transaction, so each half also reads the newest audit row's ID; when
// the two differ, a change came between them, and the day is read again,
// whole, in one transaction.

// dayHalf is what one half read: its appointments and the newest audit
// row's ID when it read them.
type dayHalf struct {
	appointments []data.Appointment
	auditTop     int64
	err          error
}

// readDay reads the day's appointments, by start and then technician.
func (s *Store) readDay(ctx context.Context, day data.Date) ([]data.Appointment, error) {
	if err := s.reads.prepare(ctx, s.r, dayQueries...); err != nil {
		return nil, fmt.Errorf("preparing the day's read: %w", err)
	}
	return readDayInHalves(ctx, day, s.readDayPart)
}

// The statements each half of the day runs, prepared once (prepared.go).
const (
	dayShapeSQL = `SELECT json_extract(doc, '$.time_zone'), json_extract(doc, '$.opening_hours')
		FROM settings WHERE id = ?`
	auditTopSQL = `SELECT coalesce(max(id), 0) FROM audit_event`
)

var dayQueries = []string{dayShapeSQL, auditTopSQL, appointmentSelect + dayWhere, bookNamesVersionSQL, bookNamesSQL}

// dayWhere reads the appointments of a span in the index's order; the
// technicians' order among appointments starting together is set in Go,
// where it costs less than SQL's sort.
const dayWhere = `WHERE ` + spanWhere + ` ORDER BY a.start_at, a.id`

// readDayInHalves reads the two halves with read, at once, and the whole
// day with it when they read the records at two moments.
func readDayInHalves(ctx context.Context, day data.Date, read func(ctx context.Context, day data.Date, part int) dayHalf) ([]data.Appointment, error) {
	var halves [2]dayHalf
	var wg sync.WaitGroup
	for i := range halves {
		wg.Add(1)
		go func() {
			defer wg.Done()
			halves[i] = read(ctx, day, i)
		}()
	}
	wg.Wait()
	for _, h := range halves {
		if h.err != nil {
			return nil, h.err
		}
	}
	if halves[0].auditTop != halves[1].auditTop {
		whole := read(ctx, day, wholeDay)
		return whole.appointments, whole.err
	}
	return append(halves[0].appointments, halves[1].appointments...), nil
}

// wholeDay asks readDayPart for the day in one read.
const wholeDay = -1

// readDayPart reads the first half of the day (part 0: the appointments
// that start before the split, including those from the evening before
// that reach into the day), the second (part 1), or the whole day.
func (s *Store) readDayPart(ctx context.Context, day data.Date, part int) dayHalf {
	var h dayHalf
	h.err = s.read(ctx, func(rtx *sql.Tx) error {
		tx := preparedTx{Tx: rtx, reads: &s.reads}
		loc, split, err := dayShape(ctx, tx, day)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, auditTopSQL).Scan(&h.auditTop); err != nil {
			return fmt.Errorf("reading the audit trail's newest row: %w", err)
		}
		from, to := data.DayBounds(day, loc)
		if split.Before(from) || split.After(to) { // the clocks changed in the middle of the hours
			split = from.Add(to.Sub(from) / 2)
		}
		args := spanArgs(from, to) // start from, start before, end after
		switch part {
		case 0:
			args[1] = timeText(split)
		case 1:
			args[0] = timeText(split)
		}
		h.appointments, err = queryAppointmentRows(ctx, tx, dayWhere, args...)
		if err == nil {
			err = nameFromCopy(ctx, &s.bookNames, tx, h.appointments)
		}
		bookrow.OrderByTechnicianWithinStarts(h.appointments)
		return err
	})
	return h
}

// dayShape reads the clinic's time zone and where its day is split: the
// middle of that day's opening hours, or 13:00 on a day it is closed.
func dayShape(ctx context.Context, q queryer, day data.Date) (*time.Location, time.Time, error) {
	var zone, hours sql.NullString
	err := q.QueryRowContext(ctx, dayShapeSQL, settingsID).Scan(&zone, &hours)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("reading the clinic's time zone and opening hours: %w", err)
	}
	loc := zoneLocation(zone)
	middle := 13 * 60
	var pairs [7][2]int
	if hours.Valid && json.Unmarshal([]byte(hours.String), &pairs) == nil {
		if h := settingsdoc.WeekHours(pairs)[day.Time(loc).Weekday()]; h.IsOpen() {
			middle = int(h.Open+h.Close) / 2
		}
	}
	return loc, time.Date(day.Year, day.Month, day.Day, middle/60, middle%60, 0, 0, loc), nil
}

// readDayIn reads the day's appointments whole in q's transaction, as
// readDay gives them, for a caller that holds the one write connection
// (the first start's set-up): readDay's halves would wait for it. It
// names them from q's transaction (refNames) rather than the Store's
// copy of the names, which must never hold names a set-up could roll
// back.
func readDayIn(ctx context.Context, q queryer, day data.Date) ([]data.Appointment, error) {
	loc, err := clinicZone(ctx, q)
	if err != nil {
		return nil, err
	}
	from, to := data.DayBounds(day, loc)
	as, err := queryAppointments(ctx, q, dayWhere, spanArgs(from, to)...)
	if err != nil {
		return nil, err
	}
	bookrow.OrderByTechnicianWithinStarts(as)
	return as, nil
}
