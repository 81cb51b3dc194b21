package book

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/pdf"
	"needledesk/ui/dialogs"
	"needledesk/ui/handover"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// showScheduleDialog offers the day in view and the day after it on
// paper: printed, opened in the PDF viewer or saved as a file.
func showScheduleDialog(env *areaEnv, day data.Date) {
	var d dialog.Dialog
	run := func(how func(handover.Document)) func() {
		return func() {
			d.Hide()
			makeSchedule(env, day, how)
		}
	}
	out := env.deps.output()
	words := widgets.Text(fmt.Sprintf("The appointments of %s and %s, a page for each day.",
		widgets.WeekdayDate(env.Settings, day), widgets.WeekdayDate(env.Settings, day.AddDays(1))))
	buttons := container.NewHBox(
		&widget.Button{Text: "Print", Icon: theme.DocumentPrintIcon(), Importance: widget.HighImportance,
			OnTapped: run(func(doc handover.Document) { handover.Print(env.Env, out, env.Settings.Printer, doc) })},
		&widget.Button{Text: "Open", Icon: theme.FileIcon(), OnTapped: run(func(doc handover.Document) { handover.Open(env.Env, out, doc) })},
		&widget.Button{Text: "Save PDF…", Icon: theme.DocumentSaveIcon(), OnTapped: run(func(doc handover.Document) { handover.SaveAs(env.Env, doc) })},
	)
	d = dialog.NewCustom("The schedule on paper", "Close", container.NewVBox(words, buttons), env.Window)
	d.Resize(fyne.NewSize(480, 180))
	dialogs.ShowDialog(env.Window, d, nil)
}

// makeSchedule reads the two days and draws them, in the background,
// then hands the PDF to how.
func makeSchedule(env *areaEnv, day data.Date, how func(handover.Document)) {
	appts, actor, settings, now := env.deps.Appointments, env.ActorID(), env.Settings, env.Now()
	screen.Background(env.Env, func(ctx context.Context) (handover.Document, error) {
		return scheduleDocument(ctx, appts, actor, settings, day, now)
	}, func(doc handover.Document, err error) {
		if err != nil {
			env.ShowError("Could not make the schedule", err)
			return
		}
		how(doc)
	})
}

// scheduleDocument is the PDF of day and the day after.
func scheduleDocument(ctx context.Context, appts Appointments, actor int64, s data.Settings, day data.Date, now time.Time) (handover.Document, error) {
	var days []pdf.ScheduleDay
	for _, d := range []data.Date{day, day.AddDays(1)} {
		list, err := appts.DayAppointments(ctx, actor, d)
		if err != nil {
			return handover.Document{}, fmt.Errorf("reading %s: %w", d, err)
		}
		days = append(days, pdf.ScheduleDay{Day: d, Appointments: list})
	}
	var buf bytes.Buffer
	sch := pdf.Schedule{Clinic: s.ClinicName, Settings: s, Days: days, MadeAt: now}
	if err := pdf.RenderSchedule(&buf, sch); err != nil {
		return handover.Document{}, err
	}
	return handover.Document{PDF: buf.Bytes(), FileName: "Schedule " + day.String() + ".pdf", Noun: "schedule",
		Title: "the schedule of " + s.FormatDate(day) + " and the day after"}, nil
}
