package postgres

import (
	"strings"
	"testing"
)

// TestThePasswordIsNeverOnTheCommandLine: the address pg_dump and
// pg_restore are given has no password, wherever it was written; the
// password goes to them in the password file, escaped as libpq reads it.
func TestThePasswordIsNeverOnTheCommandLine(t *testing.T) {
	for _, address := range []string{
		"postgres://needledesk:s3cr%3At@clinic-server:5433/clinic?sslmode=verify-full",
		"postgres://needledesk@clinic-server/clinic?password=s3cr%3At&sslmode=require",
	} {
		c, err := connFor(address)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.address, "s3cr") || c.password != "s3cr:t" {
			t.Errorf("%s: given %q with the password %q", address, c.address, c.password)
		}
		if !strings.Contains(c.address, "needledesk@clinic-server") || !strings.Contains(c.address, "sslmode=") {
			t.Errorf("%s: the address lost more than the password: %q", address, c.address)
		}
	}
	if got := pgpassEscape(`a:b\c`); got != `a\:b\\c` {
		t.Errorf("pgpassEscape = %q", got)
	}
}
