package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"needledesk/data"
)

// Schedule is the appointment book on paper: one or more days of the
// clinic's appointments, so a clinic that loses its computer still knows
// who is coming.
type Schedule struct {
	Clinic string
	// Settings give the clinic's time zone, date format and paper size.
	Settings data.Settings
	Days     []ScheduleDay
	// MadeAt is printed at the foot and dates the document, so the same
	// schedule always gives the same bytes.
	MadeAt time.Time
}

// ScheduleDay is one day of the schedule: its appointments in any state,
// as the store lists them.
type ScheduleDay struct {
	Day          data.Date
	Appointments []data.Appointment
}

// scheduleCols are the table's columns and their share of the width.
var scheduleCols = []struct {
	title string
	share float64
}{{"Time", 0.13}, {"Client", 0.25}, {"Treatment", 0.21}, {"Technician", 0.18}, {"Room", 0.11}, {"State", 0.12}}

// RenderSchedule writes the schedule to w as a PDF: a heading for each
// day (a new page for each), then a row for each appointment that holds
// its time, by start, and a line counting the cancelled and missed ones.
// Nothing is written to w unless the whole document was built.
func RenderSchedule(w io.Writer, s Schedule) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: schedule: internal error: %v", r)
		}
	}()
	lib, err := fonts()
	if err != nil {
		return fmt.Errorf("pdf: loading fonts: %w", err)
	}
	var buf bytes.Buffer
	if err := buildSchedule(&buf, s, lib); err != nil {
		return fmt.Errorf("pdf: schedule: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: writing schedule: %w", err)
	}
	return nil
}

// scheduleDoc lays a schedule out before it is drawn.
type scheduleDoc struct {
	s           Schedule
	fonts       *docFonts
	ts          *typesetter
	x, w, pageH float64
	widths      []float64
	clinicLines []line
}

func buildSchedule(out *bytes.Buffer, s Schedule, lib *fontLib) error {
	size := "A4"
	if strings.EqualFold(string(s.Settings.PaperSize), string(data.PaperLetter)) {
		size = "Letter"
	}
	pdf := gofpdf.New("P", "mm", size, "")
	pageW, pageH := pdf.GetPageSize()
	df := newDocFonts(lib)
	d := &scheduleDoc{s: s, fonts: df, ts: &typesetter{fonts: df}, x: sideMargin(pageW), w: pageW - 2*sideMargin(pageW), pageH: pageH}
	for _, c := range scheduleCols {
		d.widths = append(d.widths, c.share*d.w)
	}
	clinic := cleanLine(strings.TrimSpace(s.Clinic))
	if clinic == "" {
		clinic = "The clinic"
	}
	made := s.MadeAt
	if made.IsZero() {
		made = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	d.clinicLines = d.ts.lines(clinic+" · printed "+s.Settings.FormatDate(data.LocalDay(made, s.Settings.Location()))+" "+
		made.In(s.Settings.Location()).Format("15:04"), stFooter, d.w-40)
	fr := pageFrame{firstTop: 16, top: 16, bottom: pageH - 20}
	var pages [][]placed
	for _, day := range s.Days {
		pages = append(pages, paginate(d.dayItems(day), fr)...)
	}
	if len(pages) == 0 {
		return errors.New("no days to print")
	}
	footers := make([][]line, len(pages))
	for i := range pages {
		footers[i] = d.ts.lines("Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages)), stFooterB, 40)
	}
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Appointments at "+clinic, true)
	pdf.SetAuthor(clinic, true)
	pdf.SetCreator("NeedleDesk", true)
	df.register(pdf)
	if err := pdf.Error(); err != nil {
		return err
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	c := newCanvas(pdf, df)
	for i, pg := range pages {
		pdf.AddPage()
		c.pageTop = fr.top
		c.rect(0, 0, pageW, 3.2, colAccent)
		y := pageH - 16
		c.hline(d.x, d.x+d.w, y, 0.25, colRule)
		c.drawLines(d.clinicLines, d.x, y+1.5, d.w-40, lhSmall, 'L')
		c.drawLines(footers[i], d.x+d.w-40, y+1.5, 40, lhSmall, 'R')
		drawPage(c, pg)
	}
	if err := pdf.Output(out); err != nil {
		return err
	}
	return appendToUnicode(out, df.unicode())
}

// dayItems are one day's heading, table and counts; each day starts a
// page of its own.
func (d *scheduleDoc) dayItems(day ScheduleDay) []item {
	s, loc := d.s.Settings, d.s.Settings.Location()
	var items []item
	title := d.ts.lines(day.Day.Time(time.UTC).Format("Monday")+" "+s.FormatDate(day.Day), stName, d.w)
	items = append(items, item{h: float64(len(title)) * 8.5, keep: true, draw: func(c *canvas, y float64) {
		c.drawLines(title, d.x, y, d.w, 8.5, 'L')
	}})
	var rows []data.Appointment
	off := 0
	for _, a := range day.Appointments {
		if a.Status.Holds() {
			rows = append(rows, a)
		} else {
			off++
		}
	}
	if len(rows) == 0 {
		none := d.ts.lines("Nobody is booked on this day.", stBody, d.w)
		items = append(items, item{h: 8, draw: func(c *canvas, y float64) { c.drawLines(none, d.x, y+2, d.w, lhBody, 'L') }})
	} else {
		items = append(items, d.row(nil, true, loc))
		for _, a := range rows {
			items = append(items, d.row(&a, false, loc))
		}
	}
	if off > 0 {
		note := d.ts.lines(fmt.Sprintf("Also on this day: %d cancelled or missed appointment(s), not listed.", off), stSmall, d.w)
		items = append(items, item{h: 7, draw: func(c *canvas, y float64) { c.drawLines(note, d.x, y+3, d.w, lhSmall, 'L') }})
	}
	return items
}

// row is the table's heading (a nil appointment) or one appointment.
func (d *scheduleDoc) row(a *data.Appointment, heading bool, loc *time.Location) item {
	var texts []string
	st := stBody
	if heading {
		st = stLabel
		for _, c := range scheduleCols {
			texts = append(texts, strings.ToUpper(c.title))
		}
	} else {
		room := a.RoomName
		if room == "" {
			room = "–"
		}
		texts = []string{a.Start.In(loc).Format("15:04") + "–" + a.End().In(loc).Format("15:04"),
			cleanLine(a.ClientName), cleanLine(a.TreatmentName), cleanLine(a.TechnicianName), cleanLine(room), a.Status.Label()}
	}
	cells := make([][]line, len(texts))
	n := 1
	for i, t := range texts {
		cells[i] = d.ts.lines(t, st, d.widths[i]-2)
		n = max(n, len(cells[i]))
	}
	h := float64(n)*lhBody + 2.4
	return item{h: h, keep: heading, draw: func(c *canvas, y float64) {
		x := d.x
		for i, lines := range cells {
			c.drawLines(lines, x+1, y+1.2, d.widths[i]-2, lhBody, 'L')
			x += d.widths[i]
		}
		c.hline(d.x, d.x+d.w, y+h, 0.2, colRule)
	}}
}
