package book

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"needledesk/data"
)

// TestBlocksShowAsManyLinesAsTheirHeightHolds: an hour's appointment in
// the grid says who, what and its state on lines of their own, so a narrow
// column cuts none of them short to fit the others; a quarter of an hour
// keeps to one line, which is all it has room for.
func TestBlocksShowAsManyLinesAsTheirHeightHolds(t *testing.T) {
	test.NewTempApp(t)
	a := data.Appointment{ID: 1, ClientName: "Zoë O'Brien", TreatmentName: "Microneedling, face", Status: data.StatusBooked,
		Start: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Minutes: 60}
	for _, c := range []struct {
		rows  int
		lines int
	}{{4, 3}, {3, 3}, {2, 2}, {1, 1}} {
		b := newBlock(a, time.UTC, nil)
		w := test.NewTempWindow(t, b)
		w.Resize(fyne.NewSize(400, 400))
		b.Resize(fyne.NewSize(140, float32(c.rows)*rowHeight))
		got := strings.Split(b.text.Text, "\n")
		if len(got) != c.lines {
			t.Errorf("a block %d rows high says %q: %d lines, want %d", c.rows, b.text.Text, len(got), c.lines)
			continue
		}
		if got[0] != "10:00 Zoë O'Brien" && c.lines > 1 {
			t.Errorf("a block %d rows high starts %q", c.rows, got[0])
		}
		if h := b.text.MinSize().Height - theme.InnerPadding(); c.lines > 1 && h > float32(c.rows)*rowHeight+4 {
			t.Errorf("a block %d rows high holds %d lines %.0f high", c.rows, c.lines, h)
		}
	}
}
