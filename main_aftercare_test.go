package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Writing a kept sheet again after the record changed hands back the kept
// sheet as it was, and says on stderr that it no longer matches and how to
// make a new version.
func TestAftercareSaysWhenTheKeptSheetNoLongerMatches(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	if code, _, errOut := runCLI(t, "demo", "--db", db, "--clients", "20", "--seed", "7"); code != 0 {
		t.Fatal(errOut)
	}
	// The first demo client with a session.
	out := filepath.Join(dir, "sheet.pdf")
	var id string
	var clientID int64
	for clientID = 1; clientID <= 20 && id == ""; clientID++ {
		try := strconv.FormatInt(clientID, 10)
		if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", try, "--out", out); code == 0 && errOut == "" {
			id = try
		}
	}
	clientID--
	if id == "" {
		t.Fatal("no demo client has a session to make a sheet for")
	}
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force"); code != 0 || errOut != "" {
		t.Fatalf("nothing changed, yet: exit %d, stderr %q", code, errOut)
	}
	before := fileHash(t, out)

	ctx := context.Background()
	st, actor, err := openAsOwner(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.Client(ctx, actor, clientID)
	if err == nil {
		c.GivenName += " Marie" // the first thing the sheet prints
		err = st.UpdateClient(ctx, actor, &c)
	}
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force")
	if code != 0 || !strings.Contains(stdout, "version 1") || fileHash(t, out) != before {
		t.Fatalf("the kept sheet was not handed back as it was: exit %d, %s", code, stdout)
	}
	for _, want := range []string{"kept sheet, version 1", "have changed since this sheet was made", "the client's name", "--regenerate"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q: %s", want, errOut)
		}
	}
	if code, stdout, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--regenerate", "--force"); code != 0 ||
		!strings.Contains(stdout, "version 2") || errOut != "" {
		t.Fatalf("--regenerate: exit %d, %s, stderr %q", code, stdout, errOut)
	}
	if code, _, errOut := runCLI(t, "aftercare", "--db", db, "--client", id, "--out", out, "--force"); code != 0 || errOut != "" {
		t.Errorf("the new version matches the record, yet: %q", errOut)
	}
}
