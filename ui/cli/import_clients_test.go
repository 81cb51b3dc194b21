package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeCSV(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clients.csv")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func clientCount(t *testing.T, db string) int {
	t.Helper()
	return strings.Count(clientsJSON(t, db), "\n")
}

const csvHeader = "given_name,family_name,date_of_birth,phone,email,notes\n"

func TestImportClientsReportsBadRowsAndKeepsGoodOnesExactly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	hostile := "Robert'); DROP TABLE clients;-- \"quoted\" 100% _under_ \\back\\"
	csv := "given_name,family_name,date_of_birth,phone,email,notes\n" +
		"Zoë,Łukasz-Smith,1990-03-14,+44 20 7946 0958,zoe@example.com,\"" + strings.ReplaceAll(hostile, `"`, `""`) + "\"\n" +
		"\n" +
		"芳,王,1985-07-01,+86 10 5555 0101,,\"" + strings.Repeat("长", 10000) + "\"\n" +
		"Ann,Lee,2090-01-01,+1 555 010 9999,,\n" + // line 5: future birth date
		"In\xffvalid,Bytes,1990-01-01,+1 555 010 9999,,\n" + // line 6
		"Mary,Major,1990-01-01,+1 555 010 9999,not-an-email,\n" // line 7
	file := filepath.Join(dir, "clients.csv")
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "import-clients", "--db", db, file)
	if code != 1 {
		t.Fatalf("exit %d, want 1 when rows were refused; %s %s", code, out, errOut)
	}
	for _, want := range []string{"line 5: date_of_birth: ", "line 6: given_name: ", "line 7: email: "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	_, list, _ := runCLI(t, "clients", "--db", db, "--json")
	got := map[string]clientJSON{}
	sc := bufio.NewScanner(strings.NewReader(list))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c clientJSON
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		got[c.GivenName] = c
	}
	if len(got) != 2 {
		t.Fatalf("got %d clients, want the 2 good rows: %v", len(got), list)
	}
	if c := got["Zoë"]; c.FamilyName != "Łukasz-Smith" || c.Notes != hostile {
		t.Errorf("Zoë came back as %+v", c)
	}
	if c := got["芳"]; c.FamilyName != "王" || c.Notes != strings.Repeat("长", 10000) {
		t.Errorf("王芳 was not kept exactly")
	}
	code, out, _ = runCLI(t, "clients", "--db", db, "--find", "zoe")
	if code != 0 || !strings.Contains(out, "Zoë") || strings.Contains(out, "王") {
		t.Fatalf("--find zoe: exit %d\n%s", code, out)
	}
}

// TestImportingTheSameFileTwiceAddsNoOneTwice: clients already in the
// clinic (same name and date of birth, same e-mail or same phone) are
// skipped with a line each, and so is a row repeating an earlier one.
func TestImportingTheSameFileTwiceAddsNoOneTwice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, csvHeader+
		"Zoë,O'Brien,1990-03-14,+44 20 7946 0958,zoe@example.com,\n"+
		"Ann,Lee,1985-01-02,,ann@example.com,\n"+
		"Ben,Okafor,1979-05-06,+234 1 555 0101,,\n"+
		"ZOE,o'brien,1990-03-14,+1 555 010 7777,other@example.com,\n") // line 5: Zoë again by name and birth date
	code, out, errOut := runCLI(t, "import-clients", "--db", db, file)
	if code != 0 || !strings.Contains(out, "imported 3 clients") || !strings.Contains(errOut, "line 5: skipped: the same client as line 2") {
		t.Fatalf("first import: exit %d\n%s%s", code, out, errOut)
	}
	again := writeCSV(t, csvHeader+
		"Zoe,OBrien,1991-01-01,+44 (0)20 7946 0000,ZOE@example.com,\n"+ // same e-mail, other case
		"Anne,Lee,1985-01-02,+44 20 7946 1111,,\n"+ // a new client
		"Benjamin,Okafor,1979-05-06,+234-1-555-0101,,\n") // same phone
	code, out, errOut = runCLI(t, "import-clients", "--db", db, again)
	if code != 0 || !strings.Contains(out, "imported 1 client;") || !strings.Contains(out, "skipped 2 rows already in the clinic") {
		t.Fatalf("second import: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"line 2: skipped: already in the clinic as client 1 (same e-mail)", "line 4: skipped: already in the clinic as client 3 (same phone number)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	code, out, _ = runCLI(t, "import-clients", "--db", db, file)
	if code != 0 || !strings.Contains(out, "imported 0 clients") || clientCount(t, db) != 4 {
		t.Errorf("the first file again: exit %d, %s, %d clients; want none added", code, out, clientCount(t, db))
	}
}

// TestImportAccountsForEveryLine: issue 19's file with one unterminated
// quote said "imported 1 clients; 1 rows refused" and lost 1,000 rows.
// Now imported + refused + skipped + blank covers every data line.
func TestImportAccountsForEveryLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	var b strings.Builder
	b.WriteString(csvHeader)
	b.WriteString("Ann,Lee,1990-01-01,+44 20 7946 0000,,\"never closed\n") // line 2
	for i := range 1000 {
		b.WriteString(goodCSVRow(i))
	}
	b.WriteString("\n")
	code, out, errOut := runCLI(t, "import-clients", "--db", db, writeCSV(t, b.String()))
	want := "lines 2 to 1003: imported 1000 clients; refused 1 row; skipped 0 rows already in the clinic and 1 blank line"
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(errOut, "line 2: row: the quotes in this row do not match up") {
		t.Fatalf("exit %d\n%s%s\nwant %q", code, out, errOut, want)
	}
	if n := clientCount(t, db); n != 1000 {
		t.Errorf("%d clients; want 1000", n)
	}
}

func goodCSVRow(i int) string {
	letters := func(n int) string { // a name of letters for each number
		b := []byte{'A' + byte(n%26), 'a' + byte(n/26%26), 'a' + byte(n/676%26)}
		return string(b)
	}
	return fmt.Sprintf("Client,%s,1980-02-03,+44 20 7000 %04d,c%d@example.com,\"note, %d\"\n", letters(i), i, i, i)
}

// TestImportAllOrNothing: with --all-or-nothing one refused row leaves the
// clinic as it was; without it the good rows are added.
func TestImportAllOrNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "c.db")
	file := writeCSV(t, csvHeader+goodCSVRow(1)+"Bad,Date,1990-02-30,+44 20 7946 0001,,\n"+goodCSVRow(2))
	code, out, errOut := runCLI(t, "import-clients", "--db", db, "--all-or-nothing", file)
	if code != 1 || !strings.Contains(out, "nothing was imported") || !strings.Contains(errOut, "line 3: date_of_birth") {
		t.Fatalf("--all-or-nothing: exit %d\n%s%s", code, out, errOut)
	}
	if n := clientCount(t, db); n != 0 {
		t.Fatalf("%d clients after an all-or-nothing import with a refused row", n)
	}
	if code, out, _ := runCLI(t, "import-clients", "--db", db, file); code != 1 || !strings.Contains(out, "imported 2 clients") || clientCount(t, db) != 2 {
		t.Errorf("without --all-or-nothing: exit %d, %s", code, out)
	}
}
