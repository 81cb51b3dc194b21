// Package mailtest is a real SMTP server (github.com/emersion/go-smtp) for
// tests, on 127.0.0.1 without encryption, that asks for a user name and
// password: what a test says was sent is what it received. Only tests
// import it.
package mailtest

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

// Server is the running server; Port is where it listens.
type Server struct {
	srv        *smtp.Server
	Port       int
	user, pass string

	mu  sync.Mutex
	got []Received
}

// Received is one message as the server took it.
type Received struct {
	From string
	To   []string
	Data string
}

// Start runs a server for the test that accepts user and pass.
func Start(t testing.TB, user, pass string) *Server {
	t.Helper()
	ms := &Server{user: user, pass: pass}
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

// Messages are what the server has received so far.
func (ms *Server) Messages() []Received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]Received(nil), ms.got...)
}

type mailSession struct {
	ms     *Server
	signed bool
	msg    Received
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
	s.msg = Received{From: from}
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

func (s *mailSession) Reset()        { s.msg = Received{} }
func (s *mailSession) Logout() error { return nil }
