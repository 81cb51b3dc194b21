package clients

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// timelineRow is one session in the timeline: a dot on a rail, five lines
// of text and the button to its aftercare sheet. Rows are recycled by the
// list, so index says which session a row shows now.
type timelineRow struct {
	widget.BaseWidget
	index                              int
	railAbove, railBelow               *canvas.Rectangle
	dot                                *canvas.Circle
	when, areas, reaction, recommended *widget.Label
	due, override                      *widget.Label
	sheet, edit, versions              *widget.Button
}

func (r *clientRecord) newSessionRow() fyne.CanvasObject {
	row := &timelineRow{
		railAbove:   &canvas.Rectangle{},
		railBelow:   &canvas.Rectangle{},
		dot:         &canvas.Circle{StrokeWidth: 2},
		when:        &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		areas:       &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		reaction:    &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		recommended: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		due:         &widget.Label{},
		override:    &widget.Label{Truncation: fyne.TextTruncateEllipsis, Importance: widget.WarningImportance},
	}
	row.sheet = &widget.Button{Text: "Aftercare sheet", Icon: theme.DocumentIcon(), OnTapped: func() { r.onAftercare(row.index) }}
	row.edit = &widget.Button{Text: "Edit", Icon: theme.DocumentCreateIcon(), Importance: widget.LowImportance,
		OnTapped: func() { r.onEditSession(row.index) }}
	row.versions = &widget.Button{Importance: widget.LowImportance, Icon: theme.HistoryIcon(),
		OnTapped: func() { r.onShowVersions(row.index) }}
	row.ExtendBaseWidget(row)
	return row
}

// CreateRenderer gives the first line (when and who) the row's whole
// width and puts the buttons in a column beside the lines under it, so
// the technician's name and the warning line show whole from a 1024-pixel
// window up.
func (row *timelineRow) CreateRenderer() fyne.WidgetRenderer {
	rail := container.New(&timelineRail{}, row.railAbove, row.railBelow, row.dot)
	lines := container.New(&widgets.TightVBox{}, row.areas, row.reaction, row.recommended, row.due, row.override)
	buttons := container.NewVBox(row.sheet, row.edit, row.versions)
	text := container.New(&widgets.TightVBox{}, row.when, container.NewBorder(nil, nil, nil, buttons, lines))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, rail, nil, text))
}

// updateSessionRow shows in row the session at place i of the timeline;
// row.index is then the session's place in the record's sessions.
func (r *clientRecord) updateSessionRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(r.history) || r.history[i].session < 0 {
		return
	}
	row := o.(*timelineRow)
	row.index = r.history[i].session
	s := r.rec.sessions[row.index]
	st := r.env.Settings
	row.when.SetText(timelineWhen(s, st))
	row.areas.SetText(timelineSessionAreas(s))
	hidden := s.Hidden(data.DetailReaction)
	row.reaction.Importance = widget.MediumImportance
	if hidden {
		row.reaction.Importance = widget.LowImportance
	}
	row.reaction.SetText(timelineReaction(s))
	row.recommended.SetText(timelineRecommended(s.Recommendations))
	row.due.SetText(timelineDue(s, st))
	row.override.SetText(timelineOverride(s))
	clientShowIf(!s.SummaryOnly && r.env.Actor.Role.Can(data.PermSessionWrite), row.edit)
	if s.Amendments > 0 && !s.SummaryOnly {
		row.versions.SetText(fmt.Sprintf("Amended (%d)", s.Amendments))
		row.versions.Show()
	} else {
		row.versions.Hide()
	}
	row.paintRail(i == 0, i == len(r.history)-1, row.index == 0)
}

// paintRail draws the rail in the theme's colours; the newest session's
// dot is filled, and the rail stops at the first and last dots.
func (row *timelineRow) paintRail(first, last, newest bool) {
	th := row.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	primary := th.Color(theme.ColorNamePrimary, v)
	line := fadeColor(primary, 0x60)
	row.railAbove.FillColor, row.railBelow.FillColor = line, line
	clientShowIf(!first, row.railAbove)
	clientShowIf(!last, row.railBelow)
	row.dot.StrokeColor = primary
	row.dot.FillColor = th.Color(theme.ColorNameBackground, v)
	if newest {
		row.dot.FillColor = primary
	}
	row.railAbove.Refresh()
	row.railBelow.Refresh()
	row.dot.Refresh()
}

// timelineRail places the timeline's rail: a line above and below a dot
// level with the row's first line of text.
type timelineRail struct{}

const (
	timelineRailWidth = 28
	timelineDotSize   = 12
	timelineLineWidth = 2
)

func (timelineRail) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(timelineRailWidth, timelineDotSize)
}

func (timelineRail) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	above, below, dot := objs[0], objs[1], objs[2]
	dotY := theme.InnerPadding() + (theme.TextSize()-timelineDotSize)/2 + 2
	x := (size.Width - timelineLineWidth) / 2
	above.Move(fyne.NewPos(x, 0))
	above.Resize(fyne.NewSize(timelineLineWidth, dotY))
	below.Move(fyne.NewPos(x, dotY+timelineDotSize))
	below.Resize(fyne.NewSize(timelineLineWidth, size.Height-dotY-timelineDotSize))
	dot.Move(fyne.NewPos((size.Width-timelineDotSize)/2, dotY))
	dot.Resize(fyne.NewSquareSize(timelineDotSize))
}

// timelineWhen is "10/03/2026, 10:00  ·  Priya Raman".
func timelineWhen(s data.Session, st data.Settings) string {
	t := s.StartedAt.Local()
	out := st.FormatDate(data.DateOf(t)) + ", " + t.Format("15:04")
	if s.TechnicianName != "" {
		out += "  ·  " + s.TechnicianName
	}
	return out
}

// timelineSessionAreas is "Cheeks 0.75 mm  ·  Forehead 0.5 mm", or the
// areas alone where the reader may not see the depths.
func timelineSessionAreas(s data.Session) string {
	if s.Hidden(data.DetailDepths) {
		return timelineAreaNames(s.Areas)
	}
	return timelineAreas(s.Areas)
}

// timelineAreas is "Cheeks 0.75 mm  ·  Forehead 0.5 mm".
func timelineAreas(as []data.AreaTreatment) string {
	if len(as) == 0 {
		return "No areas charted"
	}
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Area.Label() + " " + data.FormatMM(a.DepthMM) + " mm"
	}
	return strings.Join(parts, "  ·  ")
}

// timelineAreaNames is "Cheeks  ·  Forehead".
func timelineAreaNames(as []data.AreaTreatment) string {
	if len(as) == 0 {
		return "No areas charted"
	}
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Area.Label()
	}
	return strings.Join(parts, "  ·  ")
}

// clinicalDetailsWithheld is what a summary says in place of the details
// the reader's role does not see: that they are kept for technicians, never
// that there are none.
const clinicalDetailsWithheld = "Depths, reaction and clinical notes are for technicians to see"

// timelineReaction is the reaction noted, "No reaction noted" when the
// technician noted none, and clinicalDetailsWithheld when the reader may
// not see it.
func timelineReaction(s data.Session) string {
	if s.Hidden(data.DetailReaction) {
		return clinicalDetailsWithheld
	}
	r := timelineOneLine(s.Reaction)
	if r == "" {
		return "No reaction noted"
	}
	return "Reaction: " + r
}

func timelineRecommended(rs []data.Recommendation) string {
	if len(rs) == 0 {
		return "No products recommended"
	}
	return "Recommended: " + recommendedList(rs)
}

func timelineDue(s data.Session, st data.Settings) string {
	if s.NextDue.IsZero() {
		return "No next session planned"
	}
	return "Next session due " + st.FormatDate(s.NextDue)
}

// timelineOverride says when the technician went ahead despite warnings;
// nothing when there were none, or when the reader may not see them.
func timelineOverride(s data.Session) string {
	if s.Hidden(data.DetailWarnings) {
		return ""
	}
	switch n := len(s.Warnings); {
	case n == 1:
		return "Went ahead despite a warning (reason recorded)"
	case n > 1:
		return fmt.Sprintf("Went ahead despite %d warnings (reason recorded)", n)
	}
	return ""
}

// timelineOneLine folds line breaks so a note fits a single row.
func timelineOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clientSheetRow is one aftercare sheet handed over, with its actions.
type clientSheetRow struct {
	widget.BaseWidget
	index             int
	title, details    *widget.Label
	open, save, print *widget.Button
}

func (r *clientRecord) newSheetRow() fyne.CanvasObject {
	row := &clientSheetRow{
		title:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		details: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	row.open = &widget.Button{Text: "Open", Icon: theme.FileIcon(), OnTapped: func() { r.withSheet(row.index, openSheetInViewer) }}
	row.save = &widget.Button{Text: "Save again", Icon: theme.DocumentSaveIcon(), OnTapped: func() { r.withSheet(row.index, saveSheetAs) }}
	row.print = &widget.Button{Text: "Print", Icon: theme.DocumentPrintIcon(), OnTapped: func() { r.withSheet(row.index, printSheet) }}
	row.ExtendBaseWidget(row)
	return row
}

// CreateRenderer gives the title and details the row's whole width, with
// the buttons on a line under them, so both show whole from a 1024-pixel
// window up.
func (row *clientSheetRow) CreateRenderer() fyne.WidgetRenderer {
	icon := widget.NewIcon(theme.DocumentIcon())
	buttons := container.NewBorder(nil, nil, nil, container.NewHBox(row.open, row.save, row.print))
	text := container.New(&widgets.TightVBox{}, row.title, row.details, buttons)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(icon), nil, text))
}

func (r *clientRecord) updateSheetRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(r.rec.sheets) {
		return
	}
	row := o.(*clientSheetRow)
	row.index = i
	sh := r.rec.sheets[i]
	row.title.SetText(r.sheetTitle(sh))
	row.details.SetText(clientSheetDetails(sh, r.env.Settings))
}

// sheetTitle is "Version 2 for the session of 10/03/2026".
func (r *clientRecord) sheetTitle(sh data.SheetInfo) string {
	title := fmt.Sprintf("Version %d", sh.Version)
	for _, s := range r.rec.sessions {
		if s.ID == sh.SessionID {
			return title + " for the session of " + r.env.Settings.FormatDate(data.DateOf(s.StartedAt.Local()))
		}
	}
	return title
}

// clientSheetDetails is "Made 12/03/2026, 14:05 by Priya Raman".
func clientSheetDetails(sh data.SheetInfo, st data.Settings) string {
	t := sh.MadeAt.Local()
	out := "Made " + st.FormatDate(data.DateOf(t)) + ", " + t.Format("15:04")
	if sh.MadeByName != "" {
		out += " by " + sh.MadeByName
	}
	return out
}
