package ui

import "testing"

// TestTheBookIsHandedTheOutboxPoke: the poke the window gives Deps (the
// mail worker's) is the one the book calls after a booking.
func TestTheBookIsHandedTheOutboxPoke(t *testing.T) {
	var n int
	d := Deps{PokeOutbox: func() { n++ }}
	poke := d.bookStores().PokeOutbox
	if poke == nil {
		t.Fatal("the book has no way to poke the outbox's sender")
	}
	poke()
	if n != 1 {
		t.Errorf("the book's poke reached the sender %d times; want once", n)
	}
}
