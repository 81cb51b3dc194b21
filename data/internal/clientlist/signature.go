package clientlist

// A signature is a small Bloom filter of the three-byte runs in a text:
// each run sets one bit, picked by a hash. Every pattern a search looks
// for is at least three bytes long (searchkeys pads a short word to three
// characters), and a text holding a pattern holds each of its runs, so a
// client whose signature lacks a bit the pattern's signature has cannot
// match, and Find skips the substring test. A search text of some 70
// bytes sets about a quarter of textSig's 256 bits, so a word of three
// characters rules out three clients in four, one of six or more nearly
// every client that does not hold it; a phone number's ten or so digits
// set about one bit in eight of phoneSig's 64.

type textSig [4]uint64

type phoneSig uint64

// runBit is the bit a three-byte run sets, of 1<<width.
func runBit(b0, b1, b2 byte, width uint) uint {
	h := uint32(b0)<<16 | uint32(b1)<<8 | uint32(b2)
	return uint((h * 0x9E3779B1) >> (32 - width))
}

func textSigOf[S string | []byte](s S) textSig {
	var sig textSig
	for i := 0; i+2 < len(s); i++ {
		bit := runBit(s[i], s[i+1], s[i+2], 8)
		sig[bit/64] |= 1 << (bit % 64)
	}
	return sig
}

func phoneSigOf[S string | []byte](s S) phoneSig {
	var sig phoneSig
	for i := 0; i+2 < len(s); i++ {
		sig |= 1 << runBit(s[i], s[i+1], s[i+2], 6)
	}
	return sig
}

// holds reports whether every bit of want is in sig.
func (sig *textSig) holds(want *textSig) bool {
	return sig[0]&want[0] == want[0] && sig[1]&want[1] == want[1] &&
		sig[2]&want[2] == want[2] && sig[3]&want[3] == want[3]
}

func (sig phoneSig) holds(want phoneSig) bool { return sig&want == want }
