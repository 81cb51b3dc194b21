package transfer

import (
	"errors"
	"strings"
	"testing"
)

func TestParseClientsCSVKeepsGoodRowsExactlyAndReportsBadOnes(t *testing.T) {
	longNote := strings.Repeat("Ω", 10000)
	in := "given_name,family_name,date_of_birth,phone,email,notes,skin_type,concerns\n" +
		"Zoë,O'Brien,1990-03-14,+44 20 7946 0958,zoe@example.com,\"She said \"\"hi\"\"; DROP TABLE clients;--\",II,acne_scars;laxity\n" + // 2
		"\n" + // 3: blank lines are skipped
		"芳,王,1985-07-01,+86 10 5555 0101,,\"" + longNote + "\",,\n" + // 4
		"Bad,Date,1990-02-30,+44 20 7946 0958,,,,\n" + // 5
		"No,Contact,1990-01-01,,,,,\n" + // 6
		"Bro\xffken,Utf,1990-01-01,+44 20 7946 0958,,,,\n" + // 7
		"Too,Few,1990-01-01\n" + // 8
		"Bare\"quote,X,1990-01-01,+44 20 7946 0958,,,,\n" + // 9
		"José-María,García,1979-12-31,+34 91 555 0199,jm@example.es,\"line one\nline two\",VI,\n" // 10-11
	good, bad, err := ParseClientsCSV(strings.NewReader(in), today)
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 3 {
		t.Fatalf("got %d good rows, want 3: %+v", len(good), bad)
	}
	if g := good[0].Client; g.GivenName != "Zoë" || g.Notes != `She said "hi"; DROP TABLE clients;--` || g.SkinType != 2 || len(g.Concerns) != 2 {
		t.Errorf("row 2 changed on the way in: %+v", g)
	}
	if g := good[1]; g.Line != 4 || g.Client.FamilyName != "王" || g.Client.Notes != longNote {
		t.Errorf("row 4 not kept exactly (line %d)", g.Line)
	}
	if g := good[2]; g.Line != 10 || g.Client.Notes != "line one\nline two" {
		t.Errorf("multi-line row: line %d notes %q", g.Line, g.Client.Notes)
	}
	want := []string{
		"line 5: date_of_birth: is not a real date in the form YYYY-MM-DD",
		"line 6: phone: give a phone number or an e-mail address",
		"line 7: given_name: is not UTF-8 text",
		"line 8: row: has 3 columns but the header has 8",
		"line 9: row: the quotes in this row do not match up",
	}
	if len(bad) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(bad), len(want), bad)
	}
	for i, w := range want {
		if !strings.HasPrefix(bad[i].String(), w) {
			t.Errorf("problem %d: got %q, want it to start %q", i, bad[i], w)
		}
	}
}

func TestParseClientsCSVRefusesBadHeaders(t *testing.T) {
	for _, in := range []string{
		"",
		"given_name,family_name\nAnn,Lee\n",
		"given_name,family_name,date_of_birth,phone,emial,notes\n",
		"given_name,given_name,family_name,date_of_birth,phone,email,notes\n",
	} {
		if _, _, err := ParseClientsCSV(strings.NewReader(in), today); !errors.Is(err, ErrBadHeader) {
			t.Errorf("%q: got %v, want ErrBadHeader", in, err)
		}
	}
	in := "\ufeffGiven_Name,family_name,date_of_birth,phone,email,notes,address\nAnn,Lee,2000-01-01,+1 555 010 9999,,,\"1 Main St\"\n"
	good, bad, err := ParseClientsCSV(strings.NewReader(in), today)
	if err != nil || len(good) != 1 || len(bad) != 0 || good[0].Client.Address != "1 Main St" {
		t.Fatalf("BOM and case in header: %v %v %v", good, bad, err)
	}
}

// TestImportReadsEmailReminders: the email_reminders column takes yes,
// no, true, false, 1 and 0 in any case (an empty cell is no); anything
// else, and consent for a client without an e-mail address, is refused
// naming the line and the column. Without the column nobody has agreed.
func TestImportReadsEmailReminders(t *testing.T) {
	in := "given_name,family_name,date_of_birth,phone,email,notes,email_reminders\n" +
		"Ana,Silva,1990-01-01,+1 555 010 0001,ana@example.com,,yes\n" + // 2
		"Bea,Lund,1990-01-01,+1 555 010 0002,bea@example.com,,TRUE\n" + // 3
		"Cai,Wu,1990-01-01,+1 555 010 0003,cai@example.com,, 1 \n" + // 4
		"Dan,Roe,1990-01-01,+1 555 010 0004,dan@example.com,,No\n" + // 5
		"Eva,Ek,1990-01-01,+1 555 010 0005,eva@example.com,,false\n" + // 6
		"Fay,Ng,1990-01-01,+1 555 010 0006,fay@example.com,,0\n" + // 7
		"Gus,Oh,1990-01-01,+1 555 010 0007,gus@example.com,,\n" + // 8
		"Hal,Ito,1990-01-01,+1 555 010 0008,hal@example.com,,maybe\n" + // 9
		"Ivy,Lee,1990-01-01,+1 555 010 0009,,,yes\n" // 10
	good, bad, err := ParseClientsCSV(strings.NewReader(in), today)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"Ana": true, "Bea": true, "Cai": true, "Dan": false, "Eva": false, "Fay": false, "Gus": false}
	if len(good) != len(want) {
		t.Fatalf("%d good rows, want %d: %v", len(good), len(want), bad)
	}
	for _, g := range good {
		if g.Client.EmailReminders != want[g.Client.GivenName] {
			t.Errorf("%s (line %d): consent %v, want %v", g.Client.GivenName, g.Line, g.Client.EmailReminders, want[g.Client.GivenName])
		}
	}
	wantBad := []string{
		`line 9: email_reminders: must be yes or no (or true or false, 1 or 0), not "maybe"`,
		"line 10: email_reminders: needs the client's e-mail address",
	}
	if len(bad) != len(wantBad) {
		t.Fatalf("problems %v, want %d", bad, len(wantBad))
	}
	for i, w := range wantBad {
		if !strings.HasPrefix(bad[i].String(), w) {
			t.Errorf("problem %d: %q, want it to start %q", i, bad[i], w)
		}
	}

	good, bad, err = ParseClientsCSV(strings.NewReader(csvNoConsent), today)
	if err != nil || len(bad) != 0 || len(good) != 1 || good[0].Client.EmailReminders {
		t.Fatalf("without the column: %+v %v %v", good, bad, err)
	}
}

const csvNoConsent = "given_name,family_name,date_of_birth,phone,email,notes\nAna,Silva,1990-01-01,+1 555 010 0001,ana@example.com,\n"
