package clients

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// searchDelay is how long typing must pause before the list is searched.
const searchDelay = 150 * time.Millisecond

// clientPageSize is how many clients one search shows at most: enough to
// scroll a page of likely matches, few enough that each keystroke stays
// quick on a clinic of 100,000 clients.
const clientPageSize = 100

// queryTimeout bounds one search so a stuck database shows an error.
const queryTimeout = 30 * time.Second

// clientsScreen is the searchable client list. All fields are touched only
// on the UI goroutine; background searches hand their results back through
// do, tagged with the generation they were started for.
type ClientsScreen struct {
	finder    ClientFinder
	actorID   func() int64 // the person working; read on the UI goroutine
	do        func(func())
	ctx       context.Context
	open      func(id int64)
	newClient func()

	Settings data.Settings
	rows     []data.ClientSummary
	selected int                // the row Up/Down moved to; -1 for none
	gen      uint64             // bumped by every new search and by stop; older results are stale
	timer    *time.Timer        // the pending debounced search
	cancel   context.CancelFunc // cancels the search in flight

	Search  *widgets.SearchEntry
	list    *widget.List
	Status  *widget.Label
	Notice  *widget.Label
	Content fyne.CanvasObject
}

func NewClientsScreen(env *areaEnv, open func(id int64), newClient func()) *ClientsScreen {
	s := &ClientsScreen{
		finder:    env.deps.Clients,
		actorID:   env.ActorID,
		do:        env.Do,
		ctx:       env.Ctx,
		open:      open,
		newClient: newClient,
		Settings:  data.DefaultSettings(),
		selected:  -1,
		cancel:    func() {},
	}
	s.Search = widgets.NewSearchEntry(s.moveSelection)
	s.Search.PlaceHolder = "Search by name, phone or e-mail  (Ctrl+F)"
	s.Search.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.Search.OnChanged = s.onSearchChanged
	s.Search.OnSubmitted = s.onSearchSubmitted
	s.list = widget.NewList(s.rowCount, newClientRow, s.UpdateRow)
	s.list.OnSelected = s.onRowSelected
	s.Status = &widget.Label{Text: "Loading clients…"}
	s.Notice = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	s.Notice.Hide()

	heading := &widget.Label{Text: "Clients", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}
	add := &widget.Button{Text: "New client  (Ctrl+N)", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: newClient}
	top := container.NewVBox(container.NewBorder(nil, nil, nil, add, heading), s.Search)
	bottom := container.NewVBox(widget.NewSeparator(), s.Notice, s.Status)
	s.Content = container.NewPadded(container.NewBorder(top, bottom, nil, nil, s.list))
	return s
}

// focus puts the cursor in the search box.
func (s *ClientsScreen) Focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.Search); c != nil {
		c.Focus(s.Search)
	}
}

// moveSelection moves the highlighted row by delta (Up/Down in the search).
func (s *ClientsScreen) moveSelection(delta int) {
	if len(s.rows) == 0 {
		return
	}
	next := min(max(s.selected+delta, 0), len(s.rows)-1)
	s.selected = next
	s.list.OnSelected = nil // moving is not opening
	s.list.Select(next)
	s.list.OnSelected = s.onRowSelected
	s.list.ScrollTo(next)
}

// onRowSelected opens a client tapped in the list.
func (s *ClientsScreen) onRowSelected(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.list.UnselectAll()
	s.selected = -1
	s.open(s.rows[id].ID)
}

// reload searches again with the current text, at once.
func (s *ClientsScreen) Reload() {
	gen, ctx, cancel := s.startSearch()
	text, actor := s.Search.Text, s.actorID()
	go s.load(ctx, cancel, gen, actor, text)
}

// onSearchChanged restarts the debounce timer on every keystroke.
func (s *ClientsScreen) onSearchChanged(text string) {
	gen, ctx, cancel := s.startSearch()
	actor := s.actorID()
	s.timer = time.AfterFunc(searchDelay, func() { s.load(ctx, cancel, gen, actor, text) })
}

// onSearchSubmitted opens the highlighted client (or the only or first
// one listed) when Enter is pressed.
func (s *ClientsScreen) onSearchSubmitted(string) {
	switch {
	case s.selected >= 0 && s.selected < len(s.rows):
		s.open(s.rows[s.selected].ID)
	case len(s.rows) > 0 && s.timer == nil:
		s.open(s.rows[0].ID)
	default:
		s.Reload()
	}
}

// startSearch makes every earlier search stale and gives the new one its
// generation and context.
func (s *ClientsScreen) startSearch() (uint64, context.Context, context.CancelFunc) {
	s.Stop()
	ctx, cancel := context.WithTimeout(s.ctx, queryTimeout)
	s.cancel = cancel
	return s.gen, ctx, cancel
}

// stop makes every search so far stale: it drops one that has not started
// and cancels one in flight. The window also calls it when it closes.
func (s *ClientsScreen) Stop() {
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.cancel()
}

// load runs on a background goroutine: it queries the store and hands the
// result to the UI goroutine.
func (s *ClientsScreen) load(ctx context.Context, cancel context.CancelFunc, gen uint64, actor int64, text string) {
	defer cancel()
	f := data.ClientFilter{Text: strings.TrimSpace(text), State: data.CurrentOnly, Limit: clientPageSize}
	rows, err := s.finder.FindClients(ctx, actor, f)
	s.do(func() { s.applyResult(gen, text, rows, err) })
}

// applyResult shows a search's result unless a newer search has started.
func (s *ClientsScreen) applyResult(gen uint64, text string, rows []data.ClientSummary, err error) {
	if gen != s.gen {
		return
	}
	if err != nil {
		if s.ctx.Err() != nil {
			return // the window is closing
		}
		s.Status.Importance = widget.DangerImportance
		s.Status.SetText("Could not load clients. " + problemText(err))
		return
	}
	s.rows = rows
	s.timer = nil
	s.selected = -1
	s.list.UnselectAll()
	s.list.Refresh()
	s.list.ScrollToTop()
	s.Status.Importance = widget.MediumImportance
	s.Status.SetText(countText(len(rows), strings.TrimSpace(text) != ""))
}

// setSettings applies the clinic's settings, such as its date format.
func (s *ClientsScreen) SetSettings(st data.Settings) {
	s.Settings = st
	s.list.Refresh()
}

// showProblem shows a lasting message above the status line.
func (s *ClientsScreen) ShowProblem(msg string) {
	s.Notice.SetText(msg)
	s.Notice.Show()
}

// problemText says in plain words why a search failed.
func problemText(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "The database did not answer in time; it may be busy. Try the search again."
	}
	return data.UserMessage(err)
}

func countText(n int, searching bool) string {
	switch {
	case n == 0 && searching:
		return "No clients match"
	case n == 0:
		return "No clients yet"
	case n == 1:
		return "1 client shown"
	case n >= clientPageSize:
		return fmt.Sprintf("First %d clients shown. Type a name, phone or e-mail to narrow the list", n)
	}
	return fmt.Sprintf("%d clients shown", n)
}

func (s *ClientsScreen) rowCount() int { return len(s.rows) }

// clientRow is one line of the list: the client's initials, name and
// contact details on the left, the last session on the right.
type clientRow struct {
	widget.BaseWidget
	badge               *canvas.Circle
	initials            *canvas.Text
	name, details, last *widget.Label
}

const badgeSize = 36

func newClientRow() fyne.CanvasObject {
	r := &clientRow{
		badge:    &canvas.Circle{},
		initials: &canvas.Text{TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter},
		name:     &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		details:  &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		last:     &widget.Label{Alignment: fyne.TextAlignTrailing},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *clientRow) CreateRenderer() fyne.WidgetRenderer {
	badge := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(badgeSize),
		container.NewStack(r.badge, container.NewCenter(r.initials))))
	text := container.New(&widgets.TightVBox{}, r.name, r.details)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, badge, container.NewCenter(r.last), text))
}

// show fills the row with one client.
// ClientName is the name the row shows.
func (r *clientRow) ClientName() string { return r.name.Text }

func (r *clientRow) show(name, details, last string, treated bool) {
	th := r.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	primary := th.Color(theme.ColorNamePrimary, v)
	r.badge.FillColor = fadeColor(primary, 0x38)
	r.initials.Color = primary
	r.initials.Text = initials(name)
	r.initials.TextSize = th.Size(theme.SizeNameText)
	r.badge.Refresh()
	r.initials.Refresh()
	r.name.SetText(name)
	r.details.SetText(details)
	// Quiet text is in the low-importance colour, not italic, here and
	// on the record: an italic face costs the window two more fonts
	// (about 7 MB) on the screens the front desk uses all day.
	r.last.Importance = widget.MediumImportance
	if !treated {
		r.last.Importance = widget.LowImportance
	}
	r.last.SetText(last)
}

// initials are the first letters of the first and last words of a name.
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return "?"
	}
	first := []rune(words[0])[:1]
	if len(words) == 1 {
		return strings.ToUpper(string(first))
	}
	last := []rune(words[len(words)-1])[:1]
	return strings.ToUpper(string(first) + string(last))
}

func fadeColor(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

func (s *ClientsScreen) UpdateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	c := s.rows[id]
	o.(*clientRow).show(c.FullName(), s.detailsText(c), s.lastSessionText(c), !c.LastSession.IsZero())
}

// detailsText is the second line of a row: date of birth, phone and e-mail.
func (s *ClientsScreen) detailsText(c data.ClientSummary) string {
	var parts []string
	if !c.DateOfBirth.IsZero() {
		parts = append(parts, "Born "+s.Settings.FormatDate(c.DateOfBirth))
	}
	if c.Phone != "" {
		parts = append(parts, c.Phone)
	}
	if c.Email != "" {
		parts = append(parts, c.Email)
	}
	return strings.Join(parts, "  ·  ")
}

func (s *ClientsScreen) lastSessionText(c data.ClientSummary) string {
	if c.LastSession.IsZero() {
		return "No sessions yet"
	}
	return "Last session " + s.Settings.FormatDate(data.DateOf(c.LastSession.Local()))
}
