package sqlite_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/sqlite"
)

// ageEncryptFile writes plain to dest as the age command's `age -p` does:
// a scrypt recipient at age's default work factor, through age's library.
func ageEncryptFile(t *testing.T, plain, dest string, passphrase []byte) {
	t.Helper()
	in, err := os.Open(plain)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	r, err := age.NewScryptRecipient(string(passphrase))
	if err != nil {
		t.Fatal(err)
	}
	w, err := age.Encrypt(out, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// checkedAgainstBackup says whether the database file at path holds the
// rows the backup cb was made of.
func checkedAgainstBackup(t *testing.T, path string, cb clinicBackup) {
	t.Helper()
	sameTables(t, dump(t, path), cb.want, "audit_head", "sqlite_sequence", "store_meta")
}

// TestEncryptedBackupOpensWithAge: a backup NeedleDesk locks with a
// passphrase (at the work factor it writes) is an age file that age's own
// library, with its defaults and nothing of NeedleDesk, turns back into
// the clinic's database.
func TestEncryptedBackupOpensWithAge(t *testing.T) {
	pass := []byte("the stick in the drawer")
	cb := makeClinicBackup(t, 50, sqlite.BackupOptions{Passphrase: pass})
	f, err := os.Open(cb.backup)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	id, err := age.NewScryptIdentity(string(pass))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(f, id)
	if err != nil {
		t.Fatalf("age.Decrypt: %v", err)
	}
	plain := filepath.Join(t.TempDir(), "clinic.db")
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain, b, 0o600); err != nil {
		t.Fatal(err)
	}
	checkedAgainstBackup(t, plain, cb)
}

// TestRestoreWhatAgeWrote: a clinic that locked a copy of its database
// with age itself (age -p, the same passphrase) can restore it.
func TestRestoreWhatAgeWrote(t *testing.T) {
	pass := []byte("a passphrase typed into age")
	cb := makeClinicBackup(t, 50, sqlite.BackupOptions{})
	locked := filepath.Join(t.TempDir(), "by-hand.db.age")
	ageEncryptFile(t, cb.backup, locked, pass)
	path := filepath.Join(t.TempDir(), "clinic.db")
	if _, err := sqlite.Restore(t.Context(), path, locked, sqlite.RestoreOptions{}); !errors.Is(err, sqlite.ErrPassphraseNeeded) {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := sqlite.Restore(t.Context(), path, locked, sqlite.RestoreOptions{Passphrase: pass}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	restoredAsWanted(t, path, clinicBackup{backup: locked, want: cb.want}, 0)
}

// TestRestoreAnOldFormatBackup: a backup encrypted by an earlier version
// of NeedleDesk, in its own format, still restores, and is refused as
// before when the passphrase is wrong or the file cut short.
func TestRestoreAnOldFormatBackup(t *testing.T) {
	pass := []byte("the old stick in the drawer")
	cb := makeClinicBackup(t, 50, sqlite.BackupOptions{})
	dir := t.TempDir()
	plain, err := os.ReadFile(cb.backup)
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	if err := backup.EncryptV1(&enc, bytes.NewReader(plain), pass, backup.Params{Time: 1, MemoryKiB: 64, Threads: 1}); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "needledesk-2026-11-29T093000Z.db.enc")
	cut := filepath.Join(dir, "cut.db.enc")
	if err := errors.Join(os.WriteFile(old, enc.Bytes(), 0o600), os.WriteFile(cut, enc.Bytes()[:enc.Len()-100], 0o600)); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	e.client()
	e.closeStore()
	refusedRestore(t, e.path, old, sqlite.RestoreOptions{Passphrase: []byte("not the old passphrase")}, backup.ErrWrongPassphrase, "nothing was changed")
	refusedRestore(t, e.path, cut, sqlite.RestoreOptions{Passphrase: pass}, data.ErrDamaged, "incomplete")
	path := filepath.Join(t.TempDir(), "clinic.db")
	if _, err := sqlite.Restore(t.Context(), path, old, sqlite.RestoreOptions{Passphrase: pass}); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	restoredAsWanted(t, path, clinicBackup{backup: old, want: cb.want}, 0)
}

// TestRestoreRefusesBadAgeFiles: an age backup with a wrong passphrase,
// cut short, edited, asking for more scrypt work than NeedleDesk writes,
// or locked with an age key instead of a passphrase, is refused in plain
// words and the database is left as it was.
func TestRestoreRefusesBadAgeFiles(t *testing.T) {
	pass := []byte("0123456789ab")
	e := newEnv(t)
	e.client()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db.age")
	if err := e.st.Backup(e.ctx, data.SystemActor, good, sqlite.BackupOptions{Passphrase: pass, WorkFactor: cheapWorkFactor}); err != nil {
		t.Fatal(err)
	}
	e.closeStore()
	b, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	edited := append([]byte(nil), b...)
	edited[len(edited)/2] ^= 0x20
	factor := bytes.Replace(b, []byte(" 10\n"), []byte(" 19\n"), 1)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var forKey bytes.Buffer
	w, _ := age.Encrypt(&forKey, id.Recipient())
	_, _ = w.Write(b[:4096])
	_ = w.Close()
	opts := sqlite.RestoreOptions{Passphrase: pass}
	refusedRestore(t, e.path, good, sqlite.RestoreOptions{Passphrase: []byte("0123456789ac")}, backup.ErrWrongPassphrase, "passphrase is not the one")
	refusedRestore(t, e.path, write("cut.db.age", b[:len(b)-100]), opts, data.ErrDamaged, "damaged, incomplete or was changed")
	refusedRestore(t, e.path, write("header.db.age", b[:60]), opts, data.ErrDamaged, "damaged, incomplete or was changed")
	refusedRestore(t, e.path, write("edited.db.age", edited), opts, data.ErrDamaged, "damaged, incomplete or was changed")
	refusedRestore(t, e.path, write("factor.db.age", factor), opts, data.ErrDamaged, "work factor 19")
	refusedRestore(t, e.path, write("key.db.age", forKey.Bytes()), opts, backup.ErrNotPassphrase, "age key")
}
