package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"needledesk/data"
)

// runClients lists the clients, as a table or one JSON object per line.
func runClients(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := flag.NewFlagSet("clients", flag.ContinueOnError)
	dbPath := fs.String("db", "", "database file")
	find := fs.String("find", "", "only clients whose name, phone or e-mail matches")
	asJSON := fs.Bool("json", false, "one JSON object per line")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer st.Close()
	out := newClientPrinter(stdout, *asJSON)
	const page = 1000
	for offset := 0; ; offset += page {
		list, err := st.FindClients(ctx, data.SystemActor, data.ClientFilter{Text: *find, Offset: offset, Limit: page})
		if err != nil {
			return err
		}
		for _, c := range list {
			if err := out.print(c); err != nil {
				return err
			}
		}
		if len(list) < page {
			return out.flush()
		}
	}
}

// clientJSON is the stable shape of `clients --json` for owners' scripts.
type clientJSON struct {
	ID          int64  `json:"id"`
	GivenName   string `json:"given_name"`
	FamilyName  string `json:"family_name"`
	DateOfBirth string `json:"date_of_birth"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Notes       string `json:"notes"`
	LastSession string `json:"last_session,omitempty"`
	NextDue     string `json:"next_due,omitempty"`
}

type clientPrinter struct {
	json *json.Encoder
	tab  *tabwriter.Writer
}

func newClientPrinter(w io.Writer, asJSON bool) *clientPrinter {
	if asJSON {
		return &clientPrinter{json: json.NewEncoder(w)}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tBORN\tPHONE\tEMAIL\tNEXT DUE")
	return &clientPrinter{tab: tw}
}

func (p *clientPrinter) print(c data.ClientSummary) error {
	if p.json != nil {
		j := clientJSON{ID: c.ID, GivenName: c.GivenName, FamilyName: c.FamilyName,
			DateOfBirth: c.DateOfBirth.String(), Phone: c.Phone, Email: c.Email, Notes: c.Notes,
			NextDue: c.NextDue.String()}
		if !c.LastSession.IsZero() {
			j.LastSession = c.LastSession.UTC().Format(time.RFC3339)
		}
		return p.json.Encode(j)
	}
	_, err := fmt.Fprintf(p.tab, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.FullName(), c.DateOfBirth, c.Phone, c.Email, c.NextDue)
	return err
}

func (p *clientPrinter) flush() error {
	if p.tab != nil {
		return p.tab.Flush()
	}
	return nil
}
