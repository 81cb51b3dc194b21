package data

import (
	"errors"
	"strings"
	"testing"
)

func TestHashPasswordUsesOWASPMinimumInPHCForm(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with m=19456,t=2,p=1", h)
	}
	p, salt, key, err := parsePHC(h)
	if err != nil || p.MemoryKiB < 19*1024 || p.Time < 2 || p.Threads != 1 || len(salt) != 16 || len(key) != 32 {
		t.Fatalf("parsed %+v salt %d key %d err %v", p, len(salt), len(key), err)
	}
	again, _ := HashPassword("correct horse battery")
	if again == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if ok, rehash, err := VerifyPassword("correct horse battery", h); !ok || rehash || err != nil {
		t.Fatalf("right password: ok %v rehash %v err %v", ok, rehash, err)
	}
	if ok, _, _ := VerifyPassword("correct horse batterY", h); ok {
		t.Fatal("a wrong password was accepted")
	}
}

func TestVerifyPasswordFlagsWeakHashesAndRefusesBadOnes(t *testing.T) {
	weak, err := hashPasswordWith("correct horse battery", PasswordParams{MemoryKiB: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	if err != nil {
		t.Fatal(err)
	}
	if ok, rehash, _ := VerifyPassword("correct horse battery", weak); !ok || !rehash {
		t.Fatalf("weak hash: ok %v, rehash %v; want both true", ok, rehash)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$!!$??"} {
		if _, _, err := VerifyPassword("x", bad); !errors.Is(err, ErrBadHash) {
			t.Errorf("%q: got %v, want ErrBadHash", bad, err)
		}
	}
	if _, err := HashPassword("short"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("", "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("x", "$$$$$")
	f.Fuzz(func(t *testing.T, pw, phc string) {
		p, _, _, err := parsePHC(phc)
		if err != nil || p.MemoryKiB > 1<<16 || p.Time > 4 {
			return // keep each run cheap; parsing is what is fuzzed
		}
		_, _, _ = VerifyPassword(pw, phc)
	})
}

// BenchmarkHashPassword is what one sign-in costs (VerifyPassword does the
// same work): about the time of a blink is fine; far less would mean the
// settings are too weak.
func BenchmarkHashPassword(b *testing.B) {
	for range b.N {
		if _, err := HashPassword("correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}
