package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// staffEditor lists everyone who works at the clinic, active or not, and
// adds or edits them in a small dialog. Staff are never deleted (sessions
// name the technician who gave them): someone who leaves is made inactive.
// Changes are saved at once, apart from the settings' Save.
type staffEditor struct {
	env     *areaEnv
	staff   []data.Staff
	started bool // its tab has been shown: it reads and keeps up from then on
	loaded  bool
	gen     uint64
	rows    *fyne.Container
	status  *widget.Label
	addBtn  *widget.Button
	content fyne.CanvasObject
	editing *staffDialog // the dialog open now, if any
}

func newStaffEditor(env *areaEnv) *staffEditor {
	e := &staffEditor{env: env, rows: container.NewVBox(), status: &widget.Label{Text: "Loading staff…"}}
	e.addBtn = &widget.Button{Text: "Add staff member", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: e.onAdd}
	intro := widgets.Caption("Everyone who uses NeedleDesk. Technicians (and owners) can be chosen as the person who gave " +
		"a treatment. Someone who leaves is made inactive rather than removed, so past sessions keep their name. " +
		"Staff changes are saved straight away.")
	e.content = container.NewVBox(widgets.CardSection("Staff", "", container.NewVBox(intro,
		container.NewBorder(nil, nil, nil, e.addBtn, e.status), widget.NewSeparator(), e.rows)))
	screen.On(env.Events, func(screen.StaffChanged) {
		if e.started {
			e.reload()
		}
	})
	return e
}

// start reads the staff list the first time the Staff tab is shown, not
// when the settings are made at sign-in: a clinic of two hundred staff
// has two hundred rows of labels and buttons, about 3 MB of the window's
// memory, for nobody to see.
func (e *staffEditor) start() {
	if e.started {
		return
	}
	e.started = true
	e.reload()
}

// reload reads every staff member, inactive ones too, in the background.
func (e *staffEditor) reload() {
	if e.env.deps.Staff == nil {
		return
	}
	e.gen++
	gen := e.gen
	store, actor := e.env.deps.Staff, e.env.ActorID()
	screen.Background(e.env.Env, func(ctx context.Context) ([]data.Staff, error) {
		return store.StaffList(ctx, actor, true)
	}, func(list []data.Staff, err error) {
		if gen != e.gen {
			return
		}
		if err != nil {
			e.status.Importance = widget.DangerImportance
			e.status.SetText("Could not read the staff list. " + data.UserMessage(err))
			return
		}
		e.staff, e.loaded = list, true
		e.render()
	})
}

func (e *staffEditor) render() {
	objs := make([]fyne.CanvasObject, 0, 2*len(e.staff))
	active := 0
	for i, s := range e.staff {
		if i > 0 {
			objs = append(objs, widget.NewSeparator())
		}
		objs = append(objs, e.row(s))
		if s.Active {
			active++
		}
	}
	e.rows.Objects = objs
	e.rows.Refresh()
	e.status.Importance = widget.MediumImportance
	switch {
	case len(e.staff) == 0:
		e.status.SetText("Nobody yet. Add yourself first, then the people you work with.")
	case active == len(e.staff):
		e.status.SetText(staffPeople(active) + " active")
	default:
		e.status.SetText(staffPeople(active) + " active, " + widgets.Count(len(e.staff)-active, "former member") + " of staff")
	}
}

// row shows one staff member with their role, whether they are active and
// an Edit button.
func (e *staffEditor) row(s data.Staff) fyne.CanvasObject {
	name := &widget.Label{Text: s.Name, TextStyle: fyne.TextStyle{Bold: true, Italic: !s.Active}, Truncation: fyne.TextTruncateEllipsis}
	role := &widget.Label{Text: s.Role.Label()}
	state := &widget.Label{Text: "Active", Importance: widget.SuccessImportance}
	switch {
	case !s.Active:
		state = &widget.Label{Text: "Inactive", Importance: widget.LowImportance}
	case !s.HasPassword:
		state = &widget.Label{Text: "No password", Importance: widget.WarningImportance}
	}
	edit := &widget.Button{Text: "Edit", Icon: theme.DocumentCreateIcon(), OnTapped: func() { e.onEdit(s) }}
	right := container.NewHBox(container.NewGridWrap(fyne.NewSize(140, role.MinSize().Height), role),
		container.NewGridWrap(fyne.NewSize(120, state.MinSize().Height), state), edit)
	return container.NewBorder(nil, nil, widget.NewIcon(theme.AccountIcon()), right, name)
}

func (e *staffEditor) onAdd() {
	e.open(data.Staff{Role: data.RoleTechnician, Active: true})
}

func (e *staffEditor) onEdit(s data.Staff) { e.open(s) }

func (e *staffEditor) open(s data.Staff) {
	if !adminActorOK(e.env, e.loaded && len(e.staff) == 0) {
		return
	}
	e.editing = newStaffDialog(e.env, s, func() { e.editing = nil })
	e.editing.show()
}

// staffDialog adds or edits one staff member; problems show under the
// fields and the dialog stays open until the save succeeds or Cancel.
type staffDialog struct {
	env      *areaEnv
	original data.Staff
	onClosed func()

	name     *widgets.Entry
	role     *widget.Select
	active   *widget.Check
	password *widget.Entry
	fields   widgets.FieldSet
	summary  *widget.Label
	saveBtn  *widget.Button
	reload   *widget.Button // shown when a save met someone else's change
	dlg      dialog.Dialog
	saving   bool
}

func newStaffDialog(env *areaEnv, s data.Staff, onClosed func()) *staffDialog {
	d := &staffDialog{env: env, original: s, onClosed: onClosed}
	d.name = widgets.NewSubmitEntry(1, d.save, nil)
	d.name.OnEscape = d.close
	d.name.SetText(s.Name)
	labels := make([]string, len(data.Roles))
	for i, r := range data.Roles {
		labels[i] = r.Label()
	}
	d.role = &widget.Select{Options: labels, PlaceHolder: "Choose a role"}
	if s.Role != "" {
		d.role.SetSelected(s.Role.Label())
	}
	d.active = &widget.Check{Text: "Active (works here now)", Checked: s.Active}
	d.password = widget.NewPasswordEntry()
	d.password.PlaceHolder = "At least 8 characters"
	passwordLabel := "Password"
	if s.ID != 0 {
		passwordLabel = "New password (leave empty to keep the current one)"
	}
	d.fields = widgets.FieldSet{widgets.NewField("name", "Name", d.name), widgets.NewField("role", "Role", d.role), widgets.NewField("active", "Status", d.active),
		widgets.NewField("password", passwordLabel, d.password)}
	d.summary = widgets.Summary()
	d.fields.Watch(func() []data.FieldError { return data.FieldProblems(d.check()) },
		func() { widgets.SetSummary(d.summary, "", widget.DangerImportance) })
	d.saveBtn = &widget.Button{Text: "Save", Importance: widget.HighImportance, OnTapped: d.save}
	cancel := &widget.Button{Text: "Cancel", OnTapped: d.close}
	d.reload = widgets.NewReloadButton(d.onReload)
	roles := widgets.Caption("Receptionists look after clients and bookings; technicians chart treatments; " +
		"owners also manage products and settings.")
	body := container.NewVBox(d.fields[0].Box, d.fields[1].Box, roles, d.fields[2].Box, d.fields[3].Box, d.summary,
		container.NewHBox(d.reload, layout.NewSpacer(), cancel, d.saveBtn))
	title := "Add staff member"
	if s.ID != 0 {
		title = "Edit " + s.Name
	}
	d.dlg = dialog.NewCustomWithoutButtons(title, body, env.Window)
	d.dlg.Resize(fyne.NewSize(480, 460))
	return d
}

func (d *staffDialog) show() {
	d.dlg.Show()
	d.env.Focus(d.name)
}

func (d *staffDialog) close() {
	d.dlg.Hide()
	if d.onClosed != nil {
		d.onClosed()
	}
}

func (d *staffDialog) read() data.Staff {
	s := d.original
	s.Name = strings.TrimSpace(d.name.Text)
	s.Role = ""
	for _, r := range data.Roles {
		if r.Label() == d.role.Selected {
			s.Role = r
		}
	}
	s.Active = d.active.Checked
	return s
}

// check validates the dialog's inputs without saving anything.
func (d *staffDialog) check() error {
	s := d.read()
	err := s.Validate()
	if err == nil && s.ID == 0 && d.password.Text == "" {
		err = data.Invalid("password", "give the new staff member a password to sign in with")
	}
	return err
}

func (d *staffDialog) save() {
	if d.saving {
		return
	}
	s := d.read()
	password := d.password.Text
	if !d.showProblems(d.check()) {
		return
	}
	d.saving = true
	d.saveBtn.Disable()
	actor := d.env.ActorID()
	store, accounts := d.env.deps.Staff, d.env.deps.Accounts
	screen.Background(d.env.Env, func(ctx context.Context) (data.Staff, error) {
		var err error
		if s.ID == 0 {
			err = store.CreateStaff(ctx, actor, &s)
		} else {
			err = store.UpdateStaff(ctx, actor, &s)
		}
		if err != nil || password == "" || accounts == nil {
			return s, err
		}
		return s, accounts.SetPassword(ctx, actor, s.ID, password)
	}, d.afterSave)
}

func (d *staffDialog) afterSave(s data.Staff, err error) {
	d.saving = false
	d.saveBtn.Enable()
	if s.ID != 0 && d.original.ID == 0 {
		d.original = s // saved already: a retry of the password updates it
		d.env.Events.Publish(screen.StaffChanged{Staff: data.StaffID(s.ID)})
	}
	if s.ID != 0 && s.Version > d.original.Version {
		d.original.Version = s.Version // saved already: a retry saves over it
	}
	if err != nil {
		if data.FieldProblems(err) != nil {
			d.showProblems(err)
			return
		}
		if errors.Is(err, data.ErrConflict) && d.original.ID != 0 {
			widgets.SetSummary(d.summary, widgets.ConflictSummary(err, "Someone else changed this account since you opened it, so your changes were not saved"), widget.DangerImportance)
			d.reload.Show()
			return
		}
		widgets.SetSummary(d.summary, data.UserMessage(err), widget.DangerImportance)
		return
	}
	d.close()
	d.env.Events.Publish(screen.StaffChanged{Staff: data.StaffID(s.ID)})
}

// onReload reads the staff member as saved now and puts them in the
// dialog, then says which of the person's unsaved changes it replaced. A
// password typed stays: it is not part of what was changed.
func (d *staffDialog) onReload() {
	if d.saving || d.original.ID == 0 {
		return
	}
	id, store, actor := d.original.ID, d.env.deps.Staff, d.env.ActorID()
	d.saving = true
	d.reload.Disable()
	screen.Background(d.env.Env, func(ctx context.Context) (data.Staff, error) {
		return store.StaffMember(ctx, actor, id)
	}, func(s data.Staff, err error) {
		d.saving = false
		d.reload.Enable()
		if err != nil {
			widgets.SetSummary(d.summary, "Could not reload the staff member. "+data.UserMessage(err), widget.DangerImportance)
			return
		}
		mine, opened := d.read(), d.original
		d.original = s
		d.name.SetText(s.Name)
		d.role.SetSelected(s.Role.Label())
		d.active.SetChecked(s.Active)
		d.fields.Clear()
		d.reload.Hide()
		lost := widgets.ReplacedFields(staffStateFields, opened, mine, s)
		widgets.SetSummary(d.summary, widgets.ReloadedSummary(s.Name+"'s account", lost), widget.WarningImportance)
		d.env.Events.Publish(screen.StaffChanged{Staff: data.StaffID(s.ID)})
	})
}

// staffStateFields names each part of a staff member the dialog edits as
// it labels it.
var staffStateFields = []widgets.StateField[data.Staff]{
	{Label: "Name", Get: func(s data.Staff) any { return s.Name }},
	{Label: "Role", Get: func(s data.Staff) any { return s.Role }},
	{Label: "Status", Get: func(s data.Staff) any { return s.Active }},
}

// showProblems shows err's problems; it reports whether there were none.
func (d *staffDialog) showProblems(err error) bool {
	rest := d.fields.Show(err)
	widgets.SetSummary(d.summary, widgets.ProblemSummary(rest), widget.DangerImportance)
	return err == nil
}

// staffPeople is "1 person", "6 people".
func staffPeople(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}
