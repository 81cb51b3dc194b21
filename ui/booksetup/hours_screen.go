package booksetup

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// HoursScreen sets when the clinic is open on each weekday, its time zone
// and the shortest time between two needling sessions (saved with the
// clinic's settings), and the days and hours each technician works
// (saved for that technician). A booking outside them asks first.
type HoursScreen struct {
	env *areaEnv

	loaded       data.Settings
	clinicReady  bool
	clinicBase   string
	Opening      *WeekEditor
	Zone         *ZonePicker
	Interval     *widgets.Entry
	ClinicFields widgets.FieldSet
	ClinicSum    *widget.Label
	SaveClinic   *widget.Button

	staff       []data.Staff
	Technician  *widget.Select
	techHours   data.WorkingHours
	techReady   bool
	techBase    string
	Working     *WeekEditor
	TechNote    *widget.Label
	TechFields  widgets.FieldSet
	TechSum     *widget.Label
	SaveWorking *widget.Button

	saving bool
	body   fyne.CanvasObject
}

func newHoursScreen(env *areaEnv) *HoursScreen {
	s := &HoursScreen{env: env}
	s.Opening = newWeekEditor("opening_hours_", "Tick the days the clinic is open; times such as 09:00 or 17:30.", s.saveClinic)
	s.Zone = newZonePicker(s.saveClinic)
	s.Interval = widgets.NewSubmitEntry(1, s.saveClinic, nil)
	interval := widgets.NewField("min_interval_days", "Shortest time between needling sessions",
		container.NewHBox(fixedWidth(90, s.Interval), widget.NewLabel("days")))
	zone := widgets.NewField("time_zone", "Time zone", s.Zone.Content)
	s.ClinicFields = append(widgets.FieldSet{zone, interval}, s.Opening.Fields...)
	s.ClinicSum = widgets.Summary()
	s.SaveClinic = &widget.Button{Text: "Save the clinic's hours", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.saveClinic}
	s.SaveClinic.Disable()
	clinic := widgets.CardSection("The clinic", "When the clinic is open on each day of the week, on its own clock. "+
		"Bookings outside these hours ask for a confirmation first.",
		container.NewVBox(s.Opening.Content, widget.NewSeparator(), zone.Box,
			widgets.Caption("Appointments are kept in this zone's time, so a 10:00 booking stays at 10:00 when the clocks change. Type part of a name, such as London, and choose from the list."),
			interval.Box, widgets.Caption("A booking sooner than this after the client's last needling session warns, and needs a written reason. About four weeks is usual."),
			s.ClinicSum, container.NewHBox(s.SaveClinic)))

	s.Technician = &widget.Select{PlaceHolder: "Choose a technician", OnChanged: s.onTechnician}
	s.Working = newWeekEditor("working_hours_", "Tick the days they work; times such as 09:00 or 17:30.", s.saveWorking)
	s.TechNote = widgets.Caption("")
	s.TechFields = append(widgets.FieldSet{widgets.NewField("technician", "Technician", s.Technician)}, s.Working.Fields...)
	s.TechSum = widgets.Summary()
	s.SaveWorking = &widget.Button{Text: "Save working hours", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.saveWorking}
	s.SaveWorking.Disable()
	tech := widgets.CardSection("A technician", "The days and hours one person works. Until they are set, "+
		"a technician works whenever the clinic is open.",
		container.NewVBox(s.TechFields[0].Box, s.TechNote, s.Working.Content, s.TechSum, container.NewHBox(s.SaveWorking)))
	s.ClinicFields.Watch(func() []data.FieldError { st, bad := s.readClinic(); return mergeProblems(bad, st.Validate()) },
		func() { widgets.SetSummary(s.ClinicSum, "", widget.MediumImportance) })
	s.TechFields.Watch(func() []data.FieldError { w, bad := s.readWorking(); return mergeProblems(bad, w.Validate()) },
		func() { widgets.SetSummary(s.TechSum, "", widget.MediumImportance) })
	s.body = container.NewPadded(widgets.NewFormScroll(container.NewPadded(container.NewVBox(widgets.Title("Hours"),
		container.NewGridWithColumns(2, clinic, tech)))))
	return s
}

func (s *HoursScreen) content() fyne.CanvasObject { return s.body }

func (s *HoursScreen) dirty() bool {
	return (s.clinicReady && s.clinicSnapshot() != s.clinicBase) || (s.techReady && s.Working.snapshot() != s.techBase)
}

// save saves whichever part holds changes (Ctrl+S).
func (s *HoursScreen) save() {
	if s.techReady && s.Working.snapshot() != s.techBase {
		s.saveWorking()
	}
	if s.clinicReady && s.clinicSnapshot() != s.clinicBase {
		s.saveClinic()
	}
}

// shown reads the settings and the staff, unless the form holds changes.
func (s *HoursScreen) shown() {
	if s.saving {
		return
	}
	actor, settings, staff := s.env.ActorID(), s.env.deps.Settings, s.env.deps.Staff
	if settings != nil && !(s.clinicReady && s.clinicSnapshot() != s.clinicBase) {
		screen.Background(s.env.Env, func(ctx context.Context) (data.Settings, error) {
			return settings.Settings(ctx, actor)
		}, func(st data.Settings, err error) {
			if err != nil {
				widgets.SetSummary(s.ClinicSum, "Could not read the clinic's settings. "+data.UserMessage(err), widget.DangerImportance)
				return
			}
			s.fillClinic(st)
		})
	}
	if staff != nil {
		screen.Background(s.env.Env, func(ctx context.Context) ([]data.Staff, error) {
			return staff.StaffList(ctx, actor, false)
		}, func(list []data.Staff, err error) {
			if err != nil {
				widgets.SetSummary(s.TechSum, "Could not read the staff. "+data.UserMessage(err), widget.DangerImportance)
				return
			}
			s.offerStaff(list)
		})
	}
}

func (s *HoursScreen) fillClinic(st data.Settings) {
	s.loaded = st
	s.Opening.fill(st.OpeningHours)
	s.Zone.set(st.TimeZone)
	s.Interval.SetText(strconv.Itoa(st.MinIntervalDays))
	s.ClinicFields.Clear()
	s.clinicBase, s.clinicReady = s.clinicSnapshot(), true
	s.SaveClinic.Enable()
}

func (s *HoursScreen) clinicSnapshot() string {
	return s.Opening.snapshot() + "\x00" + s.Zone.Entry.Text + "\x00" + s.Interval.Text
}

// readClinic is the settings with the clinic's hours, zone and interval
// from the form.
func (s *HoursScreen) readClinic() (data.Settings, []data.FieldError) {
	st := s.loaded
	var bad []data.FieldError
	st.OpeningHours, bad = s.Opening.read()
	st.TimeZone = strings.TrimSpace(s.Zone.Entry.Text)
	if n, err := strconv.Atoi(trimmed(s.Interval)); err != nil {
		bad = append(bad, data.FieldError{Field: "min_interval_days", Message: "type a whole number of days, such as 28"})
	} else {
		st.MinIntervalDays = n
	}
	return st, bad
}

func (s *HoursScreen) saveClinic() {
	if s.saving || !s.clinicReady {
		return
	}
	st, bad := s.readClinic()
	if !showProblems(s.ClinicFields, s.ClinicSum, mergeProblems(bad, st.Validate())) {
		return
	}
	s.saving = true
	s.SaveClinic.Disable()
	actor, store, loaded := s.env.ActorID(), s.env.deps.Settings, s.loaded
	screen.Background(s.env.Env, func(ctx context.Context) (data.Settings, error) {
		return saveSettingsPart(ctx, store, actor, loaded, "the clinic's hours and time zone", sameHours, func(to *data.Settings) {
			to.OpeningHours, to.TimeZone, to.MinIntervalDays = st.OpeningHours, st.TimeZone, st.MinIntervalDays
		})
	}, func(saved data.Settings, err error) {
		s.saving = false
		s.SaveClinic.Enable()
		if err != nil {
			saveFailed(s.ClinicFields, s.ClinicSum, err, "the clinic's hours")
			return
		}
		s.fillClinic(saved)
		s.env.Settings = saved
		widgets.SetSummary(s.ClinicSum, "The clinic's hours are saved.", widget.SuccessImportance)
		s.env.Events.Publish(screen.SettingsChanged{})
	})
}

func sameHours(a, b data.Settings) bool {
	return a.OpeningHours == b.OpeningHours && a.TimeZone == b.TimeZone && a.MinIntervalDays == b.MinIntervalDays
}

// saveSettingsPart saves the part of the settings one screen keeps. It
// reads the settings as they are saved now: when someone changed that
// part (same tells) since the screen read it (loaded), nothing is saved
// and the refusal says so; otherwise put writes the screen's part into
// them and they are saved, the rest as it is now.
func saveSettingsPart(ctx context.Context, store SettingsStore, actor int64, loaded data.Settings, what string,
	same func(a, b data.Settings) bool, put func(*data.Settings)) (data.Settings, error) {
	now, err := store.Settings(ctx, actor)
	if err != nil {
		return now, err
	}
	if now.Version != loaded.Version && !same(now, loaded) {
		return now, &data.ConflictError{What: what}
	}
	put(&now)
	if err := store.SaveSettings(ctx, actor, &now); err != nil {
		return now, err
	}
	return now, nil
}

// offerStaff offers everyone who treats clients (not receptionists).
func (s *HoursScreen) offerStaff(list []data.Staff) {
	s.staff = s.staff[:0]
	var names []string
	for _, st := range list {
		if st.Role != data.RoleReceptionist {
			s.staff = append(s.staff, st)
			names = append(names, st.Name)
		}
	}
	s.Technician.Options = names
	s.Technician.Refresh()
	if len(names) == 0 {
		s.TechNote.SetText("No one who treats clients has an account yet; add technicians under Settings, Staff.")
	}
}

func (s *HoursScreen) chosen() data.Staff {
	for _, st := range s.staff {
		if st.Name == s.Technician.Selected {
			return st
		}
	}
	return data.Staff{}
}

func (s *HoursScreen) onTechnician(string) {
	who := s.chosen()
	if who.ID == 0 || s.env.deps.Hours == nil {
		return
	}
	actor, store := s.env.ActorID(), s.env.deps.Hours
	s.techReady = false
	s.SaveWorking.Disable()
	screen.Background(s.env.Env, func(ctx context.Context) (data.WorkingHours, error) {
		return store.WorkingHours(ctx, actor, who.ID)
	}, func(w data.WorkingHours, err error) {
		if s.chosen().ID != who.ID {
			return // another technician was chosen since
		}
		if err != nil {
			widgets.SetSummary(s.TechSum, "Could not read "+who.Name+"'s working hours. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		s.fillWorking(who, w)
	})
}

func (s *HoursScreen) fillWorking(who data.Staff, w data.WorkingHours) {
	s.techHours = w
	s.Working.fill(w.Days)
	if w.Set {
		s.TechNote.SetText(who.Name + "'s own hours.")
	} else {
		s.TechNote.SetText(who.Name + " has no hours of their own yet, so works whenever the clinic is open (shown below). Change them and save to set them.")
	}
	s.TechFields.Clear()
	s.techBase, s.techReady = s.Working.snapshot(), true
	s.SaveWorking.Enable()
}

func (s *HoursScreen) readWorking() (data.WorkingHours, []data.FieldError) {
	w := s.techHours
	var bad []data.FieldError
	w.Days, bad = s.Working.read()
	w.TechnicianID = s.chosen().ID
	return w, bad
}

func (s *HoursScreen) saveWorking() {
	if s.saving || !s.techReady {
		if !s.techReady && s.chosen().ID == 0 {
			showProblems(s.TechFields, s.TechSum, []data.FieldError{{Field: "technician", Message: "choose whose working hours these are"}})
		}
		return
	}
	w, bad := s.readWorking()
	if !showProblems(s.TechFields, s.TechSum, mergeProblems(bad, w.Validate())) {
		return
	}
	s.saving = true
	s.SaveWorking.Disable()
	who, actor, store := s.chosen(), s.env.ActorID(), s.env.deps.Hours
	screen.Background(s.env.Env, func(ctx context.Context) (data.WorkingHours, error) {
		err := store.SaveWorkingHours(ctx, actor, &w)
		return w, err
	}, func(w data.WorkingHours, err error) {
		s.saving = false
		s.SaveWorking.Enable()
		if err != nil {
			saveFailed(s.TechFields, s.TechSum, err, who.Name+"'s working hours")
			return
		}
		s.fillWorking(who, w)
		widgets.SetSummary(s.TechSum, who.Name+"'s working hours are saved.", widget.SuccessImportance)
	})
}

// WeekEditor is a week of hours: for each day, whether it is open and
// from when to when, Monday first.
type WeekEditor struct {
	Open     [7]*widget.Check
	From, To [7]*widgets.Entry
	Fields   widgets.FieldSet
	Content  fyne.CanvasObject
	prefix   string
}

// weekOrder is the days as the editor lists them.
var weekOrder = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// newWeekEditor makes the week's lines under a caption that says what
// ticking a day means; once filled, a day not ticked has its times
// greyed out.
func newWeekEditor(prefix, caption string, onSave func()) *WeekEditor {
	w := &WeekEditor{prefix: prefix}
	var lines []fyne.CanvasObject
	for _, d := range weekOrder {
		from, to := widgets.NewSubmitEntry(1, onSave, nil), widgets.NewSubmitEntry(1, onSave, nil)
		from.PlaceHolder, to.PlaceHolder = "09:00", "18:00"
		open := &widget.Check{Text: d.String()}
		open.OnChanged = func(on bool) { enableTimes(on, from, to) }
		w.Open[d], w.From[d], w.To[d] = open, from, to
		row := container.NewHBox(fixedWidth(140, open), fixedWidth(80, from), container.NewCenter(widget.NewLabel("to")), fixedWidth(80, to))
		f := widgets.NewField(prefix+strings.ToLower(d.String()), "", row)
		f.Label.Hide()
		w.Fields = append(w.Fields, f)
		lines = append(lines, f.Box)
	}
	w.Content = container.NewVBox(append([]fyne.CanvasObject{widgets.Caption(caption)}, lines...)...)
	return w
}

// enableTimes lets a day's times be typed only while the day is ticked.
func enableTimes(on bool, from, to *widgets.Entry) {
	if on {
		from.Enable()
		to.Enable()
	} else {
		from.Disable()
		to.Disable()
	}
}

func (w *WeekEditor) fill(h data.WeekHours) {
	for _, d := range weekOrder {
		day := h[d]
		w.Open[d].SetChecked(day.IsOpen())
		enableTimes(day.IsOpen(), w.From[d], w.To[d]) // SetChecked tells nobody when the tick stays as it was
		if day.IsOpen() {
			w.From[d].SetText(day.Open.String())
			w.To[d].SetText(day.Close.String())
		} else {
			w.From[d].SetText("")
			w.To[d].SetText("")
		}
	}
}

func (w *WeekEditor) snapshot() string {
	var b strings.Builder
	for _, d := range weekOrder {
		fmt.Fprintf(&b, "%v %s %s|", w.Open[d].Checked, w.From[d].Text, w.To[d].Text)
	}
	return b.String()
}

// read is the week in the editor, with a problem for each open day whose
// times cannot be read.
func (w *WeekEditor) read() (data.WeekHours, []data.FieldError) {
	var h data.WeekHours
	var bad []data.FieldError
	for _, d := range weekOrder {
		if !w.Open[d].Checked {
			continue
		}
		open, err1 := data.ParseTimeOfDay(w.From[d].Text)
		closing, err2 := data.ParseTimeOfDay(w.To[d].Text)
		if err1 != nil || err2 != nil {
			bad = append(bad, data.FieldError{Field: w.prefix + strings.ToLower(d.String()),
				Message: d.String() + ": type the opening and closing times as 09:00 and 18:00, or untick the day"})
			continue
		}
		h[d] = data.DayHours{Open: open, Close: closing}
		if !h[d].IsOpen() {
			bad = append(bad, data.FieldError{Field: w.prefix + strings.ToLower(d.String()),
				Message: fmt.Sprintf("%s: closing time %s is not after opening time %s", d, closing, open)})
		}
	}
	return h, bad
}

// ZonePicker is a time zone chosen by typing part of its name: the list
// under the field shows the zones that match; Up and Down move through
// it and Enter takes the one marked.
type ZonePicker struct {
	Entry   *widgets.SearchEntry
	List    *widget.List
	Content fyne.CanvasObject
	matches []string
	marked  int
	setting bool
	moving  bool // Up or Down marks a match; only Enter or a click takes it
}

func newZonePicker(onSave func()) *ZonePicker {
	z := &ZonePicker{marked: -1}
	z.Entry = widgets.NewSearchEntry(z.move)
	z.Entry.PlaceHolder = "For example Europe/London"
	z.Entry.OnChanged = func(string) {
		if !z.setting {
			z.filter()
		}
	}
	z.Entry.OnSubmitted = func(string) {
		if z.marked >= 0 && z.marked < len(z.matches) && z.matches[z.marked] != z.Entry.Text {
			z.choose(z.matches[z.marked])
			return
		}
		onSave()
	}
	z.List = widget.NewList(func() int { return len(z.matches) },
		func() fyne.CanvasObject { return widget.NewLabel("America/Argentina/Buenos_Aires") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(z.matches[i]) })
	z.List.OnSelected = func(i widget.ListItemID) {
		if !z.moving && i < len(z.matches) && z.matches[i] != z.Entry.Text {
			z.choose(z.matches[i])
		}
	}
	z.List.Hide()
	list := container.NewGridWrap(fyne.NewSize(360, 150), z.List)
	z.Content = container.NewVBox(fixedWidth(360, z.Entry), list)
	return z
}

// set shows name without opening the list.
func (z *ZonePicker) set(name string) {
	z.setting = true
	z.Entry.SetText(name)
	z.setting = false
	z.matches, z.marked = nil, -1
	z.List.Hide()
}

// choose takes name from the list (the form's watchers follow the
// change through the field's OnChanged).
func (z *ZonePicker) choose(name string) { z.set(name) }

// filter lists the zones whose name holds what is typed (spaces match
// the underscores of names such as New_York).
func (z *ZonePicker) filter() {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(z.Entry.Text), " ", "_"))
	z.matches, z.marked = nil, -1
	if q != "" {
		for _, n := range zoneNames {
			if strings.Contains(strings.ToLower(n), q) && n != z.Entry.Text {
				z.matches = append(z.matches, n)
			}
		}
	}
	z.List.UnselectAll()
	if len(z.matches) == 0 {
		z.List.Hide()
	} else {
		z.marked = 0
		z.List.Show()
	}
	z.List.Refresh()
}

// move marks another match (Up and Down in the field).
func (z *ZonePicker) move(delta int) {
	if len(z.matches) == 0 {
		return
	}
	z.marked = max(0, min(len(z.matches)-1, z.marked+delta))
	z.List.ScrollTo(z.marked)
	z.moving = true
	z.List.Select(z.marked)
	z.moving = false
}
