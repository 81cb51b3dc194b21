package clients

import (
	"fmt"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// areaDepthRow is one treatment area: ticked when treated, with the needle
// depth used and the clinic's usual range beside it.
type areaDepthRow struct {
	area  data.Area
	check *widget.Check
	depth *widgets.Entry
	usual *widget.Label
	field *widgets.Field // depth_<area>: a problem or a depth warning
	box   fyne.CanvasObject
}

// areaDepths is the part of the session form that records the areas
// treated and the depth used on each. A depth outside the area's usual
// range gets a warning as it is typed; it never blocks saving.
type areaDepths struct {
	settings data.Settings
	rows     []*areaDepthRow
	areas    *widgets.Field // "areas": no area chosen, an unknown area
	onChange func()
	content  fyne.CanvasObject
}

func newAreaDepths(settings data.Settings, onSave, onChange func()) *areaDepths {
	a := &areaDepths{settings: settings, onChange: onChange}
	boxes := make([]fyne.CanvasObject, 0, len(data.Areas))
	for _, area := range data.Areas {
		r := a.newRow(area, onSave)
		a.rows = append(a.rows, r)
		boxes = append(boxes, r.box)
	}
	msg := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	msg.Hide()
	a.areas = &widgets.Field{Name: "areas", Message: msg}
	hint := widgets.Caption(fmt.Sprintf("Tick each area treated and type the needle depth in millimetres (%s to %s mm). "+
		"The clinic's usual range for the area is shown beside it.", data.FormatMM(data.MinDepthMM), data.FormatMM(data.MaxDepthMM)))
	rows := container.NewVBox()
	for i := 0; i < len(boxes); i += 2 {
		pair := boxes[i:min(i+2, len(boxes))]
		rows.Add(container.NewGridWithColumns(2, pair...)) // each line only as tall as its own messages
	}
	a.content = container.NewVBox(hint, msg, rows)
	return a
}

func (a *areaDepths) newRow(area data.Area, onSave func()) *areaDepthRow {
	r := &areaDepthRow{area: area}
	r.check = &widget.Check{Text: area.Label()}
	r.check.OnChanged = func(bool) { a.onTicked() }
	r.depth = widgets.NewEntry(1, onSave)
	r.depth.OnChanged = func(string) { a.onDepthChanged(r) }
	rg := a.settings.DepthRangeFor(area)
	r.usual = &widget.Label{Text: fmt.Sprintf("mm   usual %s–%s", data.FormatMM(rg.MinMM), data.FormatMM(rg.MaxMM)), SizeName: theme.SizeNameCaptionText}
	if rg.MaxMM == 0 {
		r.usual.Text = "mm"
	}
	msg := &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	msg.Hide()
	r.field = &widgets.Field{Name: "depth_" + string(area), Message: msg}
	line := container.NewHBox(widgets.FixedWidth(190, r.check), widgets.FixedWidth(86, r.depth), container.NewCenter(r.usual))
	r.box = container.NewVBox(line, msg)
	return r
}

// onTicked rechecks the areas when one is ticked or unticked. The focus
// stays on the tick box, so Tab goes on to the area's depth next, in
// reading order; moving it to the depth here made Tab skip the depth.
func (a *areaDepths) onTicked() {
	a.areas.SetProblem("")
	a.showWarnings()
	a.onChange()
}

// onDepthChanged ticks the area when a depth is typed, clears the area's
// old problem and rechecks the usual ranges.
func (a *areaDepths) onDepthChanged(r *areaDepthRow) {
	r.field.SetProblem("")
	if strings.TrimSpace(r.depth.Text) != "" && !r.check.Checked {
		r.check.SetChecked(true) // calls onTicked, which rechecks
		return
	}
	a.showWarnings()
	a.onChange()
}

// treated reads the ticked areas. An area whose depth cannot be read is
// still listed (with a depth validation refuses), and its problem is
// returned, so the form says what is wrong with that very depth.
func (a *areaDepths) treated() ([]data.AreaTreatment, []data.FieldError) {
	var out []data.AreaTreatment
	var bad []data.FieldError
	for _, r := range a.rows {
		if !r.check.Checked {
			continue
		}
		depth, err := a.depthOf(r)
		if err != nil {
			bad = append(bad, data.FieldError{Field: r.field.Name, Message: err.Error()})
			depth = math.NaN()
		}
		out = append(out, data.AreaTreatment{Area: r.area, DepthMM: depth})
	}
	return out, bad
}

func (a *areaDepths) depthOf(r *areaDepthRow) (float64, error) {
	if strings.TrimSpace(r.depth.Text) == "" {
		return 0, fmt.Errorf("type the needle depth used on the %s, in mm", strings.ToLower(r.area.Label()))
	}
	return widgets.ParseMM(r.depth.Text)
}

// showWarnings puts the usual-range warning under each ticked area whose
// depth is outside it, leaving problems found on saving in place.
func (a *areaDepths) showWarnings() {
	var s data.Session
	for _, r := range a.rows {
		if d, err := a.depthOf(r); r.check.Checked && err == nil {
			s.Areas = append(s.Areas, data.AreaTreatment{Area: r.area, DepthMM: d})
		}
	}
	warned := map[string]string{}
	for _, w := range s.DepthWarnings(a.settings) {
		warned[w.Field] = w.Message
	}
	for _, r := range a.rows {
		if r.field.Message.Visible() && r.field.Message.Importance == widget.DangerImportance {
			continue
		}
		r.field.SetWarning(warned[r.field.Name])
	}
}

// fields are the messages validation can reach.
func (a *areaDepths) fields() widgets.FieldSet {
	fs := widgets.FieldSet{a.areas}
	for _, r := range a.rows {
		fs = append(fs, r.field)
	}
	return fs
}

// row finds an area's row.
func (a *areaDepths) row(area data.Area) *areaDepthRow {
	for _, r := range a.rows {
		if r.area == area {
			return r
		}
	}
	return nil
}
