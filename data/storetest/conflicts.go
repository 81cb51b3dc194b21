package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

func (ct contract) updateSessionFromTwoHandlesSecondGetsConflict(t *testing.T) {
	for _, tc := range []struct {
		name string
		day  data.Date
	}{{"on the treatment day", today}, {"after it, as an amendment", today.AddDays(-3)}} {
		t.Run(tc.name, func(t *testing.T) {
			e := ct.env(t)
			priya := e.technician()
			maya := e.owner()
			c := e.client(named("Maria", "Lopez"))
			ses := e.session(Session(c.ID, priya.ID, tc.day))
			if ses.Version != 1 {
				t.Fatalf("a new session's version is %d, want 1", ses.Version)
			}
			other := e.again()

			first, err := e.st.Session(e.ctx, priya.ID, ses.ID)
			if err != nil {
				t.Fatal(err)
			}
			second, err := other.Session(e.ctx, maya.ID, ses.ID)
			if err != nil {
				t.Fatal(err)
			}
			first.Notes = "Mild pinpoint bleeding on the chin."
			if err := e.st.UpdateSession(e.ctx, priya.ID, &first); err != nil {
				t.Fatal(err)
			}
			if first.Version != 2 || first.UpdatedBy != priya.ID {
				t.Errorf("after the first save: version %d by %d, want 2 by %d", first.Version, first.UpdatedBy, priya.ID)
			}
			e.clock.Advance(time.Minute)
			before := e.counts("session", "session_area", "session_recommendation", "session_version", "audit_event")
			second.Reaction = "Slight swelling"
			err = other.UpdateSession(e.ctx, maya.ID, &second)
			if !errors.Is(err, data.ErrConflict) {
				t.Fatalf("second save over a changed session: %v, want ErrConflict", err)
			}
			var ce *data.ConflictError
			if !errors.As(err, &ce) || ce.By != "Priya Raman" || !ce.At.Equal(TestNow) ||
				!strings.HasPrefix(ce.What, "Maria Lopez's session of ") {
				t.Fatalf("conflict %+v, want Priya Raman at %v on Maria Lopez's session", ce, TestNow)
			}
			if msg := data.UserMessage(err); !strings.Contains(msg, "Priya Raman changed Maria Lopez's session of") ||
				!strings.Contains(msg, "since you opened it") {
				t.Errorf("message %q does not say who changed the session and when", msg)
			}
			for table, n := range before {
				if got := e.count(table); got != n {
					t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
				}
			}
			got, err := e.st.Session(e.ctx, priya.ID, ses.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Notes != first.Notes || got.Reaction == second.Reaction || got.Version != 2 {
				t.Errorf("stored after the refused save: notes %q, reaction %q, version %d", got.Notes, got.Reaction, got.Version)
			}

			// Read again, the second workstation may save.
			again, err := other.Session(e.ctx, maya.ID, ses.ID)
			if err != nil {
				t.Fatal(err)
			}
			again.Reaction = second.Reaction
			if err := other.UpdateSession(e.ctx, maya.ID, &again); err != nil {
				t.Fatalf("save after reading again: %v", err)
			}
			if again.Version != 3 || again.Notes != first.Notes {
				t.Errorf("after reading again: version %d, notes %q", again.Version, again.Notes)
			}
		})
	}
}

func (ct contract) updateProductFromTwoHandlesSecondGetsConflict(t *testing.T) {
	e := ct.env(t)
	priya := e.technician()
	maya := e.owner()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	if gel.Version != 1 {
		t.Fatalf("a new product's version is %d, want 1", gel.Version)
	}
	other := e.again()
	first, err := e.st.Product(e.ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	second, err := other.Product(e.ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.HowToUse = "A thin layer morning and night."
	if err := e.st.UpdateProduct(e.ctx, priya.ID, &first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("after the first save: version %d, want 2", first.Version)
	}
	e.clock.Advance(time.Minute)
	before := e.counts("product", "audit_event")
	second.Active = false
	err = other.UpdateProduct(e.ctx, maya.ID, &second)
	if !errors.Is(err, data.ErrConflict) {
		t.Fatalf("second save over a changed product: %v, want ErrConflict", err)
	}
	var ce *data.ConflictError
	if !errors.As(err, &ce) || ce.By != "Priya Raman" || !ce.At.Equal(TestNow) || ce.What != "the product Calm Gel" {
		t.Fatalf("conflict %+v, want Priya Raman at %v on the product Calm Gel", ce, TestNow)
	}
	for table, n := range before {
		if got := e.count(table); got != n {
			t.Errorf("%s has %d rows after the refused save; want %d", table, got, n)
		}
	}
	got, err := e.st.Product(e.ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.HowToUse != first.HowToUse || !got.Active || got.Version != 2 {
		t.Errorf("stored after the refused save: %+v", got)
	}
	again, err := other.Product(e.ctx, data.SystemActor, gel.ID)
	if err != nil {
		t.Fatal(err)
	}
	again.Active = false
	if err := other.UpdateProduct(e.ctx, maya.ID, &again); err != nil || again.Version != 3 {
		t.Fatalf("save after reading again: %v, version %d", err, again.Version)
	}
}
