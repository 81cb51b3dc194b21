package backup

// New encrypted backups are age files (https://age-encryption.org/v1),
// written with filippo.io/age and locked with a passphrase (age's scrypt
// recipient), so that a clinic can open its own backup with the standard
// age tool and no NeedleDesk at all:
//
//	age -d -o clinic.db needledesk-2026-11-29T093000Z.db.age
//
// age streams too: it seals the content in chunks of 64 KiB, each
// authenticated, with the last one marked, so a file cut short or edited
// anywhere is refused rather than read in part.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// WorkFactor is the scrypt work factor (the base-2 logarithm of scrypt's
// cost N) NeedleDesk writes, and the most a backup may ask for on restore.
//
// 18 is age's own default, the one `age -p` writes: about a second and
// 256 MiB of memory on a clinic's laptop, once when a backup is made and
// once when it is restored, and the same for every guess an attacker
// makes. Since a restore accepts no more than NeedleDesk writes, a lower
// factor would refuse the backups a clinic makes by hand with `age -p`
// (and make guessing cheaper); each step higher doubles the time and the
// memory (512 MiB at 19), too much beside the app on an older laptop for
// what it adds: the passphrase's length (MinPassphraseLen) counts for
// more. As with format 1's Argon2 limits, a file asking for more than
// this is refused as damaged at once, instead of making a restore work
// for minutes and then blame the passphrase.
const WorkFactor = 18

// ErrNotPassphrase is an age file locked with a key (an age recipient),
// not with a passphrase.
var ErrNotPassphrase = errors.New("the backup is locked with an age key, not a passphrase; NeedleDesk opens only backups locked with a passphrase")

// Format is what a file's first bytes say it is.
type Format int

// The formats Detect tells apart.
const (
	NotEncrypted     Format = iota
	FormatV1                // NeedleDesk's own format, written by earlier versions
	FormatAge               // an age file
	FormatAgeArmored        // an age file in its text (PEM-like) form, from age -a
)

const (
	ageIntro = "age-encryption.org/" // then the version, "v1\n"
	// HeadLen is how many of a file's first bytes Detect needs.
	HeadLen = len(armor.Header)
)

// Detect says which format a file whose first bytes are head is in (give
// it HeadLen bytes, or the whole file when it is shorter).
func Detect(head []byte) Format {
	switch {
	case HasMagic(head):
		return FormatV1
	case bytes.HasPrefix(head, []byte(ageIntro)):
		return FormatAge
	case bytes.HasPrefix(head, []byte(armor.Header)):
		return FormatAgeArmored
	}
	return NotEncrypted
}

// IsEncrypted reports whether head starts an encrypted backup, in either
// format.
func IsEncrypted(head []byte) bool { return Detect(head) != NotEncrypted }

// Encrypt reads src to its end and writes it to dst as an age file locked
// with passphrase, at scrypt work factor workFactor (0 means WorkFactor;
// tests use a cheap one). It streams: memory use does not grow with the
// file. On error, what was written to dst is not a usable backup.
func Encrypt(dst io.Writer, src io.Reader, passphrase []byte, workFactor int) error {
	if err := CheckPassphrase(passphrase); err != nil {
		return err
	}
	if workFactor == 0 {
		workFactor = WorkFactor
	}
	if workFactor < 1 || workFactor > WorkFactor {
		return fmt.Errorf("scrypt work factor %d is out of range (1 to %d)", workFactor, WorkFactor)
	}
	r, err := age.NewScryptRecipient(string(passphrase))
	if err != nil {
		return err
	}
	r.SetWorkFactor(workFactor)
	w, err := age.Encrypt(dst, r)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		return err
	}
	return w.Close()
}

// Decrypt reads an encrypted backup from src, an age file or one in
// format 1 (told apart by their first bytes), and writes the database to
// dst. A file cut short is found only at its end: on any error, discard
// what dst received. Errors: ErrNotEncrypted, ErrWrongPassphrase,
// ErrDamaged (also for a file asking for more work than NeedleDesk
// writes), ErrNewerFormat, ErrNotPassphrase, or the error reading src or
// writing dst.
func Decrypt(dst io.Writer, src io.Reader, passphrase []byte) error {
	in := bufio.NewReaderSize(src, 64<<10)
	head, err := in.Peek(HeadLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	switch Detect(head) {
	case FormatV1:
		return DecryptV1(dst, in, passphrase)
	case FormatAge:
		return decryptAge(dst, in, false, passphrase)
	case FormatAgeArmored:
		return decryptAge(dst, in, true, passphrase)
	}
	return ErrNotEncrypted
}

// decryptAge reads an age file. Errors reading src and writing dst are
// given back as they are; every other failure is the file's: damaged, a
// wrong passphrase, or a kind of file NeedleDesk does not open.
func decryptAge(dst io.Writer, src io.Reader, armored bool, passphrase []byte) error {
	id, err := age.NewScryptIdentity(string(passphrase))
	if err != nil {
		return ErrWrongPassphrase // an empty passphrase
	}
	id.SetMaxWorkFactor(WorkFactor)
	in := &errReader{r: src}
	var r io.Reader = in
	if armored {
		r = armor.NewReader(in)
	}
	plain, err := age.Decrypt(r, passphraseIdentity{id})
	if err != nil {
		return ageError(in.err, err, "its age header")
	}
	out := &errWriter{w: dst}
	if _, err := io.Copy(out, plain); err != nil {
		if out.err != nil {
			return out.err
		}
		return ageError(in.err, err, "its content")
	}
	return nil
}

// ageError turns what age said into one of the package's errors. readErr
// is the source's own error, if it failed.
func ageError(readErr, err error, where string) error {
	var noMatch *age.NoIdentityMatchError
	switch {
	case readErr != nil:
		return readErr
	case errors.Is(err, ErrDamaged), errors.Is(err, ErrNotPassphrase):
		return err
	case errors.As(err, &noMatch):
		return ErrWrongPassphrase
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the file ends before its last part: %w", ErrDamaged)
	}
	return fmt.Errorf("%s does not check out: %w", where, ErrDamaged)
}

// passphraseIdentity is age's scrypt identity, which first looks at what
// the file asks for: a file locked with a key is not for a passphrase,
// and one asking for more scrypt work than NeedleDesk writes is refused
// before any key is derived (age refuses it too, SetMaxWorkFactor, but in
// words meant for programmers).
type passphraseIdentity struct{ id *age.ScryptIdentity }

func (p passphraseIdentity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	scrypt := false
	for _, s := range stanzas {
		if s.Type != "scrypt" {
			continue
		}
		scrypt = true
		if len(s.Args) == 2 {
			if n, err := strconv.Atoi(s.Args[1]); err == nil && n > WorkFactor {
				return nil, fmt.Errorf("it asks for more work to open (scrypt work factor %d) than NeedleDesk ever uses (%d): %w", n, WorkFactor, ErrDamaged)
			}
		}
	}
	if !scrypt {
		return nil, ErrNotPassphrase
	}
	return p.id.Unwrap(stanzas)
}

// errReader keeps the first error of the reader it wraps, other than
// io.EOF, so that a failing disk is told apart from a damaged file.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}

// errWriter keeps the first error of the writer it wraps.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	n, err := e.w.Write(b)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}
