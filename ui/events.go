package ui

import "slices"

// change says what kind of record changed, so screens can refresh
// themselves instead of calling each other.
type change int

const (
	clientChanged change = iota
	sessionChanged
	productChanged
	staffChanged
	settingsChanged
	sheetChanged
)

// events is a tiny publish/subscribe hub. It is used only on the UI
// goroutine, so it needs no locking.
type events struct {
	next int
	subs map[change]map[int]func(id int64)
}

func newEvents() *events { return &events{subs: map[change]map[int]func(int64){}} }

// on registers fn to run whenever a change of kind k is published. The
// returned function unsubscribes it, for pages that come and go.
func (e *events) on(k change, fn func(id int64)) (off func()) {
	if e.subs[k] == nil {
		e.subs[k] = map[int]func(int64){}
	}
	e.next++
	key := e.next
	e.subs[k][key] = fn
	return func() { delete(e.subs[k], key) }
}

// publish tells every subscriber that record id of kind k changed, in the
// order they subscribed.
func (e *events) publish(k change, id int64) {
	keys := make([]int, 0, len(e.subs[k]))
	for key := range e.subs[k] {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if fn, ok := e.subs[k][key]; ok {
			fn(id)
		}
	}
}
