package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	gomail "github.com/wneessen/go-mail"

	"needledesk/data"
)

// queued is the moment the test messages were queued.
var queued = time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC)

// testItem is a reminder for a 10:00 appointment in London on the Sunday
// the clocks go forward (09:00 UTC), as the store hands it over.
func testItem(id int64, email data.EmailSettings) data.OutboxItem {
	return data.OutboxItem{
		Message: data.OutboxMessage{ID: id, AppointmentID: 7, ClientID: 3, Channel: data.ChannelEmail,
			Kind: data.MessageReminder, To: "zoe.obrien@example.org", SendAfter: queued, Created: queued},
		ClientName: "Zoë O'Brien", Start: time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC), Minutes: 45,
		TechnicianName: "Priya Raman", TreatmentName: "Microneedling, face", RoomName: "Room 2",
		Sequence: 2, UID: "appointment-7@lumenskin.example",
		ClinicName: "Lumen Skin Studio", ClinicAddress: "12 Harbour Lane\r\nBrighton BN1 2AB", ClinicPhone: "+44 1273 555 018",
		ClinicEmail: "hello@lumenskin.example", TimeZone: "Europe/London", DateFormat: "02/01/2006", Email: email,
	}
}

// parsedMail is a message as the server received it, taken apart.
type parsedMail struct {
	Header netmail.Header
	Body   string // the plain text, decoded
	ICS    []byte // the calendar attachment, decoded
	ICSCT  string // its Content-Type
	Parts  int
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	p := parsedMail{Header: msg.Header}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/mixed" {
		t.Fatalf("Content-Type %q (%v); want multipart/mixed", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Parts++
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		ct := part.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			p.Body = string(b) // multipart decodes quoted-printable itself
		case strings.HasPrefix(ct, "text/calendar"):
			if cte := part.Header.Get("Content-Transfer-Encoding"); !strings.EqualFold(cte, "base64") {
				t.Fatalf("calendar part encoded as %q", cte)
			}
			p.ICS, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
			if err != nil {
				t.Fatal(err)
			}
			p.ICSCT = ct
			if d := part.Header.Get("Content-Disposition"); !strings.HasPrefix(d, "attachment") || !strings.Contains(d, ".ics") {
				t.Errorf("calendar part's disposition %q", d)
			}
		default:
			t.Errorf("unexpected part %q", ct)
		}
	}
	return p
}

func TestComposedReminderAsTheServerReceivesIt(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	settings := ts.settings(data.SecurityNone)
	item := testItem(42, settings)
	at := time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)
	m, err := ComposeAt(item, at)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := ts.sender().Open(context.Background(), settings)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Send(m); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	got := ts.messages()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages", len(got))
	}
	if got[0].From != "desk@lumenskin.example" || len(got[0].To) != 1 || got[0].To[0] != "zoe.obrien@example.org" {
		t.Errorf("envelope from %q to %q", got[0].From, got[0].To)
	}
	p := parseMail(t, got[0].Data)

	from, err := p.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Lumen Skin Studio" || from[0].Address != "desk@lumenskin.example" {
		t.Errorf("From %v (%v)", from, err)
	}
	to, err := p.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Zoë O'Brien" || to[0].Address != "zoe.obrien@example.org" {
		t.Errorf("To %v (%v)", to, err)
	}
	if r, _ := p.Header.AddressList("Reply-To"); len(r) != 1 || r[0].Address != "hello@lumenskin.example" {
		t.Errorf("Reply-To %v", r)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(at) {
		t.Errorf("Date %v (%v); want %v", d, err, at)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(p.Header.Get("Subject"))
	// The default reminder's subject, 10:00 London time on the day the
	// clocks went forward (09:00 UTC).
	if want := "Reminder: Microneedling, face at Lumen Skin Studio, Sunday at 10:00"; err != nil || subject != want {
		t.Errorf("Subject %q (%v)\nwant    %q", subject, err, want)
	}
	if got := p.Header.Get("Message-Id"); !strings.HasPrefix(got, "<needledesk.outbox.42.") || !strings.HasSuffix(got, "@lumenskin.example>") {
		t.Errorf("Message-ID %q", got)
	}
	if p.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted %q", p.Header.Get("Auto-Submitted"))
	}
	for _, want := range []string{
		"Dear Zoë O'Brien,",
		"Microneedling, face with Priya Raman",
		"Sunday 29/03/2026 at 10:00 (45 minutes)",
		"    Lumen Skin Studio\n    12 Harbour Lane\n    Brighton BN1 2AB\n",
		"please call us on +44 1273 555 018",
	} {
		if !strings.Contains(strings.ReplaceAll(p.Body, "\r\n", "\n"), want) {
			t.Errorf("the body lacks %q:\n%s", want, p.Body)
		}
	}
	if strings.Contains(p.Body, "{") {
		t.Errorf("a placeholder was left in the body:\n%s", p.Body)
	}
	if p.Parts != 2 || !strings.Contains(p.ICSCT, "method=REQUEST") {
		t.Errorf("%d parts, calendar %q", p.Parts, p.ICSCT)
	}
	checkCalendar(t, p.ICS, item)
}

// checkCalendar parses the .ics back and checks what calendars read.
func checkCalendar(t *testing.T, raw []byte, item data.OutboxItem) {
	t.Helper()
	for _, line := range strings.SplitAfter(string(raw), "\r\n") {
		if line == "" {
			continue
		}
		if !strings.HasSuffix(line, "\r\n") || strings.Contains(strings.TrimSuffix(line, "\r\n"), "\n") {
			t.Fatalf("a line not ended by CRLF: %q", line)
		}
		if n := len(strings.TrimSuffix(line, "\r\n")); n > 75 {
			t.Errorf("a line of %d octets (RFC 5545 folds at 75): %q", n, line)
		}
	}
	// Text values escape their commas (RFC 5545 3.3.11).
	if !bytes.Contains(raw, []byte("\r\nSUMMARY:Microneedling\\, face at Lumen Skin Studio\r\n")) {
		t.Errorf("SUMMARY not escaped:\n%s", raw)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, raw)
	}
	method := ""
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == string(ics.PropertyMethod) {
			method = p.Value
		}
	}
	if method != "REQUEST" {
		t.Errorf("METHOD %q", method)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	prop := func(p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	start, err1 := ev.GetStartAt()
	end, err2 := ev.GetEndAt()
	if err1 != nil || err2 != nil || !start.Equal(item.Start) || !end.Equal(item.Start.Add(45*time.Minute)) {
		t.Errorf("DTSTART %v DTEND %v (%v %v); want %v for 45 minutes", start, end, err1, err2, item.Start)
	}
	if !strings.HasSuffix(prop(ics.ComponentPropertyDtStart), "Z") {
		t.Errorf("DTSTART %q is not in UTC", prop(ics.ComponentPropertyDtStart))
	}
	for p, want := range map[ics.ComponentProperty]string{
		ics.ComponentPropertyUniqueId: item.UID,
		ics.ComponentPropertySequence: "2",
		ics.ComponentPropertySummary:  "Microneedling, face at Lumen Skin Studio",
		ics.ComponentPropertyLocation: "12 Harbour Lane, Brighton BN1 2AB",
		ics.ComponentPropertyStatus:   "CONFIRMED",
	} {
		if got := prop(p); got != want {
			t.Errorf("%s = %q; want %q", p, got, want)
		}
	}
	if _, err := ev.GetDtStampTime(); err != nil {
		t.Errorf("DTSTAMP: %v", err)
	}
	if got := ev.GetProperty(ics.ComponentPropertyOrganizer); got == nil || got.Value != "mailto:"+item.Email.From {
		t.Errorf("ORGANIZER %+v", got)
	}
	att := ev.Attendees()
	if len(att) != 1 || att[0].Email() != item.Message.To || att[0].ICalParameters["CN"][0] != "Zoë O’Brien" {
		t.Errorf("ATTENDEE %+v", att)
	}
}

// The same outbox row written twice (a resend after a crash) has the same
// Message-ID; another row, or the same row about another appointment,
// has another.
func TestMessageIDIsStablePerRow(t *testing.T) {
	email := data.DefaultEmailSettings()
	email.Host, email.From = "smtp.lumenskin.example", "desk@lumenskin.example"
	id := func(item data.OutboxItem, at time.Time) string {
		m, err := ComposeAt(item, at)
		if err != nil {
			t.Fatal(err)
		}
		return m.GetMessageID()
	}
	a := testItem(42, email)
	first := id(a, queued)
	if again := id(a, queued.Add(3*time.Hour)); again != first {
		t.Errorf("the same row got %q then %q", first, again)
	}
	b := testItem(43, email)
	c := testItem(42, email)
	c.UID = "appointment-8@lumenskin.example"
	for _, other := range []data.OutboxItem{b, c} {
		if got := id(other, queued); got == first {
			t.Errorf("row %d about %s has the same Message-ID %q", other.Message.ID, other.UID, got)
		}
	}
}

// A 10:00 appointment is written as 10:00 on both days the clocks change,
// in the clinic's date format, and with AM/PM where dates are month first.
func TestPlaceholdersInTheClinicsZoneAndFormat(t *testing.T) {
	email := data.DefaultEmailSettings()
	email.Host, email.From = "smtp.lumenskin.example", "desk@lumenskin.example"
	email.ReminderSubject = "{day} {date} {time}"
	for _, c := range []struct {
		start        time.Time
		zone, format string
		want         string
	}{
		{time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC), "Europe/London", "02/01/2006", "Sunday 29/03/2026 10:00"},
		{time.Date(2026, 10, 25, 10, 0, 0, 0, time.UTC), "Europe/London", "2006-01-02", "Sunday 2026-10-25 10:00"},
		{time.Date(2026, 3, 8, 14, 30, 0, 0, time.UTC), "America/New_York", "01/02/2006", "Sunday 03/08/2026 10:30 AM"},
		{time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC), "America/New_York", "01/02/2006", "Sunday 11/01/2026 10:00 AM"},
		{time.Date(2026, 6, 1, 23, 15, 0, 0, time.UTC), "Australia/Sydney", "2 Jan 2006", "Tuesday 2 Jun 2026 09:15"},
	} {
		item := testItem(1, email)
		item.Start, item.TimeZone, item.DateFormat = c.start, c.zone, c.format
		m, err := ComposeAt(item, queued)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.GetGenHeader(gomail.HeaderSubject); len(got) != 1 || got[0] != c.want {
			t.Errorf("%v in %s: %q; want %q", c.start, c.zone, got, c.want)
		}
	}
	item := testItem(1, email)
	item.TimeZone = "Europe/Atlantis"
	if _, err := ComposeAt(item, queued); err == nil || !strings.Contains(err.Error(), "Europe/Atlantis") {
		t.Errorf("an unknown zone gave %v", err)
	}
}
