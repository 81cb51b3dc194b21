package ui

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

// newReloadButton is a form's Reload button, hidden until a conflict.
func newReloadButton(onTapped func()) *widget.Button {
	b := &widget.Button{Text: "Reload", Icon: theme.ViewRefreshIcon(), OnTapped: onTapped}
	b.Hide()
	return b
}

// conflictSummary is what a form's summary says when a save met someone
// else's change: the conflict's own words (who and when), or fallback
// when err does not carry them, then what Reload does.
func conflictSummary(err error, fallback string) string {
	msg := fallback
	if w := conflictWords(err); w != "" {
		msg = w
	}
	return msg + ".\n" + conflictAdvice
}

// conflictAdvice says what Reload does to what the person typed.
const conflictAdvice = "What you typed is still in the form. Reload shows the record as it is saved now " +
	"and names the fields where what you typed was replaced, so you can type again what is still needed."

// conflictWords is the conflict's own message (who changed the record and
// when), or "" when err does not carry one.
func conflictWords(err error) string {
	var ce *data.ConflictError
	if errors.As(err, &ce) {
		return ce.Error()
	}
	return ""
}

// reloadedSummary is what a form says after Reload: that it shows what
// is saved now (what names the record) and which fields' typing went.
func reloadedSummary(what string, lost []string) string {
	msg := "Reloaded: the form shows " + what + " as it is saved now."
	if len(lost) > 0 {
		msg += " What you typed in " + joinWords(lost) + " was replaced; type it again if it is still needed, then save."
	}
	return msg
}

// stateField names one part of a form's state S as the form labels it;
// get returns a comparable value.
type stateField[S any] struct {
	label string
	get   func(S) any
}

// replacedFields names the fields the person had changed (mine differs
// from opened) whose change the reloaded record (now) does not hold.
func replacedFields[S any](fields []stateField[S], opened, mine, now S) []string {
	var out []string
	for _, fd := range fields {
		if fd.get(mine) != fd.get(opened) && fd.get(mine) != fd.get(now) {
			out = append(out, fd.label)
		}
	}
	return out
}

// joinWords lists names as a sentence does: "Phone, E-mail and Notes".
func joinWords(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
