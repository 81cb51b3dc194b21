package desktop

import (
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"

	"needledesk/data/storeopen"
	"needledesk/ui"
)

// startingClinic is the clinic the window opens first: the one --db
// names, or the file on this computer, which the window replaces with
// the server saved in its settings, or asks about when there is no file
// yet (a new workstation).
func startingClinic(flags *flag.FlagSet, db string, stderr io.Writer) ui.Clinic {
	c := clinicFor(db, stderr)
	flags.Visit(func(f *flag.Flag) { c.Named = c.Named || f.Name == "db" })
	c.Server = storeopen.IsServer(db)
	c.Servers = servers(stderr)
	if !c.Server {
		_, err := os.Stat(db)
		c.Empty = errors.Is(err, fs.ErrNotExist)
	}
	return c
}

// servers is how the window reaches a clinic's records on a server.
func servers(stderr io.Writer) *ui.Servers {
	return &ui.Servers{
		Clinic: func(url, password string) ui.Clinic {
			return clinicFor(url, stderr, storeopen.WithPassword(password))
		},
		Test: func(ctx context.Context, url, password string) error {
			st, err := storeopen.Open(ctx, url, storeopen.WithPassword(password))
			if err != nil {
				return err
			}
			return st.Close()
		},
		SavePassword: storeopen.SavePassword,
	}
}
