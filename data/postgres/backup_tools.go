package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"needledesk/data"
)

// The server's backups are made and restored with PostgreSQL's own
// programs, pg_dump and pg_restore, from Debian's postgresql-client
// package (found as data/postgres/pgtest finds the server's). They are
// given the database's address without its password; a password the
// store connected with goes to them in a temporary password file
// (PGPASSFILE, mode 0600), never on a command line, where every user of
// the computer could read it.

// toolsGlob is where Debian puts PostgreSQL's programs, one folder per
// major version.
const toolsGlob = "/usr/lib/postgresql/*/bin"

// ErrNoTools means pg_dump or pg_restore is not installed here.
var ErrNoTools = errors.New("PostgreSQL's backup programs (pg_dump and pg_restore) are not installed on this computer; " +
	"install them with: sudo apt-get install postgresql-client")

// findTool finds one of PostgreSQL's programs: the newest of Debian's
// versions (a newer pg_dump reads an older server, never the other way
// round), else the one on PATH.
func findTool(name string) (string, error) {
	dirs, _ := filepath.Glob(toolsGlob)
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		_, err := os.Stat(filepath.Join(d, name))
		return err != nil
	})
	if len(dirs) > 0 {
		slices.SortFunc(dirs, func(a, b string) int { return majorVersion(a) - majorVersion(b) })
		return filepath.Join(dirs[len(dirs)-1], name), nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", data.Explained(ErrNoTools)
}

func majorVersion(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// conn is how the programs reach one database: its address without a
// password, and the password, if any, the store connected with.
type conn struct {
	address  string
	password string
}

// connFor reads a postgres:// address into what the programs are given.
// pgx has already found the password (in the address, or in ~/.pgpass or
// PGPASSFILE for that host, port, database and user).
func connFor(address string) (conn, error) {
	cfg, err := pgconn.ParseConfig(address)
	if err != nil {
		return conn{}, fmt.Errorf("reading the database address: %w", errors.Join(data.ErrInvalid, errors.New(redactedParseError(err))))
	}
	return conn{address: withoutPassword(address), password: cfg.Password}, nil
}

// withoutPassword is a postgres:// address with any password cut out,
// from the user part and from a password= parameter.
func withoutPassword(address string) string {
	u, err := url.Parse(address)
	if err != nil {
		return address
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// run runs one of PostgreSQL's programs against c and returns its
// standard output; stdout, when not nil, takes the output instead. Its
// complaints (standard error) come back in the error.
func (c conn) run(ctx context.Context, stdout *os.File, name string, args ...string) ([]byte, error) {
	bin, err := findTool(name)
	if err != nil {
		return nil, err
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "PGPASSWORD=") || strings.HasPrefix(kv, "PGPASSFILE=") && c.password != ""
	})
	if c.password != "" {
		dir, err := os.MkdirTemp("", "needledesk-pgpass-")
		if err != nil {
			return nil, fmt.Errorf("preparing %s: %w", name, err)
		}
		defer os.RemoveAll(dir)
		pass := filepath.Join(dir, "pgpass")
		if err := os.WriteFile(pass, []byte("*:*:*:*:"+pgpassEscape(c.password)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("preparing %s: %w", name, err)
		}
		env = append(env, "PGPASSFILE="+pass)
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--no-password")...)
	cmd.Env = append(env, "LC_ALL=C", "LANG=C", "PGAPPNAME=needledesk-"+name)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if stdout != nil {
		cmd.Stdout = stdout
	}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errOut.String()))
	}
	return out.Bytes(), nil
}

// pgpassEscape escapes a password for a password file line.
func pgpassEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `:`, `\:`).Replace(s)
}

// Address is a postgres:// address with any password cut out, to show
// or to keep.
func Address(address string) string { return withoutPassword(address) }
