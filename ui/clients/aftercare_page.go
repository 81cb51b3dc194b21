package clients

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// aftercarePage previews a session's aftercare plan on screen and hands
// the client's sheet over. The first Save, Open or Print makes the sheet
// and keeps it; after that the same kept bytes are handed over each time,
// until someone makes a new version (after the record or the settings
// changed).
type aftercarePage struct {
	env       *areaEnv
	stack     *screen.Stack
	sessionID int64
	page      *screen.Page

	clientID   int64
	clientName string
	treatedOn  data.Date
	loaded     bool
	kept       data.Sheet // the newest kept sheet, without its bytes; ID 0 when none
	busy       bool

	// save, open and print hand the kept sheet over; tests replace them so
	// no file dialog, viewer or printer is involved.
	save, open, print sheetDelivery

	preview     *fyne.Container
	keptLabel   *widget.Label
	saveButton  *widget.Button
	openButton  *widget.Button
	printButton *widget.Button
	newButton   *widget.Button
}

// newAftercarePage shows the aftercare plan of a saved session.
func newAftercarePage(env *areaEnv, stack *screen.Stack, sessionID int64) *screen.Page {
	return openAftercarePage(env, stack, sessionID).page
}

func openAftercarePage(env *areaEnv, stack *screen.Stack, sessionID int64) *aftercarePage {
	p := &aftercarePage{env: env, stack: stack, sessionID: sessionID,
		save: saveSheetAs, open: openSheetInViewer, print: printSheet}
	p.saveButton = &widget.Button{Text: "Save PDF…", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: p.onSave}
	p.openButton = &widget.Button{Text: "Open in viewer", Icon: theme.FileIcon(), OnTapped: p.onOpen}
	p.printButton = &widget.Button{Text: "Print", Icon: theme.DocumentPrintIcon(), OnTapped: p.onPrint}
	p.newButton = &widget.Button{Text: "Make a new version", Icon: theme.ViewRefreshIcon(), Importance: widget.LowImportance, OnTapped: p.onMakeNew}
	p.keptLabel = widgets.Caption("")
	p.preview = container.NewStack(container.NewCenter(widget.NewLabel("Preparing the aftercare plan…")))
	p.enableButtons(false)

	bar := container.NewVBox(container.NewBorder(nil, nil, nil, p.newButton, container.NewHBox(p.saveButton, p.openButton, p.printButton)), p.keptLabel)
	content := container.NewBorder(container.NewPadded(bar), nil, nil, nil, container.NewVScroll(container.NewPadded(p.preview)))
	p.page = &screen.Page{Title: "Aftercare plan", Content: content, Shown: p.load}
	p.load()
	return p
}

// aftercareData is what the page shows, read in one go.
type aftercareData struct {
	plan     data.AftercarePlan
	clientID int64
	kept     data.Sheet
}

// load reads the plan and the newest kept sheet in the background.
func (p *aftercarePage) load() {
	id, actor := p.sessionID, p.env.ActorID()
	deps := p.env.deps
	screen.Background(p.env.Env, func(ctx context.Context) (aftercareData, error) {
		var d aftercareData
		s, err := deps.Sessions.Session(ctx, actor, id)
		if err != nil {
			return d, err
		}
		d.clientID = s.ClientID
		if d.plan, err = deps.sheetMaker().Plan(ctx, actor, id); err != nil {
			return d, err
		}
		d.kept, err = deps.Sheets.LatestSheet(ctx, actor, id)
		if errors.Is(err, data.ErrNotFound) {
			d.kept, err = data.Sheet{}, nil
		}
		d.kept.PDF = nil
		return d, err
	}, p.applyLoad)
}

func (p *aftercarePage) applyLoad(d aftercareData, err error) {
	if err != nil {
		msg := &widget.Label{Text: "Could not prepare the aftercare plan. " + data.UserMessage(err),
			Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
		p.preview.Objects = []fyne.CanvasObject{msg}
		p.preview.Refresh()
		return
	}
	p.loaded = true
	p.clientID, p.clientName, p.kept = d.clientID, d.plan.ClientName, d.kept
	p.treatedOn = data.DateOf(d.plan.TreatedAt)
	p.preview.Objects = []fyne.CanvasObject{renderAftercarePlan(d.plan)}
	p.preview.Refresh()
	p.showKept()
	p.enableButtons(!p.busy)
}

func (p *aftercarePage) enableButtons(on bool) {
	for _, b := range []*widget.Button{p.saveButton, p.openButton, p.printButton, p.newButton} {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// showKept says which version of the sheet is kept, and when it was made.
func (p *aftercarePage) showKept() {
	if p.kept.ID == 0 {
		p.keptLabel.SetText("No sheet handed over yet. The first Save, Open or Print makes the sheet and keeps it, " +
			"so the clinic can always show what the client was given.")
		return
	}
	made := p.kept.MadeAt.Local()
	p.keptLabel.SetText(fmt.Sprintf("Kept sheet: version %d, made %s at %s. Save, Open and Print hand over this same sheet; "+
		"make a new version if the record or the settings have changed since.",
		p.kept.Version, widgets.WeekdayDate(p.env.Settings, data.DateOf(made)), made.Format("15:04")))
}

func (p *aftercarePage) onSave()  { p.handOver("Saving the sheet", p.save) }
func (p *aftercarePage) onOpen()  { p.handOver("Opening the sheet", p.open) }
func (p *aftercarePage) onPrint() { p.handOver("Printing the sheet", p.print) }

// handOverKept gets the kept sheet (making and keeping it the first time)
// and passes it to deliver; handOver (sheet_stale.go) checks it first.
func (p *aftercarePage) handOverKept(title string, deliver sheetDelivery) {
	p.withSheet(title, "Preparing the aftercare sheet…", data.SheetMaker.Kept, func(sh data.Sheet) {
		deliver(p.env, handedSheet{Sheet: sh, client: p.clientName, treatedOn: p.treatedOn})
	})
}

// onMakeNew keeps a new version of the sheet made from the record and
// settings as they are now.
func (p *aftercarePage) onMakeNew() {
	p.withSheet("New version", "Making a new version of the aftercare sheet…", data.SheetMaker.Make, func(data.Sheet) {
		p.load() // the plan may have changed with the record or the settings
	})
}

// sheetStep is SheetMaker.Kept or SheetMaker.Make.
type sheetStep func(m data.SheetMaker, ctx context.Context, actor, sessionID int64) (data.Sheet, error)

// withSheet runs step in the background behind a progress dialog, then
// notes the sheet it returned and calls then.
func (p *aftercarePage) withSheet(title, message string, step sheetStep, then func(data.Sheet)) {
	if !p.loaded || p.busy {
		return
	}
	actor := p.env.ActorID()
	if actor == 0 {
		p.env.ShowMessage("Who is working?", "Choose who is working in the bar at the top first: the sheet is recorded under that name.")
		return
	}
	p.busy = true
	p.enableButtons(false)
	maker, id := p.env.deps.sheetMaker(), p.sessionID
	var sh data.Sheet
	p.env.WithProgress(title, message, func(ctx context.Context, _ func(float64)) error {
		var err error
		sh, err = step(maker, ctx, actor, id)
		return err
	}, func(err error, cancelled bool) {
		p.busy = false
		p.enableButtons(true)
		if err != nil {
			p.env.ShowError("Could not prepare the aftercare sheet", err)
			return
		}
		p.noteKept(sh) // kept even when the user cancelled just too late
		if !cancelled {
			then(sh)
		}
	})
}

// noteKept shows the sheet as the kept one and tells other screens when a
// new sheet was made.
func (p *aftercarePage) noteKept(sh data.Sheet) {
	isNew := sh.ID != p.kept.ID
	p.kept = sh
	p.kept.PDF = nil
	p.showKept()
	if isNew {
		p.env.Events.Publish(screen.SheetChanged{Client: data.ClientID(p.clientID)})
	}
}

// renderAftercarePlan lays the plan out as readable sections: the
// timeline on the left; what to avoid, products, notes and when to call on
// the right.
func renderAftercarePlan(plan data.AftercarePlan) fyne.CanvasObject {
	left := container.NewVBox(widgets.Heading("The healing timeline"))
	for _, w := range plan.Windows {
		left.Add(planCard(w.Title, plan.FormatRange(w), planParagraphs(w.Paragraphs)))
	}
	right := container.NewVBox(append([]fyne.CanvasObject{planAvoidCard(plan), planProductsCard(plan)}, planExtraCards(plan)...)...)
	if strings.TrimSpace(plan.PersonalNotes) != "" {
		right.Add(planCard("Personal notes", "", widgets.Text(plan.PersonalNotes)))
	}
	right.Add(planNextCard(plan))
	right.Add(planCallCard(plan))
	return container.NewVBox(planHeader(plan), container.NewGridWithColumns(2, left, right))
}

// planCard is one part of the plan: a heading, the dates it covers in the
// accent colour, and its text.
func planCard(title, dates string, content fyne.CanvasObject) fyne.CanvasObject {
	box := container.NewVBox(widgets.Heading(title))
	if dates != "" {
		box.Add(&widget.Label{Text: dates, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.HighImportance})
	}
	box.Add(content)
	return &widget.Card{Content: box}
}

// planHeader names the client, the treatment and who gave it, with any
// allergy warnings straight under it.
func planHeader(plan data.AftercarePlan) fyne.CanvasObject {
	t := plan.TreatedAt
	when := fmt.Sprintf("Treated on %s %s at %s", t.Format("Mon"), plan.FormatDate(data.DateOf(t)), t.Format("15:04"))
	if plan.Technician != "" {
		when += " by " + plan.Technician
	}
	box := container.NewVBox(widgets.Heading(plan.ClientName), widgets.Text(when))
	if len(plan.Areas) > 0 {
		box.Add(widgets.Text("Areas: " + strings.Join(plan.Areas, "  ·  ")))
	}
	out := container.NewVBox(widgets.Panel(theme.ColorNamePrimary, box))
	if len(plan.AllergyWarnings) > 0 {
		warn := container.NewVBox(&widget.Label{Text: "Allergy warnings", TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance})
		for _, w := range plan.AllergyWarnings {
			warn.Add(widgets.WarningLine(w, widget.DangerImportance))
		}
		out.Add(widgets.Panel(theme.ColorNameError, warn))
	}
	return out
}

// planParagraphs shows a window's text; lines starting "- " are bullets.
func planParagraphs(ps []string) fyne.CanvasObject {
	box := container.NewVBox()
	for _, para := range ps {
		if rest, ok := strings.CutPrefix(para, "- "); ok {
			box.Add(widgets.Text("•  " + rest))
			continue
		}
		box.Add(widgets.Text(para))
	}
	return box
}

func planAvoidCard(plan data.AftercarePlan) fyne.CanvasObject {
	rows := container.NewVBox(widgets.Caption("Each to the end of the day shown."))
	for _, a := range plan.Avoid {
		until := &widget.Label{Text: "until " + plan.FormatDay(a.Until), TextStyle: fyne.TextStyle{Bold: true}}
		rows.Add(container.NewBorder(nil, nil, nil, until, widgets.Text(a.What)))
	}
	return planCard("Avoid", "", rows)
}

func planProductsCard(plan data.AftercarePlan) fyne.CanvasObject {
	rows := container.NewVBox()
	if len(plan.Products) == 0 {
		rows.Add(widgets.Text("No products were recommended in this session."))
	}
	for i, pr := range plan.Products {
		if i > 0 {
			rows.Add(widget.NewSeparator())
		}
		kind := pr.Category
		if pr.Brand != "" {
			kind = pr.Brand + " · " + kind
		}
		start := &widget.Label{Text: fmt.Sprintf("Start on %s (day %d)", plan.FormatDay(pr.StartOn), pr.StartDay), Importance: widget.HighImportance}
		rows.Add(container.NewBorder(nil, nil, nil, start, &widget.Label{Text: pr.Name, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}))
		rows.Add(widgets.Caption(kind))
		if strings.TrimSpace(pr.HowToUse) != "" {
			rows.Add(widgets.Text(pr.HowToUse))
		}
	}
	return planCard("Products", "", rows)
}

func planNextCard(plan data.AftercarePlan) fyne.CanvasObject {
	text := "Not booked yet: the clinic will agree a date with the client."
	if !plan.NextDue.IsZero() {
		text = fmt.Sprintf("Due on %s %s", plan.NextDue.Time(plan.TreatedAt.Location()).Format("Mon"), plan.FormatDate(plan.NextDue))
	}
	return planCard("Next session", "", widgets.Text(text))
}

func planCallCard(plan data.AftercarePlan) fyne.CanvasObject {
	box := container.NewVBox()
	for _, s := range plan.WhenToCall {
		box.Add(widgets.Text("•  " + s))
	}
	who := "the clinic"
	if plan.Clinic.Name != "" {
		who = plan.Clinic.Name
	}
	if plan.Clinic.Phone != "" {
		box.Add(&widget.Label{Text: "Call " + who + " on " + plan.Clinic.Phone, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	}
	return planCard("When to call the clinic", "", box)
}
