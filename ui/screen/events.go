package screen

import (
	"reflect"
	"slices"

	"needledesk/data"
)

// Event says what changed, so screens refresh themselves instead of
// calling each other. Each kind of change is its own type, carrying the
// typed id of what changed.
type Event interface{ isEvent() }

// ClientChanged: a client was saved or archived; Client is 0 when many
// changed at once (an import, the sample clinic).
type ClientChanged struct{ Client data.ClientID }

// SessionChanged: a session of Client was saved.
type SessionChanged struct{ Client data.ClientID }

// SheetChanged: an aftercare sheet of Client was kept.
type SheetChanged struct{ Client data.ClientID }

// ProductChanged: a product was saved; Product is 0 when many changed.
type ProductChanged struct{ Product data.ProductID }

// StaffChanged: a staff member was saved; Staff is 0 when many changed.
type StaffChanged struct{ Staff data.StaffID }

// SettingsChanged: the clinic's settings were saved (or the book's
// set-up: rooms, the treatment menu, working hours).
type SettingsChanged struct{}

// AppointmentChanged: an appointment (or course) of Client was booked or
// changed, here or on another workstation; Client is 0 when many may
// have.
type AppointmentChanged struct{ Client data.ClientID }

func (ClientChanged) isEvent()      {}
func (SessionChanged) isEvent()     {}
func (SheetChanged) isEvent()       {}
func (ProductChanged) isEvent()     {}
func (StaffChanged) isEvent()       {}
func (SettingsChanged) isEvent()    {}
func (AppointmentChanged) isEvent() {}

// Events is a tiny publish/subscribe hub. It is used only on the UI
// goroutine, so it needs no locking.
type Events struct {
	next int
	subs map[reflect.Type]map[int]func(Event)
}

// NewEvents makes an empty hub.
func NewEvents() *Events { return &Events{subs: map[reflect.Type]map[int]func(Event){}} }

// On registers fn to run whenever an event of type E is published. The
// returned function unsubscribes it, for pages that come and go.
func On[E Event](h *Events, fn func(E)) (off func()) {
	k := reflect.TypeFor[E]()
	if h.subs[k] == nil {
		h.subs[k] = map[int]func(Event){}
	}
	h.next++
	key := h.next
	h.subs[k][key] = func(e Event) { fn(e.(E)) }
	return func() { delete(h.subs[k], key) }
}

// Publish tells every subscriber of e's type, in the order they
// subscribed.
func (h *Events) Publish(e Event) {
	k := reflect.TypeOf(e)
	keys := make([]int, 0, len(h.subs[k]))
	for key := range h.subs[k] {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if fn, ok := h.subs[k][key]; ok {
			fn(e)
		}
	}
}
