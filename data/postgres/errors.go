package postgres

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"needledesk/data"
)

// ErrUnreachable matches an error from a server that could not be
// reached, ErrPasswordRefused one that refused the user or password.
var (
	ErrUnreachable     = errors.New("the clinic's database server cannot be reached")
	ErrPasswordRefused = errors.New("the clinic's database server refused the user name or password")
)

// where names the server and database in words, never with a password.
func where(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	host := c.Host
	if strings.HasPrefix(host, "/") {
		host = "this computer (socket in " + host + ")"
	}
	return fmt.Sprintf("database %q on %s as %q", c.Database, host, c.User)
}

// describeConnectError says in plain words why connecting failed.
func describeConnectError(cfg *pgxpool.Config, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return data.Explained(fmt.Errorf("%w (%s): check the password in ~/.pgpass (or the file PGPASSFILE names); %s",
				ErrPasswordRefused, where(cfg), pe.Message))
		case "3D000":
			return data.Explained(fmt.Errorf("the clinic's database server has no %s: ask whoever set it up for the right address (%w)",
				where(cfg), data.ErrNotFound))
		}
		return fmt.Errorf("connecting to %s: %w", where(cfg), err)
	}
	if strings.Contains(err.Error(), "password") && (strings.Contains(err.Error(), "no password") || strings.Contains(err.Error(), "authentication")) {
		return data.Explained(fmt.Errorf("%w (%s): the server asks for a password and none was found in ~/.pgpass (or the file PGPASSFILE names)",
			ErrPasswordRefused, where(cfg)))
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &ne) || errors.As(err, &oe) || strings.Contains(err.Error(), "connect") {
		return data.Explained(fmt.Errorf("%w (%s): check that the server is on and this computer is on the clinic's network, then try again",
			ErrUnreachable, where(cfg)))
	}
	return fmt.Errorf("connecting to %s: %w", where(cfg), err)
}

// describeServerError marks a connection lost mid-work as unreachable.
func describeServerError(err error) error {
	if err == nil || !pgconn.SafeToRetry(err) && !strings.Contains(err.Error(), "connect") {
		return err
	}
	return fmt.Errorf("%w: %w", ErrUnreachable, err)
}

// redactedParseError is pgx's words about an address it cannot read,
// which quote the address; a password in it is cut out.
func redactedParseError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		if at := strings.Index(msg[i:], "@"); at >= 0 {
			if colon := strings.Index(msg[i+3:i+at], ":"); colon >= 0 {
				msg = msg[:i+3+colon+1] + "xxxxx" + msg[i+at:]
			}
		}
	}
	return "the database address cannot be read: " + msg
}
