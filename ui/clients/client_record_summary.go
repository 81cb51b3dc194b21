package clients

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// recordSummary is the left column of a client record: what to check
// before treating, then the client's details.
type recordSummary struct {
	warnings *fyne.Container // one badge per contraindication
	details  *fyne.Container // label and value pairs
	notes    *widget.Label
	notesBox fyne.CanvasObject
	content  fyne.CanvasObject
}

func newRecordSummary() *recordSummary {
	s := &recordSummary{
		warnings: container.NewVBox(),
		details:  container.New(layout.NewFormLayout()),
		notes:    &widget.Label{Wrapping: fyne.TextWrapWord},
	}
	s.notesBox = clientSection("Notes", "", s.notes)
	s.content = container.NewVBox(
		clientSection("Before treating", "", s.warnings),
		clientSection("Details", "", s.details),
		s.notesBox,
	)
	return s
}

// show fills the summary with client c as of today.
func (s *recordSummary) show(c data.Client, today data.Date, st data.Settings) {
	s.warnings.Objects = nil
	for _, w := range recordContraBadges(c, today, st) {
		s.warnings.Add(recordBadge(w, widget.DangerImportance, theme.WarningIcon()))
	}
	if len(s.warnings.Objects) == 0 {
		s.warnings.Add(recordBadge("No contraindications recorded. Ask the screening questions again before treating.",
			widget.SuccessImportance, theme.ConfirmIcon()))
	}
	if h := data.IsotretinoinHistory(c.Contra, today, st); h != "" {
		s.warnings.Add(recordBadge(h, widget.MediumImportance, theme.InfoIcon()))
	}
	s.warnings.Refresh()
	s.showDetails(c, today, st)
	s.notes.SetText(c.Notes)
	clientShowIf(strings.TrimSpace(c.Notes) != "", s.notesBox)
}

func (s *recordSummary) showDetails(c data.Client, today data.Date, st data.Settings) {
	s.details.Objects = nil
	s.detail("Phone", recordOrNone(c.Phone, "Not given"), widget.MediumImportance)
	s.detail("E-mail", recordOrNone(c.Email, "Not given"), widget.MediumImportance)
	reminders, imp := recordReminders(c)
	s.detail("Reminders", reminders, imp)
	s.detail("Address", recordOrNone(c.Address, "Not given"), widget.MediumImportance)
	s.detail("Skin type", clientSkinTypeText(c.SkinType), widget.MediumImportance)
	s.detail("Concerns", recordOrNone(clientConcernList(c.Concerns), "None recorded"), widget.MediumImportance)
	if strings.TrimSpace(c.Allergies) != "" {
		s.detail("Allergies", c.Allergies, widget.WarningImportance)
	} else {
		s.detail("Allergies", "None recorded", widget.MediumImportance)
	}
	if strings.TrimSpace(c.Medications) != "" {
		s.detail("Medications", c.Medications, widget.MediumImportance)
	}
	if strings.TrimSpace(c.MedicalNotes) != "" {
		s.detail("Medical notes", c.MedicalNotes, widget.MediumImportance)
	}
	if w := data.ConsentWarning(c.Consent, today, st); w != "" {
		s.detail("Consent", w, widget.DangerImportance)
	} else {
		s.detail("Consent", fmt.Sprintf("Signed %s, form %s", st.FormatDate(c.Consent.SignedOn), c.Consent.FormVersion), widget.MediumImportance)
	}
	s.details.Refresh()
}

// detail adds one label and value line.
func (s *recordSummary) detail(label, value string, imp widget.Importance) {
	key := &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}}
	val := &widget.Label{Text: value, Wrapping: fyne.TextWrapWord, Importance: imp}
	if imp != widget.MediumImportance {
		val.TextStyle.Bold = true
	}
	s.details.Add(key)
	s.details.Add(val)
}

// recordReminders says whether the client gets booking confirmations and
// reminders by e-mail, and when not, why not.
func recordReminders(c data.Client) (string, widget.Importance) {
	email := strings.TrimSpace(c.Email) != ""
	switch {
	case c.EmailReminders && email:
		return "By e-mail: the client agreed to booking confirmations and reminders", widget.MediumImportance
	case c.EmailReminders:
		return "None can be sent: the client agreed to e-mail reminders, but no e-mail address is recorded", widget.WarningImportance
	case email:
		return "None: the client has not agreed to e-mail reminders (Edit to change)", widget.MediumImportance
	}
	return "None: no e-mail address, and the client has not agreed to e-mail reminders", widget.MediumImportance
}

func recordOrNone(s, none string) string {
	if strings.TrimSpace(s) == "" {
		return none
	}
	return s
}

func clientSkinTypeText(t data.SkinType) string {
	if t <= 0 || int(t) >= len(clientSkinTypes) {
		return "Not recorded"
	}
	return "Fitzpatrick " + clientSkinTypes[t]
}

func clientConcernList(cs []data.Concern) string {
	labels := make([]string, len(cs))
	for i, c := range cs {
		labels[i] = c.Label()
	}
	return strings.Join(labels, ", ")
}

// recordBadge is a tinted box with an icon and a message.
func recordBadge(text string, imp widget.Importance, icon fyne.Resource) fyne.CanvasObject {
	name := theme.ColorNameError
	switch imp {
	case widget.MediumImportance:
		name = theme.ColorNamePrimary
	case widget.SuccessImportance:
		name = theme.ColorNameSuccess
	case widget.WarningImportance:
		name = theme.ColorNameWarning
	}
	tint := fadeColor(theme.Color(name), 0x2a)
	bg := &canvas.Rectangle{FillColor: tint, CornerRadius: theme.InputRadiusSize()}
	label := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Importance: imp}
	if imp == widget.DangerImportance {
		label.TextStyle.Bold = true
	}
	ic := widget.NewIcon(recordBadgeIcon(icon, imp))
	return container.NewStack(bg, container.NewBorder(nil, nil, container.NewCenter(ic), nil, label))
}

func recordBadgeIcon(r fyne.Resource, imp widget.Importance) fyne.Resource {
	switch imp {
	case widget.DangerImportance:
		return theme.NewErrorThemedResource(r)
	case widget.SuccessImportance:
		return theme.NewSuccessThemedResource(r)
	case widget.WarningImportance:
		return theme.NewWarningThemedResource(r)
	}
	return r
}

// recordContraBadges words data's screening (data.Screen) for the record,
// with a friendlier "how long ago" where the dates are known.
func recordContraBadges(c data.Client, today data.Date, st data.Settings) []string {
	warnings := data.Screen(c, today, st)
	out := make([]string, len(warnings))
	for i, w := range warnings {
		out[i] = recordFriendlyWarning(w, c.Contra, today, st)
	}
	return out
}

func recordFriendlyWarning(w data.Warning, k data.Contraindications, today data.Date, st data.Settings) string {
	state, until := data.Isotretinoin(k, today)
	switch {
	case w.Field == "isotretinoin" && state == data.IsotretinoinWaiting:
		return fmt.Sprintf("Isotretinoin stopped %s (%s): wait until %s before needling",
			clientSinceText(k.IsotretinoinStopped, today), st.FormatDate(k.IsotretinoinStopped), st.FormatDate(until))
	case w.Field == "isotretinoin" && state == data.IsotretinoinTaking && k.IsotretinoinStopped.IsZero():
		return fmt.Sprintf("Still taking isotretinoin: no needling until %d months after the last dose", data.IsotretinoinWaitMonths)
	case w.Field == "recent_actives" && !k.RecentActivesOn.IsZero():
		what := k.RecentActivesWhat
		if what == "" {
			what = "Retinoids, peel or another procedure"
		}
		return fmt.Sprintf("%s %s (%s)", recordUpperFirst(what), clientSinceText(k.RecentActivesOn, today), st.FormatDate(k.RecentActivesOn))
	}
	return st.FormatDatesIn(w.Message)
}

func recordUpperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// clientSinceText says how long ago d was, as people say it: "today",
// "yesterday", "5 days ago", "3 weeks ago", "2 months ago", "4 years ago".
func clientSinceText(d, today data.Date) string {
	days := d.DaysUntil(today)
	months := (today.Year-d.Year)*12 + int(today.Month-d.Month)
	if today.Day < d.Day {
		months--
	}
	switch {
	case days < 0:
		return "on a day still to come"
	case days == 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 14:
		return fmt.Sprintf("%d days ago", days)
	case months < 2:
		return fmt.Sprintf("%d weeks ago", days/7)
	case months < 24:
		return fmt.Sprintf("%d months ago", months)
	}
	return fmt.Sprintf("%d years ago", months/12)
}

// clientAgeLine is "36 years old · born 14/03/1990".
func clientAgeLine(dob, today data.Date, st data.Settings) string {
	if dob.IsZero() {
		return "Date of birth not recorded"
	}
	age := data.YearsBetween(dob, today)
	unit := "years"
	if age == 1 {
		unit = "year"
	}
	return fmt.Sprintf("%d %s old  ·  born %s", age, unit, st.FormatDate(dob))
}
