package widgets

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// The forms that edit a stored record (client, session, product, staff
// member) answer a save refused because someone else changed the record
// since the form was opened (data.ErrConflict) the same way: the form's
// summary says who changed it and when, what was typed stays, and a
// Reload button shows the record as saved now and names the fields whose
// typing it replaced.

// NewReloadButton is a form's Reload button, hidden until a conflict.
func NewReloadButton(onTapped func()) *widget.Button {
	b := &widget.Button{Text: "Reload", Icon: theme.ViewRefreshIcon(), OnTapped: onTapped}
	b.Hide()
	return b
}

// ConflictSummary is what a form's summary says when a save met someone
// else's change: the conflict's own words (who and when), or fallback
// when err does not carry them, then what Reload does.
func ConflictSummary(err error, fallback string) string {
	msg := fallback
	if w := ConflictWords(err); w != "" {
		msg = w
	}
	return msg + ".\n" + conflictAdvice
}

// conflictAdvice says what Reload does to what the person typed.
const conflictAdvice = "What you typed is still in the form. Reload shows the record as it is saved now " +
	"and names the fields where what you typed was replaced, so you can type again what is still needed."

// ConflictWords is the conflict's own message (who changed the record and
// when), or "" when err does not carry one.
func ConflictWords(err error) string {
	var ce *data.ConflictError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	return ""
}

// ReloadedSummary is what a form says after Reload: that it shows what
// is saved now (what names the record) and which fields' typing went.
func ReloadedSummary(what string, lost []string) string {
	msg := "Reloaded: the form shows " + what + " as it is saved now."
	if len(lost) > 0 {
		msg += " What you typed in " + JoinWords(lost) + " was replaced; type it again if it is still needed, then save."
	}
	return msg
}

// StateField names one part of a form's state S as the form labels it;
// get returns a comparable value.
type StateField[S any] struct {
	Label string
	Get   func(S) any
}

// ReplacedFields names the fields the person had changed (mine differs
// from opened) whose change the reloaded record (now) does not hold.
func ReplacedFields[S any](fields []StateField[S], opened, mine, now S) []string {
	var out []string
	for _, fd := range fields {
		if fd.Get(mine) != fd.Get(opened) && fd.Get(mine) != fd.Get(now) {
			out = append(out, fd.Label)
		}
	}
	return out
}

// JoinWords lists names as a sentence does: "Phone, E-mail and Notes".
func JoinWords(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
