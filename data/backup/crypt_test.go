package backup

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// fastParams keep the tests quick; the format and the code paths are the
// same as with DefaultParams.
var fastParams = Params{Time: 1, MemoryKiB: 64, Threads: 1}

var pass = []byte("correct horse battery staple")

func plaintext(n int) []byte {
	b := make([]byte, n)
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func encrypt(t *testing.T, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := EncryptV1(&out, bytes.NewReader(plain), pass, fastParams); err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	return out.Bytes()
}

func decrypt(enc []byte, passphrase []byte) ([]byte, error) {
	var out bytes.Buffer
	err := Decrypt(&out, bytes.NewReader(enc), passphrase)
	return out.Bytes(), err
}

func TestRoundTripAtChunkEdges(t *testing.T) {
	for _, n := range []int{0, 1, DefaultChunkSize - 1, DefaultChunkSize, DefaultChunkSize + 1, 3*DefaultChunkSize + 17, 4 * DefaultChunkSize} {
		plain := plaintext(n)
		enc := encrypt(t, plain)
		chunks := max(1, (n+DefaultChunkSize-1)/DefaultChunkSize)
		if want := HeaderLen + n + chunks*tagLen; len(enc) != want {
			t.Errorf("%d bytes encrypt to %d; want %d (header, content, one tag per chunk)", n, len(enc), want)
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

func TestEachFileHasItsOwnSaltAndNonce(t *testing.T) {
	plain := plaintext(1000)
	a, b := encrypt(t, plain), encrypt(t, plain)
	if bytes.Equal(a[HeaderLen:], b[HeaderLen:]) {
		t.Error("the same content encrypted twice gave the same bytes")
	}
	ha, _ := ParseHeader(a)
	hb, _ := ParseHeader(b)
	if ha.Salt == hb.Salt || ha.NoncePrefix == hb.NoncePrefix {
		t.Error("salt or nonce prefix repeated")
	}
}

func TestWrongPassphraseIsToldApart(t *testing.T) {
	enc := encrypt(t, plaintext(5000))
	got, err := decrypt(enc, []byte("correct horse battery stapler"))
	if !errors.Is(err, ErrWrongPassphrase) || len(got) != 0 {
		t.Fatalf("wrong passphrase: %v, %d bytes out", err, len(got))
	}
}

func TestTamperingIsFound(t *testing.T) {
	plain := plaintext(3*DefaultChunkSize + 100)
	enc := encrypt(t, plain)
	chunk := DefaultChunkSize + tagLen
	cases := map[string]func([]byte) []byte{
		"a flipped bit in a chunk": func(b []byte) []byte { b[HeaderLen+chunk+10] ^= 1; return b },
		"a flipped bit in a tag":   func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b },
		"the chunk size changed": func(b []byte) []byte {
			b[51], b[52], b[53], b[54] = 0, 0, 0x80, 0
			return b
		},
		"two chunks swapped": func(b []byte) []byte {
			first := HeaderLen
			second := HeaderLen + chunk
			tmp := append([]byte(nil), b[first:first+chunk]...)
			copy(b[first:], b[second:second+chunk])
			copy(b[second:], tmp)
			return b
		},
		"cut at a chunk boundary": func(b []byte) []byte { return b[:HeaderLen+2*chunk] },
		"cut inside a chunk":      func(b []byte) []byte { return b[:HeaderLen+chunk+500] },
		"cut inside the last tag": func(b []byte) []byte { return b[:len(b)-3] },
		"only the header":         func(b []byte) []byte { return b[:HeaderLen] },
		"bytes added at the end":  func(b []byte) []byte { return append(b, 0, 1, 2) },
		"a whole chunk added at the end": func(b []byte) []byte {
			return append(b, b[HeaderLen:HeaderLen+chunk]...)
		},
		"a chunk dropped": func(b []byte) []byte {
			return append(b[:HeaderLen+chunk:HeaderLen+chunk], b[HeaderLen+2*chunk:]...)
		},
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			b := tamper(append([]byte(nil), enc...))
			_, err := decrypt(b, pass)
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrWrongPassphrase) {
				t.Fatalf("tampered file: %v; want ErrDamaged", err)
			}
		})
	}
}

func TestTheKeyCheckAndTheHeaderAreBound(t *testing.T) {
	enc := encrypt(t, plaintext(100))
	// The salt is input to the key: a changed salt must read as a wrong
	// passphrase, never as a good file.
	b := append([]byte(nil), enc...)
	b[27] ^= 1
	if _, err := decrypt(b, pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("changed salt: %v", err)
	}
	// The nonce prefix is not input to the key; only the chunk tags can
	// tell it changed.
	b = append([]byte(nil), enc...)
	b[43] ^= 1
	if _, err := decrypt(b, pass); !errors.Is(err, ErrDamaged) {
		t.Errorf("changed nonce prefix: %v", err)
	}
}

func TestNotEncryptedAndNewerFormat(t *testing.T) {
	if _, err := decrypt([]byte("SQLite format 3\x00and the rest"), pass); !errors.Is(err, ErrNotEncrypted) {
		t.Errorf("a plain database: %v", err)
	}
	if _, err := decrypt(nil, pass); !errors.Is(err, ErrNotEncrypted) {
		t.Errorf("an empty file: %v", err)
	}
	enc := encrypt(t, plaintext(10))
	enc[len(magic)] = formatVersion + 1
	if _, err := decrypt(enc, pass); !errors.Is(err, ErrNewerFormat) {
		t.Errorf("a newer format: %v", err)
	}
}

func TestShortPassphraseIsRefused(t *testing.T) {
	var out bytes.Buffer
	err := EncryptV1(&out, bytes.NewReader([]byte("x")), []byte("äöü-short"), fastParams)
	if !errors.Is(err, ErrShortPassphrase) || out.Len() != 0 {
		t.Errorf("9-character passphrase: %v, %d bytes written", err, out.Len())
	}
	if err := EncryptV1(io.Discard, bytes.NewReader(nil), []byte("äöüäöüäöüä"), fastParams); err != nil {
		t.Errorf("10 characters (20 bytes of UTF-8) were refused: %v", err)
	}
}

func TestHostileParamsAreRefusedBeforeDerivingAKey(t *testing.T) {
	enc := encrypt(t, plaintext(10))
	for name, edit := range map[string]func([]byte){
		"a terabyte of memory": func(b []byte) { b[22], b[23], b[24], b[25] = 0xff, 0xff, 0xff, 0xff },
		"a billion passes":     func(b []byte) { b[18] = 0x40 },
		"no threads":           func(b []byte) { b[26] = 0 },
		"a chunk of 3 bytes":   func(b []byte) { b[51], b[52], b[53], b[54] = 0, 0, 0, 3 },
		// Issue 19: a header edited to ask for 1 GiB and 64 passes made a
		// restore run 44 s and then say the passphrase was wrong.
		"1 GiB and 64 passes": func(b []byte) {
			b[18], b[19], b[20], b[21] = 0, 0, 0, 64
			b[22], b[23], b[24], b[25] = 0, 0x10, 0, 0
		},
		"more than NeedleDesk writes":       func(b []byte) { b[21] = byte(DefaultParams.Time + 1) },
		"more threads than NeedleDesk uses": func(b []byte) { b[26] = DefaultParams.Threads + 1 },
	} {
		b := append([]byte(nil), enc...)
		edit(b)
		if _, err := ParseHeader(b); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: %v; want ErrDamaged", name, err)
		}
	}
}

// TestDecryptStreams shows a large file is not held in memory: the writer
// sees data in chunk-sized pieces as it is read.
func TestDecryptStreams(t *testing.T) {
	plain := plaintext(20 * DefaultChunkSize)
	enc := encrypt(t, plain)
	w := &countingWriter{h: sha256.New()}
	if err := Decrypt(w, bytes.NewReader(enc), pass); err != nil {
		t.Fatal(err)
	}
	if w.writes != 20 || w.biggest > DefaultChunkSize {
		t.Errorf("%d writes, biggest %d bytes; want 20 of at most %d", w.writes, w.biggest, DefaultChunkSize)
	}
	if want := sha256.Sum256(plain); !bytes.Equal(w.h.Sum(nil), want[:]) {
		t.Error("decrypted content differs")
	}
}

type countingWriter struct {
	h interface {
		io.Writer
		Sum([]byte) []byte
	}
	writes  int
	biggest int
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.writes++
	w.biggest = max(w.biggest, len(b))
	return w.h.Write(b)
}

// TestHostileParamsReadAsDamaged: a restore of such a file says it is
// damaged at once, without deriving a key, never that the passphrase is
// wrong.
func TestHostileParamsReadAsDamaged(t *testing.T) {
	enc := encrypt(t, plaintext(10))
	b := append([]byte(nil), enc...)
	b[18], b[19], b[20], b[21] = 0, 0, 0, 64
	b[22], b[23], b[24], b[25] = 0, 0x10, 0, 0
	if _, err := decrypt(b, pass); !errors.Is(err, ErrDamaged) || errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Decrypt: %v; want ErrDamaged", err)
	}
}

// TestWhatNeedleDeskWritesIsAccepted: the limits are NeedleDesk's own
// costs, so every backup it made (DefaultParams) still opens.
func TestWhatNeedleDeskWritesIsAccepted(t *testing.T) {
	if err := DefaultParams.check(); err != nil {
		t.Fatalf("DefaultParams refused: %v", err)
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	enc := encrypt(t, nil)
	h, err := ParseHeader(enc)
	if err != nil {
		t.Fatal(err)
	}
	if h.Params != fastParams || h.ChunkSize != DefaultChunkSize || h.Version != formatVersion {
		t.Errorf("header %+v", h)
	}
	if !bytes.Equal(h.Marshal(), enc[:HeaderLen]) {
		t.Error("Marshal does not give back the bytes parsed")
	}
}

func BenchmarkEncrypt(b *testing.B) {
	plain := plaintext(8 << 20)
	b.SetBytes(int64(len(plain)))
	for b.Loop() {
		if err := EncryptV1(io.Discard, bytes.NewReader(plain), pass, fastParams); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzParseHeader: any bytes give a header or an error, never a panic, and
// a header that parses writes back to the same bytes and stays within the
// limits that keep key derivation affordable.
func FuzzParseHeader(f *testing.F) {
	h := Header{Version: formatVersion, Params: DefaultParams, ChunkSize: DefaultChunkSize}
	f.Add(h.Marshal())
	f.Add([]byte(magic))
	f.Add([]byte("SQLite format 3\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err != nil {
			if errors.Is(err, ErrNotEncrypted) == HasMagic(b) {
				t.Fatalf("magic %v but error %v", HasMagic(b), err)
			}
			return
		}
		if !bytes.Equal(h.Marshal(), b[:HeaderLen]) {
			t.Fatalf("parsed %+v does not write back to the same bytes", h)
		}
		if h.Params.MemoryKiB > maxMemoryKiB || h.Params.Time > maxTime || h.Params.Threads == 0 ||
			h.ChunkSize > maxChunkSize || h.ChunkSize < minChunkSize {
			t.Fatalf("accepted costly or odd parameters %+v", h)
		}
	})
}
