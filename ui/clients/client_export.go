package clients

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"needledesk/data"
	"needledesk/data/transfer"
	"needledesk/ui/dialogs"
	"needledesk/ui/widgets"
)

// onExport writes the client's whole record (a data access request) into
// a new folder inside one the owner chooses: record.json, client.csv,
// sessions.csv and every aftercare sheet handed over.
func (r *clientRecord) onExport() {
	src := r.env.deps.Export
	if src == nil {
		return
	}
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			r.env.ShowError("Could not choose the folder", err)
			return
		}
		if dir != nil {
			r.exportTo(src, dir.Path())
		}
	}, r.env.Window)
	fd.Resize(fyne.NewSize(800, 560))
	dialogs.ShowDialog(r.env.Window, fd, nil)
}

func (r *clientRecord) exportTo(src data.ExportSource, dir string) {
	actor, id, now := r.env.ActorID(), r.id, r.env.deps.Now
	var res transfer.ExportResult
	r.env.WithProgress("Exporting the client's record", "Writing the record and every aftercare sheet handed over…",
		func(ctx context.Context, _ func(float64)) error {
			var err error
			res, err = transfer.Exporter{Source: src, Now: now}.ExportClient(ctx, actor, id, dir)
			return err
		}, func(err error, cancelled bool) {
			switch {
			case cancelled:
			case err != nil:
				r.env.ShowError("The record was not exported", err)
			default:
				r.env.ShowMessage("Record exported", fmt.Sprintf("%s, %s and %s written to:\n%s",
					"The record", widgets.Count(res.Sessions, "session"), widgets.Count(res.Sheets, "aftercare sheet"), res.Dir))
			}
		})
}
