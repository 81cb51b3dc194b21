package sqlite_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"needledesk/data/sqlite"
)

// runAge runs the age command with the passphrase typed at its terminal:
// age reads passphrases only from a terminal, so it gets a
// pseudo-terminal of its own, on which each line of typed is typed.
func runAge(t *testing.T, typed string, args ...string) {
	t.Helper()
	bin, err := exec.LookPath("age")
	if err != nil {
		t.Fatal("the age command is not installed (Debian package age); run `make test-deps`")
	}
	master, tty := openPTY(t)
	defer master.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		_ = tty.Close()
		t.Fatal(err)
	}
	_ = tty.Close() // the child has it; the master reads EOF when the child is done
	var said bytes.Buffer
	var wg sync.WaitGroup
	wg.Go(func() { _, _ = said.ReadFrom(master) })
	// The terminal keeps what is typed until age reads it.
	if _, err := master.WriteString(typed); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	wg.Wait()
	if err != nil {
		t.Fatalf("age %v: %v\n%s", args, err, said.String())
	}
}

// openPTY opens a new pseudo-terminal: its master, and its terminal.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	var unlock, n int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		t.Fatal(e)
	}
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		t.Fatal(e)
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return master, tty
}

// TestTheAgeCommandOpensABackup: with no NeedleDesk at all, the age
// command (`age -d -o clinic.db backup.db.age`, as the README says) turns
// an encrypted backup into the clinic's database; and a copy a clinic
// locked with `age -p` restores.
func TestTheAgeCommandOpensABackup(t *testing.T) {
	pass := "the stick in the drawer"
	cb := makeClinicBackup(t, 30, sqlite.BackupOptions{Passphrase: []byte(pass)})
	opened := filepath.Join(t.TempDir(), "clinic.db")
	runAge(t, pass+"\n", "-d", "-o", opened, cb.backup)
	checkedAgainstBackup(t, opened, cb)

	plain := makeClinicBackup(t, 30, sqlite.BackupOptions{})
	locked := filepath.Join(t.TempDir(), "by-hand.db.age")
	runAge(t, pass+"\n"+pass+"\n", "-p", "-o", locked, plain.backup)
	path := filepath.Join(t.TempDir(), "clinic.db")
	if _, err := sqlite.Restore(t.Context(), path, locked, sqlite.RestoreOptions{Passphrase: []byte(pass)}); err != nil {
		t.Fatalf("Restore of what age -p wrote: %v", err)
	}
	restoredAsWanted(t, path, clinicBackup{backup: locked, want: plain.want}, 0)
}
