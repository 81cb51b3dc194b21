package storeopen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
	"needledesk/data/postgres"
)

// WithPassword gives the password for a server's address, as typed at
// start-up: it is used for this opening only and never written anywhere.
func WithPassword(password string) Option {
	return func(o *options) { o.password = password }
}

// connectTimeout is how long opening waits for a server that does not
// answer, unless the address says otherwise (connect_timeout): without
// it a server behind a firewall keeps the window waiting for minutes.
const connectTimeout = "10"

// serverURL is the address with the password in it, in memory only, and
// a connect_timeout.
func serverURL(db, password string) (string, error) {
	u, err := url.Parse(db)
	if err != nil {
		return "", fmt.Errorf("reading the database address: %w", errors.Join(data.ErrInvalid, errors.New("the address is not a valid postgres:// address")))
	}
	if password != "" {
		name := ""
		if u.User != nil {
			name = u.User.Username()
		}
		u.User = url.UserPassword(name, password)
	}
	if q := u.Query(); q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", connectTimeout)
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}

// PasswordKnown reports whether there is a password for the server at
// db: in the address, or in ~/.pgpass (or the file PGPASSFILE names),
// read as the store will read it.
func PasswordKnown(db string) bool {
	cfg, err := pgconn.ParseConfig(db)
	return err == nil && cfg.Password != ""
}

// serverError says which of the usual problems opening a server met
// (data.ErrServerUnreachable and the others), keeping the store's words.
func serverError(err error, hadPassword bool) error {
	var kind error
	switch {
	case errors.Is(err, postgres.ErrUnreachable):
		kind = data.ErrServerUnreachable
	case errors.Is(err, postgres.ErrPasswordRefused) && !hadPassword:
		kind = data.ErrServerWantsPassword
	case errors.Is(err, postgres.ErrPasswordRefused):
		kind = data.ErrServerRefusedPassword
	case errors.Is(err, postgres.ErrNewerSchema):
		kind = data.ErrNewerSchema
	default:
		return err
	}
	return data.Explained(serverProblem{kind: kind, err: err})
}

type serverProblem struct{ kind, err error }

func (p serverProblem) Error() string   { return p.err.Error() }
func (p serverProblem) Unwrap() []error { return []error{p.err, p.kind} }

// PasswordFile is the file the server's passwords are kept in: the one
// PGPASSFILE names, or ~/.pgpass.
func PasswordFile() (string, error) {
	if f := os.Getenv("PGPASSFILE"); f != "" {
		return f, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home folder for ~/.pgpass: %w", err)
	}
	return filepath.Join(home, ".pgpass"), nil
}

// SavePassword keeps the password for the server at db in PasswordFile,
// readable by this user only (mode 0600), in place of any line there was
// for the same server, database and user.
func SavePassword(db, password string) error {
	cfg, err := pgconn.ParseConfig(db)
	if err != nil {
		return fmt.Errorf("reading the database address: %w", data.ErrInvalid)
	}
	host := cfg.Host
	if strings.HasPrefix(host, "/") { // a socket: pgx looks it up as localhost
		host = "localhost"
	}
	key := strings.Join([]string{passEscape(host), strconv.Itoa(int(cfg.Port)), passEscape(cfg.Database), passEscape(cfg.User)}, ":")
	path, err := PasswordFile()
	if err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	var out bytes.Buffer
	out.WriteString(key + ":" + passEscape(password) + "\n")
	lines := bufio.NewScanner(bytes.NewReader(old))
	for lines.Scan() {
		if !strings.HasPrefix(lines.Text(), key+":") {
			out.WriteString(lines.Text() + "\n")
		}
	}
	return writePrivate(path, out.Bytes())
}

// passEscape escapes a field of a .pgpass line.
func passEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(s)
}

// writePrivate replaces path with b, mode 0600, through a file beside it.
func writePrivate(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".pgpass-*")
	if err != nil {
		return fmt.Errorf("saving the password: %w", err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return fmt.Errorf("saving the password: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return fmt.Errorf("saving the password: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving the password: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("saving the password in %s: %w", path, err)
	}
	return nil
}
