package ui

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
	subs map[change][]func(id int64)
}

func newEvents() *events { return &events{subs: map[change][]func(int64){}} }

// on registers fn to run whenever a change of kind k is published.
func (e *events) on(k change, fn func(id int64)) { e.subs[k] = append(e.subs[k], fn) }

// publish tells every subscriber that record id of kind k changed.
func (e *events) publish(k change, id int64) {
	for _, fn := range e.subs[k] {
		fn(id)
	}
}
