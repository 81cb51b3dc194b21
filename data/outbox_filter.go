package data

import "strings"

// OutboxFilter narrows the owner's Outbox screen. Zero fields do not
// filter; newest first.
type OutboxFilter struct {
	State  OutboxState
	Limit  int // 0 means the store's default page
	Offset int
}

// OutboxStates lists every state, in the order filters offer them.
var OutboxStates = []OutboxState{OutboxQueued, OutboxSending, OutboxSent, OutboxFailed, OutboxWithdrawn}

// Label is the state as the owner reads it.
func (s OutboxState) Label() string {
	switch s {
	case OutboxQueued:
		return "Waiting to be sent"
	case OutboxSending:
		return "Being sent"
	case OutboxSent:
		return "Sent"
	case OutboxFailed:
		return "Not sent"
	case OutboxWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// maxProblem is the most of a mail server's words an outbox row keeps.
const maxProblem = 1000

// ProblemWords keeps a failure's words to one readable line of at most
// 1000 characters, for the outbox.
func ProblemWords(s string) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "?")), " ")
	if r := []rune(s); len(r) > maxProblem {
		s = string(r[:maxProblem-1]) + "…"
	}
	return s
}
