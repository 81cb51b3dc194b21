package admin

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/transfer"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// auditPageSize is how many events one look shows; the filters narrow it.
const auditPageSize = 500

// auditExportLimit is the most events one CSV export holds.
const auditExportLimit = 10000

const (
	anyone    = "Anyone"
	anyAction = "Any action"
	anyClient = "Any client"
)

// auditScreen lets the owner read the audit trail: who did what to which
// record and when, filtered by person, client, action and dates, and
// exported as CSV.
type AuditScreen struct {
	env *areaEnv

	staff    []data.Staff
	names    map[int64]string
	clients  map[string]int64 // the client choices offered, by their label
	clientID int64
	events   []data.AuditEvent
	gen      uint64

	person   *widget.Select
	Action   *widget.Select
	client   *widgets.SelectEntry
	from, to *widgets.Entry
	fromF    *widgets.Field
	toF      *widgets.Field
	list     *widget.List
	status   *widget.Label
	export   *widget.Button
	Content  fyne.CanvasObject
}

func NewAuditScreen(env *areaEnv) *AuditScreen {
	s := &AuditScreen{env: env, names: map[int64]string{}, clients: map[string]int64{}}
	s.person = &widget.Select{Options: []string{anyone}, Selected: anyone, OnChanged: func(string) { s.reload() }}
	actions := []string{anyAction}
	for _, a := range data.Actions {
		actions = append(actions, actionWords(a))
	}
	s.Action = &widget.Select{Options: actions, Selected: anyAction, OnChanged: func(string) { s.reload() }}
	s.client = widgets.NewSelectEntry()
	s.client.PlaceHolder = "Type a client's name"
	s.client.OnChanged = s.onClientTyped
	s.from = widgets.NewSubmitEntry(1, s.reload, nil)
	s.to = widgets.NewSubmitEntry(1, s.reload, nil)
	s.from.PlaceHolder = widgets.DatePlaceholder(env.Settings.DateFormat)
	s.to.PlaceHolder = s.from.PlaceHolder
	s.fromF = widgets.NewField("audit_from", "From", s.from)
	s.toF = widgets.NewField("audit_to", "To", s.to)
	s.list = widget.NewList(func() int { return len(s.events) }, newAuditRow, s.updateRow)
	s.status = &widget.Label{}
	s.export = &widget.Button{Text: "Export CSV…", Icon: theme.DocumentSaveIcon(), OnTapped: s.exportCSV}
	s.Content = s.layout()
	screen.On(env.Events, func(screen.StaffChanged) { s.loadStaff() })
	return s
}

func (s *AuditScreen) layout() fyne.CanvasObject {
	show := &widget.Button{Text: "Show", Icon: theme.SearchIcon(), OnTapped: s.reload}
	labelled := func(label string, o fyne.CanvasObject) fyne.CanvasObject {
		return widgets.FixedWidth(200, container.NewVBox(widgets.Caption(label), o))
	}
	filters := container.NewHBox(
		labelled("Person", s.person), labelled("Action", s.Action), labelled("Client", s.client),
		widgets.FixedWidth(150, s.fromF.Box), widgets.FixedWidth(150, s.toF.Box), container.NewVBox(widgets.Spacer(), show))
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, s.export, widgets.Title("Audit trail")),
		widgets.Caption("Every sign-in, every record opened or changed, every sheet printed, export and backup, newest first. "+
			"Nobody can change or remove these lines; `needledesk check` proves it."),
		container.NewHScroll(filters),
		widget.NewSeparator(),
	)
	bottom := container.NewVBox(widget.NewSeparator(), s.status)
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, s.list))
}

// shown loads the staff names and the newest events when the tab opens.
func (s *AuditScreen) Shown() {
	s.loadStaff()
	s.reload()
}

func (s *AuditScreen) loadStaff() {
	if s.env.deps.Staff == nil {
		return
	}
	staff, actor := s.env.deps.Staff, s.env.ActorID()
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.Staff, error) {
		return staff.StaffList(ctx, actor, true)
	}, func(staff []data.Staff, err error) {
		if err != nil {
			s.setStatus("Could not read the staff list. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		s.staff = staff
		opts := []string{anyone}
		for _, st := range staff {
			s.names[st.ID] = st.Name
			opts = append(opts, st.Name)
		}
		s.person.SetOptions(opts)
		s.list.Refresh()
	})
}

// onClientTyped offers the clients whose names match what is typed; the
// filter applies once a name from the list is chosen, and clears when the
// field is emptied.
func (s *AuditScreen) onClientTyped(text string) {
	if id, ok := s.clients[text]; ok {
		if id != s.clientID {
			s.clientID = id
			s.reload()
		}
		return
	}
	if strings.TrimSpace(text) == "" {
		if s.clientID != 0 {
			s.clientID = 0
			s.reload()
		}
		return
	}
	if s.env.deps.Clients == nil {
		return
	}
	f := data.ClientFilter{Text: strings.TrimSpace(text), State: data.AnyState, Limit: 20}
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.ClientSummary, error) {
		return s.env.deps.Clients.FindClients(ctx, s.env.ActorID(), f)
	}, func(found []data.ClientSummary, err error) {
		if err != nil || s.client.Text != text {
			return
		}
		s.clients = map[string]int64{}
		opts := make([]string, 0, len(found))
		for _, c := range found {
			label := c.FullName() + " (#" + strconv.FormatInt(c.ID, 10) + ")"
			s.clients[label] = c.ID
			opts = append(opts, label)
		}
		s.client.SetOptions(opts)
	})
}

// filter reads the chosen filters; ok is false when a date cannot be read.
func (s *AuditScreen) filter(limit int) (data.AuditFilter, bool) {
	f := data.AuditFilter{ClientID: s.clientID, Limit: limit}
	if i := s.person.SelectedIndex(); i > 0 && i-1 < len(s.staff) {
		f.ActorID = s.staff[i-1].ID
	}
	if i := s.Action.SelectedIndex(); i > 0 && i-1 < len(data.Actions) {
		f.Action = data.Actions[i-1]
	}
	format := s.env.Settings.DateFormat
	var err error
	ok := true
	s.fromF.SetProblem("")
	s.toF.SetProblem("")
	if f.From, err = widgets.ParseUserDate(s.from.Text, format); err != nil {
		s.fromF.SetProblem(err.Error())
		ok = false
	}
	if f.To, err = widgets.ParseUserDate(s.to.Text, format); err != nil {
		s.toF.SetProblem(err.Error())
		ok = false
	}
	if ok && !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		s.toF.SetProblem("is before the From date")
		ok = false
	}
	return f, ok
}

// reload reads the events that match the filters, newest first.
func (s *AuditScreen) reload() {
	trail := s.env.deps.Audit
	if trail == nil {
		return
	}
	f, ok := s.filter(auditPageSize)
	if !ok {
		return
	}
	s.gen++
	gen, actor := s.gen, s.env.ActorID()
	s.setStatus("Loading…", widget.MediumImportance)
	screen.Background(s.env.Env, func(ctx context.Context) ([]data.AuditEvent, error) {
		return trail.AuditEvents(ctx, actor, f)
	}, func(evs []data.AuditEvent, err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			s.events = nil
			s.list.Refresh()
			s.setStatus("Could not read the audit trail. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		s.events = evs
		s.list.Refresh()
		s.list.ScrollToTop()
		s.setStatus(auditCount(len(evs)), widget.MediumImportance)
	})
}

func auditCount(n int) string {
	switch {
	case n == 0:
		return "No events match"
	case n == 1:
		return "1 event"
	case n >= auditPageSize:
		return fmt.Sprintf("The newest %d events; narrow them with the filters, or export them all as CSV", n)
	}
	return fmt.Sprintf("%d events, newest first", n)
}

func (s *AuditScreen) setStatus(msg string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(msg)
}

// exportCSV writes the events that match the filters (up to
// auditExportLimit) to a CSV file the owner chooses, and records the
// export in the trail.
func (s *AuditScreen) exportCSV() {
	trail := s.env.deps.Audit
	f, ok := s.filter(auditExportLimit)
	if trail == nil || !ok {
		return
	}
	dialogs.AskSavePath(s.env.Window, "Export the audit trail", "NeedleDesk audit "+s.env.Today().String()+".csv", ".csv", func(path string) {
		s.exportCSVTo(trail, f, path)
	})
}

// exportCSVTo checks path, asking before it replaces a file, and writes
// the CSV there.
func (s *AuditScreen) exportCSVTo(trail AuditTrail, f data.AuditFilter, path string) {
	s.env.CheckSaveTarget(path, screen.FileSave{FailTitle: "Could not export the audit trail", CanReplace: true,
		Write: func(path string, replace bool) { s.writeCSV(trail, f, path, replace) }})
}

// writeCSV writes the events to path and records the export in the
// trail, both or neither (transfer.ExportAudit).
func (s *AuditScreen) writeCSV(trail AuditTrail, f data.AuditFilter, path string, replace bool) {
	actor, names := s.env.ActorID(), s.names
	x := transfer.AuditExport{Filter: f, Path: path, Kept: s.env.KeptFiles(), Replace: replace,
		StaffName: func(id int64) string { return knownStaffName(names, id) }}
	var count int
	s.env.WithProgress("Exporting the audit trail", "Writing the events to "+filepath.Base(path)+"…",
		func(ctx context.Context, _ func(float64)) error {
			res, err := transfer.ExportAudit(ctx, trail, actor, x)
			count = res.Events
			return err
		}, func(err error, cancelled bool) {
			switch {
			case err == nil: // a Cancel too late to stop the file still gets the news
				s.env.ShowMessage("Audit trail exported", fmt.Sprintf("%d events saved to %s.", count, path))
				s.reload()
			case cancelled:
			default:
				s.env.ShowError("Could not export the audit trail", err)
			}
		})
}

// staffName is a staff member's name, or words for NeedleDesk itself and
// for someone no longer on the list.
func staffName(names map[int64]string, id int64) string {
	if n := knownStaffName(names, id); n != "" {
		return n
	}
	return "Staff #" + strconv.FormatInt(id, 10)
}

// knownStaffName is NeedleDesk itself or a name from the staff list; ""
// for anyone else, so the name the trail read with the event is used.
func knownStaffName(names map[int64]string, id int64) string {
	if id == data.SystemActor {
		return "NeedleDesk"
	}
	return names[id]
}

// auditActor names who did what an event records: the name read with the
// event, else the staff list's.
func auditActor(names map[int64]string, e data.AuditEvent) string {
	if e.ActorName != "" && e.ActorID != data.SystemActor {
		return e.ActorName
	}
	return staffName(names, e.ActorID)
}

// auditRow is one line of the trail: when, who, and what, with its note.
type auditRow struct {
	widget.BaseWidget
	when, who, what *widget.Label
}

func newAuditRow() fyne.CanvasObject {
	r := &auditRow{
		when: &widget.Label{},
		who:  &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		what: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *auditRow) CreateRenderer() fyne.WidgetRenderer {
	left := container.NewGridWrap(fyne.NewSize(170, r.when.MinSize().Height), r.when)
	who := container.NewGridWrap(fyne.NewSize(190, r.who.MinSize().Height), r.who)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewHBox(left, who), nil, r.what))
}

func (s *AuditScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(s.events) {
		return
	}
	e, r := s.events[i], o.(*auditRow)
	r.when.SetText(e.At.Local().Format(dateTimeLayout(s.env.Settings.DateFormat)))
	r.who.SetText(auditActor(s.names, e))
	what := auditWhat(e)
	if e.Detail != "" {
		what += "  —  " + s.env.Settings.FormatDatesIn(e.Detail)
	}
	r.what.SetText(what)
}

// dateTimeLayout is the clinic's date format with the time of day.
func dateTimeLayout(dateFormat string) string {
	if dateFormat == "" {
		dateFormat = data.DefaultSettings().DateFormat
	}
	return dateFormat + " 15:04:05"
}

// auditWhat says what an event was about, as a sentence fragment, naming
// the client, staff member or product where the trail has their name:
// "Opened · client Zoë Adams", "Created · session #12 for Zoë Adams",
// "Password set · staff member Priya Raman".
func auditWhat(e data.AuditEvent) string {
	what := actionWords(e.Action)
	if e.Entity == data.EntityStaff && e.EntityID == e.ActorID {
		return what // signing in, out or locking: the person is in the row already
	}
	isClient := e.Entity == data.EntityClient && e.EntityID == e.ClientID
	if e.Entity != "" {
		what += " · " + entityWords(e.Entity)
		name := e.RecordName
		if isClient {
			name = e.ClientName
		}
		switch {
		case name != "":
			what += " " + name
		case e.EntityID != 0:
			what += " #" + strconv.FormatInt(e.EntityID, 10)
		}
	}
	if e.ClientID != 0 && !isClient {
		if e.ClientName != "" {
			what += " for " + e.ClientName
		} else {
			what += " · client #" + strconv.FormatInt(e.ClientID, 10)
		}
	}
	return what
}

var actionText = map[data.Action]string{
	data.ActionCreate: "Created", data.ActionUpdate: "Changed", data.ActionAmend: "Amended after the treatment day",
	data.ActionArchive: "Archived", data.ActionView: "Opened", data.ActionReprint: "Handed over again",
	data.ActionSignIn: "Signed in", data.ActionSignInFailed: "Sign-in failed", data.ActionSignOut: "Signed out",
	data.ActionLock: "Screen locked", data.ActionPasswordSet: "Password set", data.ActionDenied: "Refused for the role",
	data.ActionExport: "Exported", data.ActionBackup: "Backed up", data.ActionRestore: "Restored",
	data.ActionDoNotTreat: "Decided not to treat",
}

func actionWords(a data.Action) string {
	if t, ok := actionText[a]; ok {
		return t
	}
	return string(a)
}

var entityText = map[data.Entity]string{
	data.EntityClient: "client", data.EntitySession: "session", data.EntityProduct: "product",
	data.EntityStaff: "staff member", data.EntitySettings: "settings", data.EntitySheet: "aftercare sheet",
	data.EntityDatabase: "database", data.EntityAudit: "audit trail",
}

func entityWords(e data.Entity) string {
	if t, ok := entityText[e]; ok {
		return t
	}
	return string(e)
}
