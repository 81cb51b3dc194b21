package demo

import (
	"context"
	"fmt"
	"time"

	"needledesk/data"
)

// The demo clinic's appointment book: every session has the appointment
// it was given in (completed, linked to it), some visits were cancelled
// or missed before, and the next two weeks are booked. Appointments are
// placed on the clinic's clock within its opening hours so that no
// technician or room holds two at once; a clinic with more visits than
// its technicians can give gains technicians (each with a room of their
// own) as it needs them. Today and the next day the clinic opens hold a
// few bookings at least (frontDeskDays), so the Today list and the day
// view have people in them from the first look.

// setUpBook gives the clinic its menu and a room for each technician,
// and reads what its book already holds.
func (g *generator) setUpBook(ctx context.Context, st BookStore, actor int64) error {
	m, err := ensureMenu(ctx, st, actor)
	if err != nil {
		return err
	}
	treaters, rooms, err := ensureTreaters(ctx, st, actor, g.staff)
	if err != nil {
		return err
	}
	g.menu = m
	g.plan = &planner{loc: g.settings.Location(), hours: g.settings.OpeningHours, treaters: treaters,
		busy: map[data.Date][][2]uint64{}, rooms: rooms, ahead: map[data.Date]int{}}
	g.plan.add = func() (treater, error) {
		t, err := extraTechnician(ctx, st, actor, len(g.plan.treaters), g.plan.rooms)
		if err == nil {
			g.staff = append(g.staff, t.staff)
			g.plan.rooms++
		}
		return t, err
	}
	return loadBook(ctx, st, actor, g.plan, data.LocalDay(g.now, g.plan.loc))
}

// appointments are the batch's appointments: each person's past ones
// (their sessions have IDs now) and their next booking.
func (g *generator) appointments(people []person, ss []data.Session, vs []visit) ([]data.Appointment, error) {
	var out []data.Appointment
	for _, p := range people {
		n := len(p.days)
		mine, myVisits := ss[:n], vs[:n]
		ss, vs = ss[n:], vs[n:]
		out = append(out, g.pastAppointments(mine, myVisits)...)
		next, err := g.futureBooking(p, mine, myVisits)
		if err != nil {
			return nil, err
		}
		if next != nil {
			out = append(out, *next)
		}
	}
	return out, nil
}

// slot is a quarter of an hour, the grid appointments are placed on.
const slot = 15

// treater is a staff member who treats, with the room they work in.
type treater struct {
	staff data.Staff
	room  data.Room
}

// menu is the treatments the demo books.
type menu struct {
	face, body, consult data.TreatmentType
}

// planner places appointments on the clinic's clock without a clash.
type planner struct {
	loc      *time.Location
	hours    data.WeekHours
	treaters []treater
	busy     map[data.Date][][2]uint64 // per day, per treater: the quarter hours taken
	rooms    int                       // how many rooms the clinic has
	add      func() (treater, error)   // a new technician and room, when every one is taken
	ahead    map[data.Date]int         // bookings still to come, per day from today
	// askIn are clients the front desk could book in for today and the
	// next day: overdue, or new and not yet booked (frontDeskDays).
	askIn []booking
}

// booking is a client to book, for what and with whom (an index in
// treaters; -1 for whoever is free).
type booking struct {
	client    int64
	treatment data.TreatmentType
	preferred int
}

// askInAtMost bounds the clients kept for frontDeskDays.
const askInAtMost = 40

// place finds a start on day, no earlier than after on the clinic's
// clock, for minutes with a free treater (the preferred one first when
// given, -1 for none), takes it, and returns the treater and the start.
// ok is false when the day is closed or too short; a full day gains a
// treater.
func (g *generator) place(day data.Date, minutes int, preferred int, after data.TimeOfDay) (treater, time.Time, bool, error) {
	p := g.plan
	h := p.hours[day.Time(time.UTC).Weekday()]
	// Starts on the hour and the half hour, as a front desk books: a
	// quarter-hour grid leaves gaps too short to use.
	first, end := (max(int(h.Open), int(after))+2*slot-1)/(2*slot)*2, int(h.Close)/slot
	n := (minutes + slot - 1) / slot
	starts := (end-n-first)/2 + 1
	if !h.IsOpen() || end-n-first < 0 {
		return treater{}, time.Time{}, false, nil
	}
	for {
		r := g.rng.IntN(starts)
		for k := range starts {
			st := first + 2*((r+k)%starts)
			if i := p.freeTreater(g, day, st, n, preferred); i >= 0 {
				p.take(day, i, st, n)
				return p.treaters[i], data.At(day, data.TimeOfDay(st*slot), p.loc), true, nil
			}
		}
		t, err := p.add()
		if err != nil {
			return treater{}, time.Time{}, false, err
		}
		p.treaters = append(p.treaters, t)
	}
}

// freeTreater is a treater free for n quarter hours from st on day: the
// preferred one if free, else the first free from a random one on; -1
// when none is.
func (p *planner) freeTreater(g *generator, day data.Date, st, n, preferred int) int {
	if preferred >= 0 && p.free(day, preferred, st, n) {
		return preferred
	}
	if len(p.treaters) == 0 {
		return -1
	}
	off := g.rng.IntN(len(p.treaters))
	for j := range p.treaters {
		if i := (off + j) % len(p.treaters); p.free(day, i, st, n) {
			return i
		}
	}
	return -1
}

func (p *planner) free(day data.Date, i, st, n int) bool {
	b := p.busy[day]
	if i >= len(b) {
		return true
	}
	for q := st; q < st+n; q++ {
		if b[i][q/64]&(1<<(q%64)) != 0 {
			return false
		}
	}
	return true
}

func (p *planner) take(day data.Date, i, st, n int) {
	b := p.busy[day]
	for len(b) <= i {
		b = append(b, [2]uint64{})
	}
	for q := st; q < st+n && q < 96; q++ {
		b[i][q/64] |= 1 << (q % 64)
	}
	p.busy[day] = b
}

// takeHeld marks an appointment already in the book as holding its
// treater's time (its technician's, and its room's treater's).
func (p *planner) takeHeld(a data.Appointment) {
	if !a.Status.Holds() {
		return
	}
	day := data.LocalDay(a.Start, p.loc)
	st := int(data.LocalClock(a.Start, p.loc)) / slot
	n := (a.Minutes + slot - 1) / slot
	for i, t := range p.treaters {
		if t.staff.ID == a.TechnicianID || (a.RoomID != 0 && t.room.ID == a.RoomID) {
			p.take(day, i, st, n)
		}
	}
	if a.Status.Open() {
		p.ahead[day]++
	}
}

// treatmentFor is the menu line a session's areas were booked as.
func (m menu) treatmentFor(s data.Session) data.TreatmentType {
	for _, a := range s.Areas {
		if a.Area == data.AreaAbdomen || a.Area == data.AreaThighs || a.Area == data.AreaOtherBody {
			return m.body
		}
	}
	return m.face
}

// visit is a session's appointment before the session has its ID.
type visit struct {
	treater   treater
	treatment data.TreatmentType
}

// pastAppointments are a person's appointments up to today: one completed
// for each session (which must have its ID by now), and now and then one
// cancelled or missed some days before it.
func (g *generator) pastAppointments(ss []data.Session, vs []visit) []data.Appointment {
	var out []data.Appointment
	for i, s := range ss {
		if vs[i].treater.staff.ID == 0 {
			continue // given outside the book (see sessions)
		}
		a := data.Appointment{ClientID: s.ClientID, TechnicianID: s.TechnicianID, RoomID: vs[i].treater.room.ID,
			TreatmentID: vs[i].treatment.ID, Start: s.StartedAt, Minutes: vs[i].treatment.DefaultMinutes,
			Status: data.StatusCompleted, SessionID: s.ID}
		out = append(out, a)
		switch {
		case g.chance(0.07):
			c := a
			c.Start, c.Status, c.SessionID = s.StartedAt.AddDate(0, 0, -2-g.rng.IntN(9)), data.StatusCancelled, 0
			c.Cancel = data.Cancellation{Reason: data.CancelByClient, Note: pick(g.rng, cancelNotes)}
			if g.chance(0.25) {
				c.Cancel = data.Cancellation{Reason: data.CancelByClinic, Note: "Technician off sick; rebooked."}
			}
			out = append(out, c)
		case g.chance(0.04):
			c := a
			c.Start, c.Status, c.SessionID = s.StartedAt.AddDate(0, 0, -7), data.StatusNoShow, 0
			out = append(out, c)
		}
	}
	return out
}

var cancelNotes = []string{"", "Has a cold.", "Work came up.", "Childcare fell through.", "Asked to move it to later in the month."}

// futureBooking is a person's next visit within the next two weeks: on
// the day they are due back (with the technician who saw them last when
// free), or for a new client now and then a consultation; nil when none.
func (g *generator) futureBooking(p person, ss []data.Session, vs []visit) (*data.Appointment, error) {
	today := data.LocalDay(g.now, g.plan.loc)
	var day data.Date
	preferred, treatment := -1, g.menu.consult
	switch {
	case len(ss) > 0:
		last := ss[len(ss)-1]
		day, treatment = last.NextDue, vs[len(vs)-1].treatment
		preferred = g.treaterIndex(last.TechnicianID)
	case g.chance(0.2):
		day = today.AddDays(g.rng.IntN(14))
	}
	if day.IsZero() || day.Before(today) { // new and not booked, or overdue: the Due back list asks them in
		g.mayAskIn(booking{client: p.client.ID, treatment: treatment, preferred: preferred})
		return nil, nil
	}
	for ; day.Before(today.AddDays(14)); day = day.AddDays(1) {
		if a, err := g.bookOn(day, booking{client: p.client.ID, treatment: treatment, preferred: preferred}); a != nil || err != nil {
			return a, err
		}
	}
	return nil, nil
}

// bookOn books b on day, after the time now when day is today; nil when
// the day has no room for it.
func (g *generator) bookOn(day data.Date, b booking) (*data.Appointment, error) {
	after := data.TimeOfDay(0)
	if day == data.LocalDay(g.now, g.plan.loc) {
		after = data.LocalClock(g.now, g.plan.loc) + 2*slot
	}
	t, start, ok, err := g.place(day, b.treatment.DefaultMinutes, b.preferred, after)
	if err != nil || !ok {
		return nil, err
	}
	g.plan.ahead[day]++
	return &data.Appointment{ClientID: b.client, TechnicianID: t.staff.ID, RoomID: t.room.ID,
		TreatmentID: b.treatment.ID, Start: start, Minutes: b.treatment.DefaultMinutes, Status: data.StatusBooked}, nil
}

func (g *generator) mayAskIn(b booking) {
	if len(g.plan.askIn) < askInAtMost {
		g.plan.askIn = append(g.plan.askIn, b)
	}
}

// bookFrontDesk adds frontDeskDays' bookings to the book and says how
// many it added.
func (g *generator) bookFrontDesk(ctx context.Context, st BookStore, actor int64) (int, error) {
	soon, err := g.frontDeskDays()
	if err != nil || len(soon) == 0 {
		return 0, err
	}
	if err := st.ImportAppointments(ctx, actor, soon); err != nil {
		return 0, fmt.Errorf("adding the bookings for today and the next day: %w", err)
	}
	return len(soon), nil
}

// frontDeskFew is how many bookings, at least, frontDeskDays gives today
// and the next day the clinic opens.
const frontDeskFew = 4

// frontDeskDays books clients the front desk would ask in (askIn) today,
// when the clinic is still open after the time now, and on the next day
// it opens, until each holds frontDeskFew bookings, so a new user's
// Today list and day view are not empty.
func (g *generator) frontDeskDays() ([]data.Appointment, error) {
	p := g.plan
	today := data.LocalDay(g.now, p.loc)
	days := []data.Date{today}
	for d := today.AddDays(1); d.Before(today.AddDays(14)); d = d.AddDays(1) {
		if p.hours[d.Time(time.UTC).Weekday()].IsOpen() {
			days = append(days, d)
			break
		}
	}
	var out []data.Appointment
	for _, day := range days {
		for p.ahead[day] < frontDeskFew && len(p.askIn) > 0 {
			a, err := g.bookOn(day, p.askIn[0])
			if err != nil {
				return nil, err
			}
			if a == nil {
				break // closed, or no time left today
			}
			p.askIn = p.askIn[1:]
			out = append(out, *a)
		}
	}
	return out, nil
}

func (g *generator) treaterIndex(staffID int64) int {
	for i, t := range g.plan.treaters {
		if t.staff.ID == staffID {
			return i
		}
	}
	return -1
}

// demoMenu is the treatment menu a new demo clinic gets.
var demoMenu = []data.TreatmentType{
	{Name: "Microneedling, face", DefaultMinutes: 60, Needling: true, Active: true,
		Areas: []data.Area{data.AreaForehead, data.AreaCheeks, data.AreaNose, data.AreaAroundMouth, data.AreaJaw}},
	{Name: "Microneedling, body", DefaultMinutes: 90, Needling: true, Active: true,
		Areas: []data.Area{data.AreaAbdomen, data.AreaThighs}},
	{Name: "Consultation", DefaultMinutes: 30, Active: true},
}

// ensureMenu gives the clinic the demo's treatment menu when it has
// none, and picks the lines the demo books.
func ensureMenu(ctx context.Context, st BookStore, actor int64) (menu, error) {
	have, err := st.TreatmentTypes(ctx, actor, false)
	if err != nil {
		return menu{}, fmt.Errorf("reading the treatment menu: %w", err)
	}
	if len(have) == 0 {
		for _, t := range demoMenu {
			if err := st.CreateTreatmentType(ctx, actor, &t); err != nil {
				return menu{}, fmt.Errorf("adding %s to the menu: %w", t.Name, err)
			}
			have = append(have, t)
		}
	}
	m := menu{face: have[0], body: have[0], consult: have[0]}
	for _, t := range have {
		switch {
		case t.Name == demoMenu[1].Name:
			m.body = t
		case t.Name == demoMenu[2].Name || (!t.Needling && m.consult.Needling):
			m.consult = t
		case t.Name == demoMenu[0].Name:
			m.face = t
		}
	}
	return m, nil
}

// ensureTreaters gives each technician and owner a room of their own,
// adding rooms the clinic lacks, and says how many rooms it has.
func ensureTreaters(ctx context.Context, st BookStore, actor int64, staff []data.Staff) ([]treater, int, error) {
	rooms, err := st.Rooms(ctx, actor, false)
	if err != nil {
		return nil, 0, fmt.Errorf("reading rooms: %w", err)
	}
	var out []treater
	for _, s := range staff {
		if !s.Active || s.Role == data.RoleReceptionist {
			continue
		}
		if len(rooms) <= len(out) {
			r := data.Room{Name: fmt.Sprintf("Room %d", len(rooms)+1), Active: true}
			if err := st.CreateRoom(ctx, actor, &r); err != nil {
				return nil, 0, fmt.Errorf("adding %s: %w", r.Name, err)
			}
			rooms = append(rooms, r)
		}
		out = append(out, treater{staff: s, room: rooms[len(out)]})
	}
	return out, len(rooms), nil
}

// extraTechnician adds the n-th technician a busy demo clinic needs, with
// a room of their own.
func extraTechnician(ctx context.Context, st BookStore, actor int64, n, rooms int) (treater, error) {
	const latinPools = 8 // the first pools are written in Latin letters
	pool := pools[n%latinPools]
	k := n / latinPools
	s := data.Staff{Name: pool.given[k%len(pool.given)] + " " + pool.family[(k/len(pool.given))%len(pool.family)],
		Role: data.RoleTechnician, Active: true}
	if err := st.CreateStaff(ctx, data.SystemActor, &s); err != nil {
		return treater{}, fmt.Errorf("adding a technician: %w", err)
	}
	r := data.Room{Name: fmt.Sprintf("Room %d", rooms+1), Active: true}
	if err := st.CreateRoom(ctx, actor, &r); err != nil {
		return treater{}, fmt.Errorf("adding %s: %w", r.Name, err)
	}
	return treater{staff: s, room: r}, nil
}

// loadBook marks what the clinic's book already holds, from two years
// back to two weeks ahead, so a second fill books around it.
func loadBook(ctx context.Context, st BookStore, actor int64, p *planner, today data.Date) error {
	for day := today.AddDays(-731); day.Before(today.AddDays(15)); day = day.AddDays(1) {
		as, err := st.DayAppointments(ctx, actor, day)
		if err != nil {
			return fmt.Errorf("reading the book: %w", err)
		}
		for _, a := range as {
			p.takeHeld(a)
		}
	}
	return nil
}
