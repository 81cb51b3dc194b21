package backup

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// cheapWorkFactor keeps the tests quick; the format and the code paths are
// the same as at WorkFactor.
const cheapWorkFactor = 10

func encryptAge(t *testing.T, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Encrypt(&out, bytes.NewReader(plain), pass, cheapWorkFactor); err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	return out.Bytes()
}

func TestAgeRoundTrip(t *testing.T) {
	const chunk = 64 << 10 // age's chunk
	for _, n := range []int{0, 1, chunk - 1, chunk, chunk + 1, 3*chunk + 17} {
		plain := plaintext(n)
		enc := encryptAge(t, plain)
		if Detect(enc) != FormatAge || !strings.HasPrefix(string(enc), "age-encryption.org/v1\n-> scrypt ") {
			t.Fatalf("%d bytes: the file does not start as an age file locked with a passphrase: %q", n, enc[:min(len(enc), 60)])
		}
		got, err := decrypt(enc, pass)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%d bytes: round trip gave %d bytes, %v", n, len(got), err)
		}
		if n > 64 && bytes.Contains(enc, plain[:64]) {
			t.Errorf("%d bytes: the plaintext shows in the file", n)
		}
	}
}

// TestWhatNeedleDeskWritesOpensWithAge: a backup as NeedleDesk writes it
// (at WorkFactor) is read by age's own library exactly as a plain age
// reader, or the age command, reads it: a scrypt identity with age's
// defaults and nothing of NeedleDesk.
func TestWhatNeedleDeskWritesOpensWithAge(t *testing.T) {
	plain := plaintext(200 << 10)
	var enc bytes.Buffer
	if err := Encrypt(&enc, bytes.NewReader(plain), pass, 0); err != nil {
		t.Fatal(err)
	}
	if want := "\n-> scrypt "; !bytes.Contains(enc.Bytes(), []byte(want)) ||
		!bytes.Contains(enc.Bytes()[:100], []byte(" 18\n")) {
		t.Fatalf("the header does not ask for scrypt at work factor 18: %q", enc.Bytes()[:100])
	}
	id, err := age.NewScryptIdentity(string(pass))
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(&enc, id)
	if err != nil {
		t.Fatalf("age.Decrypt: %v", err)
	}
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, plain) {
		t.Errorf("age read %d bytes, %v; want the %d written", len(got), err, len(plain))
	}
}

// TestWhatAgeWritesOpens: a file made with age's library as the age
// command makes one (`age -p`: a scrypt recipient at age's default work
// factor), or in age's text form (`age -a -p`), opens with the same
// passphrase.
func TestWhatAgeWritesOpens(t *testing.T) {
	plain := plaintext(100 << 10)
	for _, armored := range []bool{false, true} {
		r, err := age.NewScryptRecipient(string(pass))
		if err != nil {
			t.Fatal(err)
		}
		var enc bytes.Buffer
		var dst io.WriteCloser = nopCloser{&enc}
		if armored {
			dst = armor.NewWriter(&enc)
			r.SetWorkFactor(cheapWorkFactor)
		}
		w, err := age.Encrypt(dst, r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(plain); err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(w.Close(), dst.Close()); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]Format{false: FormatAge, true: FormatAgeArmored}[armored]; Detect(enc.Bytes()) != want {
			t.Errorf("armored %v: detected as %v", armored, Detect(enc.Bytes()))
		}
		got, err := decrypt(enc.Bytes(), pass)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("armored %v: %d bytes, %v", armored, len(got), err)
		}
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestAgeWrongPassphraseIsToldApart(t *testing.T) {
	enc := encryptAge(t, plaintext(1000))
	if _, err := decrypt(enc, []byte("correct horse battery stapler")); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := decrypt(enc, nil); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("no passphrase: %v", err)
	}
}

// TestAgeTamperingIsFound: an age file cut short anywhere, with bytes
// changed in its content or its header's MAC, or with more after its end,
// is damaged, never taken for a wrong passphrase, and never gives back
// the whole database.
func TestAgeTamperingIsFound(t *testing.T) {
	const chunk = 64 << 10
	plain := plaintext(3*chunk + 100)
	enc := encryptAge(t, plain)
	hdrEnd := bytes.Index(enc, []byte("\n--- ")) + 1
	macEnd := bytes.IndexByte(enc[hdrEnd:], '\n') + hdrEnd
	payload := macEnd + 1 + 16 // the 16-byte nonce
	cases := map[string][]byte{
		"cut in the header":              enc[:hdrEnd-5],
		"cut after the header":           enc[:macEnd+1],
		"cut after the nonce":            enc[:payload],
		"cut at a chunk's end":           enc[:payload+chunk+16],
		"cut inside the last chunk":      enc[:len(enc)-50],
		"the last byte missing":          enc[:len(enc)-1],
		"the whole last chunk dropped":   enc[:payload+3*(chunk+16)],
		"a byte changed in the content":  flip(enc, payload+chunk+100),
		"a byte changed in the last tag": flip(enc, len(enc)-1),
		"the header's MAC changed":       flip(enc, macEnd-2),
		"more after the end":             append(append([]byte(nil), enc...), 0),
	}
	for name, b := range cases {
		got, err := decrypt(b, pass)
		if !errors.Is(err, ErrDamaged) || errors.Is(err, ErrWrongPassphrase) {
			t.Errorf("%s: %v; want ErrDamaged", name, err)
		}
		if bytes.Equal(got, plain) {
			t.Errorf("%s: gave back the whole database", name)
		}
		if !strings.Contains(err.Error(), "damaged, incomplete or was changed") {
			t.Errorf("%s: says %q", name, err)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x01
	return c
}

// TestAgeHostileWorkFactorIsRefused: as with format 1's Argon2 limits, an
// age file whose header asks for more scrypt work than NeedleDesk writes
// is damaged, said at once, not after minutes of work and a wrong
// passphrase; and NeedleDesk never writes one.
func TestAgeHostileWorkFactorIsRefused(t *testing.T) {
	enc := encryptAge(t, plaintext(100))
	line := []byte(" 10\n")
	at := bytes.Index(enc, line)
	if at < 0 {
		t.Fatalf("no work factor 10 in %q", enc[:80])
	}
	for _, logN := range []string{"19", "22", "30"} {
		b := append(append(append([]byte(nil), enc[:at+1]...), logN...), enc[at+3:]...)
		_, err := decrypt(b, pass)
		if !errors.Is(err, ErrDamaged) || errors.Is(err, ErrWrongPassphrase) || !strings.Contains(err.Error(), "work factor "+logN) {
			t.Errorf("work factor %s: %v; want ErrDamaged naming it", logN, err)
		}
	}
	if err := Encrypt(io.Discard, bytes.NewReader(nil), pass, WorkFactor+1); err == nil {
		t.Errorf("Encrypt wrote a file asking for work factor %d", WorkFactor+1)
	}
}

// TestAgeFileLockedWithAKey: an age file for an age key, not a
// passphrase, says so.
func TestAgeFileLockedWithAKey(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	w, err := age.Encrypt(&enc, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("SQLite format 3\x00")); err != nil || w.Close() != nil {
		t.Fatal(err)
	}
	if _, err := decrypt(enc.Bytes(), pass); !errors.Is(err, ErrNotPassphrase) {
		t.Errorf("a file for an age key: %v", err)
	}
}

func TestAgeShortPassphraseIsRefused(t *testing.T) {
	var out bytes.Buffer
	err := Encrypt(&out, bytes.NewReader([]byte("x")), []byte("äöü-short"), cheapWorkFactor)
	if !errors.Is(err, ErrShortPassphrase) || out.Len() != 0 {
		t.Errorf("9-character passphrase: %v, %d bytes written", err, out.Len())
	}
}

// TestAgeStreams shows a large file is never held whole in memory: the
// encrypted file grows while its source is still being read, and the
// database is written out in pieces as the file is read.
func TestAgeStreams(t *testing.T) {
	plain := plaintext(40 << 16)
	var enc bytes.Buffer
	src := &watchingReader{r: bytes.NewReader(plain), out: &enc, at: len(plain) / 2}
	if err := Encrypt(&enc, src, pass, cheapWorkFactor); err != nil {
		t.Fatal(err)
	}
	if src.seen < len(plain)/2-(128<<10) {
		t.Errorf("half the source read, %d bytes written; want all but the last chunk or two", src.seen)
	}
	w := &countingWriter{h: sha256.New()}
	if err := Decrypt(w, bytes.NewReader(enc.Bytes()), pass); err != nil {
		t.Fatal(err)
	}
	if w.writes < 40 || w.biggest > 64<<10 {
		t.Errorf("%d writes, biggest %d bytes; want at least 40 of at most 64 KiB", w.writes, w.biggest)
	}
	if want := sha256.Sum256(plain); !bytes.Equal(w.h.Sum(nil), want[:]) {
		t.Error("decrypted content differs")
	}
}

// watchingReader notes how much out holds once at bytes have been read.
type watchingReader struct {
	r    io.Reader
	out  *bytes.Buffer
	at   int
	read int
	seen int
}

func (w *watchingReader) Read(b []byte) (int, error) {
	n, err := w.r.Read(b)
	if w.read < w.at && w.read+n >= w.at {
		w.seen = w.out.Len()
	}
	w.read += n
	return n, err
}

// TestAgeReadErrorsAreNotDamage: a disk that fails while a backup is read
// is the disk's error, not a damaged backup or a wrong passphrase.
func TestAgeReadErrorsAreNotDamage(t *testing.T) {
	enc := encryptAge(t, plaintext(300<<10))
	disk := errors.New("input/output error")
	for _, at := range []int{40, 200 << 10} {
		r := io.MultiReader(bytes.NewReader(enc[:at]), errAfter{disk})
		if err := Decrypt(io.Discard, r, pass); !errors.Is(err, disk) || errors.Is(err, ErrDamaged) {
			t.Errorf("failing after %d bytes: %v", at, err)
		}
	}
	full := errors.New("no space left on device")
	if err := Decrypt(failingWriter{full}, bytes.NewReader(enc), pass); !errors.Is(err, full) {
		t.Errorf("a full disk: %v", err)
	}
}

type errAfter struct{ err error }

func (e errAfter) Read([]byte) (int, error) { return 0, e.err }

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestDetect(t *testing.T) {
	for head, want := range map[string]Format{
		"":                                       NotEncrypted,
		"SQLite format 3\x00":                    NotEncrypted,
		"NeedleDeskBackup\x01":                   FormatV1,
		"age-encryption.org/v1\n-> scrypt":       FormatAge,
		"-----BEGIN AGE ENCRYPTED FILE-----\nYW": FormatAgeArmored,
		"age-encrypt":                            NotEncrypted,
	} {
		if got := Detect([]byte(head)); got != want {
			t.Errorf("Detect(%q) = %v; want %v", head, got, want)
		}
	}
}
