package desktop

import (
	"errors"
	"flag"
	"io"
	"path/filepath"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/postgres/pgtest"
	"needledesk/data/storeopen"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestTheWindowOpensAClinicOnAServer: `needledesk --db postgres://…`
// gives the window a clinic on the server, named on the command line, and
// opening it reaches the server's records with the window's own wiring
// (backups and mail included), then closes cleanly.
func TestTheWindowOpensAClinicOnAServer(t *testing.T) {
	url := pgtest.NewDatabase(t)
	st, err := storeopen.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	c := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, time.March, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateClient(t.Context(), data.SystemActor, &c); err != nil {
		t.Fatal(err)
	}
	st.Close()

	fs := flag.NewFlagSet("needledesk", flag.ContinueOnError)
	db := fs.String("db", "", "")
	if err := fs.Parse([]string{"--db", url}); err != nil {
		t.Fatal(err)
	}
	clinic := startingClinic(fs, *db, io.Discard)
	if !clinic.Server || !clinic.Named || clinic.Empty || clinic.Servers == nil || clinic.Path != url {
		t.Fatalf("the clinic for %s: %+v", url, clinic)
	}
	deps, closeDB, err := clinic.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB(true)
	found, err := deps.Clients.FindClients(t.Context(), data.SystemActor, data.ClientFilter{Text: "zoe"})
	if err != nil || len(found) != 1 {
		t.Errorf("the window finds %v, %v; want the server's Zoë", found, err)
	}
}

// TestANewWorkstationIsNoticed: without --db and with no file yet, the
// window is told the file on this computer is empty and may be replaced
// by a server; a file named with --db is not.
func TestANewWorkstationIsNoticed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "clinic.db")
	fs := flag.NewFlagSet("needledesk", flag.ContinueOnError)
	fs.String("db", path, "")
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if c := startingClinic(fs, path, io.Discard); !c.Empty || c.Named || c.Server {
		t.Errorf("a new workstation: %+v", c)
	}
	if err := fs.Parse([]string{"--db", path}); err != nil {
		t.Fatal(err)
	}
	if c := startingClinic(fs, path, io.Discard); !c.Named {
		t.Errorf("a file named with --db: %+v", c)
	}
}

// TestTestingAServerThatIsNotThere: Test connection to a server that is
// not running says it cannot be reached.
func TestTestingAServerThatIsNotThere(t *testing.T) {
	url := "postgres://needledesk@/clinic?host=" + t.TempDir() + "&port=5999&sslmode=disable&connect_timeout=2"
	if err := servers(io.Discard).Test(t.Context(), url, ""); !errors.Is(err, data.ErrServerUnreachable) {
		t.Errorf("testing a server that is not there: %v; want ErrServerUnreachable", err)
	}
}
