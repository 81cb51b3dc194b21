package sqlite_test

import (
	"context"
	"testing"
	"time"

	"needledesk/data"
)

// benchBook measures the appointment book on the bench clinic (see
// BenchmarkHotPaths): the day view's read of the busiest day (every
// technician's column), the week view of that day's busiest technician,
// and a booking with its check for a clash, its audit row and its two
// messages in the outbox.
func benchBook(b *testing.B, cl *benchClinic) {
	ctx := b.Context()
	day, tech, err := busiestDay(ctx, cl)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("book/day_view", func(b *testing.B) {
		timeOps(b, func() (int, error) {
			as, err := cl.st.DayAppointments(ctx, data.SystemActor, day)
			return len(as), err
		})
	})
	week := data.Week{Start: day.AddDays(-3), TechnicianID: tech}
	b.Run("book/week_view", func(b *testing.B) {
		timeOps(b, func() (int, error) {
			as, err := cl.st.WeekAppointments(ctx, data.SystemActor, week)
			return len(as), err
		})
	})
	b.Run("book/booking", func(b *testing.B) { benchBooking(b, cl, tech) })
}

// busiestDay is the day with the most appointments and its busiest
// technician.
func busiestDay(ctx context.Context, cl *benchClinic) (data.Date, int64, error) {
	var dayText string
	var tech int64
	err := cl.st.ReaderForTest().QueryRowContext(ctx, `SELECT substr(start_at, 1, 10) AS d, technician_id FROM appointment
		WHERE substr(start_at, 1, 10) = (SELECT substr(start_at, 1, 10) FROM appointment GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
		GROUP BY technician_id ORDER BY count(*) DESC LIMIT 1`).Scan(&dayText, &tech)
	if err != nil {
		return data.Date{}, 0, err
	}
	day, err := data.ParseDate(dayText)
	return day, tech, err
}

// benchBooking books tech half an hour at a time from two months ahead,
// for a client who agreed to e-mail reminders, in a room of its own.
// bookingRuns counts benchBooking's runs in this process.
var bookingRuns int

func benchBooking(b *testing.B, cl *benchClinic, tech int64) {
	ctx := b.Context()
	menu, err := cl.st.TreatmentTypes(ctx, data.SystemActor, false)
	if err != nil || len(menu) == 0 {
		b.Fatalf("the clinic's menu: %v, %v", menu, err)
	}
	room := data.Room{Name: "Bench room", Active: true}
	if err := cl.st.CreateRoom(ctx, data.SystemActor, &room); err != nil {
		b.Fatal(err)
	}
	c := validClient(func(c *data.Client) {
		c.GivenName, c.FamilyName, c.Email, c.EmailReminders = "Bo", "Booker", "bo.booker@example.org", true
	})
	if err := cl.st.CreateClient(ctx, data.SystemActor, &c); err != nil {
		b.Fatal(err)
	}
	// Each run books into a year of its own, two months ahead and on, so
	// that a second run (-count) does not book the first one's slots.
	bookingRuns++
	next := time.Now().Add(time.Duration(60+400*(bookingRuns-1)) * 24 * time.Hour).Truncate(time.Hour)
	timeOps(b, func() (int, error) {
		a := data.Appointment{ClientID: c.ID, TechnicianID: tech, RoomID: room.ID, TreatmentID: menu[0].ID,
			Start: next, Minutes: 30}
		next = next.Add(30 * time.Minute)
		return 1, cl.st.BookAppointment(ctx, data.SystemActor, &a)
	})
}
