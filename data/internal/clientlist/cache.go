package clientlist

import (
	"context"
	"sync"
)

// ReadFunc reads the client list as it stands, with its version, in one
// snapshot of the database.
type ReadFunc func(ctx context.Context) (*List, error)

// Cache keeps a store's copy of the client list, and reads a new one in
// the background when a search finds the list has changed since: at the
// first search, and at the first after a client is added, renamed or
// archived. Reading 100,000 clients takes some tens of milliseconds, which
// no search waits for; until the new copy is in, searches ask the
// database.
type Cache struct {
	mu      sync.Mutex
	list    *List
	reading bool               // a new copy is being read
	closed  bool               // the store is closing: read no more
	stop    context.CancelFunc // ends the reading under way
	done    sync.WaitGroup     // the reading under way
}

// At returns the copy when it is the list at version, else nil.
func (c *Cache) At(version int64) *List {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.list != nil && c.list.version == version {
		return c.list
	}
	return nil
}

// Current returns the copy kept, for a search that checks its version
// against the database's as it reads its page. It returns nil while a new
// copy is being read (the one kept is then known to be out of date) and
// when none is kept; then, unless one is being read, it starts reading
// one with read.
func (c *Cache) Current(read ReadFunc) *List {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reading {
		return nil
	}
	if c.list == nil {
		c.startLocked(read)
		return nil
	}
	return c.list
}

// Refresh starts reading a new copy with read when the one kept is not
// the list at version (a search has just read it) and none is being read.
func (c *Cache) Refresh(version int64, read ReadFunc) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reading || (c.list != nil && c.list.version == version) {
		return
	}
	c.startLocked(read)
}

func (c *Cache) startLocked(read ReadFunc) {
	if c.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.reading, c.stop = true, cancel
	c.done.Add(1)
	go func() {
		defer c.done.Done()
		defer cancel()
		l, err := read(ctx)
		c.mu.Lock()
		defer c.mu.Unlock()
		c.reading = false
		// A failed reading (the store closing, the disk, the network)
		// leaves the old copy, which searches only use while it fits; the
		// next search tries again.
		if err == nil {
			c.list = l
		}
	}()
}

// Load reads a new copy with read, keeps it and returns it, for tests
// that want one now.
func (c *Cache) Load(ctx context.Context, read ReadFunc) (*List, error) {
	l, err := read(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = l
	return l, nil
}

// Kept waits for the reading under way, if any, and returns the copy
// kept, whatever its version, or nil: for tests and benchmarks, which
// wait for the copy before measuring.
func (c *Cache) Kept() *List {
	c.done.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.list
}

// Close stops the reading under way, if any, and waits for it, so that
// no query runs once the store has closed its connections.
func (c *Cache) Close() {
	c.mu.Lock()
	c.closed = true
	if c.stop != nil {
		c.stop()
	}
	c.mu.Unlock()
	c.done.Wait()
}
