package clients

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// Before a kept aftercare sheet is handed over again (saved, opened or
// printed), NeedleDesk checks that it still says what a new sheet would:
// the record (a new allergy, another product) or the settings may have
// changed since it was made. When they have, or when the sheet is too old
// to tell, it says so and offers a new version; the kept sheet stays kept
// either way.

// keptSheetCheck is one such check.
type keptSheetCheck struct {
	env *areaEnv
	// check reads the kept sheet and compares it with the record, in the
	// background; data.ErrNotFound means there is no kept sheet yet.
	check func(ctx context.Context) (data.Sheet, data.SheetFreshness, error)
	// handOver hands the kept sheet over as it is (or makes the first).
	handOver func()
	// makeNew makes and keeps a new version and hands that over.
	makeNew func()
}

type freshnessResult struct {
	sheet data.Sheet
	fresh data.SheetFreshness
}

// run checks, then hands over, or asks first.
func (k keptSheetCheck) run() {
	screen.Background(k.env.Env, func(ctx context.Context) (freshnessResult, error) {
		sh, f, err := k.check(ctx)
		return freshnessResult{sh, f}, err
	}, func(res freshnessResult, err error) {
		switch {
		case errors.Is(err, data.ErrNotFound):
			k.handOver()
		case err != nil:
			k.env.ShowError("Could not check the kept sheet", err)
		case !res.fresh.Stale():
			k.handOver()
		default:
			k.ask(res.sheet, res.fresh)
		}
	})
}

// ask shows why the kept sheet may not match and lets the user choose.
func (k keptSheetCheck) ask(sh data.Sheet, f data.SheetFreshness) {
	made := sh.MadeAt.Local()
	text := fmt.Sprintf("Version %d of this sheet was made on %s at %s. %s\n\n"+
		"Make a new version from the record as it is now, or hand over the kept sheet unchanged? "+
		"The kept sheet stays in the record either way.",
		sh.Version, widgets.WeekdayDate(k.env.Settings, data.DateOf(made)), made.Format("15:04"), f.Explain())
	var d dialog.Dialog
	choose := func(then func()) func() {
		return func() {
			d.Hide()
			if then != nil {
				then()
			}
		}
	}
	newVersion := &widget.Button{Text: "Make a new version", Icon: theme.ViewRefreshIcon(),
		Importance: widget.HighImportance, OnTapped: choose(k.makeNew)}
	keep := &widget.Button{Text: "Hand over the kept sheet", OnTapped: choose(k.handOver)}
	cancel := &widget.Button{Text: "Cancel", OnTapped: choose(nil)}
	body := container.NewVBox(
		&widget.Label{Text: text, Wrapping: fyne.TextWrapWord},
		container.NewHBox(layout.NewSpacer(), cancel, keep, newVersion))
	d = dialog.NewCustomWithoutButtons("This sheet may no longer match the record", body, k.env.Window)
	d.Resize(fyne.NewSize(560, 260))
	dialogs.ShowDialog(k.env.Window, d, nil)
}

// handOver checks the session's kept sheet before handing it over; see
// keptSheetCheck. Without anyone working the check is skipped, and
// handOverKept says who must choose first.
func (p *aftercarePage) handOver(title string, deliver sheetDelivery) {
	if !p.loaded || p.busy || p.env.ActorID() == 0 {
		p.handOverKept(title, deliver)
		return
	}
	maker, id, actor := p.env.deps.sheetMaker(), p.sessionID, p.env.ActorID()
	keptSheetCheck{
		env: p.env,
		check: func(ctx context.Context) (data.Sheet, data.SheetFreshness, error) {
			return maker.LatestFreshness(ctx, actor, id)
		},
		handOver: func() { p.handOverKept(title, deliver) },
		makeNew: func() {
			p.withSheet("New version", "Making a new version of the aftercare sheet…", data.SheetMaker.Make, func(sh data.Sheet) {
				p.load()
				deliver(p.env, handedSheet{Sheet: sh, client: p.clientName, treatedOn: p.treatedOn})
			})
		},
	}.run()
}
