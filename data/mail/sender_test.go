package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"

	"needledesk/data"
)

// clinicWith is the clinic's settings with the mail set-up m.
func clinicWith(m data.EmailSettings) data.Settings {
	s := data.DefaultSettings()
	s.ClinicName, s.Mail = "Lumen Skin Studio", m
	return s
}

// sendErr is err as an *Error, failing the test when it is not one.
func sendErr(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T); want a *mail.Error", err, err)
	}
	if !errors.Is(err, data.ErrExplained) || data.UserMessage(err) != err.Error() {
		t.Errorf("the screen would show %q for %q", data.UserMessage(err), err)
	}
	return e
}

func TestSendTestThroughSTARTTLSWithSignIn(t *testing.T) {
	ts := startServer(t, startTLSServer, 0)
	ts.requireSignIn("desk@lumenskin.example", "correct horse battery staple")
	err := ts.sender().SendTest(context.Background(), clinicWith(ts.settings(data.SecurityStartTLS)), "owner@lumenskin.example")
	if err != nil {
		t.Fatal(err)
	}
	got := ts.messages()
	if len(got) != 1 || !got[0].TLS || got[0].User != "desk@lumenskin.example" || got[0].To[0] != "owner@lumenskin.example" {
		t.Fatalf("received %+v", got)
	}
	p, _ := parseHeaderAndText(t, got[0].Data)
	if p.Get("Subject") != "NeedleDesk test message" || !strings.Contains(string(got[0].Data), "Lumen Skin Studio") {
		t.Errorf("test message:\n%s", got[0].Data)
	}
}

func TestSendTestThroughTLS(t *testing.T) {
	ts := startServer(t, tlsServer, 0)
	ts.requireSignIn("desk", "pw-for-tls-465")
	err := ts.sender().SendTest(context.Background(), clinicWith(ts.settings(data.SecurityTLS)), "owner@lumenskin.example")
	if err != nil {
		t.Fatal(err)
	}
	if got := ts.messages(); len(got) != 1 || !got[0].TLS || got[0].User != "desk" {
		t.Fatalf("received %+v", got)
	}
}

// A refused password says so in plain words and carries the server's own
// reply; nothing is sent.
func TestWrongPasswordIsRefusedInPlainWords(t *testing.T) {
	for _, c := range []struct {
		mode     serverMode
		security data.Security
	}{{plainServer, data.SecurityNone}, {startTLSServer, data.SecurityStartTLS}} {
		ts := startServer(t, c.mode, 0)
		ts.requireSignIn("desk@lumenskin.example", "the right one")
		settings := ts.settings(c.security)
		settings.Password = "the wrong one"
		err := ts.sender().SendTest(context.Background(), clinicWith(settings), "owner@lumenskin.example")
		e := sendErr(t, err)
		msg := err.Error()
		if e.Kind != SignIn || !strings.Contains(msg, "refused the user name or password") ||
			!strings.Contains(msg, "535 5.7.8 Username and Password not accepted at mail.test") {
			t.Errorf("%s: got %q (kind %d)", c.security, msg, e.Kind)
		}
		if n := len(ts.messages()); n != 0 {
			t.Errorf("%d messages went through", n)
		}
	}
}

func TestConnectionProblemsInPlainWords(t *testing.T) {
	ctx := context.Background()
	plain := startServer(t, plainServer, 0)
	startTLS := startServer(t, startTLSServer, 0)
	closed := startServer(t, plainServer, 0)
	closed.stop()
	for _, c := range []struct {
		name     string
		sender   *Sender
		settings data.EmailSettings
		kind     Kind
		says     string
	}{
		{"nothing listening", plain.sender(), closed.settings(data.SecurityNone), Offline, "nothing is listening on that port"},
		{"STARTTLS not offered", plain.sender(), plain.settings(data.SecurityStartTLS), Security, "does not offer STARTTLS"},
		{"TLS to a plain port", plain.sender(), plain.settings(data.SecurityTLS), Security, "did not answer with TLS"},
		{"untrusted certificate", &Sender{}, startTLS.settings(data.SecurityStartTLS), Security, "certificate this computer does not trust"},
		{"certificate for another name", &Sender{TLSConfig: &tls.Config{RootCAs: startTLS.RootCAs}},
			func() data.EmailSettings {
				m := startTLS.settings(data.SecurityStartTLS)
				m.Host = "localhost"
				return m
			}(),
			Security, "certificate is not for localhost"},
		{"not set up", plain.sender(), data.DefaultEmailSettings(), NotSetUp, "e-mail is not set up"},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := c.sender.Open(ctx, c.settings)
			if err == nil {
				_ = conn.Close()
				t.Fatal("connected")
			}
			e := sendErr(t, err)
			if e.Kind != c.kind || !strings.Contains(err.Error(), c.says) {
				t.Errorf("got %q (kind %d); want kind %d saying %q", err, e.Kind, c.kind, c.says)
			}
		})
	}
}

// A server name that does not exist is offline, not a wrong password.
func TestUnknownServerName(t *testing.T) {
	m := data.DefaultEmailSettings()
	m.Host, m.From = "no-such-host.invalid", "desk@lumenskin.example"
	_, err := (&Sender{}).Open(context.Background(), m)
	if e := sendErr(t, err); e.Kind != Offline || !strings.Contains(err.Error(), "could not be found") {
		t.Errorf("got %q (kind %d)", err, e.Kind)
	}
}

func TestSendTestChecksWhatItIsGiven(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	var ve *data.ValidationError
	err := ts.sender().SendTest(context.Background(), clinicWith(ts.settings(data.SecurityNone)), "not an address")
	if !errors.As(err, &ve) || ve.For("test_to") == "" {
		t.Errorf("a bad address gave %v", err)
	}
	m := ts.settings(data.SecurityNone)
	m.Port = 0
	if err := ts.sender().SendTest(context.Background(), clinicWith(m), "owner@lumenskin.example"); !errors.As(err, &ve) || ve.For("mail_port") == "" {
		t.Errorf("port 0 gave %v", err)
	}
	if n := len(ts.messages()); n != 0 {
		t.Errorf("%d messages went through", n)
	}
}

// A recipient the server refuses is Refused with the server's reply, and
// the connection stays usable for the next message.
func TestRefusedAddressKeepsTheConnection(t *testing.T) {
	ts := startServer(t, plainServer, 0)
	conn, err := ts.sender().Open(context.Background(), ts.settings(data.SecurityNone))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	item := testItem(1, ts.settings(data.SecurityNone))
	item.Message.To = "nobody@example.org"
	m, err := ComposeAt(item, queued)
	if err != nil {
		t.Fatal(err)
	}
	ts.mu.Lock()
	ts.refuseRcpt = refusedMailbox
	ts.mu.Unlock()
	err = conn.Send(m)
	if e := sendErr(t, err); e.Kind != Refused || !strings.Contains(err.Error(), "refused the client's address") ||
		!strings.Contains(err.Error(), "550 5.1.1 No such mailbox here") {
		t.Errorf("got %q (kind %d)", err, e.Kind)
	}
	ts.mu.Lock()
	ts.refuseRcpt = nil
	ts.mu.Unlock()
	m2, _ := ComposeAt(testItem(2, ts.settings(data.SecurityNone)), queued)
	if !conn.Usable() {
		t.Fatal("the connection was given up after a refused address")
	}
	if err := conn.Send(m2); err != nil {
		t.Fatal(err)
	}
	if n := len(ts.messages()); n != 1 {
		t.Errorf("%d messages received", n)
	}
}

// freePort is a port nothing listens on (for now).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
