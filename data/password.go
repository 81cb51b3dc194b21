package data

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id's cost settings. The defaults are OWASP's
// minimum for argon2id: 19 MiB of memory, 2 passes, 1 thread.
type PasswordParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	SaltLen   int
	KeyLen    uint32
}

// DefaultPasswordParams is what new passwords are hashed with.
var DefaultPasswordParams = PasswordParams{MemoryKiB: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Password length limits, in characters.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// CheckPassword says what is wrong with a new password, or "".
func CheckPassword(pw string) string {
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		return "contains characters that are not valid text"
	case n < MinPasswordLen:
		return fmt.Sprintf("is too short; use at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Sprintf("is too long; use at most %d characters", MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return "cannot be only spaces"
	}
	return ""
}

// HashPassword hashes a password with argon2id and a fresh random salt, in
// the PHC string form: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	return hashPasswordWith(pw, DefaultPasswordParams)
}

func hashPasswordWith(pw string, p PasswordParams) (string, error) {
	if msg := CheckPassword(pw); msg != "" {
		return "", Invalid("password", msg)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("making a password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// The most a stored hash may ask argon2id to spend. NeedleDesk's own
// hashes use a fraction of this; a damaged or planted one asking for more
// would make one sign-in allocate gigabytes or run for hours.
const (
	maxArgonTime      = 16
	maxArgonMemoryKiB = 256 << 10 // 256 MiB
)

// ErrBadHash means a stored password hash cannot be read.
var ErrBadHash = errors.New("the stored password hash is not a valid argon2id PHC string")

// VerifyPassword checks pw against a PHC string. needsRehash is true when
// the hash was made with weaker settings than today's defaults, so the
// caller can store a fresh hash after a successful sign-in.
func VerifyPassword(pw, phc string) (ok, needsRehash bool, err error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	d := DefaultPasswordParams
	needsRehash = p.MemoryKiB < d.MemoryKiB || p.Time < d.Time || len(salt) < d.SaltLen || len(want) < int(d.KeyLen)
	return ok, needsRehash, nil
}

func parsePHC(phc string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("unsupported argon2 version %q: %w", parts[2], ErrBadHash)
	}
	var threads uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &threads); err != nil ||
		p.Time == 0 || p.Time > maxArgonTime || threads == 0 || threads > 255 ||
		p.MemoryKiB < 8*threads || p.MemoryKiB > maxArgonMemoryKiB {
		return p, nil, nil, fmt.Errorf("bad argon2 parameters %q: %w", parts[3], ErrBadHash)
	}
	p.Threads = uint8(threads)
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, ErrBadHash
	}
	p.SaltLen, p.KeyLen = len(salt), uint32(len(key))
	return p, salt, key, nil
}
