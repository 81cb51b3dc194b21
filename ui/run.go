//go:build cgo

package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// Run opens NeedleDesk's window at once, checks and opens the clinic's
// database behind a progress screen, and returns when the user quits or
// ctx ends (Ctrl+C or SIGTERM from the command line quit as cleanly as
// closing the window), after closing the database. It must be called from
// the main goroutine.
func Run(ctx context.Context, clinic Clinic) error {
	if clinic.Open == nil || clinic.Restore == nil {
		return errors.New("ui: Clinic.Open and Clinic.Restore are required")
	}
	profile := os.Getenv(heapProfileEnv)
	sampleHeap(profile)
	stopCPU, err := startCPUProfile(os.Getenv(cpuProfileEnv))
	if err != nil {
		return err
	}
	defer stopCPU()
	a := app.NewWithID(AppID)
	a.SetIcon(appIcon)
	a.Settings().SetTheme(newClinicTheme())
	w := a.NewWindow(appName)
	w.SetIcon(appIcon)
	w.Resize(fyne.NewSize(1180, 760))
	l := newLauncher(ctx, a, w, clinic, fyne.Do)
	defer l.shutdown()
	l.begin()
	stop := context.AfterFunc(ctx, func() { fyne.Do(a.Quit) })
	defer stop()
	w.ShowAndRun()
	return writeHeapProfile(profile)
}

// heapProfileEnv names a file for a Go heap profile of the running app,
// taken as the window closes with everything still open (make
// measure-app's way of saying where the memory goes); unset, none is
// written.
const heapProfileEnv = "NEEDLEDESK_HEAPPROFILE"

// sampleHeap keeps the Go runtime's records of sampled allocations, which
// only a heap profile reads, when a profile is asked for: otherwise it
// stops the sampling, whose records grow to 1.5 MB in the window (its
// stacks are deep and many).
func sampleHeap(profile string) {
	if profile == "" {
		runtime.MemProfileRate = 0
	}
}

// cpuProfileEnv names a file for a Go CPU profile of the whole run, from
// the window opening to its closing (where a start's time goes); unset,
// none is taken.
const cpuProfileEnv = "NEEDLEDESK_CPUPROFILE"

func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("writing the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("starting the CPU profile %s: %w", path, err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}

func writeHeapProfile(path string) error {
	if path == "" {
		return nil
	}
	runtime.GC() // the profile counts what is live as of the last collection
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing the heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		_ = f.Close()
		return fmt.Errorf("writing the heap profile %s: %w", path, err)
	}
	return f.Close()
}
