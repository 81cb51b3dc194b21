package clients

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/widgets"
)

// planExtraCards are the parts of the preview that follow the client's
// record, in the sheet's order: products the client must not use, the
// lines for the client's health record, and when to get help at once.
func planExtraCards(plan data.AftercarePlan) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if len(plan.DoNotUse) > 0 {
		rows := container.NewVBox()
		for _, pr := range plan.DoNotUse {
			rows.Add(&widget.Label{Text: pr.Name, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
			rows.Add(widgets.WarningLine(pr.Why, widget.DangerImportance))
		}
		out = append(out, planCard("Do not use", "", rows))
	}
	if len(plan.HealthNotes) > 0 {
		out = append(out, planCard("Because of the health record", "", planParagraphs(plan.HealthNotes)))
	}
	help := container.NewVBox()
	if plan.OutOfHoursPhone != "" {
		help.Add(&widget.Label{Text: "Out of hours: " + plan.OutOfHoursPhone, TextStyle: fyne.TextStyle{Bold: true}})
	}
	if len(plan.SeeDoctor) > 0 {
		help.Add(widgets.Text("See a doctor the same day for:"))
		help.Add(bulletLines(plan.SeeDoctor))
	}
	if len(plan.Emergency) > 0 {
		who := "emergency services"
		if plan.EmergencyNumber != "" {
			who = plan.EmergencyNumber + " (emergency services)"
		}
		help.Add(widgets.Text("Call " + who + " at once for:"))
		help.Add(bulletLines(plan.Emergency))
	}
	if len(help.Objects) > 0 {
		out = append(out, planCard("Getting help at once", "", help))
	}
	return out
}

func bulletLines(lines []string) fyne.CanvasObject {
	box := container.NewVBox()
	for _, l := range lines {
		box.Add(widgets.Text("•  " + l))
	}
	return box
}
