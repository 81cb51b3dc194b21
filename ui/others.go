package ui

import (
	"context"
	"time"

	"needledesk/data"
	"needledesk/ui/screen"
)

// Several workstations on one clinic server (data.ChangeWatcher): what
// the others commit reaches this window's screens as the same typed
// events its own changes publish, so the client list shows a client the
// front desk has just registered, the book an appointment booked in a
// treatment room, and an open record its new details, within a second.

// listenRetry is how long followOthers waits before trying again when the
// server would not let it listen.
var listenRetry = 5 * time.Second

// followOthers passes what other workstations change to m's screens until
// ctx ends or stop is called; stop waits until it has let go.
func followOthers(ctx context.Context, w data.ChangeWatcher, m *mainWindow, do func(func())) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			heard, err := w.WatchChanges(ctx)
			if err != nil { // the screens still work; they only miss others' changes until it listens
				select {
				case <-ctx.Done():
				case <-time.After(listenRetry):
				}
				continue
			}
			for c := range heard {
				do(func() {
					if ctx.Err() == nil {
						m.heard(c)
					}
				})
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// heard publishes another workstation's change to the screens, as the
// event their own change of the same thing would have been. An empty
// change (the watch may have missed some) refreshes everything.
func (m *mainWindow) heard(c data.Change) {
	ev := m.env.Events
	client := data.ClientID(c.ClientID)
	switch c.Entity {
	case data.EntityClient:
		ev.Publish(screen.ClientChanged{Client: data.ClientID(c.EntityID)})
	case data.EntitySession:
		ev.Publish(screen.SessionChanged{Client: client})
	case data.EntitySheet:
		ev.Publish(screen.SheetChanged{Client: client})
	case data.EntityProduct:
		ev.Publish(screen.ProductChanged{Product: data.ProductID(c.EntityID)})
	case data.EntityStaff:
		ev.Publish(screen.StaffChanged{Staff: data.StaffID(c.EntityID)})
	case data.EntitySettings, data.EntityRoom, data.EntityTreatment, data.EntityWorkingHours:
		ev.Publish(screen.SettingsChanged{})
	case data.EntityAppointment, data.EntityCourse:
		ev.Publish(screen.AppointmentChanged{Client: client})
	case "":
		ev.Publish(screen.SettingsChanged{})
		ev.Publish(screen.StaffChanged{})
		ev.Publish(screen.ProductChanged{})
		ev.Publish(screen.ClientChanged{})
		ev.Publish(screen.SessionChanged{})
		ev.Publish(screen.AppointmentChanged{})
	}
}
