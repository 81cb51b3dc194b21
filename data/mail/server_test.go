package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	netmail "net/mail"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"needledesk/data"
)

// A real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1, run by
// the test; everything the tests assert about what was sent is what this
// server received.

// received is one message the test server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	User string // who signed in; "" when no one did
	TLS  bool   // whether the connection was encrypted
}

type serverMode int

const (
	plainServer    serverMode = iota // no encryption
	startTLSServer                   // offers STARTTLS
	tlsServer                        // TLS from the first byte
)

// testServer is the SMTP server and what it was told to do.
type testServer struct {
	t    *testing.T
	srv  *smtp.Server
	ln   net.Listener
	Host string
	Port int
	// RootCAs trusts the server's certificate (STARTTLS and TLS modes).
	RootCAs *x509.CertPool

	mu          sync.Mutex
	got         []received
	user, pass  string           // when user is set, signing in is required
	dropData    int              // drop the connection this many times while reading DATA
	refuseRcpt  *smtp.SMTPError  // refuse every recipient with this reply
	onDelivered func(r received) // called as each message is accepted
	sessions    int              // connections that said EHLO
}

// startServer runs a server in mode until the test ends. port 0 picks a
// free one.
func startServer(t *testing.T, mode serverMode, port int) *testServer {
	t.Helper()
	ts := &testServer{t: t}
	srv := smtp.NewServer(smtp.BackendFunc(ts.newSession))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = quietLog{}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case plainServer:
		srv.AllowInsecureAuth = true
	case startTLSServer:
		srv.TLSConfig, ts.RootCAs = testCertificate(t)
	case tlsServer:
		var cfg *tls.Config
		cfg, ts.RootCAs = testCertificate(t)
		ln = tls.NewListener(ln, cfg)
	}
	ts.srv, ts.ln = srv, ln
	ts.Host = "127.0.0.1"
	ts.Port = ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		ts.stop()
		<-done
	})
	return ts
}

// refusedMailbox is a server's refusal of an address.
var refusedMailbox = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}

// parseHeaderAndText reads a message's header and its whole text.
func parseHeaderAndText(t *testing.T, raw []byte) (netmail.Header, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		t.Fatal(err)
	}
	return msg.Header, string(body)
}

// stop closes the server, so that connections to its port are refused.
func (ts *testServer) stop() {
	// The listener too: Close closes only the listeners Serve has started
	// on, and Serve may not have started yet.
	_ = ts.srv.Close()
	_ = ts.ln.Close()
}

type quietLog struct{}

func (quietLog) Printf(string, ...interface{}) {}
func (quietLog) Println(...interface{})        {}

// requireSignIn makes the server accept only this user and password.
func (ts *testServer) requireSignIn(user, pass string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.user, ts.pass = user, pass
}

// messages is what the server has accepted so far.
func (ts *testServer) messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

// settings are EmailSettings for this server.
func (ts *testServer) settings(security data.Security) data.EmailSettings {
	m := data.DefaultEmailSettings()
	m.Host, m.Port, m.Security, m.From = ts.Host, ts.Port, security, "desk@lumenskin.example"
	ts.mu.Lock()
	m.User, m.Password = ts.user, ts.pass
	ts.mu.Unlock()
	return m
}

// sender trusts the server's certificate and gives up quickly.
func (ts *testServer) sender() *Sender {
	return &Sender{Timeout: 5 * time.Second, TLSConfig: &tls.Config{RootCAs: ts.RootCAs, MinVersion: tls.VersionTLS12}}
}

func (ts *testServer) newSession(c *smtp.Conn) (smtp.Session, error) {
	ts.mu.Lock()
	ts.sessions++
	ts.mu.Unlock()
	return &session{ts: ts, conn: c}, nil
}

// session is one connection to the test server.
type session struct {
	ts   *testServer
	conn *smtp.Conn
	user string
	msg  received
}

func (s *session) AuthMechanisms() []string {
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	if s.ts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		s.ts.mu.Lock()
		defer s.ts.mu.Unlock()
		if user != s.ts.user || pass != s.ts.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Username and Password not accepted at mail.test"}
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.ts.mu.Lock()
	needAuth := s.ts.user != ""
	s.ts.mu.Unlock()
	if needAuth && s.user == "" {
		return smtp.ErrAuthRequired
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.msg = received{From: from, User: s.user, TLS: isTLS}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	refuse := s.ts.refuseRcpt
	s.ts.mu.Unlock()
	if refuse != nil {
		return refuse
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	s.ts.mu.Lock()
	drop := s.ts.dropData > 0
	if drop {
		s.ts.dropData--
	}
	s.ts.mu.Unlock()
	if drop {
		// Read the headers and part of the body, then the line goes dead.
		_, _ = io.CopyN(io.Discard, r, 300)
		_ = s.conn.Conn().Close()
		return errors.New("connection dropped by the test")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = b
	s.ts.mu.Lock()
	s.ts.got = append(s.ts.got, s.msg)
	on := s.ts.onDelivered
	s.ts.mu.Unlock()
	if on != nil {
		on(s.msg)
	}
	return nil
}

func (s *session) Reset()        { s.msg = received{User: s.user} }
func (s *session) Logout() error { return nil }

// testCertificate makes a self-signed certificate for 127.0.0.1: the
// server's TLS settings and a pool that trusts it.
func testCertificate(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mail.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)}, // not "localhost", which a test uses as a wrong name
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, pool
}
