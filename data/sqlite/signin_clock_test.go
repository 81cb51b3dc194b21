package sqlite_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"needledesk/data"
)

// TestSignInWaitAfterTheClockJumpedBack: wrong passwords recorded while
// the computer's clock ran 84 days ahead, then the clock put right. The
// wait is capped at 15 minutes from now, never "121024 minutes".
func TestSignInWaitAfterTheClockJumpedBack(t *testing.T) {
	e := newEnv(t)
	tech := e.account("Priya Raman", data.RoleTechnician, "needles and lots")
	for i := 1; i <= data.FreeSignInAttempts; i++ {
		_, _ = e.st.SignIn(e.ctx, tech.ID, fmt.Sprint("guess ", i))
	}
	e.clock.Advance(-84 * 24 * time.Hour)
	_, err := e.st.SignIn(e.ctx, tech.ID, "needles and lots")
	var wait *data.SignInWaitError
	if !errors.As(err, &wait) {
		t.Fatalf("right password during the wait: %v; want a wait", err)
	}
	if wait.Wait > 15*time.Minute || wait.Until.After(e.clock.Now().Add(15*time.Minute)) {
		t.Errorf("wait %v until %v (now %v); want at most 15 minutes", wait.Wait, wait.Until, e.clock.Now())
	}
	if msg := data.UserMessage(err); strings.Contains(msg, "121") {
		t.Errorf("the screen would say %q", msg)
	}
	e.clock.Advance(15 * time.Minute)
	if _, err := e.st.SignIn(e.ctx, tech.ID, "needles and lots"); err != nil {
		t.Errorf("the right password 15 minutes later: %v", err)
	}
}
