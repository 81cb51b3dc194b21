package storeopen_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/storeopen"
)

// TestAServerThatNeverAnswersIsGivenUpOn: a server that takes the
// connection and says nothing (a firewall, a hung machine) is given up
// on by itself, as unreachable, rather than keeping the window waiting
// as long as its caller would.
func TestAServerThatNeverAnswersIsGivenUpOn(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // held open, never answered
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	st, err := storeopen.Open(ctx, "postgres://needledesk@"+ln.Addr().String()+"/clinic?sslmode=disable")
	if st != nil || !errors.Is(err, data.ErrServerUnreachable) {
		t.Fatalf("a server that never answers: %v, %v; want ErrServerUnreachable", st, err)
	}
	if ctx.Err() != nil {
		t.Error("opening waited until its caller gave up")
	}
}
