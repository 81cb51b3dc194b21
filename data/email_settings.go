package data

import (
	"fmt"
	"net"
	"slices"
	"strings"
)

// E-mail set-up: the clinic's own mail server and the words of the
// messages (EmailSettings, declared in outbox.go). A clinic that has not
// set up e-mail leaves the server's name empty; the messages' words and
// the reminder's hours are still checked, so what is saved is always
// ready to use.

// Limits on the e-mail settings.
const (
	DefaultMailPort      = 587
	DefaultReminderHours = 24
	MinReminderHours     = 1
	MaxReminderHours     = 7 * 24
	maxHostLen           = 253 // the longest name DNS allows
	maxPasswordLen       = 500
	maxMailSubjectLen    = 200
	maxMailBodyLen       = 5000
)

// Placeholder is one word in braces that a message's text may hold and
// that is filled in for each client.
type Placeholder struct {
	Name string // without the braces
	Says string // what it is replaced with, for the settings screen
}

// MailPlaceholders are the placeholders the messages' words may use.
var MailPlaceholders = []Placeholder{
	{"client", "the client's name"},
	{"day", "the day of the week of the appointment"},
	{"date", "the date of the appointment, in the clinic's date format"},
	{"time", "the time the appointment starts"},
	{"minutes", "how many minutes it takes"},
	{"treatment", "the treatment booked"},
	{"technician", "who gives the treatment"},
	{"clinic", "the clinic's name"},
	{"address", "the clinic's address"},
	{"phone", "the clinic's phone number"},
}

// knownPlaceholder reports whether name is one of MailPlaceholders.
func isMailPlaceholder(name string) bool {
	for _, p := range MailPlaceholders {
		if p.Name == name {
			return true
		}
	}
	return false
}

// mailPlaceholderList is the placeholders as the owner types them.
func mailPlaceholderList() string {
	names := make([]string, len(MailPlaceholders))
	for i, p := range MailPlaceholders {
		names[i] = "{" + p.Name + "}"
	}
	return strings.Join(names, " ")
}

// DefaultEmailSettings are what a clinic starts with: no server yet (so
// nothing is sent until the owner sets one up), the usual port for
// STARTTLS, a reminder a day ahead, and messages in plain words.
func DefaultEmailSettings() EmailSettings {
	return EmailSettings{
		Port:                DefaultMailPort,
		Security:            SecurityStartTLS,
		ReminderHours:       DefaultReminderHours,
		ConfirmationSubject: "Your appointment at {clinic}: {day} {date} at {time}",
		ConfirmationBody: `Dear {client},

Thank you for booking with us. Your appointment is:

    {treatment} with {technician}
    {day} {date} at {time} ({minutes} minutes)

    {clinic}
    {address}

The calendar file attached to this message puts the appointment in your
phone's or computer's calendar.

If you need to change the time or cannot come, please call us on {phone}
as early as you can, so that someone else can have the time.

See you soon,
{clinic}`,
		ReminderSubject: "Reminder: {treatment} at {clinic}, {day} at {time}",
		ReminderBody: `Dear {client},

This is a reminder of your appointment:

    {treatment} with {technician}
    {day} {date} at {time} ({minutes} minutes)

    {clinic}
    {address}

If you cannot come, please call us on {phone} as soon as you can.

See you soon,
{clinic}`,
	}
}

// Configured reports whether the owner has set up a mail server, without
// which no message can be sent.
func (e EmailSettings) Configured() bool { return strings.TrimSpace(e.Host) != "" }

// Validate names each e-mail setting that is wrong, in words the owner
// understands. An empty server name means e-mail is not set up; the rest
// is still checked.
func (e EmailSettings) Validate() error {
	var p problems
	if msg := checkMailHost(e.Host); msg != "" {
		p.add("mail_host", msg)
	}
	if e.Port < 1 || e.Port > 65535 {
		p.add("mail_port", "must be a port number from 1 to 65535 (usually 587 for STARTTLS, 465 for TLS)")
	}
	switch e.Security {
	case SecurityStartTLS, SecurityTLS:
	case SecurityNone:
		if e.User != "" && e.Host != "" && !loopbackHost(e.Host) {
			p.add("mail_security", "without encryption the password would cross the network readable; choose STARTTLS or TLS (no encryption is only for a mail server on this computer)")
		}
	default:
		p.add("mail_security", "choose STARTTLS, TLS or no encryption")
	}
	p.text("mail_user", e.User, textRule{max: maxEmailLen})
	p.text("mail_password", e.Password, textRule{max: maxPasswordLen})
	switch {
	case e.From == "" && e.Configured():
		p.add("mail_from", "is required: the address the clinic's messages come from")
	case e.From != "":
		if msg := CheckEmail(e.From); msg != "" {
			p.add("mail_from", msg)
		}
	}
	if e.ReminderHours < MinReminderHours || e.ReminderHours > MaxReminderHours {
		p.add("mail_reminder_hours", fmt.Sprintf("must be between %d and %d hours before the appointment", MinReminderHours, MaxReminderHours))
	}
	texts := []struct {
		field, value string
		rule         textRule
	}{
		{"mail_confirmation_subject", e.ConfirmationSubject, textRule{required: true, max: maxMailSubjectLen}},
		{"mail_confirmation_body", e.ConfirmationBody, textRule{required: true, max: maxMailBodyLen, multiline: true}},
		{"mail_reminder_subject", e.ReminderSubject, textRule{required: true, max: maxMailSubjectLen}},
		{"mail_reminder_body", e.ReminderBody, textRule{required: true, max: maxMailBodyLen, multiline: true}},
	}
	for _, t := range texts {
		msg := checkText(t.value, t.rule)
		if msg == "" {
			msg = checkPlaceholders(t.value)
		}
		if msg != "" {
			p.add(t.field, msg)
		}
	}
	return p.err()
}

// checkMailHost reports what is wrong with a mail server's name, or "".
func checkMailHost(h string) string {
	if h == "" {
		return ""
	}
	if msg := checkText(h, textRule{max: maxHostLen}); msg != "" {
		return msg
	}
	const hint = "is not a server name (it should look like smtp.example.com)"
	switch {
	case strings.Contains(h, "://"):
		return "give only the server's name, without smtp:// or https:// (for example smtp.example.com)"
	case net.ParseIP(h) != nil:
		return ""
	case strings.Count(h, ":") == 1:
		return "give the port in its own field; the server's name is the part before the colon"
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return hint
		}
		for _, r := range label {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			case r > 0x7f:
				return "write the server's name in plain letters, as the mail provider gives it (a name with accents is written xn--…)"
			default:
				return hint
			}
		}
	}
	return ""
}

// loopbackHost reports whether host is this computer, where a connection
// without encryption never leaves the machine.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkPlaceholders reports the placeholders in s that NeedleDesk does
// not know (written as the aftercare texts' are: a name in braces), or "".
func checkPlaceholders(s string) string {
	var bad []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		if !isMailPlaceholder(m[1]) && !slices.Contains(bad, m[0]) {
			bad = append(bad, m[0])
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return fmt.Sprintf("uses %s, which NeedleDesk does not know; you can use %s", strings.Join(bad, ", "), mailPlaceholderList())
}

// FillMailText replaces each known placeholder in text with its value
// from values (keyed by name, without braces); other text stays as it is.
func FillMailText(text string, values map[string]string) string {
	return placeholderPattern.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := values[m[1:len(m)-1]]; ok && isMailPlaceholder(m[1:len(m)-1]) {
			return v
		}
		return m
	})
}
