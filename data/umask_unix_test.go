//go:build unix

package data_test

import (
	"syscall"
	"testing"
)

// noUmask lets files be made with exactly the mode asked for, as on a
// computer whose umask is 000, until the test ends.
func noUmask(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}
