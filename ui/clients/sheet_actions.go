package clients

import (
	"fmt"

	"needledesk/data"
	"needledesk/ui/handover"
)

// handedSheet is a kept sheet with what names it: whose it is and the
// day of the treatment it is for.
type handedSheet struct {
	data.Sheet
	client    string
	treatedOn data.Date
}

// fileName is the name offered for the sheet's file.
func (hs handedSheet) fileName() string { return sheetFileName(hs.client, hs.treatedOn, hs.Version) }

// sheetDelivery hands a kept sheet to the user: saves it, opens it in the
// viewer or prints it.
type sheetDelivery func(env *areaEnv, hs handedSheet)

// sheetFileName is "Aftercare Zoë Adams 2026-11-20 v1.pdf": the client's
// name and the treatment day, year first so a folder of sheets sorts by
// it, and the version. Letters of every script stay; what a file system
// forbids or could misread goes (see handover.FileNamePart).
func sheetFileName(client string, treatedOn data.Date, version int) string {
	name := "Aftercare " + handover.FileNamePart(client, 150, "client")
	if !treatedOn.IsZero() {
		name += " " + treatedOn.String()
	}
	return fmt.Sprintf("%s v%d.pdf", name, version)
}

// doc is the sheet as a document to hand over.
func (hs handedSheet) doc() handover.Document {
	return handover.Document{PDF: hs.PDF, FileName: hs.fileName(), Noun: "sheet", Title: "the aftercare sheet"}
}

// openSheetInViewer opens a kept sheet in the computer's PDF viewer.
func openSheetInViewer(env *areaEnv, hs handedSheet) {
	handover.Open(env.Env, env.deps.output(), hs.doc())
}

// printSheet prints a kept sheet on the printer chosen in the settings.
func printSheet(env *areaEnv, hs handedSheet) {
	handover.Print(env.Env, env.deps.output(), env.Settings.Printer, hs.doc())
}

// saveSheetAs asks where to save a kept sheet and writes its exact bytes
// there, once the place is checked.
func saveSheetAs(env *areaEnv, hs handedSheet) { handover.SaveAs(env.Env, hs.doc()) }
