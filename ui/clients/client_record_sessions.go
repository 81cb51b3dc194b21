package clients

import (
	"context"
	"needledesk/data"
	"needledesk/ui/screen"

	"fyne.io/fyne/v2/widget"
)

// onEditSession opens session i of the timeline for correction.
func (r *clientRecord) onEditSession(i int) {
	if i < 0 || i >= len(r.rec.sessions) || r.rec.sessions[i].SummaryOnly {
		return
	}
	r.lastEdit = openSessionEditForm(r.env, r.stack, r.rec.client, r.rec.sessions[i])
	r.stack.Push(r.lastEdit.page)
}

// onShowVersions lists the earlier versions of session i: what it said
// before each change, who changed it and when, and what that change
// altered.
func (r *clientRecord) onShowVersions(i int) {
	if i < 0 || i >= len(r.rec.sessions) {
		return
	}
	current, actor, sessions := r.rec.sessions[i], r.env.ActorID(), r.env.deps.Sessions
	screen.Background(r.env.Env, func(ctx context.Context) ([]data.SessionAmendment, error) {
		return sessions.SessionAmendments(ctx, actor, current.ID)
	}, func(as []data.SessionAmendment, err error) {
		if err != nil {
			r.env.ShowError("Could not read the earlier versions", err)
			return
		}
		showVersions(r.env, current, as)
	})
}

// onSessionSelected opens what a click, Space or Enter chose in the
// timeline: a session, read only, or an appointment, on its page in the
// book; the row is left unselected so it opens again.
func (r *clientRecord) onSessionSelected(i widget.ListItemID) {
	r.timeline.Unselect(i)
	if i < 0 || i >= len(r.history) {
		return
	}
	if it := r.history[i]; it.session < 0 {
		r.openAppointment(it.appt.ID)
		return
	}
	r.stack.Push(newSessionView(r.env, r.stack, r.rec.client, r.rec.sessions[r.history[i].session]).page)
}

// treatmentDay is the day of the record's session id, in the clinic's
// time, which names its sheets' files.
func (r *clientRecord) treatmentDay(id int64) data.Date {
	for _, s := range r.rec.sessions {
		if s.ID == id {
			return data.DateOf(s.StartedAt.Local())
		}
	}
	return data.Date{}
}

// withSheet checks kept sheet i of the client before handing it over
// again with act; see keptSheetCheck. A new version is made for the
// sheet's session.
func (r *clientRecord) withSheet(i int, act sheetDelivery) {
	if i < 0 || i >= len(r.rec.sheets) {
		return
	}
	info, name, actor, clientID := r.rec.sheets[i], r.rec.client.FullName(), r.env.ActorID(), r.id
	day := r.treatmentDay(info.SessionID)
	maker := r.env.deps.sheetMaker()
	keptSheetCheck{
		env: r.env,
		check: func(ctx context.Context) (data.Sheet, data.SheetFreshness, error) {
			return maker.SheetFreshnessByID(ctx, actor, info.ID)
		},
		handOver: func() { r.reprint(i, act) },
		makeNew: func() {
			screen.Background(r.env.Env, func(ctx context.Context) (data.Sheet, error) {
				return maker.Make(ctx, actor, info.SessionID)
			}, func(sh data.Sheet, err error) {
				if err != nil {
					r.env.ShowError("Could not make a new version of the sheet", err)
					return
				}
				r.env.Events.Publish(screen.SheetChanged{Client: data.ClientID(clientID)})
				act(r.env, handedSheet{Sheet: sh, client: name, treatedOn: day})
			})
		},
	}.run()
}
