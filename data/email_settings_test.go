package data

import (
	"errors"
	"net"
	"net/mail"
	"strings"
	"testing"
	"unicode/utf8"
)

// goodMail is a mail set-up as a clinic would type it.
func goodMail() EmailSettings {
	m := DefaultEmailSettings()
	m.Host, m.User, m.Password, m.From = "smtp.lumenskin.example", "desk@lumenskin.example", "hunter2 but longer", "desk@lumenskin.example"
	return m
}

func TestEmailSettingsDefaults(t *testing.T) {
	m := DefaultEmailSettings()
	if err := m.Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
	if m.Configured() || m.ReminderHours != 24 || m.Port != 587 || m.Security != SecurityStartTLS {
		t.Errorf("defaults = %+v", m)
	}
	if got := DefaultSettings().Mail; got != m {
		t.Errorf("DefaultSettings().Mail = %+v", got)
	}
	if err := goodMail().Validate(); err != nil {
		t.Fatalf("a good set-up is refused: %v", err)
	}
	// Every placeholder is used by a default message, so the owner sees
	// each one at work.
	all := m.ConfirmationSubject + m.ConfirmationBody + m.ReminderSubject + m.ReminderBody
	for _, p := range MailPlaceholders {
		if !strings.Contains(all, "{"+p.Name+"}") {
			t.Errorf("{%s} is in no default message", p.Name)
		}
	}
}

func TestEmailSettingsValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(*EmailSettings)
		field string
		says  string
	}{
		{"scheme", func(m *EmailSettings) { m.Host = "smtp://mail.example.com" }, "mail_host", "without smtp://"},
		{"port in host", func(m *EmailSettings) { m.Host = "mail.example.com:587" }, "mail_host", "port in its own field"},
		{"space", func(m *EmailSettings) { m.Host = "mail example.com" }, "mail_host", "not a server name"},
		{"empty label", func(m *EmailSettings) { m.Host = "mail..example.com" }, "mail_host", "not a server name"},
		{"accents", func(m *EmailSettings) { m.Host = "smtp.exämple.de" }, "mail_host", "xn--"},
		{"line break", func(m *EmailSettings) { m.Host = "smtp.example.com\r\nRCPT TO:<x@y.z>" }, "mail_host", "line break"},
		{"port 0", func(m *EmailSettings) { m.Port = 0 }, "mail_port", "1 to 65535"},
		{"port too big", func(m *EmailSettings) { m.Port = 65536 }, "mail_port", "1 to 65535"},
		{"security", func(m *EmailSettings) { m.Security = "ssl" }, "mail_security", "choose STARTTLS, TLS or no encryption"},
		{"password in the clear", func(m *EmailSettings) { m.Security = SecurityNone }, "mail_security", "readable"},
		{"no from", func(m *EmailSettings) { m.From = "" }, "mail_from", "is required"},
		{"bad from", func(m *EmailSettings) { m.From = "Lumen Skin <desk@lumenskin.example>" }, "mail_from", "not an e-mail address"},
		{"user line break", func(m *EmailSettings) { m.User = "desk\nx" }, "mail_user", "line break"},
		{"password NUL", func(m *EmailSettings) { m.Password = "a\x00b" }, "mail_password", "control character"},
		{"no hours", func(m *EmailSettings) { m.ReminderHours = 0 }, "mail_reminder_hours", "between 1 and 168"},
		{"too many hours", func(m *EmailSettings) { m.ReminderHours = 169 }, "mail_reminder_hours", "between 1 and 168"},
		{"unknown placeholder", func(m *EmailSettings) { m.ReminderBody = "Hello {first_name}, see you {date}" }, "mail_reminder_body", "uses {first_name}, which NeedleDesk does not know"},
		{"empty braces", func(m *EmailSettings) { m.ConfirmationBody = "Hello {}" }, "mail_confirmation_body", "uses {}"},
		{"subject line break", func(m *EmailSettings) { m.ConfirmationSubject = "Booked\nBcc: x@y.z" }, "mail_confirmation_subject", "line break"},
		{"subject empty", func(m *EmailSettings) { m.ReminderSubject = " " }, "mail_reminder_subject", "is required"},
		{"body too long", func(m *EmailSettings) { m.ConfirmationBody = strings.Repeat("a", maxMailBodyLen+1) }, "mail_confirmation_body", "too long"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := goodMail()
			c.edit(&m)
			var ve *ValidationError
			err := m.Validate()
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) || !strings.Contains(ve.For(c.field), c.says) {
				t.Fatalf("got %v; want %s saying %q", err, c.field, c.says)
			}
			// The clinic's settings carry the same field-level message.
			s := DefaultSettings()
			s.ClinicName, s.Mail = "Lumen", m
			if err := s.Validate(); !errors.As(err, &ve) || !strings.Contains(ve.For(c.field), c.says) {
				t.Fatalf("Settings.Validate: got %v; want %s", err, c.field)
			}
		})
	}
}

func TestEmailSettingsAccepts(t *testing.T) {
	for _, edit := range []func(*EmailSettings){
		func(m *EmailSettings) { m.Host, m.User, m.Password, m.From = "", "", "", "" }, // not set up
		func(m *EmailSettings) { m.Host = "192.0.2.25" },
		func(m *EmailSettings) { m.Host = "2001:db8::25" },
		func(m *EmailSettings) { m.Host = "mail-1.eu.example.com" },
		func(m *EmailSettings) { m.Host, m.Security = "127.0.0.1", SecurityNone },             // on this computer
		func(m *EmailSettings) { m.Host, m.Security = "localhost", SecurityNone },             // on this computer
		func(m *EmailSettings) { m.Host, m.Security, m.User = "relay.lan", SecurityNone, "" }, // no password sent
		func(m *EmailSettings) { m.Security, m.Port = SecurityTLS, 465 },
		func(m *EmailSettings) { m.ReminderHours = 168 },
		func(m *EmailSettings) { m.ReminderBody = "Hi {client}. Prices {from £40} and {{time}}." },
	} {
		m := goodMail()
		edit(&m)
		if err := m.Validate(); err != nil {
			t.Errorf("%+v refused: %v", m, err)
		}
	}
}

func TestFillMailText(t *testing.T) {
	values := map[string]string{"client": "Zoë O'Brien", "time": "10:00", "first_name": "not a mail placeholder"}
	got := FillMailText("Dear {client}, {time} {Time} {first_name} {date} { time} {}", values)
	want := "Dear Zoë O'Brien, 10:00 {Time} {first_name} {date} { time} {}"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// FuzzEmailSettings checks that validation never panics and that what it
// accepts has the shape promised: a server name a connection can use, a
// port, an address that parses, hours in range, and messages whose
// placeholders are all filled.
func FuzzEmailSettings(f *testing.F) {
	f.Add("smtp.example.com", 587, "starttls", "desk@example.com", "desk@example.com", 24, "Hi {client}", "{date} {time}")
	f.Add("mail.example.com:25", 0, "tls", "", "a@b", 0, "{x}", "")
	f.Add("::1", 65535, "none", "u", "x@example.com", 169, "{}", "{client")
	f.Add("", 25, "ssl", "", "", 1, "\u202e", "line\nbreak")
	f.Fuzz(func(t *testing.T, host string, port int, security, user, from string, hours int, subject, body string) {
		m := EmailSettings{Host: host, Port: port, Security: Security(security), User: user, Password: "pw", From: from,
			ReminderHours: hours, ConfirmationSubject: subject, ConfirmationBody: body,
			ReminderSubject: "Reminder", ReminderBody: "Dear {client}"}
		if err := m.Validate(); err != nil {
			for _, p := range FieldProblems(err) {
				if !strings.HasPrefix(p.Field, "mail_") || p.Message == "" {
					t.Fatalf("problem %+v", p)
				}
			}
			return
		}
		if host != "" {
			if strings.ContainsAny(host, " /:\r\n\t") && net.ParseIP(host) == nil {
				t.Fatalf("accepted the server name %q", host)
			}
			if _, err := mail.ParseAddress(from); err != nil {
				t.Fatalf("accepted the from address %q: %v", from, err)
			}
		}
		if port < 1 || port > 65535 || hours < MinReminderHours || hours > MaxReminderHours {
			t.Fatalf("accepted port %d, %d hours", port, hours)
		}
		if strings.ContainsAny(subject, "\r\n") || !utf8.ValidString(subject+body) {
			t.Fatalf("accepted subject %q", subject)
		}
		values := map[string]string{}
		for _, p := range MailPlaceholders {
			values[p.Name] = "•"
		}
		for _, text := range []string{subject, body} {
			filled := FillMailText(text, values)
			if m := placeholderPattern.FindString(filled); m != "" {
				t.Fatalf("%q left %s unfilled in %q", text, m, filled)
			}
		}
	})
}
