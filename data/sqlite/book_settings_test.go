package sqlite_test

import (
	"reflect"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// TestBookSettingsAreKept: the clinic's time zone, minimum interval and
// opening hours are saved and read back as set, a day off included.
func TestBookSettingsAreKept(t *testing.T) {
	e := newEnv(t)
	s, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName = "Lumen"
	s.TimeZone = "America/Chicago"
	s.MinIntervalDays = 35
	s.OpeningHours[time.Wednesday] = data.DayHours{}
	s.OpeningHours[time.Sunday] = data.DayHours{Open: data.TimeOf(10, 30), Close: data.TimeOf(15, 0)}
	if err := e.st.SaveSettings(e.ctx, data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	got, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("read back %+v, %v;\nwant %+v", got, err, s)
	}
	if got.Location().String() != "America/Chicago" || got.OpeningHours[time.Wednesday].IsOpen() {
		t.Errorf("zone %s, Wednesday %s", got.Location(), got.OpeningHours[time.Wednesday])
	}
}

// TestNewClinicTakesTheComputersZone: a database made with TZ set reads
// that zone as the clinic's until the owner chooses another.
func TestNewClinicTakesTheComputersZone(t *testing.T) {
	t.Setenv("TZ", "Pacific/Auckland")
	e := newEnv(t)
	s, err := e.st.Settings(e.ctx, data.SystemActor)
	if err != nil || s.TimeZone != "Pacific/Auckland" {
		t.Fatalf("a new clinic's zone is %q (%v); want the computer's", s.TimeZone, err)
	}
}

// TestEmailReminderConsentIsKept: the client's consent to e-mail reminders
// is saved by a create, an update and an import, and adding the column
// left every row hash recorded before it matching (check stays clean).
func TestEmailReminderConsentIsKept(t *testing.T) {
	e := newEnv(t)
	c := e.client(func(c *data.Client) { c.EmailReminders = true })
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil || !got.EmailReminders {
		t.Fatalf("created with consent, read back %v (%v)", got.EmailReminders, err)
	}
	got.EmailReminders = false
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &got); err != nil {
		t.Fatal(err)
	}
	if again, _ := e.st.Client(e.ctx, data.SystemActor, c.ID); again.EmailReminders {
		t.Error("the consent was withdrawn but reads as given")
	}
	imported := []data.Client{validClient(named("Ana", "Silva"), func(c *data.Client) { c.Email, c.EmailReminders = "ana@example.com", true })}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, imported); err != nil {
		t.Fatal(err)
	}
	if again, _ := e.st.Client(e.ctx, data.SystemActor, imported[0].ID); !again.EmailReminders {
		t.Error("an imported client's consent was lost")
	}
	rep, err := sqlite.Check(e.ctx, e.path)
	if err != nil || len(rep.Problems) != 0 || rep.Rows.Checked == 0 {
		t.Errorf("check after consent changes: %v, %+v", err, rep)
	}
}

// allClients lists every client, a page at a time.
func (e *env) allClients() []data.ClientSummary {
	e.t.Helper()
	var all []data.ClientSummary
	for offset := 0; ; offset += 1000 {
		page := e.find(data.ClientFilter{Limit: 1000, Offset: offset})
		all = append(all, page...)
		if len(page) < 1000 {
			return all
		}
	}
}
