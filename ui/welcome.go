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
	"needledesk/data/demo"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// showWelcome greets the clinic on first start: it asks for the clinic's
// name and makes the owner's account, whom it then signs in, and offers a
// sample clinic to try things out. Nobody can sign in before there is an
// owner, so it cannot be put off.
func showWelcome(env *appEnv, onDone func(owner data.Staff)) {
	newWelcome(env, onDone).show()
}

// welcome is the first-start dialog.
type welcome struct {
	env     *appEnv
	onDone  func(data.Staff)
	owner   data.Staff // signed in once saved
	created data.Staff // the owner the set-up made, once it is saved

	clinic   *widgets.Entry
	name     *widgets.Entry
	password *widget.Entry
	repeat   *widget.Entry
	sample   *widget.Check
	fields   widgets.FieldSet
	summary  *widget.Label
	startBtn *widget.Button
	dlg      dialog.Dialog
	saving   bool
	finished bool
}

func newWelcome(env *appEnv, onDone func(data.Staff)) *welcome {
	w := &welcome{env: env, onDone: onDone}
	w.clinic = widgets.NewSubmitEntry(1, w.start, nil)
	w.clinic.PlaceHolder = "For example: Lumen Skin Studio"
	w.name = widgets.NewSubmitEntry(1, w.start, nil)
	w.name.PlaceHolder = "Your full name"
	w.password = widget.NewPasswordEntry()
	w.password.PlaceHolder = "At least 8 characters"
	w.repeat = widget.NewPasswordEntry()
	w.repeat.OnSubmitted = func(string) { w.start() }
	w.fields = widgets.FieldSet{widgets.NewField("clinic_name", "Your clinic's name", w.clinic), widgets.NewField("name", "Your name (the owner)", w.name),
		widgets.NewField("password", "Your password", w.password), widgets.NewField("repeat", "The password again", w.repeat)}
	w.sample = &widget.Check{Text: "Fill NeedleDesk with a made-up sample clinic to try things out"}
	w.summary = widgets.Summary()
	w.fields.Watch(w.problems, func() { widgets.SetSummary(w.summary, "", widget.DangerImportance) })
	w.startBtn = &widget.Button{Text: "Get started", Importance: widget.HighImportance, OnTapped: w.start}

	intro := &widget.Label{Text: "NeedleDesk keeps your clients, treatments and aftercare sheets on this computer. " +
		"Name your clinic and make your owner's account: everyone signs in with their own password, " +
		"and you add your staff in Settings.", Wrapping: fyne.TextWrapWord}
	parts := []fyne.CanvasObject{intro, w.fields[0].Box, w.fields[1].Box, container.NewGridWithColumns(2, w.fields[2].Box, w.fields[3].Box)}
	if env.deps.LoadSampleData != nil {
		sampleHelp := widgets.Caption("About " + widgets.Count(demo.SampleClients, "client") + " with treatment histories, " +
			"an appointment book with their past visits and the next two weeks' bookings, " +
			"a product catalogue and a few staff members. The people are invented; use it to practise, not for real records.")
		parts = append(parts, w.sample, sampleHelp)
	}
	parts = append(parts, w.summary, container.NewHBox(layout.NewSpacer(), w.startBtn))
	w.dlg = dialog.NewCustomWithoutButtons("Welcome to NeedleDesk", container.NewVBox(parts...), env.Window)
	w.dlg.Resize(fyne.NewSize(560, 520))
	return w
}

func (w *welcome) show() {
	w.dlg.Show()
	w.env.Focus(w.clinic)
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

// welcomeResult is what the set-up hands back: the owner it made (once
// it is saved), the owner signed in and the settings as saved.
type welcomeResult struct {
	created  data.Staff
	owner    data.Staff
	settings data.Settings
}

// start checks the details and sets the clinic up in one go (its name,
// the owner's account and, if asked, the sample clinic), then signs the
// owner in.
func (w *welcome) start() {
	if w.saving || w.env.deps.Accounts == nil || w.env.deps.Settings == nil {
		return
	}
	ps := w.problems()
	w.fields.Show(&data.ValidationError{Problems: ps})
	if len(ps) > 0 {
		return
	}
	w.saving = true
	w.startBtn.Disable()
	setup := w.setup()
	accounts, settings, created := w.env.deps.Accounts, w.env.deps.Settings, w.created
	if setup.Sample == nil {
		screen.Background(w.env.Env, func(ctx context.Context) (welcomeResult, error) {
			return setUpWelcome(ctx, accounts, settings, created, setup, nil)
		}, w.afterSave)
		return
	}
	// The sample clinic takes a while: a progress bar, and Cancel undoes
	// the whole set-up.
	w.dlg.Hide()
	var r welcomeResult
	task := func(ctx context.Context, progress func(float64)) error {
		var err error
		r, err = setUpWelcome(ctx, accounts, settings, created, setup, screen.CountProgress(progress))
		return err
	}
	w.env.WithProgress("Setting up the sample clinic", "Adding made-up clients, their treatments and a product catalogue…",
		task, func(err error, cancelled bool) { w.afterSample(r, err, cancelled) })
}

// setup is the set-up the details typed ask for.
func (w *welcome) setup() data.ClinicSetup {
	setup := data.ClinicSetup{ClinicName: strings.TrimSpace(w.clinic.Text), OwnerName: strings.TrimSpace(w.name.Text),
		Password: w.password.Text}
	if w.sample.Checked && w.env.deps.LoadSampleData != nil {
		setup.Sample = w.env.deps.LoadSampleData
	}
	return setup
}

// problems checks the details without saving anything.
func (w *welcome) problems() []data.FieldError {
	if w.created.ID != 0 {
		return nil // saved already; only the sign-in is left
	}
	ps := data.FieldProblems(w.setup().Validate())
	if data.CheckPassword(w.password.Text) == "" && w.password.Text != w.repeat.Text {
		ps = append(ps, data.FieldError{Field: "repeat", Message: "is not the same as the password above"})
	}
	return ps
}

// setUpWelcome sets the clinic up (unless an earlier try did, and made
// created), signs the owner in and reads the settings as saved.
func setUpWelcome(ctx context.Context, accounts Accounts, settings SettingsReader, created data.Staff, setup data.ClinicSetup,
	progress func(done, total int)) (welcomeResult, error) {
	if created.ID == 0 {
		var err error
		if created, err = accounts.SetUpClinic(ctx, setup, progress); err != nil {
			return welcomeResult{}, err
		}
	}
	r := welcomeResult{created: created}
	owner, err := accounts.SignIn(ctx, created.ID, setup.Password)
	if err != nil {
		return r, err
	}
	r.owner = owner
	if r.settings, err = settings.Settings(ctx, owner.ID); err != nil {
		return r, err
	}
	return r, nil
}

func (w *welcome) afterSave(r welcomeResult, err error) {
	w.saving = false
	w.startBtn.Enable()
	if r.created.ID != 0 {
		w.created = r.created
		for _, e := range []fyne.Disableable{w.clinic, w.name, w.password, w.repeat, w.sample} {
			e.Disable()
		}
	}
	if err != nil {
		rest := w.fields.Show(err)
		msg := data.UserMessage(err)
		if data.FieldProblems(err) != nil {
			msg = widgets.ProblemSummary(rest)
		}
		widgets.SetSummary(w.summary, msg, widget.DangerImportance)
		return
	}
	w.env.Settings = r.settings
	w.env.Events.Publish(screen.SettingsChanged{})
	w.env.Events.Publish(screen.StaffChanged{Staff: data.StaffID(r.owner.ID)})
	w.owner = r.owner
	w.dlg.Hide()
	w.finish()
}

// afterSample ends a set-up with the sample clinic: done, or back to the
// welcome saying what happened.
func (w *welcome) afterSample(r welcomeResult, err error, cancelled bool) {
	if err == nil {
		w.env.Events.Publish(screen.ClientChanged{})
		w.env.Events.Publish(screen.ProductChanged{})
		w.afterSave(r, nil)
		return
	}
	w.show()
	if cancelled && r.created.ID == 0 {
		w.saving = false
		w.startBtn.Enable()
		widgets.SetSummary(w.summary, "Setting up stopped, and nothing was saved. Press Get started again, "+
			"with or without the sample clinic.", widget.WarningImportance)
		return
	}
	w.afterSave(r, err)
}
