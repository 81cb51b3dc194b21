package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"needledesk/data"
)

// Kind says what sort of failure a sending error was, which decides what
// the worker does next.
type Kind int

// The kinds of failure.
const (
	// Other is anything not below.
	Other Kind = iota
	// NotSetUp: the clinic has no mail server in its settings.
	NotSetUp
	// Offline: no connection could be made (this computer is offline, the
	// server's name is not found, or nothing answers on the port).
	Offline
	// Security: the secure connection could not be set up.
	Security
	// SignIn: the server refused the user name or password, or offered no
	// way to sign in.
	SignIn
	// Refused: the server refused the sender, an address or the message
	// for good (a 5xx reply).
	Refused
	// Later: the server asked to try again later (a 4xx reply).
	Later
	// Dropped: the connection was lost or timed out before the server
	// accepted the message.
	Dropped
)

// Error is a failure to send, in words the clinic's owner understands,
// with the server's own reply when it gave one. It matches
// data.ErrExplained, so data.UserMessage shows it as it is.
type Error struct {
	Kind  Kind
	Words string // what happened and what to check
	Reply string // the server's reply, such as "535 5.7.8 Authentication failed"; "" when it gave none
	Err   error  // what go-mail or the network said
}

func (e *Error) Error() string {
	if e.Reply == "" {
		return e.Words
	}
	return fmt.Sprintf("%s. The server said: \"%s\"", e.Words, e.Reply)
}

// Unwrap gives the underlying error and data.ErrExplained.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{data.ErrExplained}
	}
	return []error{e.Err, data.ErrExplained}
}

// connectError explains a failure to connect, set up TLS or sign in.
func connectError(address string, settings data.EmailSettings, err error) *Error {
	e := &Error{Err: err, Reply: reply(err)}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var protoErr *textproto.Error
	var recordErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authorityErr x509.UnknownAuthorityError
	switch {
	case errors.As(err, &dnsErr):
		e.Kind = Offline
		e.Words = fmt.Sprintf("The mail server %s could not be found: check its name under Book set-up > Reminders, and that this computer is online", settings.Host)
	case errors.As(err, &opErr) && opErr.Op == "dial", errors.Is(err, context.DeadlineExceeded):
		e.Kind = Offline
		e.Words = fmt.Sprintf("Could not connect to the mail server %s: %s. Check that this computer is online, and the server's name and port under Book set-up > Reminders", address, dialProblem(err))
	case errors.As(err, &recordErr):
		e.Kind = Security
		e.Words = fmt.Sprintf("The mail server %s did not answer with TLS: on this port it may expect STARTTLS (usually port 587) or no encryption", address)
	case errors.As(err, &hostErr):
		e.Kind = Security
		e.Words = fmt.Sprintf("The mail server's certificate is not for %s, so the connection is not safe: check the server's name with the mail provider", settings.Host)
	case errors.As(err, &authorityErr), errors.As(err, &certErr):
		e.Kind = Security
		e.Words = fmt.Sprintf("The mail server %s showed a certificate this computer does not trust, so the connection is not safe (%v)", address, err)
	case strings.Contains(err.Error(), "does not support STARTTLS"):
		e.Kind = Security
		e.Words = fmt.Sprintf("The mail server %s does not offer STARTTLS: choose TLS (usually port 465) under Book set-up > Reminders, or ask the mail provider", address)
	case errors.As(err, &protoErr) && protoErr.Code >= 500 && strings.Contains(err.Error(), "SMTP AUTH failed"),
		errors.As(err, &protoErr) && (protoErr.Code == 535 || protoErr.Code == 534):
		e.Kind = SignIn
		e.Words = fmt.Sprintf("The mail server %s refused the user name or password: check them under Book set-up > Reminders", address)
	case errors.Is(err, gomail.ErrNoSupportedAuthDiscovered) || strings.Contains(err.Error(), "does not support SMTP AUTH") ||
		strings.Contains(err.Error(), "auth not supported"):
		e.Kind = SignIn
		e.Words = fmt.Sprintf("The mail server %s offers no way to sign in that NeedleDesk can use on this connection: check the connection security, or leave the user name empty if the server needs none", address)
	case errors.As(err, &protoErr) && protoErr.Code >= 400 && protoErr.Code < 500:
		e.Kind = Later
		e.Words = fmt.Sprintf("The mail server %s is busy and asked to try again later", address)
	case errors.As(err, &protoErr):
		e.Kind = Refused
		e.Words = fmt.Sprintf("The mail server %s refused the connection", address)
	case lostConnection(err):
		e.Kind = Dropped
		e.Words = fmt.Sprintf("The mail server %s closed the connection while NeedleDesk was connecting", address)
	default:
		e.Words = fmt.Sprintf("Could not connect to the mail server %s (%v)", address, err)
	}
	return e
}

// dialProblem says why a connection could not be made.
func dialProblem(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "it did not answer in time"
	case strings.Contains(err.Error(), "connection refused"):
		return "nothing is listening on that port"
	case strings.Contains(err.Error(), "unreachable"):
		return "the network cannot reach it"
	}
	return "no connection"
}

// lostConnection reports an error that means the connection is gone.
func lostConnection(err error) bool {
	var opErr *net.OpError
	s := err.Error()
	return errors.As(err, &opErr) || strings.Contains(s, "EOF") || strings.Contains(s, "connection reset") ||
		strings.Contains(s, "broken pipe") || strings.Contains(s, "timeout") || strings.Contains(s, "use of closed")
}

// sendError explains a failure to send one message over an open
// connection.
func sendError(address string, err error) *Error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return &Error{Kind: Dropped, Err: err, Words: fmt.Sprintf("The connection to the mail server %s failed while sending (%v)", address, err)}
	}
	e := &Error{Err: err}
	code := se.ErrorCode()
	if code != 0 {
		e.Reply = sendReply(se)
	}
	switch {
	case code >= 500:
		e.Kind = Refused
		e.Words = fmt.Sprintf("The mail server %s refused %s", address, refusedWhat(se.Reason))
	case code >= 400:
		e.Kind = Later
		e.Words = fmt.Sprintf("The mail server %s asked to try again later", address)
	case se.Reason == gomail.ErrGetSender || se.Reason == gomail.ErrGetRcpts || se.Reason == gomail.ErrNoUnencoded:
		e.Kind = Other
		e.Words = fmt.Sprintf("The message could not be written (%v)", err)
	default:
		e.Kind = Dropped
		e.Words = fmt.Sprintf("The connection to the mail server %s was lost before it accepted the message", address)
	}
	return e
}

func refusedWhat(r gomail.SendErrReason) string {
	switch r {
	case gomail.ErrSMTPMailFrom:
		return "the clinic's from address"
	case gomail.ErrSMTPRcptTo:
		return "the client's address"
	}
	return "the message"
}

// reply is the server's reply inside err, as "535 5.7.8 ...", or "".
func reply(err error) string {
	var protoErr *textproto.Error
	if errors.As(err, &protoErr) {
		return strings.TrimSpace(fmt.Sprintf("%03d %s", protoErr.Code, protoErr.Msg))
	}
	return ""
}

// sendReply is the server's reply inside a go-mail SendError, whose text
// is "<what it was doing>: <reply>[, affected ...]".
func sendReply(se *gomail.SendError) string {
	s := strings.TrimPrefix(se.Error(), se.Reason.String()+":")
	if i := strings.Index(s, ", affected "); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	// textproto.Error writes the server's words quoted: 550 "5.1.1 ...".
	if code, quoted, ok := strings.Cut(s, " "); ok && len(code) == 3 {
		if words, err := strconv.Unquote(quoted); err == nil {
			return code + " " + words
		}
	}
	return s
}
