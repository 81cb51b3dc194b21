//go:build cgo

package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestHeapProfileOnRequest: NEEDLEDESK_HEAPPROFILE names a file, and the
// window writes a Go heap profile there as it closes (gzipped, as pprof
// writes them); unset, nothing is written.
func TestHeapProfileOnRequest(t *testing.T) {
	if err := writeHeapProfile(""); err != nil {
		t.Fatalf("no file named: %v", err)
	}
	path := filepath.Join(t.TempDir(), "heap.pprof")
	if err := writeHeapProfile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) || len(b) < 100 {
		t.Errorf("the profile is %d bytes and not gzipped", len(b))
	}
	if err := writeHeapProfile(filepath.Join(t.TempDir(), "no", "such", "folder", "heap.pprof")); err == nil {
		t.Error("a profile that cannot be written gives no error")
	}
}

// TestHeapSampledOnlyForAProfile: the runtime samples allocations only
// when NEEDLEDESK_HEAPPROFILE asks for a profile.
func TestHeapSampledOnlyForAProfile(t *testing.T) {
	rate := runtime.MemProfileRate
	defer func() { runtime.MemProfileRate = rate }()
	sampleHeap("heap.pprof")
	if runtime.MemProfileRate != rate {
		t.Errorf("with a profile asked for the sampling rate became %d", runtime.MemProfileRate)
	}
	sampleHeap("")
	if runtime.MemProfileRate != 0 {
		t.Errorf("without a profile allocations are still sampled, 1 in %d bytes", runtime.MemProfileRate)
	}
}
