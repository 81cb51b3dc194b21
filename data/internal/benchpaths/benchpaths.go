// Package benchpaths holds the hot paths BenchmarkHotPaths measures on
// every store: the searches, the client list, the due-back list, the
// client record, the appointment book and the aftercare sheet, each
// through the data.Store interfaces. data/sqlite and data/postgres run
// them from their perf tests on the same kind of clinic, so that the two
// tables `make bench` prints name the same operations and report the
// same metrics (p50-ms, p95-ms, rows; data/sqlite/internal/benchtable
// reads them).
//
// Each store's test gives a Clinic: the store, when the clinic was made,
// and its busiest day and technician, which the test reads with its own
// SQL (SQL stays in the store packages).
package benchpaths

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/storetest"
	"needledesk/pdf"
)

// Searches are typed as a receptionist types them, against names the
// demo clinic has. The names are sub-benchmark names: an underscore
// stands for a space.
var Searches = []struct{ Name, Text string }{
	{"l", "l"},                       // first letter: matches one client in eight
	{"lu", "lu"},                     // two letters: the start of a word
	{"lukasz", "lukasz"},             // a name without its accent
	{"lukasz_now", "lukasz now"},     // given and family name
	{"zoe", "zoe"},                   // Zoë
	{"o'b", "o'b"},                   // O'Brien
	{"王芳", "王芳"},                     // a Chinese name as written
	{"王", "王"},                       // a one-character family name
	{"ива", "ива"},                   // Cyrillic
	{"07700_900123", "07700 900123"}, // a UK mobile typed in its national form
	{"900_12", "900 12"},             // a phone fragment
	{"oconnor12", "oconnor12"},       // an e-mail fragment
	{"xyzzy", "xyzzy"},               // nothing
}

// WorstSearch is the known worst case for the SQLite store, measured on
// its own and left out of the typical mix: a Cyrillic surname ending,
// which thousands of clients share and which sorts after every Latin and
// Greek name, so every match has to be sorted (see its FindClients).
var WorstSearch = struct{ Name, Text string }{"ова_worst_case", "ова"}

// Clinic is the clinic under measurement.
type Clinic struct {
	St    data.Store
	Now   time.Time // when the clinic was made: the demo's "now"
	Today data.Date // its date
	// Day is the day with the most appointments, Tech its busiest
	// technician.
	Day  data.Date
	Tech int64
	// Way, when set, says how the store read a search's matches; it
	// returns a metric to report as 1 after the timing ("walks-index",
	// "sorts-all"), or "".
	Way func(ctx context.Context, f data.ClientFilter) (string, error)

	// Prepare sets these: a client with 50 sessions and 50 kept sheets,
	// and the newest of their sessions.
	Fifty   data.Client
	Session int64
}

// Prepare sets Today from Now and adds the client with 50 sessions and
// 50 kept sheets that the client record is measured on.
func (cl *Clinic) Prepare(ctx context.Context) error {
	cl.Today = data.DateOf(cl.Now.Local())
	return cl.addFifty(ctx)
}

// Run measures every hot path both stores have, each as a sub-benchmark
// of b, in the order the table lists them.
func Run(b *testing.B, cl *Clinic) {
	ctx := b.Context()
	for _, s := range append(slices.Clone(Searches), WorstSearch) {
		b.Run("search/"+s.Name, func(b *testing.B) { benchFind(b, cl, data.ClientFilter{Text: s.Text}) })
	}
	b.Run("search/typical_mix", func(b *testing.B) { benchSearchMix(b, cl, 0) })
	b.Run("search-500/typical_mix", func(b *testing.B) { benchSearchMix(b, cl, 500) })
	b.Run("client-list/first_page", func(b *testing.B) { benchFind(b, cl, data.ClientFilter{}) })
	due := data.ClientFilter{DueFrom: cl.Today, DueTo: cl.Today.AddDays(14)}
	b.Run("due-back/first_page", func(b *testing.B) { benchFind(b, cl, due) })
	b.Run("due-back/whole_14_days", func(b *testing.B) { TimeOps(b, func() (int, error) { return dueList(ctx, cl.St, due) }) })
	benchOpenClient(b, cl)
	benchBook(b, cl)
	b.Run("aftercare-sheet/plan+render", func(b *testing.B) {
		maker := data.SheetMaker{Sources: cl.St, Render: pdf.RenderAftercare, Now: func() time.Time { return cl.Now }}
		var buf bytes.Buffer
		TimeOps(b, func() (int, error) {
			plan, err := maker.Plan(ctx, data.SystemActor, cl.Session)
			if err != nil {
				return 0, err
			}
			buf.Reset()
			err = maker.Render(&buf, plan)
			return buf.Len(), err
		})
	})
}

// benchFind times FindClients with f, and reports how the store read
// the list when it says (Clinic.Way).
func benchFind(b *testing.B, cl *Clinic, f data.ClientFilter) {
	TimeOps(b, func() (int, error) {
		got, err := cl.St.FindClients(b.Context(), data.SystemActor, f)
		return len(got), err
	})
	if cl.Way == nil || f.Text == "" {
		return
	}
	metric, err := cl.Way(b.Context(), f)
	if err != nil {
		b.Fatal(err)
	}
	// After the loop: b.Loop clears metrics reported before it.
	if metric != "" {
		b.ReportMetric(1, metric)
	}
}

// benchSearchMix runs Searches in turn, so its median and p95 are those
// of a receptionist's mix of queries; limit 500 is the page the Clients
// screen asks for.
func benchSearchMix(b *testing.B, cl *Clinic, limit int) {
	i := 0
	TimeOps(b, func() (int, error) {
		s := Searches[i%len(Searches)]
		i++
		got, err := cl.St.FindClients(b.Context(), data.SystemActor, data.ClientFilter{Text: s.Text, Limit: limit})
		return len(got), err
	})
}

// benchOpenClient reads what the client record shows: the client, their
// sessions with areas and products, and the list of kept sheets.
func benchOpenClient(b *testing.B, cl *Clinic) {
	ctx, id := b.Context(), cl.Fifty.ID
	reads := []struct {
		name string
		read func() (int, error)
	}{
		{"client", func() (int, error) { _, err := cl.St.Client(ctx, data.SystemActor, id); return 1, err }},
		{"50_sessions", func() (int, error) { ss, err := cl.St.ClientSessions(ctx, data.SystemActor, id); return len(ss), err }},
		{"50_sheets", func() (int, error) { sh, err := cl.St.ClientSheets(ctx, data.SystemActor, id); return len(sh), err }},
	}
	for _, r := range reads {
		b.Run("open-client/"+r.name, func(b *testing.B) { TimeOps(b, r.read) })
	}
	b.Run("open-client/all_three", func(b *testing.B) {
		TimeOps(b, func() (int, error) {
			n := 0
			for _, r := range reads {
				k, err := r.read()
				if err != nil {
					return 0, err
				}
				n += k
			}
			return n, nil
		})
	})
}

// dueList reads the whole due-back list in pages of 1,000, as the Due
// back screen does.
func dueList(ctx context.Context, st data.Store, f data.ClientFilter) (int, error) {
	n := 0
	for {
		f.Offset, f.Limit = n, 1000
		page, err := st.FindClients(ctx, data.SystemActor, f)
		if err != nil {
			return 0, err
		}
		n += len(page)
		if len(page) < 1000 {
			return n, nil
		}
	}
}

// benchBook measures the appointment book: the day view's read of the
// busiest day (every technician's column), the week view of that day's
// busiest technician, and a booking with its check for a clash, its
// audit row and its two messages in the outbox.
func benchBook(b *testing.B, cl *Clinic) {
	ctx := b.Context()
	b.Run("book/day_view", func(b *testing.B) {
		TimeOps(b, func() (int, error) {
			as, err := cl.St.DayAppointments(ctx, data.SystemActor, cl.Day)
			return len(as), err
		})
	})
	week := data.Week{Start: cl.Day.AddDays(-3), TechnicianID: cl.Tech}
	b.Run("book/week_view", func(b *testing.B) {
		TimeOps(b, func() (int, error) {
			as, err := cl.St.WeekAppointments(ctx, data.SystemActor, week)
			return len(as), err
		})
	})
	b.Run("book/booking", func(b *testing.B) { benchBooking(b, cl) })
}

// bookingRuns counts benchBooking's runs in this process.
var bookingRuns int

// benchBooking books the busiest technician half an hour at a time from
// two months ahead, for a client who agreed to e-mail reminders, in a
// room of its own.
func benchBooking(b *testing.B, cl *Clinic) {
	ctx := b.Context()
	menu, err := cl.St.TreatmentTypes(ctx, data.SystemActor, false)
	if err != nil || len(menu) == 0 {
		b.Fatalf("the clinic's menu: %v, %v", menu, err)
	}
	room := data.Room{Name: "Bench room", Active: true}
	if err := cl.St.CreateRoom(ctx, data.SystemActor, &room); err != nil {
		b.Fatal(err)
	}
	c := benchClient("Bo", "Booker", "+44 20 7946 0958", "bo.booker@example.org")
	c.EmailReminders = true
	if err := cl.St.CreateClient(ctx, data.SystemActor, &c); err != nil {
		b.Fatal(err)
	}
	// Each run books into a year of its own, two months ahead and on, so
	// that a second run (-count) does not book the first one's slots.
	bookingRuns++
	next := time.Now().Add(time.Duration(60+400*(bookingRuns-1)) * 24 * time.Hour).Truncate(time.Hour)
	TimeOps(b, func() (int, error) {
		a := data.Appointment{ClientID: c.ID, TechnicianID: cl.Tech, RoomID: room.ID, TreatmentID: menu[0].ID,
			Start: next, Minutes: 30}
		next = next.Add(30 * time.Minute)
		return 1, cl.St.BookAppointment(ctx, data.SystemActor, &a)
	})
}

// TimeOps runs op b.N times, timing each call, and reports the median
// and the 95th percentile in milliseconds and the rows op returned.
func TimeOps(b *testing.B, op func() (rows int, err error)) {
	b.ReportAllocs()
	took := make([]time.Duration, 0, 1<<16)
	rows := 0
	for b.Loop() {
		start := time.Now()
		n, err := op()
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(took) < cap(took) {
			took = append(took, d)
		}
		rows = n
	}
	slices.Sort(took)
	b.ReportMetric(ms(percentile(took, 0.50)), "p50-ms")
	b.ReportMetric(ms(percentile(took, 0.95)), "p95-ms")
	b.ReportMetric(float64(rows), "rows")
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[max(0, int(math.Ceil(p*float64(len(sorted))))-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchClient is a client every check accepts.
func benchClient(given, family, phone, email string) data.Client {
	return data.Client{
		GivenName: given, FamilyName: family, DateOfBirth: data.NewDate(1990, time.March, 14),
		Phone: phone, Email: email,
	}
}

// addFifty adds a client treated every three weeks for three years, 50
// sessions, each with its aftercare sheet kept.
func (cl *Clinic) addFifty(ctx context.Context) error {
	staff, err := cl.St.StaffList(ctx, data.SystemActor, false)
	if err != nil {
		return err
	}
	products, err := cl.St.Products(ctx, data.SystemActor, false)
	if err != nil || len(staff) == 0 || len(products) < 4 {
		return fmt.Errorf("the clinic has %d staff and %d products (%v)", len(staff), len(products), err)
	}
	c := benchClient("Bea", "Fifty", "+44 7700 900123", "bea.fifty@example.org")
	if err := cl.St.CreateClient(ctx, staff[0].ID, &c); err != nil {
		return err
	}
	cl.Fifty = c
	ss := make([]data.Session, 50)
	for i := range ss {
		day := cl.Today.AddDays(-21 * (len(ss) - i))
		ss[i] = storetest.Session(c.ID, staff[i%len(staff)].ID, day)
		for j, p := range products[:4] {
			ss[i].Recommendations = append(ss[i].Recommendations, data.Recommendation{ProductID: p.ID, StartDay: j})
		}
	}
	if err := cl.St.ImportSessions(ctx, staff[0].ID, ss); err != nil {
		return err
	}
	maker := data.SheetMaker{Sources: cl.St, Sheets: cl.St, Render: pdf.RenderAftercare, Now: func() time.Time { return cl.Now }}
	for _, s := range ss {
		if _, err := maker.Make(ctx, staff[0].ID, s.ID); err != nil {
			return fmt.Errorf("keeping a sheet: %w", err)
		}
	}
	cl.Session = ss[len(ss)-1].ID
	return nil
}
