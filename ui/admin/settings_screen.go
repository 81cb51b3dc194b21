package admin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// The settings tabs, in order.
const (
	settingsTabClinic = iota
	settingsTabPrinting
	settingsTabTreatments
	settingsTabAftercare
	settingsTabStaff
	settingsTabBackups
)

// dateFormatNames says how each offered date format reads.
var dateFormatNames = map[string]string{
	"02/01/2006": "day/month/year",
	"01/02/2006": "month/day/year",
	"2006-01-02": "year-month-day",
	"2 Jan 2006": "day month year",
	"02.01.2006": "day.month.year",
}

// settingsScreen is the owner's screen: clinic details and logo, printing,
// follow-up interval and depth ranges, the aftercare sheet, and the staff.
// Everything but the staff is saved together with one Save; leaving with
// unsaved changes asks first.
type SettingsScreen struct {
	env      *areaEnv
	loaded   data.Settings     // as last read from or saved to the store
	baseline map[string]string // the inputs as last filled
	Ready    bool
	filling  bool
	saving   bool
	gen      uint64

	clinicName, address, phone, email, website *widgets.Entry
	followUp                                   *widgets.Entry
	idleLock                                   *widgets.Entry
	backups                                    *backupsPanel
	logo                                       *logoPicker
	paper                                      *widget.RadioGroup
	printer                                    *printerPicker
	dateFormat                                 *widget.Select
	depthMin, depthMax                         map[data.Area]*widgets.Entry
	aftercare                                  *aftercareEditor
	staff                                      *staffEditor

	fields    widgets.FieldSet
	fieldTab  map[string]int // which tab each field is on
	Tabs      *container.AppTabs
	summary   *widget.Label
	saveBtn   *widget.Button
	undoBtn   *widget.Button
	reloadBtn *widget.Button // shown when a save met someone else's change
	bar       fyne.CanvasObject
	Content   fyne.CanvasObject
}

func NewSettingsScreen(env *areaEnv) *SettingsScreen {
	s := &SettingsScreen{env: env, fieldTab: map[string]int{}}
	s.buildInputs()
	s.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Clinic", theme.HomeIcon(), s.clinicTab()),
		container.NewTabItemWithIcon("Printing", theme.DocumentPrintIcon(), s.printingTab()),
		container.NewTabItemWithIcon("Treatments", theme.ListIcon(), s.treatmentsTab()),
		container.NewTabItemWithIcon("Aftercare", theme.DocumentIcon(), s.aftercareTab()),
		container.NewTabItemWithIcon("Staff", theme.AccountIcon(), widgets.NewFormScroll(container.NewPadded(s.staff.content))),
		container.NewTabItemWithIcon("Backups", theme.StorageIcon(), s.backups.content),
	)
	s.Tabs.OnSelected = s.onTabSelected
	s.summary = widgets.Summary()
	s.saveBtn = &widget.Button{Text: "Save settings", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: s.Save}
	s.undoBtn = &widget.Button{Text: "Undo changes", Icon: theme.ContentUndoIcon(), OnTapped: s.onUndo}
	s.reloadBtn = widgets.NewReloadButton(s.onReloadAfterConflict)
	s.saveBtn.Disable()
	s.undoBtn.Disable()
	s.bar = container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, container.NewHBox(s.reloadBtn, s.undoBtn, s.saveBtn), s.summary))
	top := container.NewVBox(widgets.Title("Settings"))
	s.Content = container.NewPadded(widgets.Column(top, s.Tabs, s.bar))

	s.fields.Watch(func() []data.FieldError { st, bad := s.read(); return adminMergeProblems(bad, st.Validate()) },
		func() { widgets.SetSummary(s.summary, "", widget.MediumImportance) })
	screen.On(env.Events, func(screen.SettingsChanged) { s.reload() })
	s.reload()
	s.printer.load()
	return s
}

// hasUnsaved reports settings changed in the form and not saved.
func (s *SettingsScreen) HasUnsaved() bool {
	return s.Ready && !maps.Equal(s.snapshot(), s.baseline)
}

func (s *SettingsScreen) buildInputs() {
	entry := func(rows int) *widgets.Entry { return widgets.NewSubmitEntry(rows, s.Save, s.onChange) }
	s.clinicName, s.address, s.phone, s.email, s.website = entry(1), entry(3), entry(1), entry(1), entry(1)
	s.phone.PlaceHolder = "+44 1273 555 018"
	s.email.PlaceHolder = "hello@yourclinic.example"
	s.website.PlaceHolder = "yourclinic.example"
	s.followUp = entry(1)
	s.idleLock = entry(1)
	s.backups = newBackupsPanel(s.env, entry)
	s.addFields(settingsTabBackups, s.backups.fields...)
	s.logo = newLogoPicker(s.env, s.onChange)
	s.paper = &widget.RadioGroup{Options: []string{string(data.PaperA4), string(data.PaperLetter)}, Horizontal: true,
		OnChanged: func(string) { s.onChange() }}
	s.dateFormat = &widget.Select{OnChanged: func(string) { s.onChange() }}
	s.printer = newPrinterPicker(s.env, s.onChange)
	s.depthMin, s.depthMax = map[data.Area]*widgets.Entry{}, map[data.Area]*widgets.Entry{}
	for _, a := range data.Areas {
		s.depthMin[a], s.depthMax[a] = entry(1), entry(1)
	}
	s.aftercare = newAftercareEditor(s.env, s.Save, s.onChange)
	s.staff = newStaffEditor(s.env)
}

// addFields registers fields as being on tab.
func (s *SettingsScreen) addFields(tab int, fs ...*widgets.Field) {
	for _, f := range fs {
		s.fields = append(s.fields, f)
		s.fieldTab[f.Name] = tab
	}
}

// settingsPage wraps a tab's cards in a scrolling, padded column.
func settingsPage(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return widgets.NewFormScroll(container.NewPadded(container.NewVBox(objs...)))
}

func (s *SettingsScreen) clinicTab() fyne.CanvasObject {
	name := widgets.NewField("clinic_name", "Clinic name", s.clinicName)
	address := widgets.NewField("clinic_address", "Address", s.address)
	phone := widgets.NewField("clinic_phone", "Phone", s.phone)
	email := widgets.NewField("clinic_email", "E-mail", s.email)
	website := widgets.NewField("website", "Website", s.website)
	s.addFields(settingsTabClinic, name, address, phone, email, website, s.logo.field)
	details := widgets.CardSection("Clinic details", "Printed on every aftercare sheet, so clients know how to reach you.",
		container.NewVBox(name.Box, address.Box, container.NewGridWithColumns(2, phone.Box, email.Box), website.Box))
	logo := widgets.CardSection("Logo", "", s.logo.content)
	idle := widgets.NewField("idle_lock_minutes", "Lock after", container.NewHBox(settingsWidth(110, s.idleLock),
		&widget.Label{Text: "minutes without use"}))
	s.addFields(settingsTabClinic, idle)
	lock := widgets.CardSection("Screen lock", "NeedleDesk hides client records and asks for a password again when nobody "+
		"has used it for this long. Lock at once with Ctrl+L.", idle.Box)
	return settingsPage(container.NewGridWithColumns(2, details, container.NewVBox(logo, lock)))
}

func (s *SettingsScreen) printingTab() fyne.CanvasObject {
	paper := widgets.NewField("paper_size", "Paper size", s.paper)
	date := widgets.NewField("date_format", "Date format", s.dateFormat)
	s.addFields(settingsTabPrinting, paper, date)
	s.addFields(settingsTabPrinting, s.printer.field)
	card := widgets.CardSection("Printing and dates", "How aftercare sheets print and how dates read everywhere in NeedleDesk.",
		container.NewVBox(paper.Box, container.NewGridWithColumns(2, date.Box)))
	printer := widgets.CardSection("Printer", "Where Print sends aftercare sheets, through this computer's print service. "+
		"When the printer cannot take a sheet, Print opens it in your PDF viewer instead and says so.",
		container.NewGridWithColumns(2, s.printer.content))
	return settingsPage(card, printer)
}

func (s *SettingsScreen) treatmentsTab() fyne.CanvasObject {
	followUp := widgets.NewField("follow_up_days", "Next session after", container.NewHBox(settingsWidth(110, s.followUp),
		&widget.Label{Text: "days"}))
	s.addFields(settingsTabTreatments, followUp)
	follow := widgets.CardSection("Follow-up interval", "The next session date a new session suggests; about four weeks is usual.",
		followUp.Box)
	rows := make([]fyne.CanvasObject, 0, len(data.Areas))
	for _, a := range data.Areas {
		rows = append(rows, s.depthRow(a))
	}
	depths := widgets.CardSection("Usual needle depth per area", fmt.Sprintf(
		"In millimetres, between %s and %s. A depth outside the range gets a warning when a session is charted; it never blocks saving.",
		data.FormatMM(data.MinDepthMM), data.FormatMM(data.MaxDepthMM)),
		container.NewGridWithColumns(2, rows...))
	return settingsPage(follow, depths)
}

// depthRow is one area's range: the lowest and highest usual depth.
func (s *SettingsScreen) depthRow(a data.Area) fyne.CanvasObject {
	min, max := s.depthMin[a], s.depthMax[a]
	min.PlaceHolder, max.PlaceHolder = "from", "to"
	d := data.DefaultDepthRanges()[a]
	hint := &widget.Label{Text: fmt.Sprintf("mm   (NeedleDesk: %s–%s)", data.FormatMM(d.MinMM), data.FormatMM(d.MaxMM)),
		SizeName: theme.SizeNameCaptionText}
	inputs := container.NewHBox(settingsWidth(80, min), container.NewCenter(&widget.Label{Text: "to"}),
		settingsWidth(80, max), container.NewCenter(hint))
	f := widgets.NewField("depth_range_"+string(a), a.Label(), inputs)
	s.addFields(settingsTabTreatments, f)
	return f.Box
}

// settingsWidth gives o a fixed width and its own height.
func settingsWidth(w float32, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

func (s *SettingsScreen) aftercareTab() fyne.CanvasObject {
	for _, f := range s.aftercare.fields {
		s.addFields(settingsTabAftercare, f)
	}
	return settingsPage(s.aftercare.content)
}

// onTabSelected hides the Save bar on the Staff tab, whose changes are
// saved at once, and lists the backups folder again on the Backups tab.
func (s *SettingsScreen) onTabSelected(t *container.TabItem) {
	if s.Tabs.SelectedIndex() == settingsTabBackups {
		s.backups.showRecent() // the folder may have changed since
	}
	if s.Tabs.SelectedIndex() == settingsTabStaff {
		s.staff.start()
		s.bar.Hide()
	} else {
		s.bar.Show()
	}
}

// reload reads the settings in the background, unless the form holds
// changes that are not saved.
func (s *SettingsScreen) reload() {
	if s.env.deps.Settings == nil || s.HasUnsaved() {
		return
	}
	s.gen++
	gen := s.gen
	screen.Background(s.env.Env, s.readSettings(), func(st data.Settings, err error) {
		if gen != s.gen || s.HasUnsaved() || s.saving {
			return
		}
		if err != nil {
			widgets.SetSummary(s.summary, "Could not read the settings. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		s.fill(st)
	})
}

// fill shows st in every input.
func (s *SettingsScreen) fill(st data.Settings) {
	s.filling = true
	defer func() { s.filling = false }()
	s.loaded = st
	s.clinicName.SetText(st.ClinicName)
	s.address.SetText(st.Address)
	s.phone.SetText(st.Phone)
	s.email.SetText(st.Email)
	s.website.SetText(st.Website)
	s.logo.set(st.Logo)
	s.paper.SetSelected(string(st.PaperSize))
	s.printer.offer(st.Printer)
	s.fillDateFormats(st.DateFormat)
	s.followUp.SetText(fmt.Sprint(st.FollowUpDays))
	s.idleLock.SetText(fmt.Sprint(st.IdleLockMinutes))
	for _, a := range data.Areas {
		r := st.DepthRangeFor(a)
		s.depthMin[a].SetText(data.FormatMM(r.MinMM))
		s.depthMax[a].SetText(data.FormatMM(r.MaxMM))
	}
	s.aftercare.fill(st.Aftercare)
	s.backups.fill(st.Backups)
	s.fields.Clear()
	s.Ready = true
	s.baseline = s.snapshot()
	s.saveBtn.Enable()
	s.undoBtn.Disable()
}

// fillDateFormats offers each date format as today's date written in it.
func (s *SettingsScreen) fillDateFormats(selected string) {
	today := s.env.Today()
	opts := make([]string, len(data.DateFormats))
	s.dateFormat.Selected = ""
	for i, f := range data.DateFormats {
		opts[i] = dateFormatOption(f, today)
		if f == selected {
			s.dateFormat.Selected = opts[i]
		}
	}
	s.dateFormat.Options = opts
	s.dateFormat.Refresh()
}

func dateFormatOption(format string, today data.Date) string {
	st := data.Settings{DateFormat: format}
	if name := dateFormatNames[format]; name != "" {
		return st.FormatDate(today) + "   (" + name + ")"
	}
	return st.FormatDate(today)
}

// selectedDateFormat is the layout of the date format chosen, or "".
func (s *SettingsScreen) selectedDateFormat() string {
	today := s.env.Today()
	for _, f := range data.DateFormats {
		if dateFormatOption(f, today) == s.dateFormat.Selected {
			return f
		}
	}
	return ""
}

// snapshot is every input's value, to tell unsaved changes.
func (s *SettingsScreen) snapshot() map[string]string {
	m := map[string]string{
		"clinic_name": s.clinicName.Text, "clinic_address": s.address.Text, "clinic_phone": s.phone.Text,
		"clinic_email": s.email.Text, "website": s.website.Text, "logo": s.logo.key,
		"paper_size": s.paper.Selected, "printer": s.printer.selected(), "date_format": s.dateFormat.Selected, "follow_up_days": s.followUp.Text,
		"idle_lock_minutes": s.idleLock.Text,
	}
	for _, a := range data.Areas {
		m["depth_range_"+string(a)] = s.depthMin[a].Text + "\x00" + s.depthMax[a].Text
	}
	s.aftercare.snapshot(m)
	s.backups.snapshot(m)
	return m
}

// onChange follows every edit: Undo is offered while there are changes.
func (s *SettingsScreen) onChange() {
	if s.filling || !s.Ready {
		return
	}
	if s.HasUnsaved() {
		s.undoBtn.Enable()
		if s.summary.Importance == widget.SuccessImportance {
			widgets.SetSummary(s.summary, "", widget.MediumImportance)
		}
	} else {
		s.undoBtn.Disable()
	}
}

// onUndo asks, then puts the saved settings back in the form.
func (s *SettingsScreen) onUndo() {
	s.env.Confirm("Undo changes", "Put back the settings as they were last saved? The changes you made here will be lost.",
		"Undo changes", func() {
			s.fill(s.loaded)
			widgets.SetSummary(s.summary, "", widget.MediumImportance)
		})
}

// read builds the settings from the inputs, with a problem for each input
// that cannot even be read.
func (s *SettingsScreen) read() (data.Settings, []data.FieldError) {
	st := s.loaded
	st.ClinicName = strings.TrimSpace(s.clinicName.Text)
	st.Address = strings.TrimSpace(s.address.Text)
	st.Phone = strings.TrimSpace(s.phone.Text)
	st.Email = strings.TrimSpace(s.email.Text)
	st.Website = strings.TrimSpace(s.website.Text)
	st.Logo = s.logo.logo
	st.PaperSize = data.PaperSize(s.paper.Selected)
	st.Printer = s.printer.selected()
	st.DateFormat = s.selectedDateFormat()
	var bad []data.FieldError
	if n, err := widgets.ParseCount(s.followUp.Text); err != nil || strings.TrimSpace(s.followUp.Text) == "" {
		bad = append(bad, data.FieldError{Field: "follow_up_days", Message: "should be a whole number of days, such as 28"})
	} else {
		st.FollowUpDays = n
	}
	if n, err := widgets.ParseCount(s.idleLock.Text); err != nil || strings.TrimSpace(s.idleLock.Text) == "" {
		bad = append(bad, data.FieldError{Field: "idle_lock_minutes", Message: "should be a whole number of minutes, such as 5"})
	} else {
		st.IdleLockMinutes = n
	}
	st.DepthRanges = make(map[data.Area]data.DepthRange, len(data.Areas))
	for _, a := range data.Areas {
		lo, errLo := widgets.ParseMM(s.depthMin[a].Text)
		hi, errHi := widgets.ParseMM(s.depthMax[a].Text)
		if errLo != nil || errHi != nil {
			bad = append(bad, data.FieldError{Field: "depth_range_" + string(a),
				Message: "type both depths in millimetres, such as 0.5 to 1"})
			continue
		}
		st.DepthRanges[a] = data.DepthRange{MinMM: lo, MaxMM: hi}
	}
	bad = append(bad, s.aftercare.read(&st.Aftercare)...)
	bad = append(bad, s.backups.read(&st.Backups)...)
	return st, bad
}

// save checks the settings and saves them in the background.
func (s *SettingsScreen) Save() {
	if s.saving || !s.Ready {
		return
	}
	st, bad := s.read()
	if !s.showProblems(adminMergeProblems(bad, st.Validate())) {
		return
	}
	if !adminActorOK(s.env, s.staff.loaded && len(s.staff.staff) == 0) {
		return
	}
	if s.aftercare.confirmShort(st.Aftercare, s.Save) {
		return // asks first; saves again once confirmed
	}
	s.saving = true
	s.saveBtn.Disable()
	actor := s.env.ActorID()
	store := s.env.deps.Settings
	screen.Background(s.env.Env, func(ctx context.Context) (data.Settings, error) {
		err := store.SaveSettings(ctx, actor, &st) // sets st.Version
		return st, err
	}, s.afterSave)
}

func (s *SettingsScreen) afterSave(st data.Settings, err error) {
	s.saving = false
	s.saveBtn.Enable()
	if err != nil {
		if ps := data.FieldProblems(err); ps != nil {
			s.showProblems(ps)
			return
		}
		if errors.Is(err, data.ErrConflict) {
			widgets.SetSummary(s.summary, widgets.ConflictSummary(err, "Someone else changed the clinic's settings since you opened them, so your changes were not saved"), widget.DangerImportance)
			s.reloadBtn.Show()
			return
		}
		s.env.ShowError("Could not save the settings", err)
		return
	}
	s.reloadBtn.Hide()
	s.fill(st)
	s.env.Settings = st
	widgets.SetSummary(s.summary, "Settings saved.", widget.SuccessImportance)
	s.env.Events.Publish(screen.SettingsChanged{})
}

// onReloadAfterConflict reads the settings as saved now and puts them in
// the form, then says which of the person's unsaved changes it replaced.
func (s *SettingsScreen) onReloadAfterConflict() {
	if s.saving || s.env.deps.Settings == nil {
		return
	}
	s.gen++
	gen := s.gen
	s.saving = true
	s.reloadBtn.Disable()
	screen.Background(s.env.Env, s.readSettings(), func(st data.Settings, err error) {
		s.saving = false
		s.reloadBtn.Enable()
		if gen != s.gen {
			return
		}
		if err != nil {
			widgets.SetSummary(s.summary, "Could not read the settings. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		mine, opened := s.snapshot(), s.baseline
		s.fill(st)
		s.reloadBtn.Hide()
		s.env.Settings = st
		widgets.SetSummary(s.summary, widgets.ReloadedSummary("the clinic's settings", s.replacedLabels(opened, mine, s.baseline)), widget.WarningImportance)
		s.env.Events.Publish(screen.SettingsChanged{})
	})
}

// replacedLabels names, in the form's order, the inputs the person had
// changed (mine differs from opened) whose change now does not hold.
func (s *SettingsScreen) replacedLabels(opened, mine, now map[string]string) []string {
	lost := map[string]bool{}
	for k, v := range mine {
		if v != opened[k] && v != now[k] {
			lost[k] = true
		}
	}
	var out []string
	for _, f := range s.fields {
		if lost[f.Name] {
			delete(lost, f.Name)
			if f.Label != nil && f.Label.Text != "" {
				out = append(out, f.Label.Text)
			} else {
				out = append(out, strings.ReplaceAll(f.Name, "_", " "))
			}
		}
	}
	rest := slices.Sorted(maps.Keys(lost))
	for _, k := range rest {
		out = append(out, strings.ReplaceAll(k, "_", " "))
	}
	return out
}

// showProblems puts problems under their fields, says which tabs need a
// look and opens the first; it reports whether there were none.
func (s *SettingsScreen) showProblems(ps []data.FieldError) bool {
	if len(ps) == 0 {
		s.fields.Clear()
		widgets.SetSummary(s.summary, "", widget.MediumImportance)
		return true
	}
	rest := s.fields.Show(&data.ValidationError{Problems: ps})
	first := -1
	var names []string
	for i, item := range s.Tabs.Items {
		for _, p := range ps {
			if tab, ok := s.fieldTab[p.Field]; ok && tab == i {
				names = append(names, item.Text)
				if first < 0 {
					first = i
				}
				break
			}
		}
	}
	msg := "Nothing was saved. Please correct the fields marked in red"
	switch len(names) {
	case 0:
	case 1:
		msg += " on the " + names[0] + " tab"
	default:
		msg += " on the " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " tabs"
	}
	msg += "."
	if len(rest) > 0 {
		msg += "\n" + widgets.ProblemSummary(rest)
	}
	widgets.SetSummary(s.summary, msg, widget.DangerImportance)
	if first >= 0 {
		s.Tabs.SelectIndex(first)
	}
	return false
}

// readSettings reads the whole settings as the person working, for
// screen.Background.
func (s *SettingsScreen) readSettings() func(context.Context) (data.Settings, error) {
	store, actor := s.env.deps.Settings, s.env.ActorID()
	return func(ctx context.Context) (data.Settings, error) { return store.Settings(ctx, actor) }
}

// BackupNow makes a backup now, as the Backups tab's button does.
func (s *SettingsScreen) BackupNow() { s.backups.backupNow() }

// ConfirmRestore asks whether to restore the backup at path, as choosing
// it on the Backups tab does.
func (s *SettingsScreen) ConfirmRestore(path string, passphrase []byte) {
	s.backups.confirmRestore(path, passphrase)
}
