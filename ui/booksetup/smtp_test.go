package booksetup_test

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// A real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1, without
// encryption, that asks for a user name and password: what the tests say
// was sent is what it received.

type mailServer struct {
	srv        *smtp.Server
	Port       int
	user, pass string

	mu  sync.Mutex
	got []mailReceived
}

type mailReceived struct {
	From string
	To   []string
	Data string
}

func startMailServer(t *testing.T, user, pass string) *mailServer {
	t.Helper()
	ms := &mailServer{user: user, pass: pass}
	ms.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{ms: ms}, nil }))
	ms.srv.Domain, ms.srv.AllowInsecureAuth = "mail.test", true
	ms.srv.ReadTimeout, ms.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms.Port = ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() { defer close(done); _ = ms.srv.Serve(ln) }()
	t.Cleanup(func() { _ = ms.srv.Close(); _ = ln.Close(); <-done })
	return ms
}

func (ms *mailServer) messages() []mailReceived {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]mailReceived(nil), ms.got...)
}

type mailSession struct {
	ms     *mailServer
	signed bool
	msg    mailReceived
}

func (s *mailSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.ms.user || pass != s.ms.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted at mail.test"}
		}
		s.signed = true
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.signed {
		return smtp.ErrAuthRequired
	}
	s.msg = mailReceived{From: from}
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return errors.Join(err)
	}
	s.msg.Data = string(b)
	s.ms.mu.Lock()
	s.ms.got = append(s.ms.got, s.msg)
	s.ms.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.msg = mailReceived{} }
func (s *mailSession) Logout() error { return nil }
