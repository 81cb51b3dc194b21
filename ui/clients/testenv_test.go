package clients

import (
	"testing"

	"fyne.io/fyne/v2"

	"needledesk/data/sqlite"
	"needledesk/pdf"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

// testClock is the fixed "now" of UI tests.
var testClock = uitest.Clock

// storeEnv is a screen's world in a test (uitest.Clinic) with the area's
// stores on the real SQLite store.
type storeEnv struct {
	*areaEnv
	st *sqlite.Store
	q  uitest.Queue
	w  fyne.Window
	c  *uitest.Clinic
}

// newStoreEnv opens a fresh database with a named clinic and one staff
// member of each role; the owner is working.
func newStoreEnv(t testing.TB) *storeEnv {
	t.Helper()
	c := uitest.NewClinic(t)
	st := c.Store
	env := &areaEnv{Env: c.Env,
		deps: Stores{Clients: st, Sessions: st, Products: st, Staff: st, Settings: st, Sheets: st, Export: st,
			Render: pdf.RenderAftercare, Now: testClock},
	}
	return &storeEnv{areaEnv: env, st: st, q: c.Queue, w: c.W, c: c}
}

// show puts a page's content in the test window.
func (e *storeEnv) show(p *screen.Page) { e.w.SetContent(p.Content) }
