// Package mail sends the clinic's messages to clients through the clinic's
// own mail server: it writes each message from an outbox item (the
// clinic's words with the placeholders filled, and an .ics calendar entry
// phones take), sends it with github.com/wneessen/go-mail, and runs the
// background worker that empties the outbox: queued while offline,
// retried with backoff, never sent twice. It imports no Fyne and no store;
// the worker takes the three outbox methods it needs.
package mail

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	// The clinic's time zone must load on a computer without a zone
	// database (Windows without Go installed), or every time in every
	// message would be wrong.
	_ "time/tzdata"

	gomail "github.com/wneessen/go-mail"

	"needledesk/data"
)

// Compose writes the message for a claimed outbox item, dated now.
func Compose(item data.OutboxItem) (*gomail.Msg, error) {
	return ComposeAt(item, time.Now())
}

// ComposeAt writes the message for a claimed outbox item: From the
// clinic, To the client, the subject and plain-text body from the
// clinic's words for its kind with the placeholders filled (dates and
// times in the clinic's time zone and date format), a Message-ID that is
// the same every time this outbox row is written (so a copy sent again
// after a crash is recognisable as the same message), and the
// appointment as an .ics calendar entry.
func ComposeAt(item data.OutboxItem, now time.Time) (*gomail.Msg, error) {
	subject, body, err := words(item)
	if err != nil {
		return nil, err
	}
	values, err := placeholderValues(item)
	if err != nil {
		return nil, err
	}
	m, err := envelope(item.Email.From, item.ClinicName, item.Message.To, item.ClientName)
	if err != nil {
		return nil, err
	}
	if item.ClinicEmail != "" && !strings.EqualFold(item.ClinicEmail, item.Email.From) {
		if err := m.ReplyTo(item.ClinicEmail); err != nil {
			return nil, fmt.Errorf("the clinic's e-mail address %q cannot be used for replies: %w", item.ClinicEmail, err)
		}
	}
	m.Subject(oneLine(data.FillMailText(subject, values)))
	m.SetDateWithValue(now)
	m.SetMessageIDWithValue(messageID(item))
	m.SetBodyString(gomail.TypeTextPlain, fillBody(body, values))
	ics, err := Calendar(item, now)
	if err != nil {
		return nil, err
	}
	err = m.AttachReader("appointment.ics", bytes.NewReader(ics),
		gomail.WithFileContentType(CalendarContentType), gomail.WithFileDescription("Your appointment"))
	if err != nil {
		return nil, fmt.Errorf("attaching the calendar entry: %w", err)
	}
	return m, nil
}

// CalendarContentType is the calendar attachment's type: an invitation
// (RFC 5546's REQUEST), so calendars add it, or update the entry they
// have when the appointment moves.
const CalendarContentType gomail.ContentType = "text/calendar; charset=UTF-8; method=REQUEST"

// envelope starts a message from the clinic to one person, marked as sent
// by a program so that out-of-office replies are not sent back.
func envelope(from, clinic, to, name string) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.SetUserAgent("NeedleDesk")
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	if err := m.FromFormat(oneLine(clinic), from); err != nil {
		return nil, fmt.Errorf("the clinic's from address %q cannot be used: %w", from, err)
	}
	if err := m.AddToFormat(oneLine(name), to); err != nil {
		return nil, fmt.Errorf("the client's e-mail address %q cannot be used: %w", to, err)
	}
	return m, nil
}

// words are the clinic's subject and body for the item's kind.
func words(item data.OutboxItem) (subject, body string, err error) {
	switch item.Message.Kind {
	case data.MessageConfirmation:
		return item.Email.ConfirmationSubject, item.Email.ConfirmationBody, nil
	case data.MessageReminder:
		return item.Email.ReminderSubject, item.Email.ReminderBody, nil
	}
	return "", "", fmt.Errorf("no words for a message of kind %q", item.Message.Kind)
}

// placeholderValues are what each placeholder says in the item's message.
func placeholderValues(item data.OutboxItem) (map[string]string, error) {
	zone, err := Zone(item.TimeZone)
	if err != nil {
		return nil, err
	}
	start := item.Start.In(zone)
	return map[string]string{
		"client":     item.ClientName,
		"day":        start.Format("Monday"),
		"date":       start.Format(dateLayout(item.DateFormat)),
		"time":       start.Format(clockLayout(item.DateFormat)),
		"minutes":    strconv.Itoa(item.Minutes),
		"treatment":  item.TreatmentName,
		"technician": item.TechnicianName,
		"clinic":     item.ClinicName,
		"address":    strings.TrimSpace(crlfToLF(item.ClinicAddress)),
		"phone":      item.ClinicPhone,
	}, nil
}

// fillBody fills the body's placeholders. A value of several lines (the
// address) keeps the indentation of the line it is on, so an indented
// address block stays one block.
func fillBody(body string, values map[string]string) string {
	lines := strings.Split(crlfToLF(body), "\n")
	for i, line := range lines {
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		v := values
		if indent != "" {
			v = make(map[string]string, len(values))
			for k, s := range values {
				v[k] = strings.ReplaceAll(s, "\n", "\n"+indent)
			}
		}
		lines[i] = data.FillMailText(line, v)
	}
	return strings.Join(lines, "\n")
}

// Zone loads the clinic's IANA time zone; "" is this computer's.
func Zone(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	zone, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("the clinic's time zone %q is not known, so no time could be written: %w", name, err)
	}
	return zone, nil
}

// dateLayout is the clinic's date format, or the date in words when none
// is set.
func dateLayout(format string) string {
	for _, f := range data.DateFormats {
		if f == format {
			return f
		}
	}
	return "2 January 2006"
}

// clockLayout is the time of day as the clinic's country writes it: with
// AM and PM where dates are month first, 24-hour otherwise.
func clockLayout(dateFormat string) string {
	if dateFormat == "01/02/2006" {
		return "3:04 PM"
	}
	return "15:04"
}

// messageID is the item's Message-ID: the outbox row and the appointment
// it is about, at the domain of the clinic's from address, so it is the
// same each time this row is written and never the same as another's.
func messageID(item data.OutboxItem) string {
	sum := sha256.Sum256([]byte(item.UID + "\x00" + string(item.Message.Kind)))
	return fmt.Sprintf("needledesk.outbox.%d.%s@%s", item.Message.ID, hex.EncodeToString(sum[:8]), domainOf(item.Email.From))
}

// randomMessageID is the Message-ID of a message that has no outbox row.
func randomMessageID(from string) string {
	return fmt.Sprintf("needledesk.%s@%s", rand.Text(), domainOf(from))
}

func domainOf(address string) string {
	if at := strings.LastIndexByte(address, '@'); at >= 0 && at < len(address)-1 {
		return address[at+1:]
	}
	return "needledesk.invalid"
}

// oneLine joins the lines of s with commas, for a header.
func oneLine(s string) string {
	lines := strings.FieldsFunc(crlfToLF(s), func(r rune) bool { return r == '\n' })
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, ", ")
}

func crlfToLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
