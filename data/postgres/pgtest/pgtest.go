// Package pgtest runs a throwaway PostgreSQL server for tests: initdb into
// a temporary folder, the server listening only on a Unix socket in that
// folder, a fresh database for each test, and the server stopped and the
// folder removed when the test binary ends.
//
// It uses Debian's server binaries (/usr/lib/postgresql/*/bin, from the
// postgresql package, which `make test-deps` installs). initdb refuses to
// run as root, so when the tests run as root the server runs as the
// system user TestUser, which `make test-deps` creates. A missing server
// or user fails the tests with a plain message saying what to install:
// no test is skipped because the server is missing.
//
// A package's tests use it from TestMain:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// and each test asks for its own database with pgtest.NewDatabase(t).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestUser is the system user the server runs as when the tests run as
// root.
const TestUser = "needledesk-test"

// BinGlob is where Debian puts the server's programs, one folder per
// major version.
const BinGlob = "/usr/lib/postgresql/*/bin"

// port names the socket file (.s.PGSQL.<port>); the server listens on no
// TCP port at all, so several test binaries never clash.
const port = 5432

// Server is a running throwaway server.
type Server struct {
	bin    string // the folder with initdb, pg_ctl and postgres
	dir    string // the temporary folder: data/ and the socket
	cred   *syscall.Credential
	admin  string // URL of the postgres database, as the superuser
	nextDB atomic.Int64
}

// Start makes a new cluster in a temporary folder and starts its server.
func Start(ctx context.Context) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if s.dir, err = os.MkdirTemp("", "needledesk-pg-"); err != nil {
		return nil, fmt.Errorf("making the test server's folder: %w", err)
	}
	if err := s.runAsTestUser(); err != nil {
		_ = os.RemoveAll(s.dir)
		return nil, err
	}
	if err := s.initdb(ctx); err != nil {
		_ = os.RemoveAll(s.dir)
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		_ = os.RemoveAll(s.dir)
		return nil, err
	}
	s.admin = s.URL("postgres")
	return s, nil
}

// findBin finds the newest installed server.
func findBin() (string, error) {
	dirs, _ := filepath.Glob(BinGlob)
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		_, err := os.Stat(filepath.Join(d, "initdb"))
		return err != nil
	})
	if len(dirs) == 0 {
		return "", errors.New("the PostgreSQL tests need a PostgreSQL server, and none was found in " + BinGlob +
			": run `make test-deps` (or apt-get install postgresql)")
	}
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(a) - majorOf(b) })
	return dirs[len(dirs)-1], nil
}

// majorOf is the version in /usr/lib/postgresql/<version>/bin.
func majorOf(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(bin)))
	return n
}

// runAsTestUser makes the server run as TestUser when the tests run as
// root, and gives that user the folder.
func (s *Server) runAsTestUser() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup(TestUser)
	if err != nil {
		return fmt.Errorf("the PostgreSQL tests run as root, and PostgreSQL refuses to run as root; "+
			"they run the server as the system user %s, which does not exist: run `make test-deps` to create it (%w)", TestUser, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("reading the user %s: %w", TestUser, err)
	}
	s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if err := os.Chown(s.dir, int(uid), int(gid)); err != nil {
		return fmt.Errorf("giving the test server's folder to %s: %w", TestUser, err)
	}
	return nil
}

// command is one of the server's programs, run as the server's user.
func (s *Server) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C", "PGTZ=UTC")
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd
}

func (s *Server) run(ctx context.Context, name string, args ...string) error {
	out, err := s.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("running %s for the test server: %w\n%s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// initdb makes the cluster: UTF-8, C locale (text sorts by its bytes, as
// SQLite's does), a superuser named postgres, trusted on the socket only.
func (s *Server) initdb(ctx context.Context) error {
	return s.run(ctx, "initdb", "-D", filepath.Join(s.dir, "data"), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
}

// start starts the server and waits until it takes connections. fsync
// is off: the cluster is thrown away, and a crash of the machine needs no
// surviving it.
func (s *Server) start(ctx context.Context) error {
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -F -c max_connections=200 -c shared_buffers=32MB", s.dir, port)
	return s.run(ctx, "pg_ctl", "start", "-w", "-t", "60", "-D", filepath.Join(s.dir, "data"),
		"-l", filepath.Join(s.dir, "server.log"), "-o", opts)
}

// URL is the address of database db on this server, as the superuser,
// over the socket.
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d&sslmode=disable", db, s.dir, port)
}

// Dir is the server's folder, where its socket is.
func (s *Server) Dir() string { return s.dir }

// CreateDatabase makes a new empty database and returns its URL.
func (s *Server) CreateDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("clinic_%d", s.nextDB.Add(1))
	conn, err := pgx.Connect(ctx, s.admin)
	if err != nil {
		return "", fmt.Errorf("connecting to the test server: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name+` ENCODING 'UTF8' TEMPLATE template0`); err != nil {
		return "", fmt.Errorf("creating the test database %s: %w", name, err)
	}
	return s.URL(name), nil
}

// Stop stops the server at once and removes its folder.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.run(ctx, "pg_ctl", "stop", "-w", "-m", "immediate", "-D", filepath.Join(s.dir, "data"))
	return errors.Join(err, os.RemoveAll(s.dir))
}

// The server of this test binary, started by Main.
var (
	shared    *Server
	sharedErr error
	once      sync.Once
)

// Main runs a package's tests with a throwaway server, started on the
// first NewDatabase and stopped after the last test.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: stopping the test server:", err)
		}
	}
	os.Exit(code)
}

// NewDatabase gives the test a new empty database on this binary's
// throwaway server (started on first use; Main stops it) and returns its
// URL. A server that cannot start fails the test with the reason.
func NewDatabase(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared, sharedErr = Start(ctx)
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	url, err := shared.CreateDatabase(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return url
}
