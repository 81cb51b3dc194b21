package clients

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
)

// recordData is everything a client record shows, read in one go.
type recordData struct {
	client   data.Client
	sessions []data.Session // newest first
	sheets   []data.SheetInfo
	appts    []data.Appointment // newest first; none unless the person sees the book
	apptErr  error              // why the appointments could not be read
}

// clientRecord is one client's page: a summary with the warnings to see
// before treating, the session timeline and the aftercare sheets handed over.
type clientRecord struct {
	env   *areaEnv
	stack *screen.Stack
	id    int64
	page  *screen.Page

	rec     recordData
	history []historyItem // the timeline: sessions and past appointments, newest first
	loaded  bool
	opened  bool // a load has asked the store to record the record's opening
	gen     int  // bumped by every load; older results are stale

	subheading          *widget.Label
	archivedNote        *widget.Label
	newSessionBtn       *widget.Button
	bookNextBtn         *widget.Button
	editBtn, archiveBtn *widget.Button
	exportBtn           *widget.Button
	lastEdit            *sessionForm // the session form Edit opened last
	summary             *recordSummary
	courses             *coursePanel
	upcoming            *upcomingPanel // the appointments still to come (client_record_appts.go)
	timeline            *openList      // a row opens the session (session_view.go)
	sheetList           *widget.List
	noSessions          *widget.Label
	noSheets            *widget.Label
	tabs                *container.AppTabs
	sessionsTab         *container.TabItem
	sheetsTab           *container.TabItem

	loading *fyne.Container // shown until the first load arrives
	failed  *fyne.Container // shown when the first load fails
	failMsg *widget.Label
	body    fyne.CanvasObject

	sessionRowHeight, apptRowHeight float32 // the timeline's rows (historyHeights)
}

// newClientRecord builds the record of client id and starts loading it.
func NewClientRecord(env *areaEnv, stack *screen.Stack, id int64) *screen.Page {
	return buildClientRecord(env, stack, id).page
}

func buildClientRecord(env *areaEnv, stack *screen.Stack, id int64) *clientRecord {
	r := &clientRecord{env: env, stack: stack, id: id}
	r.page = &screen.Page{Title: "Client", Shown: r.reload}
	r.page.Content = r.build()
	offs := []func(){
		screen.On(env.Events, r.onClientChanged),
		screen.On(env.Events, func(e screen.SessionChanged) { r.onRelatedChanged(e.Client) }),
		screen.On(env.Events, func(e screen.SheetChanged) { r.onRelatedChanged(e.Client) }),
		screen.On(env.Events, func(e screen.AppointmentChanged) { r.onRelatedChanged(e.Client) }),
	}
	r.page.Closed = func() {
		for _, off := range offs {
			off()
		}
	}
	r.reload()
	return r
}

func (r *clientRecord) build() fyne.CanvasObject {
	r.subheading = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	r.archivedNote = &widget.Label{Importance: widget.WarningImportance, TextStyle: fyne.TextStyle{Bold: true}}
	r.archivedNote.Hide()
	r.newSessionBtn = &widget.Button{Text: "New session", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: r.onNewSession}
	r.bookNextBtn = &widget.Button{Text: "Book next", Icon: theme.CalendarIcon(), OnTapped: r.onBookNext}
	r.editBtn = &widget.Button{Text: "Edit", Icon: theme.DocumentCreateIcon(), OnTapped: r.onEdit}
	r.archiveBtn = &widget.Button{Text: "Archive", Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: r.onArchive}
	r.exportBtn = &widget.Button{Text: "Export…", Icon: theme.DownloadIcon(), OnTapped: r.onExport}
	r.summary = newRecordSummary()
	r.courses = newCoursePanel(r.env, r.id)
	r.upcoming = newUpcomingPanel(r.env, r.openAppointment)

	header := container.NewBorder(nil, nil,
		container.NewHBox(widget.NewIcon(theme.AccountIcon()), r.subheading, r.archivedNote),
		container.NewHBox(r.exportBtn, r.archiveBtn, r.editBtn, r.bookNextBtn, r.newSessionBtn))
	left := container.NewVScroll(container.NewVBox(r.upcoming.content, r.summary.content, r.courses.content))
	split := container.NewHSplit(left, r.buildTabs())
	split.Offset = 0.4
	r.body = container.NewPadded(container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split))
	r.body.Hide()

	r.loading = container.NewCenter(container.NewVBox(widget.NewActivity(), &widget.Label{Text: "Loading the client's record…"}))
	r.failMsg = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	retry := &widget.Button{Text: "Try again", Icon: theme.ViewRefreshIcon(), OnTapped: r.reload}
	r.failed = container.NewCenter(container.NewVBox(r.failMsg, container.NewCenter(retry)))
	r.failed.Hide()
	return container.NewStack(r.loading, r.failed, r.body)
}

// buildTabs makes the two lists on the right: the history (sessions, and
// the appointments that gave none) and sheets. Both are virtual lists, so
// a long history costs no more than a short one.
func (r *clientRecord) buildTabs() fyne.CanvasObject {
	r.timeline = newOpenList(func() int { return len(r.history) }, r.newHistoryRow, r.updateHistoryRow)
	r.timeline.HideSeparators = true
	r.timeline.OnSelected = r.onSessionSelected
	r.sheetList = widget.NewList(func() int { return len(r.rec.sheets) }, r.newSheetRow, r.updateSheetRow)
	r.noSessions = &widget.Label{Text: "No sessions yet.", Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	r.noSheets = &widget.Label{Text: "No aftercare sheets handed over yet.", Importance: widget.LowImportance, Alignment: fyne.TextAlignCenter}
	r.sessionsTab = container.NewTabItemWithIcon("Sessions", theme.HistoryIcon(), container.NewStack(r.timeline, container.NewCenter(r.noSessions)))
	r.sheetsTab = container.NewTabItemWithIcon("Aftercare sheets", theme.DocumentIcon(), container.NewStack(r.sheetList, container.NewCenter(r.noSheets)))
	r.tabs = container.NewAppTabs(r.sessionsTab, r.sheetsTab)
	return r.tabs
}

// reload reads the client, their sessions and sheets, and their
// appointments for those who see the book, in the background. The first
// load opens the record, which the audit trail records as a view;
// refreshes after a change are reads only.
func (r *clientRecord) reload() {
	r.gen++
	gen, actor, open, book := r.gen, r.env.ActorID(), !r.opened, r.env.seesBook()
	r.opened = true
	screen.Background(r.env.Env, func(ctx context.Context) (recordData, error) {
		return r.fetch(ctx, actor, open, book)
	}, func(rec recordData, err error) { r.apply(gen, rec, err) })
}

// fetch runs off the UI goroutine. The appointments failing to read
// leaves the rest of the record readable, saying so.
func (r *clientRecord) fetch(ctx context.Context, actor int64, open, book bool) (recordData, error) {
	var rec recordData
	var err error
	clients := r.env.deps.Clients
	if open {
		rec.client, err = clients.OpenClientRecord(ctx, actor, r.id)
	} else {
		rec.client, err = clients.Client(ctx, actor, r.id)
	}
	if err != nil {
		return rec, err
	}
	if rec.sessions, err = r.env.deps.Sessions.ClientSessions(ctx, actor, r.id); err != nil {
		return rec, err
	}
	if rec.sheets, err = r.env.deps.Sheets.ClientSheets(ctx, actor, r.id); err != nil {
		return rec, err
	}
	if book {
		rec.appts, rec.apptErr = r.env.deps.Appointments.ClientAppointments(ctx, actor, r.id)
	}
	return rec, nil
}

// apply shows a load's result unless a newer load has started.
func (r *clientRecord) apply(gen int, rec recordData, err error) {
	if gen != r.gen {
		return
	}
	if err != nil {
		r.showLoadError(err)
		return
	}
	r.rec, r.loaded = rec, true
	loc := r.env.Settings.Location()
	upcoming, past := splitAppointments(rec.appts, data.LocalDay(r.env.Now(), loc), loc)
	r.history = mergeHistory(rec.sessions, past)
	r.loading.Hide()
	r.failed.Hide()
	r.body.Show()
	r.showHeader()
	r.upcoming.show(upcoming, rec.apptErr, r.bookNextBtn.Visible())
	r.summary.show(rec.client, r.env.Today(), r.env.Settings)
	r.courses.reload(!rec.client.Archived())
	r.showLists()
}

func (r *clientRecord) showLoadError(err error) {
	if r.loaded {
		r.env.ShowError("Could not refresh the client's record", err)
		return
	}
	r.opened = false // Try again opens it anew
	r.loading.Hide()
	r.failMsg.SetText("Could not load the client's record.\n" + data.UserMessage(err))
	r.failed.Show()
}

func (r *clientRecord) showHeader() {
	c := r.rec.client
	if r.page.Title != c.FullName() {
		r.page.Title = c.FullName()
		if r.isTop() {
			r.stack.Refresh() // the stack's title shows the name now
		}
	}
	r.subheading.SetText(clientAgeLine(c.DateOfBirth, r.env.Today(), r.env.Settings))
	role := r.env.Actor.Role
	if c.Archived() {
		r.archivedNote.SetText("·  Archived on " + r.env.Settings.FormatDate(data.DateOf(c.ArchivedAt.Local())))
		r.archivedNote.Show()
	} else {
		r.archivedNote.Hide()
	}
	// Buttons follow the role; the store refuses the rest anyway.
	clientShowIf(!c.Archived() && role.Can(data.PermClientArchive), r.archiveBtn)
	clientShowIf(!c.Archived() && role.Can(data.PermSessionWrite), r.newSessionBtn)
	clientShowIf(!c.Archived() && r.env.canBook(), r.bookNextBtn)
	clientShowIf(role.Can(data.PermExport) && r.env.deps.Export != nil, r.exportBtn)
}

func (r *clientRecord) showLists() {
	n, m := len(r.rec.sessions), len(r.rec.sheets)
	sessions, sheets := fmt.Sprintf("Sessions (%d)", n), fmt.Sprintf("Aftercare sheets (%d)", m)
	if sessions != r.sessionsTab.Text || sheets != r.sheetsTab.Text {
		r.sessionsTab.Text, r.sheetsTab.Text = sessions, sheets
		r.tabs.Refresh()
	}
	r.noSessions.SetText(r.noSessionsText())
	clientShowIf(len(r.history) == 0, r.noSessions)
	clientShowIf(m == 0, r.noSheets)
	r.historyHeights()
	r.timeline.Refresh()
	r.sheetList.Refresh()
}

// noSessionsText is the empty timeline's hint. It names New session only
// when the person sees that button: their role charts, and the client is
// not archived.
func (r *clientRecord) noSessionsText() string {
	switch {
	case r.rec.client.Archived():
		return "No sessions. The client is archived, so no new ones are charted."
	case r.newSessionBtn.Visible():
		return "No sessions yet. Start the first one with New session."
	}
	return "No sessions yet. A technician charts each treatment after it."
}

func clientShowIf(on bool, o fyne.CanvasObject) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// isTop reports whether the record is the page in view.
func (r *clientRecord) isTop() bool { return r.stack != nil && r.stack.Top() == r.page }

// closed reports whether the record has left the stack for good; it then
// lets go of what it loaded, since the events hub keeps its handlers.
func (r *clientRecord) closed() bool {
	if r.stack == nil || r.stack.Holds(r.page) {
		return false
	}
	r.rec, r.history = recordData{}, nil
	r.gen++ // a load in flight is dropped
	return true
}

// onClientChanged refreshes the record in view when this client changed.
// A record further down the stack refreshes when it comes back (shown).
func (r *clientRecord) onClientChanged(e screen.ClientChanged) {
	if (e.Client == 0 || int64(e.Client) == r.id) && !r.closed() && r.isTop() {
		r.reload()
	}
}

// onRelatedChanged refreshes the record in view after one of its
// sessions, sheets or appointments was saved (client 0: after many
// were).
func (r *clientRecord) onRelatedChanged(client data.ClientID) {
	if (client == 0 || int64(client) == r.id) && !r.closed() && r.isTop() {
		r.reload()
	}
}

// onNewSession opens the session form for this client.
func (r *clientRecord) onNewSession() {
	if !r.loaded {
		return
	}
	r.stack.Push(NewSessionForm(r.env, r.stack, r.rec.client))
}

// onBookNext opens the booking dialog for this client's next visit.
func (r *clientRecord) onBookNext() {
	if !r.loaded {
		return
	}
	r.env.Open(screen.Book{Client: data.ClientID(r.id)})
}

// onEdit opens the client form; saving comes back here and reloads.
func (r *clientRecord) onEdit() {
	if !r.loaded {
		return
	}
	r.stack.Push(NewClientFormPage(r.env, r.rec.client, func(data.Client) { r.stack.PopNow() }, r.stack.Pop))
}

// onArchive asks, archives in the background and goes back to the list.
func (r *clientRecord) onArchive() {
	if !r.loaded {
		return
	}
	if r.env.ActorID() == 0 {
		r.env.ShowMessage("Who is working?", "Choose your name in the bar at the top first, so the change is recorded under it.")
		return
	}
	name := r.rec.client.FullName()
	r.env.Confirm("Archive "+name+"?",
		"The record, sessions and aftercare sheets are kept and can still be opened, "+
			"but "+name+" no longer appears in the client list or among clients due back.",
		"Archive", r.archive)
}

func (r *clientRecord) archive() {
	actor := r.env.ActorID()
	r.archiveBtn.Disable()
	screen.Background(r.env.Env, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, r.env.deps.Clients.ArchiveClient(ctx, actor, r.id)
	}, r.archived)
}

func (r *clientRecord) archived(_ struct{}, err error) {
	r.archiveBtn.Enable()
	if err != nil {
		r.env.ShowError("Could not archive the client", err)
		return
	}
	if r.isTop() {
		r.stack.PopNow()
	}
	r.env.Events.Publish(screen.ClientChanged{Client: data.ClientID(r.id)})
}

// onAftercare shows the aftercare of session i of the timeline.
func (r *clientRecord) onAftercare(i int) {
	if i < 0 || i >= len(r.rec.sessions) {
		return
	}
	r.stack.Push(newAftercarePage(r.env, r.stack, r.rec.sessions[i].ID))
}

// reprint reads sheet i's bytes in the background, recording that it is
// handed over again, then hands them to act; withSheet (sheet_stale.go)
// checks the sheet first.
func (r *clientRecord) reprint(i int, act sheetDelivery) {
	if i < 0 || i >= len(r.rec.sheets) {
		return
	}
	id, name, actor := r.rec.sheets[i].ID, r.rec.client.FullName(), r.env.ActorID()
	day := r.treatmentDay(r.rec.sheets[i].SessionID)
	screen.Background(r.env.Env, func(ctx context.Context) (data.Sheet, error) {
		return r.env.deps.Sheets.ReprintSheet(ctx, actor, id)
	}, func(sh data.Sheet, err error) {
		if err != nil {
			r.env.ShowError("Could not read the aftercare sheet", err)
			return
		}
		act(r.env, handedSheet{Sheet: sh, client: name, treatedOn: day})
	})
}
