package clients

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// sessionView shows one session, read only, as the person's role may see
// it: the summary for everyone; the clinical details, the warnings and the
// earlier versions for those allowed them. It links to the session's
// aftercare sheet and lists the sheets handed over. Escape goes back.
type sessionView struct {
	env       *areaEnv
	stack     *screen.Stack
	client    data.Client
	sessionID int64
	page      *screen.Page

	pane   *keyPane
	body   *fyne.Container
	loaded bool
	shown  sessionViewData
}

// sessionViewData is what the view shows, read in one go.
type sessionViewData struct {
	session    data.Session
	sheets     []data.SheetInfo
	amendments []data.SessionAmendment
}

// newSessionView builds the view of session id of client c and starts
// loading it.
func newSessionView(env *areaEnv, stack *screen.Stack, c data.Client, s data.Session) *sessionView {
	v := &sessionView{env: env, stack: stack, client: c, sessionID: s.ID}
	v.body = container.NewVBox(container.NewCenter(widget.NewLabel("Loading the session…")))
	scroll := container.NewVScroll(container.NewPadded(v.body))
	v.pane = newKeyPane(scroll, v.close)
	day := env.Settings.FormatDate(data.DateOf(s.StartedAt.Local()))
	v.page = &screen.Page{Title: "Session of " + day + " · " + c.FullName(), Content: v.pane, Shown: v.load}
	off := screen.On(env.Events, func(screen.SessionChanged) {
		if stack.Top() == v.page {
			v.load()
		}
	})
	offSheets := screen.On(env.Events, func(screen.SheetChanged) {
		if stack.Top() == v.page {
			v.load()
		}
	})
	v.page.Closed = func() { off(); offSheets() }
	v.load()
	return v
}

// load reads the session, its sheets and, for those allowed the clinical
// details, its earlier versions, in the background.
func (v *sessionView) load() {
	actor, role, deps, id, clientID := v.env.ActorID(), v.env.Actor.Role, v.env.deps, v.sessionID, v.client.ID
	screen.Background(v.env.Env, func(ctx context.Context) (sessionViewData, error) {
		var d sessionViewData
		var err error
		if d.session, err = deps.Sessions.Session(ctx, actor, id); err != nil {
			return d, err
		}
		all, err := deps.Sheets.ClientSheets(ctx, actor, clientID)
		if err != nil {
			return d, err
		}
		for _, sh := range all {
			if sh.SessionID == id {
				d.sheets = append(d.sheets, sh)
			}
		}
		if d.session.Amendments > 0 && !d.session.SummaryOnly && role.Can(data.PermSessionDetails) {
			d.amendments, err = deps.Sessions.SessionAmendments(ctx, actor, id)
		}
		return d, err
	}, v.apply)
}

func (v *sessionView) apply(d sessionViewData, err error) {
	if err != nil {
		if v.loaded {
			v.env.ShowError("Could not refresh the session", err)
			return
		}
		v.body.Objects = []fyne.CanvasObject{&widget.Label{Text: "Could not load the session. " + data.UserMessage(err),
			Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}}
		v.body.Refresh()
		return
	}
	v.loaded, v.shown = true, d
	v.body.Objects = v.sections(d)
	v.body.Refresh()
	if v.stack.Top() == v.page {
		v.focus()
	}
}

// focus puts the keyboard on the view, so Escape and the arrows work.
func (v *sessionView) focus() { v.env.Window.Canvas().Focus(v.pane) }

// close goes back to the record.
func (v *sessionView) close() {
	if v.stack.Top() == v.page {
		v.stack.Pop()
	}
}

// sections lays the session out: when and who, the treatment, the
// aftercare, the warnings, the sheets and the earlier versions.
func (v *sessionView) sections(d sessionViewData) []fyne.CanvasObject {
	s, st := d.session, v.env.Settings
	details := !s.SummaryOnly && v.env.Actor.Role.Can(data.PermSessionDetails)
	out := []fyne.CanvasObject{v.header(s)}
	if details {
		out = append(out, widgets.Section("Treatment", sessionFacts(treatmentFacts(s))...))
	} else {
		out = append(out, widgets.Section("Treatment",
			sessionFacts([]sessionFact{{"Areas", areaNames(s.Areas)}})...),
			widgets.Panel(theme.ColorNamePrimary, widgets.Text("Depths, device, numbing, the skin's reaction, clinical notes, "+
				"warnings and earlier versions are clinical details, shown to technicians and owners.")))
	}
	out = append(out, widgets.Section("Aftercare", sessionFacts(aftercareFacts(s, st))...))
	if details {
		out = append(out, widgets.Section("Warnings before treating", warningLines(s, st)...))
	}
	out = append(out, v.sheetsSection(d.sheets))
	if details {
		out = append(out, widgets.Section("Earlier versions", amendmentHistory(s, d.amendments, st)))
	}
	return out
}

// header names the client, when the treatment was and who gave it, with
// the way to the aftercare sheet.
func (v *sessionView) header(s data.Session) fyne.CanvasObject {
	at := s.StartedAt.Local()
	when := fmt.Sprintf("Treated on %s at %s", widgets.WeekdayDate(v.env.Settings, data.DateOf(at)), at.Format("15:04"))
	if s.TechnicianName != "" {
		when += " by " + s.TechnicianName
	}
	sheet := &widget.Button{Text: "Aftercare sheet", Icon: theme.DocumentIcon(), Importance: widget.HighImportance,
		OnTapped: v.onAftercare}
	text := container.NewVBox(widgets.Heading(v.client.FullName()), widgets.Text(when))
	return widgets.Panel(theme.ColorNamePrimary, container.NewBorder(nil, nil, nil, container.NewCenter(sheet), text))
}

// onAftercare opens the session's aftercare plan and sheet.
func (v *sessionView) onAftercare() {
	v.stack.Push(newAftercarePage(v.env, v.stack, v.sessionID))
}

// sheetsSection lists the sheets handed over for the session.
func (v *sessionView) sheetsSection(sheets []data.SheetInfo) fyne.CanvasObject {
	if len(sheets) == 0 {
		return widgets.Section("Aftercare sheets handed over",
			widgets.Text("None yet. The first Save, Open or Print on the aftercare sheet makes one and keeps it."))
	}
	lines := make([]fyne.CanvasObject, len(sheets))
	for i, sh := range sheets {
		lines[i] = widgets.Text(fmt.Sprintf("Version %d: %s", sh.Version, clientSheetDetails(sh, v.env.Settings)))
	}
	return widgets.Section("Aftercare sheets handed over", lines...)
}

// sessionFact is one labelled line of the view.
type sessionFact struct{ label, value string }

// sessionFacts lays facts out as a two-column form: the label, then the
// value, wrapped.
func sessionFacts(facts []sessionFact) []fyne.CanvasObject {
	form := container.New(layout.NewFormLayout())
	for _, f := range facts {
		form.Add(&widget.Label{Text: f.label, TextStyle: fyne.TextStyle{Bold: true}})
		form.Add(widgets.Text(f.value))
	}
	return []fyne.CanvasObject{form}
}

// notRecorded stands for a detail the person may see that nobody wrote.
const notRecorded = "Not recorded"

func orNotRecorded(s string) string {
	if strings.TrimSpace(s) == "" {
		return notRecorded
	}
	return s
}

// treatmentFacts are the clinical details of a session.
func treatmentFacts(s data.Session) []sessionFact {
	numbing := strings.TrimSpace(s.NumbingAgent)
	if numbing != "" && s.NumbingMinutes > 0 {
		numbing += fmt.Sprintf(", %d minutes", s.NumbingMinutes)
	}
	passes := notRecorded
	if s.Passes > 0 {
		passes = fmt.Sprint(s.Passes)
	}
	return []sessionFact{
		{"Areas and depths", timelineAreas(s.Areas)},
		{"Device", orNotRecorded(s.Device)},
		{"Needle lot", orNotRecorded(s.NeedleLot)},
		{"Passes", passes},
		{"Numbing", orNotRecorded(numbing)},
		{"Glide serum", orNotRecorded(s.GlideSerum)},
		{"Products applied", orNotRecorded(s.ProductsApplied)},
		{"Reaction", orNotRecorded(s.Reaction)},
		{"Clinical notes", orNotRecorded(s.Notes)},
	}
}

// aftercareFacts are the parts of a session every role sees: the
// products recommended, the personal words and the next visit.
func aftercareFacts(s data.Session, st data.Settings) []sessionFact {
	products := "None recommended"
	if len(s.Recommendations) > 0 {
		products = recommendedList(s.Recommendations)
	}
	notes := strings.TrimSpace(s.AftercareNotes)
	if notes == "" {
		notes = "None written"
	}
	due := "Not planned"
	if !s.NextDue.IsZero() {
		due = widgets.WeekdayDate(st, s.NextDue)
	}
	return []sessionFact{{"Products recommended", products}, {"Personal aftercare words", notes}, {"Next session due", due}}
}

// areaNames lists the areas treated, without depths.
func areaNames(as []data.AreaTreatment) string {
	if len(as) == 0 {
		return "No areas charted"
	}
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Area.Label()
	}
	return strings.Join(names, ", ")
}

// warningLines are the warnings shown before treating and the reason
// given to go ahead, their dates in the clinic's format (warnings kept
// before that was so carry YYYY-MM-DD).
func warningLines(s data.Session, st data.Settings) []fyne.CanvasObject {
	if len(s.Warnings) == 0 {
		return []fyne.CanvasObject{widgets.Text("No warnings were shown before this treatment.")}
	}
	out := make([]fyne.CanvasObject, 0, len(s.Warnings)+1)
	for _, w := range s.Warnings {
		out = append(out, widgets.WarningLine(st.FormatDatesIn(w), widget.WarningImportance))
	}
	return append(out, widgets.Text("Reason to go ahead: "+orNotRecorded(s.OverrideReason)))
}

// keyPane holds a page's content and takes the keyboard for it: Escape
// leaves, the arrows and Page Up and Down scroll. A click anywhere that
// no button takes gives it the keyboard back.
type keyPane struct {
	widget.BaseWidget
	scroll  *container.Scroll
	onLeave func()
	focused bool
}

func newKeyPane(scroll *container.Scroll, onLeave func()) *keyPane {
	p := &keyPane{scroll: scroll, onLeave: onLeave}
	p.ExtendBaseWidget(p)
	return p
}

func (p *keyPane) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.scroll) }

func (p *keyPane) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		c.Focus(p)
	}
}

func (p *keyPane) FocusGained()   { p.focused = true }
func (p *keyPane) FocusLost()     { p.focused = false }
func (p *keyPane) TypedRune(rune) {}

func (p *keyPane) TypedKey(e *fyne.KeyEvent) {
	step := theme.TextSize() * 3
	switch e.Name {
	case fyne.KeyEscape:
		p.onLeave()
		return
	case fyne.KeyDown:
		p.scrollBy(step)
	case fyne.KeyUp:
		p.scrollBy(-step)
	case fyne.KeyPageDown, fyne.KeySpace:
		p.scrollBy(p.scroll.Size().Height * 0.9)
	case fyne.KeyPageUp:
		p.scrollBy(-p.scroll.Size().Height * 0.9)
	case fyne.KeyHome:
		p.scroll.ScrollToTop()
	case fyne.KeyEnd:
		p.scroll.ScrollToBottom()
	}
}

// scrollBy moves the content by dy, within its ends.
func (p *keyPane) scrollBy(dy float32) {
	limit := p.scroll.Content.MinSize().Height - p.scroll.Size().Height
	y := min(max(p.scroll.Offset.Y+dy, 0), max(limit, 0))
	p.scroll.ScrollToOffset(fyne.NewPos(p.scroll.Offset.X, y))
}

// openList is a list whose rows open with Enter as well as with a click
// or Space: the list's OnSelected opens the row and unselects it.
type openList struct{ widget.List }

func newOpenList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *openList {
	l := &openList{}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey opens the row with the keyboard's focus on Enter, as Space
// does.
func (l *openList) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		e = &fyne.KeyEvent{Name: fyne.KeySpace}
	}
	l.List.TypedKey(e)
}
