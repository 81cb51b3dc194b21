package booksetup_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"needledesk/data"
	"needledesk/ui/uitest"
)

// The clinic's hours: a time that is not one, a closing time before the
// opening and a zone NeedleDesk does not know are each refused under
// their own line; the zone is then chosen by typing part of its name and
// the keyboard, and what is saved is what the store holds.
func TestHoursClinicRefusesPerFieldAndSaves(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Hours")
	h := w.Area.Hours
	w.Queue.WaitFor(t, "the clinic's hours", func() bool { return h.Zone.Entry.Text != "" })
	h.Opening.From[time.Monday].SetText("8 o'clock")
	h.Opening.From[time.Tuesday].SetText("19:00")
	h.Zone.Entry.SetText("Mars/Olympus")
	h.Interval.SetText("0")
	test.Tap(h.SaveClinic)
	for _, f := range []string{"opening_hours_monday", "opening_hours_tuesday", "time_zone", "min_interval_days"} {
		if problem(h.ClinicFields, f) == "" {
			t.Errorf("%s: no message under the field", f)
		}
	}
	if problem(h.ClinicFields, "opening_hours_wednesday") != "" {
		t.Error("a good day was marked wrong")
	}

	h.Opening.From[time.Monday].SetText("08:00")
	h.Opening.To[time.Monday].SetText("20:00")
	h.Opening.From[time.Tuesday].SetText("09:00")
	test.Tap(h.Opening.Open[time.Saturday]) // closed on Saturdays now
	h.Opening.Open[time.Sunday].SetChecked(true)
	h.Opening.From[time.Sunday].SetText("10:00")
	h.Opening.To[time.Sunday].SetText("14:00")
	h.Interval.SetText("35")
	c := w.W.Canvas()
	c.Focus(h.Zone.Entry)
	h.Zone.Entry.SetText("")
	uitest.TypeKeys(t, c, "new york")
	if !h.Zone.List.Visible() {
		t.Fatal("typing part of a zone's name lists no zones")
	}
	press(c, fyne.KeyReturn) // takes the zone marked
	if h.Zone.Entry.Text != "America/New_York" {
		t.Fatalf("the zone chosen is %q", h.Zone.Entry.Text)
	}
	if problem(h.ClinicFields, "time_zone") != "" {
		t.Error("the zone's message stayed once a known zone was chosen")
	}
	press(c, fyne.KeyReturn) // saves
	w.waitShows(t, "The clinic's hours are saved.")
	st, err := w.Store.Settings(w.Ctx, w.Actor.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := data.DefaultOpeningHours()
	want[time.Monday] = data.DayHours{Open: data.TimeOf(8, 0), Close: data.TimeOf(20, 0)}
	want[time.Saturday] = data.DayHours{}
	want[time.Sunday] = data.DayHours{Open: data.TimeOf(10, 0), Close: data.TimeOf(14, 0)}
	if st.OpeningHours != want || st.TimeZone != "America/New_York" || st.MinIntervalDays != 35 {
		t.Errorf("saved %v, %q, %d days", st.OpeningHours, st.TimeZone, st.MinIntervalDays)
	}
	if st.ClinicName != "Lumen Skin Studio" {
		t.Errorf("the rest of the settings changed: %q", st.ClinicName)
	}
}

// A technician's own hours: they start as the clinic's, and once saved
// the store holds them as theirs.
func TestHoursTechnicianSaves(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Hours")
	h := w.Area.Hours
	tech := w.StaffByRole(t, data.RoleTechnician)
	w.Queue.WaitFor(t, "the staff to choose from", func() bool { return len(h.Technician.Options) > 0 })
	for _, o := range h.Technician.Options {
		if o == w.StaffByRole(t, data.RoleReceptionist).Name {
			t.Errorf("the receptionist is offered: %q", h.Technician.Options)
		}
	}
	w.W.Canvas().Focus(h.Working.From[time.Monday])
	press(w.W.Canvas(), fyne.KeyReturn) // Enter saves; Save waits for a choice
	if problem(h.TechFields, "technician") == "" {
		t.Error("saving with nobody chosen is not refused under the choice")
	}
	h.Technician.SetSelected(tech.Name)
	w.Queue.WaitFor(t, "their hours", func() bool { return h.Working.From[time.Monday].Text == "09:00" })
	test.Tap(h.Working.Open[time.Wednesday])
	h.Working.To[time.Friday].SetText("13:30")
	test.Tap(h.SaveWorking)
	w.waitShows(t, tech.Name+"'s working hours are saved.")
	got, err := w.Store.WorkingHours(w.Ctx, w.Actor.ID, tech.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := data.DefaultOpeningHours()
	want[time.Wednesday] = data.DayHours{}
	want[time.Friday].Close = data.TimeOf(13, 30)
	if !got.Set || got.Days != want {
		t.Errorf("saved %+v", got)
	}
}

// TestHoursDaysNotTickedCannotBeTyped: a technician's hours say "the
// days they work" (they said "the days that are open", the clinic's
// words), and a day not ticked, as read from the store, has its times
// greyed out as a day unticked by hand does: Sunday's fields took typing
// that was then quietly dropped.
func TestHoursDaysNotTickedCannotBeTyped(t *testing.T) {
	w := newSetupWorld(t, nil)
	w.open("Hours")
	h := w.Area.Hours
	w.Queue.WaitFor(t, "the clinic's hours", func() bool { return h.Zone.Entry.Text != "" })
	if !h.Opening.From[time.Sunday].Disabled() || h.Opening.From[time.Monday].Disabled() {
		t.Errorf("the clinic's Sunday (closed) can be typed in: %v; Monday (open): %v",
			!h.Opening.From[time.Sunday].Disabled(), !h.Opening.From[time.Monday].Disabled())
	}
	tech := w.StaffByRole(t, data.RoleTechnician)
	w.Queue.WaitFor(t, "the staff to choose from", func() bool { return len(h.Technician.Options) > 0 })
	h.Technician.SetSelected(tech.Name)
	w.Queue.WaitFor(t, "their hours", func() bool { return h.Working.From[time.Monday].Text == "09:00" })
	if !h.Working.From[time.Sunday].Disabled() || !h.Working.To[time.Sunday].Disabled() {
		t.Error("the technician's Sunday, not ticked, can be typed in")
	}
	if !uitest.Shows(h.Working.Content, "Tick the days they work; times such as 09:00 or 17:30.") {
		t.Errorf("the technician's week says %q", uitest.Texts(h.Working.Content))
	}
}
