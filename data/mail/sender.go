package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"needledesk/data"
)

// DefaultTimeout bounds connecting (greeting, STARTTLS and sign-in
// included) and each message's sending.
const DefaultTimeout = 30 * time.Second

// Sender connects to the clinic's mail server as its EmailSettings say.
// The zero Sender is ready to use.
type Sender struct {
	// Timeout bounds connecting and each message; DefaultTimeout when 0.
	Timeout time.Duration
	// TLSConfig is the base of the TLS settings (its ServerName is set to
	// the server's name); nil means this computer's trusted certificates.
	// Tests give the certificate of their own server here.
	TLSConfig *tls.Config
}

func (s *Sender) timeout() time.Duration {
	if s == nil || s.Timeout <= 0 {
		return DefaultTimeout
	}
	return s.Timeout
}

// client is a go-mail client for the settings: STARTTLS required, TLS
// from the first byte, or no encryption; signing in when a user is set.
func (s *Sender) client(settings data.EmailSettings) (*gomail.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if s != nil && s.TLSConfig != nil {
		tlsConfig = s.TLSConfig.Clone()
	}
	tlsConfig.ServerName = settings.Host
	opts := []gomail.Option{gomail.WithPort(settings.Port), gomail.WithTimeout(s.timeout()), gomail.WithTLSConfig(tlsConfig)}
	switch settings.Security {
	case data.SecurityStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case data.SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case data.SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		return nil, fmt.Errorf("unknown connection security %q", settings.Security)
	}
	if settings.User != "" {
		opts = append(opts, gomail.WithUsername(settings.User), gomail.WithPassword(settings.Password))
		if settings.Security == data.SecurityNone {
			// Only allowed for a server on this computer (see
			// EmailSettings.Validate), where nothing crosses a network.
			opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc))
		} else {
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover))
		}
	}
	c, err := gomail.NewClient(settings.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("setting up the connection to %s: %w", settings.Host, err)
	}
	return c, nil
}

// Conn is an open connection to the clinic's mail server, signed in.
type Conn struct {
	client  *gomail.Client
	smtp    *smtp.Client
	address string // host:port, for messages
	broken  bool
}

// Open connects to the server the settings name, upgrades to TLS and
// signs in as they say. Its error is an *Error in plain words.
func (s *Sender) Open(ctx context.Context, settings data.EmailSettings) (*Conn, error) {
	if !settings.Configured() {
		return nil, &Error{Kind: NotSetUp, Words: "e-mail is not set up: give the clinic's mail server under Book set-up > Reminders"}
	}
	c, err := s.client(settings)
	if err != nil {
		return nil, err
	}
	address := fmt.Sprintf("%s:%d", settings.Host, settings.Port)
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, connectError(address, settings, err)
	}
	return &Conn{client: c, smtp: sc, address: address}, nil
}

// Send hands one message to the server. It returns nil once the server
// has accepted the message (its reply to the end of the data), even when
// the connection fails after that; an error means the server did not
// take it. The error is an *Error in plain words with the server's reply.
func (c *Conn) Send(m *gomail.Msg) error {
	if c.broken {
		return &Error{Kind: Dropped, Words: "the connection to the mail server " + c.address + " was lost"}
	}
	err := c.client.SendWithSMTPClient(c.smtp, m)
	if m.IsDelivered() {
		// Accepted; a failure after that (the reset for the next
		// message) only means this connection is done.
		if err != nil {
			c.broken = true
		}
		return nil
	}
	if err == nil {
		return &Error{Kind: Dropped, Words: "the mail server " + c.address + " did not confirm the message"}
	}
	e := sendError(c.address, err)
	if e.Kind != Refused && e.Kind != Later {
		c.broken = true
	}
	return e
}

// Usable reports whether further messages can go over this connection.
func (c *Conn) Usable() bool { return !c.broken }

// Close says goodbye to the server and closes the connection.
func (c *Conn) Close() error {
	if c.broken {
		return c.smtp.Close()
	}
	if err := c.client.CloseWithSMTPClient(c.smtp); err != nil {
		_ = c.smtp.Close()
		return err
	}
	return nil
}

// SendTest sends the owner a short message through the mail server in
// settings.Mail (saved or not), for the settings' "Send a test message".
// Its error says in plain words what went wrong, with the server's reply.
func SendTest(ctx context.Context, settings data.Settings, to string) error {
	return (&Sender{}).SendTest(ctx, settings, to)
}

// SendTest is the package's SendTest through this Sender.
func (s *Sender) SendTest(ctx context.Context, settings data.Settings, to string) error {
	if msg := data.CheckEmail(to); msg != "" || to == "" {
		if to == "" {
			msg = "is required"
		}
		return data.Invalid("test_to", msg)
	}
	if err := settings.Mail.Validate(); err != nil {
		return err
	}
	m, err := testMessage(settings, to, time.Now())
	if err != nil {
		return err
	}
	conn, err := s.Open(ctx, settings.Mail)
	if err != nil {
		return err
	}
	err = conn.Send(m)
	// Once the server has the message, a goodbye it does not answer
	// changes nothing.
	_ = conn.Close()
	return err
}

// testMessage is the owner's test message.
func testMessage(settings data.Settings, to string, now time.Time) (*gomail.Msg, error) {
	m, err := envelope(settings.Mail.From, settings.ClinicName, to, "")
	if err != nil {
		return nil, err
	}
	m.Subject("NeedleDesk test message")
	m.SetDateWithValue(now)
	m.SetMessageIDWithValue(randomMessageID(settings.Mail.From))
	m.SetBodyString(gomail.TypeTextPlain, fmt.Sprintf(`This message was sent by NeedleDesk to check the e-mail set-up of %s.

It went through the mail server %s, port %d, and came from %s.
Since it arrived, the clinic's confirmations and reminders can be sent the same way.
`, orClinic(settings.ClinicName), settings.Mail.Host, settings.Mail.Port, settings.Mail.From))
	return m, nil
}

func orClinic(name string) string {
	if name == "" {
		return "the clinic"
	}
	return oneLine(name)
}
