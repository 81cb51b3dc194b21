package storetest

import (
	"reflect"
	"testing"
	"time"

	"needledesk/data"
)

// bookSettingsAreKept: the clinic's time zone, minimum interval and
// opening hours are saved and read back as set, a day off included.
func (ct contract) bookSettingsAreKept(t *testing.T) {
	st := ct.store(t)
	s, err := st.Settings(t.Context(), data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	s.ClinicName = "Lumen"
	s.TimeZone = "America/Chicago"
	s.MinIntervalDays = 35
	s.OpeningHours[time.Wednesday] = data.DayHours{}
	s.OpeningHours[time.Sunday] = data.DayHours{Open: data.TimeOf(10, 30), Close: data.TimeOf(15, 0)}
	if err := st.SaveSettings(t.Context(), data.SystemActor, &s); err != nil {
		t.Fatal(err)
	}
	got, err := st.Settings(t.Context(), data.SystemActor)
	if err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("read back %+v, %v;\nwant %+v", got, err, s)
	}
	if got.Location().String() != "America/Chicago" || got.OpeningHours[time.Wednesday].IsOpen() {
		t.Errorf("zone %s, Wednesday %s", got.Location(), got.OpeningHours[time.Wednesday])
	}
}

// newClinicTakesTheComputersZone: a clinic made with TZ set reads that
// zone as the clinic's until the owner chooses another.
func (ct contract) newClinicTakesTheComputersZone(t *testing.T) {
	t.Setenv("TZ", "Pacific/Auckland")
	st := ct.store(t)
	s, err := st.Settings(t.Context(), data.SystemActor)
	if err != nil || s.TimeZone != "Pacific/Auckland" {
		t.Fatalf("a new clinic's zone is %q (%v); want the computer's", s.TimeZone, err)
	}
}

// emailReminderConsentIsKept: the client's consent to e-mail reminders
// is saved by a create, an update and an import.
func (ct contract) emailReminderConsentIsKept(t *testing.T) {
	st := ct.store(t)
	ctx := t.Context()
	cl := bookClient(func(c *data.Client) { c.EmailReminders = true })
	if err := st.CreateClient(ctx, data.SystemActor, &cl); err != nil {
		t.Fatal(err)
	}
	got, err := st.Client(ctx, data.SystemActor, cl.ID)
	if err != nil || !got.EmailReminders {
		t.Fatalf("created with consent, read back %v (%v)", got.EmailReminders, err)
	}
	got.EmailReminders = false
	if err := st.UpdateClient(ctx, data.SystemActor, &got); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Client(ctx, data.SystemActor, cl.ID); again.EmailReminders {
		t.Error("the consent was withdrawn but reads as given")
	}
	imported := []data.Client{bookClient(named("Ana", "Silva"), func(c *data.Client) { c.Email, c.EmailReminders = "ana@example.com", true })}
	if err := st.ImportClients(ctx, data.SystemActor, imported); err != nil {
		t.Fatal(err)
	}
	if again, _ := st.Client(ctx, data.SystemActor, imported[0].ID); !again.EmailReminders {
		t.Error("an imported client's consent was lost")
	}
}
