package mail

import (
	"errors"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"needledesk/data"
)

// Calendar writes the item's appointment as an RFC 5545 calendar object
// (METHOD:REQUEST, one VEVENT) that phone and desktop calendars add, and
// update when a later message about the same appointment (same UID, a
// higher SEQUENCE) arrives.
//
// Start and end are written in UTC ("Z"), which every calendar shows in
// its own time zone. A TZID would oblige the object to carry a VTIMEZONE
// with the zone's rules, which Go's time package cannot list; UTC names
// the same instant without it.
func Calendar(item data.OutboxItem, now time.Time) ([]byte, error) {
	if item.UID == "" {
		return nil, errors.New("the appointment has no calendar identity (UID)")
	}
	if item.Start.IsZero() || item.Minutes <= 0 {
		return nil, errors.New("the appointment has no start or no length")
	}
	cal := ics.NewCalendarFor("NeedleDesk")
	cal.SetProductId("-//NeedleDesk//Appointments//EN")
	cal.SetMethod(ics.MethodRequest)
	ev := cal.AddEvent(item.UID)
	ev.SetDtStampTime(now)
	ev.SetSequence(item.Sequence)
	ev.SetStartAt(item.Start)
	ev.SetEndAt(item.Start.Add(time.Duration(item.Minutes) * time.Minute))
	ev.SetSummary(summary(item))
	if address := oneLine(item.ClinicAddress); address != "" {
		ev.SetLocation(address)
	}
	ev.SetDescription(description(item))
	ev.SetStatus(ics.ObjectStatusConfirmed)
	ev.SetOrganizer("mailto:"+item.Email.From, ics.WithCN(paramText(item.ClinicName)))
	ev.AddAttendee("mailto:"+item.Message.To, ics.WithCN(paramText(item.ClientName)),
		ics.ParticipationRoleReqParticipant, ics.ParticipationStatusAccepted, ics.WithRSVP(false))
	return []byte(cal.Serialize(ics.WithNewLineWindows)), nil
}

// summary is the entry's title in the client's calendar.
func summary(item data.OutboxItem) string {
	what := item.TreatmentName
	if what == "" {
		what = "Appointment"
	}
	if item.ClinicName == "" {
		return what
	}
	return what + " at " + oneLine(item.ClinicName)
}

// description is the entry's note: who gives the treatment and how to
// reach the clinic.
func description(item data.OutboxItem) string {
	var lines []string
	if item.TechnicianName != "" {
		lines = append(lines, "With "+item.TechnicianName)
	}
	if item.ClinicPhone != "" {
		lines = append(lines, "To change or cancel, call "+item.ClinicPhone)
	}
	return strings.Join(lines, "\n")
}

// paramText makes a name safe as a parameter value (CN=...). The library
// escapes , ; : ' " and \ with a backslash, which RFC 5545 does not define
// for parameters and calendars would show; a name is only a label there,
// so those characters are left out (an apostrophe becomes ’).
func paramText(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\'':
			return '’'
		case ',', ';', ':', '"', '\\':
			return ' '
		}
		return r
	}, oneLine(s))
}
