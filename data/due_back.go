package data

import "context"

// Who is due back: the clients whose next session falls in a window of
// days, for the receptionist's calls. The windows, how far back "overdue"
// reaches, and how a long list is read and cut are decided here; the
// screen only asks for a list and shows it.

// DueWindow is a span of next-session dates the due-back list shows.
type DueWindow string

// The windows offered.
const (
	DueOverdue DueWindow = "overdue" // due before today, up to DueOverdueDays back
	DueToday   DueWindow = "today"
	DueNext7   DueWindow = "next7"
	DueNext14  DueWindow = "next14"
	DueNext30  DueWindow = "next30"
	DueCustom  DueWindow = "custom" // From and To as chosen
)

// DueWindows are the windows in the order a screen offers them.
var DueWindows = []DueWindow{DueOverdue, DueToday, DueNext7, DueNext14, DueNext30, DueCustom}

// dueWindowDays is how many days after today each fixed window reaches.
var dueWindowDays = map[DueWindow]int{DueToday: 0, DueNext7: 7, DueNext14: 14, DueNext30: 30}

// DueOverdueDays is how far back "overdue" reaches: a client whose
// session was due longer ago than this is no longer a follow-up call.
const DueOverdueDays = 180

// DueBackMaxRows is the most clients one list holds unless the query says
// otherwise; a window with more says so (DueBackList.Truncated).
const DueBackMaxRows = 5000

// dueBackPage is how many clients one read of the store fetches; a list
// is read a page at a time.
const dueBackPage = 1000

// dueChunkDays is how many days of overdue clients are read at a time,
// walking back from the most recent.
const dueChunkDays = 7

// DueBackQuery says whose next session is due. The fixed windows count
// from Today; with IncludeOverdue they also reach back DueOverdueDays.
type DueBackQuery struct {
	Window         DueWindow // an unknown window is read as DueNext14
	IncludeOverdue bool      // ignored by DueOverdue and DueCustom
	From, To       Date      // DueCustom only: either may be zero for no bound, not both
	Today          Date
	Limit          int // the most clients listed; 0 means DueBackMaxRows
}

// Range is the span of due dates the query lists; a zero date is no
// bound. Dates chosen by hand that cannot make a span are a
// *ValidationError naming "due_from" or "due_to".
func (q DueBackQuery) Range() (from, to Date, err error) {
	switch q.Window {
	case DueOverdue:
		return q.Today.AddDays(-DueOverdueDays), q.Today.AddDays(-1), nil
	case DueCustom:
		switch {
		case q.From.IsZero() && q.To.IsZero():
			return q.From, q.To, Invalid("due_from", "type at least one date")
		case !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From):
			return q.From, q.To, Invalid("due_to", "is before the From date")
		}
		return q.From, q.To, nil
	}
	days, known := dueWindowDays[q.Window]
	if !known {
		days = dueWindowDays[DueNext14]
	}
	from = q.Today
	if q.IncludeOverdue {
		from = q.Today.AddDays(-DueOverdueDays)
	}
	return from, q.Today.AddDays(days), nil
}

func (q DueBackQuery) limit() int {
	if q.Limit > 0 {
		return q.Limit
	}
	return DueBackMaxRows
}

// DueBackList is one due-back list: current clients in due-date order.
type DueBackList struct {
	Clients   []ClientSummary
	From, To  Date // the span listed (see DueBackQuery.Range)
	Truncated bool // more clients are due than the list holds
	Overdue   int  // how many of Clients were due before Today
}

// FindDueBack lists the current clients due in the query's window, in
// due-date order, reading the store a page at a time. When the window
// reaches back before today and holds more than the limit, the clients due
// from today on all stay, and of the overdue ones the most recently due are
// kept: they are the calls worth making first.
func FindDueBack(ctx context.Context, finder ClientFinder, actor int64, q DueBackQuery) (DueBackList, error) {
	from, to, err := q.Range()
	if err != nil {
		return DueBackList{}, err
	}
	r := dueReader{ctx: ctx, finder: finder, actor: actor, maxRows: q.limit()}
	// The store's errors say what failed already, in words the screen shows.
	found, err := r.find(from, to, q.Today)
	if err != nil {
		return DueBackList{}, err
	}
	found.From, found.To = from, to
	for _, c := range found.Clients {
		if c.NextDue.Before(q.Today) {
			found.Overdue++
		}
	}
	return found, nil
}

// dueReader reads clients due between two dates through a ClientFinder.
type dueReader struct {
	ctx     context.Context
	finder  ClientFinder
	actor   int64
	maxRows int // the most clients one list holds
}

// find reads the clients due between from and to, keeping the upcoming
// ones and the most recently overdue when there are more than maxRows.
func (r dueReader) find(from, to, today Date) (DueBackList, error) {
	if from.IsZero() || !from.Before(today) || (!to.IsZero() && to.Before(from)) {
		return r.inRange(from, to, r.maxRows)
	}
	var upcoming DueBackList
	if to.IsZero() || !to.Before(today) {
		var err error
		if upcoming, err = r.inRange(today, to, r.maxRows); err != nil {
			return DueBackList{}, err
		}
	}
	overdueTo := today.AddDays(-1)
	if !to.IsZero() && to.Before(overdueTo) {
		overdueTo = to
	}
	overdue, err := r.recentlyDue(from, overdueTo, r.maxRows-len(upcoming.Clients))
	if err != nil {
		return DueBackList{}, err
	}
	return DueBackList{Clients: append(overdue.Clients, upcoming.Clients...), Truncated: overdue.Truncated || upcoming.Truncated}, nil
}

// inRange reads clients due between from and to in date order, a page at
// a time, up to limit.
func (r dueReader) inRange(from, to Date, limit int) (DueBackList, error) {
	var out []ClientSummary
	for len(out) <= limit {
		page, err := r.finder.FindClients(r.ctx, r.actor, ClientFilter{
			State: CurrentOnly, DueFrom: from, DueTo: to, Offset: len(out), Limit: dueBackPage})
		if err != nil {
			return DueBackList{}, err
		}
		out = append(out, page...)
		if len(page) < dueBackPage {
			break
		}
	}
	if len(out) > limit {
		return DueBackList{Clients: out[:limit], Truncated: true}, nil
	}
	return DueBackList{Clients: out}, nil
}

// recentlyDue reads clients due between from and to, up to limit of the
// most recently due, in date order.
func (r dueReader) recentlyDue(from, to Date, limit int) (DueBackList, error) {
	var chunks [][]ClientSummary // newest first
	n := 0
	for end := to; !end.Before(from); end = end.AddDays(-dueChunkDays) {
		start := end.AddDays(1 - dueChunkDays)
		if start.Before(from) {
			start = from
		}
		if n >= limit {
			more, err := r.finder.FindClients(r.ctx, r.actor, ClientFilter{State: CurrentOnly, DueFrom: from, DueTo: end, Limit: 1})
			return DueBackList{Clients: joinDueChunks(chunks), Truncated: len(more) > 0}, err
		}
		chunk, err := r.inRange(start, end, r.maxRows)
		if err != nil {
			return DueBackList{}, err
		}
		if n+len(chunk.Clients) > limit || chunk.Truncated {
			keep := max(limit-n, 0)
			chunks = append(chunks, chunk.Clients[len(chunk.Clients)-min(keep, len(chunk.Clients)):])
			return DueBackList{Clients: joinDueChunks(chunks), Truncated: true}, nil
		}
		chunks = append(chunks, chunk.Clients)
		n += len(chunk.Clients)
	}
	return DueBackList{Clients: joinDueChunks(chunks)}, nil
}

// joinDueChunks puts newest-first chunks back in date order.
func joinDueChunks(chunks [][]ClientSummary) []ClientSummary {
	var out []ClientSummary
	for i := len(chunks) - 1; i >= 0; i-- {
		out = append(out, chunks[i]...)
	}
	return out
}
