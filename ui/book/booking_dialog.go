package book

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// Booking is what the booking dialog starts with; what is zero is left
// for the receptionist to choose.
type Booking struct {
	ClientID     int64
	ClientName   string
	Start        time.Time
	TechnicianID int64
	RoomID       int64
	TreatmentID  int64
	// CourseID is the client's course the appointment belongs to; 0
	// chooses the open course for the treatment, if any.
	CourseID int64
}

// bookingDialog books an appointment: the client (found by typing a few
// letters of a name, phone or e-mail), technician, room, treatment (its
// usual length filled in), day, start, length (or end) and a note. Before
// booking it checks the client's safety (consent, contraindications, the
// interval since the last needling session), which needs a written reason
// to go ahead, and the opening and working hours, which need a yes; a
// clash is shown in words naming the appointment already there.
type bookingDialog struct {
	env   *areaEnv
	pre   Booking
	refs  refs
	d     dialog.Dialog
	shown bool

	search     *widgets.Entry
	matches    *widget.RadioGroup
	found      []data.ClientSummary
	clientID   int64
	clientName string
	searchSeq  int

	technician *widget.Select
	room       *widget.Select
	treatment  *widget.Select
	course     *widget.Select
	date       *widgets.Entry
	start      *widgets.Entry
	length     *widgets.Entry
	end        *widgets.Entry
	note       *widgets.Entry
	warnBox    *fyne.Container
	reason     *widgets.Entry
	reasonBox  *fyne.Container
	warnings   []string // shown, answered by the reason
	fields     widgets.FieldSet
	summary    *widget.Label
	bookBtn    *widget.Button
	filling    bool
	busy       bool
	booked     *data.Appointment
	afterTyped bool // the length was typed, so a treatment's default does not replace it

	courses       []data.Course // the client's open courses, newest first
	fullCourses   []data.Course // the client's courses with every session left booked, newest first
	coursesFor    int64         // the client whose courses are offered
	courseSeq     int
	coursePicked  bool // a course was chosen by hand, so the treatment's does not replace it
	settingCourse bool
}

// showBookingDialog reads the book's names, then opens the dialog.
func showBookingDialog(env *areaEnv, pre Booking) *bookingDialog {
	b := &bookingDialog{env: env, pre: pre}
	env.booking = b
	d, actor := env.deps, env.Actor
	screen.Background(env.Env, func(ctx context.Context) (refs, error) { return readRefs(ctx, d, actor) },
		func(r refs, err error) {
			if err != nil {
				env.ShowError("Could not open the booking", err)
				return
			}
			b.refs = r
			b.show()
		})
	return b
}

func (b *bookingDialog) show() {
	b.build()
	b.fill()
	content := container.NewVScroll(b.layout())
	content.SetMinSize(fyne.NewSize(560, 520))
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { b.d.Hide() }}
	body := container.NewBorder(nil, container.NewVBox(b.summary, container.NewHBox(widgets.Spacer(), cancel, b.bookBtn)), nil, nil, content)
	b.d = dialog.NewCustomWithoutButtons("Book an appointment", body, b.env.Window)
	b.d.Resize(fyne.NewSize(620, 640))
	dialogs.ShowDialog(b.env.Window, b.d, nil)
	b.shown = true
	if b.clientID == 0 {
		b.env.Focus(b.search)
	} else {
		b.env.Focus(b.date)
	}
}

func (b *bookingDialog) build() {
	b.search = widgets.NewSubmitEntry(1, b.book, nil)
	b.search.PlaceHolder = "Type a few letters of the name, phone or e-mail"
	b.search.OnChanged = b.onSearch
	b.matches = widget.NewRadioGroup(nil, b.onMatch)
	b.technician = &widget.Select{PlaceHolder: "Choose the technician"}
	b.room = &widget.Select{}
	b.treatment = &widget.Select{PlaceHolder: "Choose from the treatment menu", OnChanged: b.onTreatment}
	b.course = &widget.Select{OnChanged: b.onCourse}
	b.date = widgets.NewSubmitEntry(1, b.book, nil)
	b.date.PlaceHolder = widgets.DatePlaceholder(b.env.Settings.DateFormat)
	b.start = widgets.NewSubmitEntry(1, b.book, nil)
	b.start.PlaceHolder = "HH:MM"
	b.start.OnChanged = func(string) { b.followLength() }
	b.length = widgets.NewSubmitEntry(1, b.book, nil)
	b.length.PlaceHolder = "Minutes"
	b.length.OnChanged = func(string) { b.afterTyped = !b.filling || b.afterTyped; b.followLength() }
	b.end = widgets.NewSubmitEntry(1, b.book, nil)
	b.end.PlaceHolder = "HH:MM"
	b.end.OnChanged = func(string) { b.followEnd() }
	b.note = widgets.NewEntry(2, b.book)
	b.note.PlaceHolder = "For the clinic: what the client asked for, anything to prepare"
	b.reason = widgets.NewEntry(2, b.book)
	b.reason.PlaceHolder = "Why the appointment goes ahead despite the warnings above"
	b.warnBox = container.NewVBox()
	b.summary = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	b.summary.Hide()
	b.bookBtn = &widget.Button{Text: "Book", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: b.book}
}

func (b *bookingDialog) layout() fyne.CanvasObject {
	f := func(name, label string, in fyne.CanvasObject) *widgets.Field {
		x := widgets.NewField(name, label, in)
		b.fields = append(b.fields, x)
		return x
	}
	client := f("client", "Client", container.NewVBox(b.search, b.matches))
	tech := f("technician", "Technician", b.technician)
	room := f("room", "Room", b.room)
	treat := f("treatment", "Treatment", b.treatment)
	course := f("course", "Course", b.course)
	date := f("date", "Day", b.date)
	start := f("start", "Starts", b.start)
	length := f("minutes", "Length (minutes)", b.length)
	end := f("end", "Ends", b.end)
	note := f("note", "Note", b.note)
	reason := f("override_reason", "Reason to go ahead", b.reason)
	b.reasonBox = container.NewVBox(b.warnBox, reason.Box)
	b.reasonBox.Hide()
	b.fields.Watch(func() []data.FieldError { _, bad := b.read(); return bad }, nil)
	return container.NewVBox(client.Box, widgets.Pair(tech.Box, room.Box), treat.Box, course.Box,
		container.NewGridWithColumns(4, date.Box, start.Box, length.Box, end.Box), note.Box, b.reasonBox)
}

// fill puts what the dialog was opened with on the form.
func (b *bookingDialog) fill() {
	b.filling = true
	defer func() { b.filling = false }()
	loc := b.env.location()
	var names []string
	for _, t := range b.refs.technicians {
		names = append(names, t.Name)
	}
	b.technician.SetOptions(names)
	for i, t := range b.refs.technicians {
		if t.ID == b.pre.TechnicianID {
			b.technician.SetSelectedIndex(i)
		}
	}
	rooms := []string{"No room"}
	for _, r := range b.refs.rooms {
		rooms = append(rooms, r.Name)
	}
	b.room.SetOptions(rooms)
	b.room.SetSelectedIndex(0)
	for i, r := range b.refs.rooms {
		if r.ID == b.pre.RoomID {
			b.room.SetSelectedIndex(i + 1)
		}
	}
	var menu []string
	for _, t := range b.refs.activeMenu() {
		menu = append(menu, t.Name)
	}
	b.treatment.SetOptions(menu)
	if len(menu) == 0 {
		b.treatment.PlaceHolder = "The treatment menu is empty: the owner adds treatments in the book's set-up"
	}
	for i, t := range b.refs.activeMenu() {
		if t.ID == b.pre.TreatmentID {
			b.treatment.SetSelectedIndex(i)
		}
	}
	if len(menu) == 1 {
		b.treatment.SetSelectedIndex(0) // nothing to choose
	}
	start := b.pre.Start
	if start.IsZero() {
		start = b.env.Now()
	}
	b.date.SetText(b.env.Settings.FormatDate(data.LocalDay(start, loc)))
	b.start.SetText(data.LocalClock(start, loc).String())
	if b.pre.ClientID != 0 {
		b.clientID, b.clientName = b.pre.ClientID, b.pre.ClientName
		b.search.SetText(b.pre.ClientName)
	}
	b.loadCourses(b.clientID)
}

// onSearch finds the clients matching what is typed, in the background;
// the first match is chosen, so typing a name and going on books that
// client.
func (b *bookingDialog) onSearch(text string) {
	if b.filling {
		return
	}
	text = strings.TrimSpace(text)
	b.searchSeq++
	seq := b.searchSeq
	if len([]rune(text)) < 2 {
		b.found = nil
		b.matches.Options = nil
		b.matches.Refresh()
		b.chooseClient(0, "")
		return
	}
	find, actor := b.env.deps.Clients, b.env.ActorID()
	screen.Background(b.env.Env, func(ctx context.Context) ([]data.ClientSummary, error) {
		return find.FindClients(ctx, actor, data.ClientFilter{Text: text, Limit: 6})
	}, func(found []data.ClientSummary, err error) {
		if seq != b.searchSeq {
			return // more was typed since
		}
		if err != nil {
			b.fields.Find("client").SetProblem("Could not search the clients. " + data.UserMessage(err))
			return
		}
		b.showMatches(found)
	})
}

// Searched reports whether the last search's matches are on screen.
func (b *bookingDialog) showMatches(found []data.ClientSummary) {
	b.found = found
	var opts []string
	for _, c := range found {
		opts = append(opts, matchLabel(c, b.env.Settings))
	}
	b.matches.Options = opts
	b.matches.Refresh()
	if len(found) == 0 {
		b.chooseClient(0, "")
		b.fields.Find("client").SetWarning("No client matches; check the spelling, or add the client first")
		return
	}
	b.fields.Find("client").SetProblem("")
	b.matches.SetSelected(opts[0])
}

// matchLabel names a client in the list of matches.
func matchLabel(c data.ClientSummary, s data.Settings) string {
	name := strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	var more []string
	if !c.DateOfBirth.IsZero() {
		more = append(more, "born "+s.FormatDate(c.DateOfBirth))
	}
	if c.Phone != "" {
		more = append(more, c.Phone)
	}
	if len(more) == 0 {
		return name
	}
	return name + " (" + strings.Join(more, ", ") + ")"
}

func (b *bookingDialog) onMatch(choice string) {
	for i, o := range b.matches.Options {
		if o == choice && i < len(b.found) {
			c := b.found[i]
			b.chooseClient(c.ID, strings.TrimSpace(c.GivenName+" "+c.FamilyName))
			return
		}
	}
}

func (b *bookingDialog) chooseClient(id int64, name string) {
	if id != b.clientID {
		b.warnings = nil // the new client's are checked when booking
		b.reasonBox.Hide()
	}
	changed := id != b.coursesFor
	b.clientID, b.clientName = id, name
	if changed {
		b.loadCourses(id)
	}
}

// onTreatment fills in the treatment's usual length, unless a length was
// typed.
func (b *bookingDialog) onTreatment(string) {
	b.defaultCourse()
	t, ok := b.chosenTreatment()
	if !ok || b.afterTyped {
		return
	}
	b.filling = true
	b.length.SetText(strconv.Itoa(t.DefaultMinutes))
	b.filling = false
	b.followLength()
}

func (b *bookingDialog) chosenTreatment() (data.TreatmentType, bool) {
	menu := b.refs.activeMenu()
	if i := b.treatment.SelectedIndex(); i >= 0 && i < len(menu) {
		return menu[i], true
	}
	return data.TreatmentType{}, false
}

// followLength shows the end that the start and length give.
func (b *bookingDialog) followLength() {
	if b.filling && b.end.Text != "" {
		return
	}
	start, err1 := data.ParseTimeOfDay(b.start.Text)
	n, err2 := strconv.Atoi(strings.TrimSpace(b.length.Text))
	if err1 != nil || err2 != nil || n <= 0 {
		return
	}
	was := b.filling
	b.filling = true
	b.end.SetText((start + data.TimeOfDay(n)).String())
	b.filling = was
}

// followEnd shows the length that the start and a typed end give (below
// zero when the end comes first, which the check names).
func (b *bookingDialog) followEnd() {
	if b.filling {
		return
	}
	start, err1 := data.ParseTimeOfDay(b.start.Text)
	end, err2 := data.ParseTimeOfDay(b.end.Text)
	if err1 != nil || err2 != nil {
		return
	}
	b.filling = true
	b.length.SetText(strconv.Itoa(int(end - start)))
	b.filling = false
	b.afterTyped = true
}

// read builds the appointment from the form, with what cannot be read or
// is not valid as field problems.
func (b *bookingDialog) read() (data.Appointment, []data.FieldError) {
	var bad []data.FieldError
	note := func(field, msg string) { bad = append(bad, data.FieldError{Field: field, Message: msg}) }
	a := data.Appointment{ClientID: b.clientID, Note: strings.TrimSpace(b.note.Text), Status: data.StatusBooked}
	if i := b.technician.SelectedIndex(); i >= 0 && i < len(b.refs.technicians) {
		a.TechnicianID = b.refs.technicians[i].ID
	}
	if i := b.room.SelectedIndex(); i > 0 && i <= len(b.refs.rooms) {
		a.RoomID = b.refs.rooms[i-1].ID
	}
	if t, ok := b.chosenTreatment(); ok {
		a.TreatmentID = t.ID
	}
	if c, ok := b.chosenCourse(); ok && b.coursesFor == b.clientID {
		a.CourseID = c.ID
	}
	if b.clientID == 0 && strings.TrimSpace(b.search.Text) != "" {
		note("client", "no client chosen: choose one of the matches under the search")
	}
	day, err := widgets.ParseUserDate(b.date.Text, b.env.Settings.DateFormat)
	switch {
	case err != nil:
		note("date", err.Error())
	case day.IsZero():
		note("date", "type the day of the appointment")
	}
	clock, err := data.ParseTimeOfDay(b.start.Text)
	if err != nil {
		note("start", "type the time it starts, like 14:30")
	}
	if !day.IsZero() && err == nil {
		a.Start = data.At(day, clock, b.env.location())
	}
	text := strings.TrimSpace(b.length.Text)
	if n, err := strconv.Atoi(text); err != nil && text != "" {
		note("minutes", "type the length in minutes, like 60")
	} else {
		a.Minutes = n
	}
	if len(b.warnings) > 0 {
		a.Warnings, a.OverrideReason = b.warnings, strings.TrimSpace(b.reason.Text)
	}
	for _, p := range data.FieldProblems(a.Validate()) {
		if p.Field == "start" && a.Start.IsZero() {
			continue // already said
		}
		bad = append(bad, p)
	}
	if !a.Start.IsZero() {
		if p := data.FieldProblems(data.CheckBookingTime(a.Start, b.env.Now(), b.env.Actor.Role)); len(p) > 0 {
			bad = append(bad, p...)
		}
	}
	return a, bad
}

// checks is what the booking is checked against before it is saved.
type checks struct {
	warnings []string
	hours    []data.Warning
}

// book checks the form, then the client's safety and the hours, then
// books.
func (b *bookingDialog) book() {
	if b.busy || b.booked != nil {
		return
	}
	a, bad := b.read()
	if b.showProblems(bad) {
		return
	}
	b.setBusy(true)
	d, actor, settings, tech := b.env.deps, b.env.ActorID(), b.env.Settings, b.technicianName(a.TechnicianID)
	treatment, _ := b.refs.treatment(a.TreatmentID)
	menu := b.refs.menu
	screen.Background(b.env.Env, func(ctx context.Context) (checks, error) {
		return readChecks(ctx, d, actor, a, treatment, menu, settings, tech)
	}, func(c checks, err error) {
		b.setBusy(false)
		if err != nil {
			b.showSummary("Could not check the booking. " + data.UserMessage(err))
			return
		}
		b.afterChecks(a, c)
	})
}

// readChecks reads the client, their sessions and appointments and the
// technician's hours, and works out the warnings.
func readChecks(ctx context.Context, d Stores, actor int64, a data.Appointment, t data.TreatmentType,
	menu []data.TreatmentType, s data.Settings, tech string) (checks, error) {
	var c checks
	client, err := d.Clients.Client(ctx, actor, a.ClientID)
	if err != nil {
		return c, fmt.Errorf("reading the client: %w", err)
	}
	sessions, err := d.Sessions.ClientSessions(ctx, actor, a.ClientID)
	if err != nil {
		return c, fmt.Errorf("reading the client's sessions: %w", err)
	}
	appts, err := d.Appointments.ClientAppointments(ctx, actor, a.ClientID)
	if err != nil {
		return c, fmt.Errorf("reading the client's appointments: %w", err)
	}
	working, err := d.Setup.WorkingHours(ctx, actor, a.TechnicianID)
	if err != nil {
		return c, fmt.Errorf("reading the technician's hours: %w", err)
	}
	c.warnings = data.BookingWarningMessages(data.BookingFacts{Client: client, Treatment: t, Start: a.Start,
		AppointmentID: a.ID, Sessions: sessions, Appointments: appts, Menu: menu, Settings: s})
	c.hours = data.HoursWarnings(a, tech, s.OpeningHours, working, s.Location())
	return c, nil
}

// afterChecks asks for a reason when there are warnings not answered,
// for a yes when the time is outside the hours, then books.
func (b *bookingDialog) afterChecks(a data.Appointment, c checks) {
	if fresh := unanswered(c.warnings, b.warnings); len(fresh) > 0 || (len(c.warnings) > 0 && strings.TrimSpace(b.reason.Text) == "") {
		b.showWarnings(c.warnings)
		b.fields.Find("override_reason").SetProblem("Write why the appointment goes ahead despite the warnings, then press Book again")
		b.showSummary("Check the warnings about " + b.clientName + " and give a reason to go ahead.")
		b.env.Focus(b.reason)
		return
	}
	a.Warnings, a.OverrideReason = nil, ""
	if len(c.warnings) > 0 {
		a.Warnings, a.OverrideReason = c.warnings, strings.TrimSpace(b.reason.Text)
	}
	if len(c.hours) == 0 {
		b.save(a)
		return
	}
	b.env.Confirm("Outside the hours", data.HoursWarningMessages(c.hours)+".\n\nBook this time anyway?", "Book anyway",
		func() { b.save(a) })
}

// unanswered are the warnings in now that were not shown before.
func unanswered(now, shown []string) []string {
	var out []string
	for _, w := range now {
		found := false
		for _, s := range shown {
			found = found || s == w
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}

func (b *bookingDialog) showWarnings(ws []string) {
	b.warnings = ws
	b.warnBox.Objects = []fyne.CanvasObject{widgets.Heading("Before booking " + b.clientName)}
	for _, w := range ws {
		b.warnBox.Add(widgets.WarningLine(w, widget.WarningImportance))
	}
	b.warnBox.Refresh()
	b.reasonBox.Show()
}

// save books in the background.
func (b *bookingDialog) save(a data.Appointment) {
	b.setBusy(true)
	appts, actor := b.env.deps.Appointments, b.env.ActorID()
	screen.Background(b.env.Env, func(ctx context.Context) (data.Appointment, error) {
		err := appts.BookAppointment(ctx, actor, &a)
		return a, err
	}, b.onBooked)
}

func (b *bookingDialog) onBooked(a data.Appointment, err error) {
	b.setBusy(false)
	var clash *data.BookingClash
	switch {
	case errors.As(err, &clash):
		b.fields.Find("start").SetProblem(clash.Error())
		b.showSummary("That time is taken. " + clash.Error() + ".")
		return
	case len(data.FieldProblems(err)) > 0:
		b.showProblems(data.FieldProblems(err))
		return
	case err != nil:
		b.showSummary("Could not book the appointment. " + data.UserMessage(err))
		return
	}
	b.booked = &a
	b.d.Hide()
	b.env.messagesQueued()
	if b.env.showBooked != nil {
		b.env.showBooked(a)
	}
	b.env.bookChanged(a.ClientID)
}

func (b *bookingDialog) showProblems(ps []data.FieldError) bool {
	if len(ps) == 0 {
		b.fields.Clear()
		b.showSummary("")
		return false
	}
	rest := b.fields.Show(&data.ValidationError{Problems: ps})
	msg := "Please check the fields marked in red."
	if len(rest) > 0 {
		msg += " " + widgets.ProblemSummary(rest)
	}
	b.showSummary(msg)
	return true
}

func (b *bookingDialog) showSummary(msg string) {
	b.summary.SetText(msg)
	if msg == "" {
		b.summary.Hide()
	} else {
		b.summary.Show()
	}
}

func (b *bookingDialog) setBusy(busy bool) {
	b.busy = busy
	if busy {
		b.bookBtn.Disable()
		b.bookBtn.SetText("Checking…")
	} else {
		b.bookBtn.Enable()
		b.bookBtn.SetText("Book")
	}
}

func (b *bookingDialog) technicianName(id int64) string {
	for _, t := range b.refs.technicians {
		if t.ID == id {
			return t.Name
		}
	}
	return "The technician"
}
