// Package backup holds the backups' files: their names (names.go), which
// are kept as new ones are made (keep.go), and their encryption.
//
// It encrypts backups that leave the clinic (a USB stick,
// a cloud folder) with a passphrase.
//
// New backups are age files (age.go): the clinic can open one with the
// standard age tool, without NeedleDesk. Earlier versions of NeedleDesk
// wrote a format of their own, format 1 below, which Decrypt still reads,
// so their backups can be restored.
//
// In format 1 the key comes from the passphrase through Argon2id, with a
// random salt per file, so every file has its own key. The content is
// sealed with AES-256-GCM in chunks of 64 KiB, so a 300 MB database is encrypted and decrypted as a
// stream rather than held in memory twice. Each chunk's additional data is
// the whole header, the chunk's index and whether it is the last one: a
// changed header, chunks swapped, dropped or added, and a file cut short at
// any point all fail to decrypt instead of giving back part of a database.
//
// Format 1's layout (integers big-endian):
//
//	offset size
//	     0   16  magic "NeedleDeskBackup"
//	    16    1  format version, 1
//	    17    1  key derivation, 1 = Argon2id
//	    18    4  Argon2 passes
//	    22    4  Argon2 memory in KiB
//	    26    1  Argon2 threads
//	    27   16  salt
//	    43    8  nonce prefix (random); a chunk's nonce is prefix ‖ uint32 index
//	    51    4  chunk size in bytes (a power of two, 4 KiB to 16 MiB)
//	    55   16  key check: the second half of the Argon2 output
//	    71       chunks: AES-256-GCM(chunk), each chunk size + 16 bytes,
//	             the last one shorter (possibly empty plus its 16-byte tag)
//
// The key check lets a wrong passphrase be told apart from a damaged file.
// It costs an attacker nothing extra: trying a passphrase against the first
// chunk is as cheap as against the check, and both need a full Argon2 run.
package backup

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Errors a caller can tell apart; their text is fit for the screen.
var (
	ErrNotEncrypted    = errors.New("the file is not an encrypted NeedleDesk backup")
	ErrWrongPassphrase = errors.New("the passphrase is not the one this backup was encrypted with")
	ErrDamaged         = errors.New("the encrypted backup is damaged, incomplete or was changed")
	ErrNewerFormat     = errors.New("the backup was encrypted by a newer version of NeedleDesk; update NeedleDesk to open it")
	ErrShortPassphrase = fmt.Errorf("the passphrase is too short: use at least %d characters", MinPassphraseLen)
)

// MinPassphraseLen is the fewest characters Encrypt (and EncryptV1)
// accepts. The key derivation (scrypt; Argon2id in format 1) makes each
// guess slow, but a short passphrase is still quickly guessed.
const MinPassphraseLen = 10

// CheckPassphrase says whether Encrypt accepts passphrase, so a form can
// tell the person before any work is done.
func CheckPassphrase(passphrase []byte) error {
	if utf8.RuneCount(passphrase) < MinPassphraseLen {
		return ErrShortPassphrase
	}
	return nil
}

// Params are Argon2id's costs.
type Params struct {
	Time      uint32 // passes over the memory
	MemoryKiB uint32
	Threads   uint8
}

// DefaultParams are the second recommended set of RFC 9106 (64 MiB, three
// passes): a fraction of a second on a clinic's laptop.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

// Limits on what a header may ask for: no more than NeedleDesk itself
// writes (DefaultParams), so a header edited to ask for 1 GiB and 64
// passes is refused as damaged at once, instead of making a restore spin
// for most of a minute and then blame the passphrase. Lower costs are
// allowed: tests, and backups made with a cheaper KeyCost, use them.
var (
	maxTime      = DefaultParams.Time
	maxMemoryKiB = DefaultParams.MemoryKiB
	maxThreads   = DefaultParams.Threads
)

const (
	magic          = "NeedleDeskBackup"
	formatVersion  = 1
	kdfArgon2id    = 1
	saltLen        = 16
	noncePrefixLen = 8
	keyCheckLen    = 16
	keyLen         = 32
	tagLen         = 16
	// HeaderLen is the size of the header in bytes.
	HeaderLen = len(magic) + 2 + 4 + 4 + 1 + saltLen + noncePrefixLen + 4 + keyCheckLen

	// DefaultChunkSize is what EncryptV1 writes.
	DefaultChunkSize = 64 << 10
	minChunkSize     = 4 << 10
	maxChunkSize     = 16 << 20
)

// Header is the clear part at the start of an encrypted file.
type Header struct {
	Version     uint8
	Params      Params
	Salt        [saltLen]byte
	NoncePrefix [noncePrefixLen]byte
	ChunkSize   uint32
	KeyCheck    [keyCheckLen]byte
}

// HasMagic reports whether b starts like an encrypted NeedleDesk backup.
func HasMagic(b []byte) bool { return bytes.HasPrefix(b, []byte(magic)) }

// ParseHeader reads a header from the first HeaderLen bytes of b, and
// checks that every field is one this version can use.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < len(magic) || !HasMagic(b) {
		return h, ErrNotEncrypted
	}
	if len(b) < len(magic)+1 {
		return h, fmt.Errorf("the header is cut short: %w", ErrDamaged)
	}
	if h.Version = b[len(magic)]; h.Version != formatVersion {
		if h.Version > formatVersion {
			return h, ErrNewerFormat
		}
		return h, fmt.Errorf("unknown format version %d: %w", h.Version, ErrDamaged)
	}
	if len(b) < HeaderLen {
		return h, fmt.Errorf("the header is cut short: %w", ErrDamaged)
	}
	r := b[len(magic)+1 : HeaderLen]
	if kdf := r[0]; kdf != kdfArgon2id {
		return h, fmt.Errorf("unknown key derivation %d: %w", kdf, ErrDamaged)
	}
	h.Params.Time = binary.BigEndian.Uint32(r[1:])
	h.Params.MemoryKiB = binary.BigEndian.Uint32(r[5:])
	h.Params.Threads = r[9]
	r = r[10:]
	r = r[copy(h.Salt[:], r):]
	r = r[copy(h.NoncePrefix[:], r):]
	h.ChunkSize = binary.BigEndian.Uint32(r)
	copy(h.KeyCheck[:], r[4:])
	if err := h.Params.check(); err != nil {
		return h, fmt.Errorf("%v: %w", err, ErrDamaged)
	}
	if h.ChunkSize < minChunkSize || h.ChunkSize > maxChunkSize || bits.OnesCount32(h.ChunkSize) != 1 {
		return h, fmt.Errorf("chunk size %d is not allowed: %w", h.ChunkSize, ErrDamaged)
	}
	return h, nil
}

func (p Params) check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2 passes %d out of range", p.Time)
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("argon2 threads %d out of range", p.Threads)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("argon2 memory %d KiB out of range", p.MemoryKiB)
	}
	return nil
}

// Marshal writes the header in the file's layout.
func (h Header) Marshal() []byte {
	b := make([]byte, 0, HeaderLen)
	b = append(b, magic...)
	b = append(b, h.Version, kdfArgon2id)
	b = binary.BigEndian.AppendUint32(b, h.Params.Time)
	b = binary.BigEndian.AppendUint32(b, h.Params.MemoryKiB)
	b = append(b, h.Params.Threads)
	b = append(b, h.Salt[:]...)
	b = append(b, h.NoncePrefix[:]...)
	b = binary.BigEndian.AppendUint32(b, h.ChunkSize)
	return append(b, h.KeyCheck[:]...)
}

// deriveKey runs Argon2id once for both the key and the key check.
func deriveKey(passphrase []byte, h Header) (key []byte, check [keyCheckLen]byte) {
	out := argon2.IDKey(passphrase, h.Salt[:], h.Params.Time, h.Params.MemoryKiB, h.Params.Threads, keyLen+keyCheckLen)
	copy(check[:], out[keyLen:])
	return out[:keyLen], check
}

// sealer holds what every chunk needs.
type sealer struct {
	aead   cipher.AEAD
	header []byte
	prefix [noncePrefixLen]byte
	nonce  []byte
	aad    []byte
}

func newSealer(key []byte, h Header) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	hdr := h.Marshal()
	return &sealer{aead: aead, header: hdr, prefix: h.NoncePrefix,
		nonce: make([]byte, aead.NonceSize()), aad: make([]byte, 0, len(hdr)+9)}, nil
}

// chunkParams returns the nonce and additional data of chunk i. The nonce
// has 32 bits for the index, which bounds a file to 4 billion chunks.
func (s *sealer) chunkParams(i uint64, final bool) (nonce, aad []byte, err error) {
	if i > math.MaxUint32 {
		return nil, nil, errors.New("the backup is too large to encrypt")
	}
	copy(s.nonce, s.prefix[:])
	binary.BigEndian.PutUint32(s.nonce[noncePrefixLen:], uint32(i))
	aad = append(s.aad[:0], s.header...)
	aad = binary.BigEndian.AppendUint64(aad, i)
	last := byte(0)
	if final {
		last = 1
	}
	return s.nonce, append(aad, last), nil
}

// EncryptV1 reads src to its end and writes it to dst in format 1,
// encrypted with passphrase. On error, what was written to dst is not a
// usable backup. NeedleDesk writes its backups as age files now (Encrypt);
// this stays so that tests can make backups as earlier versions did.
func EncryptV1(dst io.Writer, src io.Reader, passphrase []byte, p Params) error {
	if err := CheckPassphrase(passphrase); err != nil {
		return err
	}
	if err := p.check(); err != nil {
		return err
	}
	h := Header{Version: formatVersion, Params: p, ChunkSize: DefaultChunkSize}
	if _, err := rand.Read(h.Salt[:]); err != nil {
		return err
	}
	if _, err := rand.Read(h.NoncePrefix[:]); err != nil {
		return err
	}
	key, check := deriveKey(passphrase, h)
	h.KeyCheck = check
	s, err := newSealer(key, h)
	if err != nil {
		return err
	}
	if _, err := dst.Write(s.header); err != nil {
		return err
	}
	return s.sealAll(dst, bufio.NewReaderSize(src, int(h.ChunkSize)+1), int(h.ChunkSize))
}

// sealAll writes src as chunks. A chunk is the last one when src has
// nothing after it, which a one-byte peek tells without reading ahead a
// whole chunk; an empty src gives one empty last chunk.
func (s *sealer) sealAll(dst io.Writer, src *bufio.Reader, chunkSize int) error {
	buf := make([]byte, chunkSize)
	out := make([]byte, 0, chunkSize+tagLen)
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(src, buf)
		final := false
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			final = true
		case err != nil:
			return err
		default:
			if _, err := src.Peek(1); errors.Is(err, io.EOF) {
				final = true
			} else if err != nil {
				return err
			}
		}
		nonce, aad, err := s.chunkParams(i, final)
		if err != nil {
			return err
		}
		out = s.aead.Seal(out[:0], nonce, buf[:n], aad)
		if _, err := dst.Write(out); err != nil {
			return err
		}
		if final {
			return nil
		}
	}
}

// DecryptV1 reads a backup in format 1 from src and writes the database
// to dst. Every chunk is checked before it is written, but a file cut
// short is found only at its end: on any error, discard what dst received.
// Decrypt calls it for files in this format.
func DecryptV1(dst io.Writer, src io.Reader, passphrase []byte) error {
	hdr := make([]byte, HeaderLen)
	n, err := io.ReadFull(src, hdr)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	h, err := ParseHeader(hdr[:n])
	if err != nil {
		return err
	}
	key, check := deriveKey(passphrase, h)
	if subtle.ConstantTimeCompare(check[:], h.KeyCheck[:]) != 1 {
		return ErrWrongPassphrase
	}
	s, err := newSealer(key, h)
	if err != nil {
		return err
	}
	return s.openAll(dst, bufio.NewReaderSize(src, int(h.ChunkSize)+tagLen+1), int(h.ChunkSize))
}

func (s *sealer) openAll(dst io.Writer, src *bufio.Reader, chunkSize int) error {
	buf := make([]byte, chunkSize+tagLen)
	out := make([]byte, 0, chunkSize)
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(src, buf)
		final := false
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("the file ends before its last part: %w", ErrDamaged)
		case errors.Is(err, io.ErrUnexpectedEOF):
			final = true
		case err != nil:
			return err
		default:
			if _, err := src.Peek(1); errors.Is(err, io.EOF) {
				final = true
			} else if err != nil {
				return err
			}
		}
		if n < tagLen {
			return fmt.Errorf("part %d is cut short: %w", i+1, ErrDamaged)
		}
		nonce, aad, err := s.chunkParams(i, final)
		if err != nil {
			return err
		}
		if out, err = s.aead.Open(out[:0], nonce, buf[:n], aad); err != nil {
			return fmt.Errorf("part %d does not check out: %w", i+1, ErrDamaged)
		}
		if _, err := dst.Write(out); err != nil {
			return err
		}
		if final {
			return nil
		}
	}
}
