package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// sampleClients is how many made-up clients the sample clinic has (set in
// main's LoadSampleData; said here so the offer can name it).
const sampleClients = 300

// showWelcome greets the clinic on first start: it asks for the clinic's
// name and the owner's name, and offers a sample clinic to try things out.
func showWelcome(env *appEnv, onDone func()) {
	newWelcome(env, onDone).show()
}

// welcome is the first-start dialog.
type welcome struct {
	env    *appEnv
	onDone func()
	owner  data.Staff // saved once; a retry after a failed save reuses it

	clinic   *adminEntry
	name     *adminEntry
	sample   *widget.Check
	fields   fieldSet
	summary  *widget.Label
	startBtn *widget.Button
	laterBtn *widget.Button
	dlg      dialog.Dialog
	saving   bool
	finished bool
}

func newWelcome(env *appEnv, onDone func()) *welcome {
	w := &welcome{env: env, onDone: onDone}
	w.clinic = newAdminEntry(1, w.start, nil)
	w.clinic.PlaceHolder = "For example: Lumen Skin Studio"
	w.name = newAdminEntry(1, w.start, nil)
	w.name.PlaceHolder = "Your full name"
	w.fields = fieldSet{newField("clinic_name", "Your clinic's name", w.clinic), newField("name", "Your name (the owner)", w.name)}
	w.sample = &widget.Check{Text: "Fill NeedleDesk with a made-up sample clinic to try things out"}
	w.summary = adminSummary()
	w.startBtn = &widget.Button{Text: "Get started", Importance: widget.HighImportance, OnTapped: w.start}
	w.laterBtn = &widget.Button{Text: "Later", Importance: widget.LowImportance, OnTapped: w.later}

	intro := &widget.Label{Text: "NeedleDesk keeps your clients, treatments and aftercare sheets on this computer. " +
		"Two quick details and you are ready to go; you can change both later in Settings.", Wrapping: fyne.TextWrapWord}
	parts := []fyne.CanvasObject{intro, w.fields[0].box, w.fields[1].box}
	if env.deps.LoadSampleData != nil {
		sampleHelp := adminCaption("About " + adminCount(sampleClients, "client") + " with treatment histories, " +
			"a product catalogue and a few staff members. The people are invented; use it to practise, not for real records.")
		parts = append(parts, w.sample, sampleHelp)
	}
	parts = append(parts, w.summary, container.NewHBox(layout.NewSpacer(), w.laterBtn, w.startBtn))
	w.dlg = dialog.NewCustomWithoutButtons("Welcome to NeedleDesk", container.NewVBox(parts...), env.window)
	w.dlg.Resize(fyne.NewSize(520, 420))
	return w
}

func (w *welcome) show() {
	w.dlg.Show()
	adminFocus(w.env, w.clinic)
}

// later closes the welcome without saving; Settings can do it all.
func (w *welcome) later() {
	w.dlg.Hide()
	w.finish()
}

func (w *welcome) finish() {
	if w.finished {
		return
	}
	w.finished = true
	if w.onDone != nil {
		w.onDone()
	}
}

// welcomeResult is what the background save hands back.
type welcomeResult struct {
	owner    data.Staff
	settings data.Settings
}

// start checks both names, saves the owner and the clinic's name, then
// loads the sample clinic if asked.
func (w *welcome) start() {
	if w.saving || w.env.deps.Staff == nil || w.env.deps.Settings == nil {
		return
	}
	clinic := strings.TrimSpace(w.clinic.Text)
	owner := w.owner
	owner.Name, owner.Role, owner.Active = strings.TrimSpace(w.name.Text), data.RoleOwner, true
	st := w.env.settings
	st.ClinicName = clinic
	var ps []data.FieldError
	for _, p := range data.FieldProblems(st.Validate()) {
		if p.Field == "clinic_name" {
			ps = append(ps, p)
		}
	}
	ps = append(ps, data.FieldProblems(owner.Validate())...)
	w.fields.show(&data.ValidationError{Problems: ps})
	if len(ps) > 0 {
		return
	}
	w.saving = true
	w.startBtn.Disable()
	staff, settings := w.env.deps.Staff, w.env.deps.Settings
	background(w.env, func(ctx context.Context) (welcomeResult, error) {
		return saveWelcome(ctx, staff, settings, owner, clinic)
	}, w.afterSave)
}

// saveWelcome adds (or renames) the owner, then names the clinic in the
// stored settings, recording the owner as the author.
func saveWelcome(ctx context.Context, staff data.StaffStore, settings data.SettingsStore, owner data.Staff, clinic string) (welcomeResult, error) {
	var err error
	if owner.ID == 0 {
		err = staff.CreateStaff(ctx, data.SystemActor, &owner)
	} else {
		err = staff.UpdateStaff(ctx, owner.ID, &owner)
	}
	if err != nil {
		return welcomeResult{}, err
	}
	st, err := settings.Settings(ctx)
	if err != nil {
		return welcomeResult{owner: owner}, err
	}
	st.ClinicName = clinic
	if err := settings.SaveSettings(ctx, owner.ID, st); err != nil {
		return welcomeResult{owner: owner}, err
	}
	return welcomeResult{owner: owner, settings: st}, nil
}

func (w *welcome) afterSave(r welcomeResult, err error) {
	w.saving = false
	w.startBtn.Enable()
	if r.owner.ID != 0 {
		w.owner = r.owner
	}
	if err != nil {
		rest := w.fields.show(err)
		msg := data.UserMessage(err)
		if data.FieldProblems(err) != nil {
			msg = problemSummary(rest)
		}
		setAdminSummary(w.summary, msg, widget.DangerImportance)
		return
	}
	w.env.actor = r.owner
	w.env.settings = r.settings
	w.env.events.publish(settingsChanged, 0)
	w.env.events.publish(staffChanged, r.owner.ID)
	w.dlg.Hide()
	if w.sample.Checked && w.env.deps.LoadSampleData != nil {
		w.loadSample()
		return
	}
	w.finish()
}

// loadSample fills the sample clinic behind a progress bar.
func (w *welcome) loadSample() {
	load := w.env.deps.LoadSampleData
	task := func(ctx context.Context, progress func(float64)) error {
		return load(ctx, func(done, total int) {
			if total > 0 {
				progress(float64(done) / float64(total))
			}
		})
	}
	w.env.withProgress("Setting up the sample clinic", "Adding made-up clients, their treatments and a product catalogue…",
		task, w.afterSample)
}

func (w *welcome) afterSample(err error, cancelled bool) {
	if cancelled {
		w.env.showMessage("Sample clinic stopped", "Loading stopped. The made-up clients added so far stay in the clinic; you can archive them from their records.")
	} else if err != nil {
		w.env.showError("The sample clinic could not be loaded completely", err)
	}
	w.env.events.publish(clientChanged, 0)
	w.env.events.publish(staffChanged, 0)
	w.env.events.publish(productChanged, 0)
	w.env.events.publish(settingsChanged, 0)
	w.finish()
}
