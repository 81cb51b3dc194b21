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
// name and makes the owner's account, whom it then signs in, and offers a
// sample clinic to try things out. Nobody can sign in before there is an
// owner, so it cannot be put off.
func showWelcome(env *appEnv, onDone func(owner data.Staff)) {
	newWelcome(env, onDone).show()
}

// welcome is the first-start dialog.
type welcome struct {
	env    *appEnv
	onDone func(data.Staff)
	owner  data.Staff // signed in once saved

	clinic   *adminEntry
	name     *adminEntry
	password *widget.Entry
	repeat   *widget.Entry
	sample   *widget.Check
	fields   fieldSet
	summary  *widget.Label
	startBtn *widget.Button
	dlg      dialog.Dialog
	saving   bool
	finished bool
}

func newWelcome(env *appEnv, onDone func(data.Staff)) *welcome {
	w := &welcome{env: env, onDone: onDone}
	w.clinic = newAdminEntry(1, w.start, nil)
	w.clinic.PlaceHolder = "For example: Lumen Skin Studio"
	w.name = newAdminEntry(1, w.start, nil)
	w.name.PlaceHolder = "Your full name"
	w.password = widget.NewPasswordEntry()
	w.password.PlaceHolder = "At least 8 characters"
	w.repeat = widget.NewPasswordEntry()
	w.repeat.OnSubmitted = func(string) { w.start() }
	w.fields = fieldSet{newField("clinic_name", "Your clinic's name", w.clinic), newField("name", "Your name (the owner)", w.name),
		newField("password", "Your password", w.password), newField("repeat", "The password again", w.repeat)}
	w.sample = &widget.Check{Text: "Fill NeedleDesk with a made-up sample clinic to try things out"}
	w.summary = adminSummary()
	w.fields.watch(w.problems, func() { setAdminSummary(w.summary, "", widget.DangerImportance) })
	w.startBtn = &widget.Button{Text: "Get started", Importance: widget.HighImportance, OnTapped: w.start}

	intro := &widget.Label{Text: "NeedleDesk keeps your clients, treatments and aftercare sheets on this computer. " +
		"Name your clinic and make your owner's account: everyone signs in with their own password, " +
		"and you add your staff in Settings.", Wrapping: fyne.TextWrapWord}
	parts := []fyne.CanvasObject{intro, w.fields[0].box, w.fields[1].box, container.NewGridWithColumns(2, w.fields[2].box, w.fields[3].box)}
	if env.deps.LoadSampleData != nil {
		sampleHelp := adminCaption("About " + adminCount(sampleClients, "client") + " with treatment histories, " +
			"a product catalogue and a few staff members. The people are invented; use it to practise, not for real records.")
		parts = append(parts, w.sample, sampleHelp)
	}
	parts = append(parts, w.summary, container.NewHBox(layout.NewSpacer(), w.startBtn))
	w.dlg = dialog.NewCustomWithoutButtons("Welcome to NeedleDesk", container.NewVBox(parts...), env.window)
	w.dlg.Resize(fyne.NewSize(560, 520))
	return w
}

func (w *welcome) show() {
	w.dlg.Show()
	adminFocus(w.env, w.clinic)
}

func (w *welcome) finish() {
	if w.finished {
		return
	}
	w.finished = true
	if w.onDone != nil {
		w.onDone(w.owner)
	}
}

// welcomeResult is what the background save hands back.
type welcomeResult struct {
	owner    data.Staff
	settings data.Settings
}

// start checks the details, makes the owner's account, names the clinic
// and signs the owner in, then loads the sample clinic if asked.
func (w *welcome) start() {
	if w.saving || w.env.deps.Accounts == nil || w.env.deps.Settings == nil {
		return
	}
	clinic := strings.TrimSpace(w.clinic.Text)
	name := strings.TrimSpace(w.name.Text)
	password := w.password.Text
	ps := w.problems()
	w.fields.show(&data.ValidationError{Problems: ps})
	if len(ps) > 0 {
		return
	}
	w.saving = true
	w.startBtn.Disable()
	accounts, settings, owner := w.env.deps.Accounts, w.env.deps.Settings, w.owner
	background(w.env, func(ctx context.Context) (welcomeResult, error) {
		return saveWelcome(ctx, accounts, settings, owner, name, password, clinic)
	}, w.afterSave)
}

// problems checks the details without saving anything.
func (w *welcome) problems() []data.FieldError {
	st := w.env.settings
	st.ClinicName = strings.TrimSpace(w.clinic.Text)
	var ps []data.FieldError
	for _, p := range data.FieldProblems(st.Validate()) {
		if p.Field == "clinic_name" {
			ps = append(ps, p)
		}
	}
	if w.owner.ID == 0 {
		password := w.password.Text
		ps = append(ps, data.FieldProblems((&data.Staff{Name: strings.TrimSpace(w.name.Text), Role: data.RoleOwner, Active: true}).Validate())...)
		switch msg := data.CheckPassword(password); {
		case msg != "":
			ps = append(ps, data.FieldError{Field: "password", Message: msg})
		case password != w.repeat.Text:
			ps = append(ps, data.FieldError{Field: "repeat", Message: "is not the same as the password above"})
		}
	}
	return ps
}

// saveWelcome makes the owner's account (unless an earlier try did), signs
// them in, then names the clinic in the stored settings under their name.
func saveWelcome(ctx context.Context, accounts Accounts, settings data.SettingsStore, owner data.Staff, name, password, clinic string) (welcomeResult, error) {
	if owner.ID == 0 {
		created, err := accounts.CreateFirstOwner(ctx, name, password)
		if err != nil {
			return welcomeResult{}, err
		}
		if owner, err = accounts.SignIn(ctx, created.ID, password); err != nil {
			return welcomeResult{}, err
		}
	}
	st, err := settings.Settings(ctx, owner.ID)
	if err != nil {
		return welcomeResult{owner: owner}, err
	}
	st.ClinicName = clinic
	if err := settings.SaveSettings(ctx, owner.ID, &st); err != nil {
		return welcomeResult{owner: owner}, err
	}
	return welcomeResult{owner: owner, settings: st}, nil
}

func (w *welcome) afterSave(r welcomeResult, err error) {
	w.saving = false
	w.startBtn.Enable()
	if r.owner.ID != 0 {
		w.owner = r.owner
		w.name.Disable()
		w.password.Disable()
		w.repeat.Disable()
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
		return load(ctx, countProgress(progress))
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
