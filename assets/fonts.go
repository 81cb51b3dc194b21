package assets

import _ "embed"

// The fonts the PDF sheets are set in. They are TrueType (gofpdf refuses
// OpenType/CFF and collections) and are embedded as subsets in each PDF, so
// the machine printing a sheet needs no fonts installed. Licences sit next
// to the files in fonts/; see README.md.
//
// These slices are shared: treat them as read-only. gofpdf writes into the
// bytes it is given (it pads tables in place while subsetting), so callers
// that hand a font to gofpdf must give it a private copy.
var (
	// DejaVuSans is DejaVu Sans 2.37: Latin (with Vietnamese), Greek,
	// Cyrillic and common symbols.
	//
	//go:embed fonts/DejaVuSans.ttf
	DejaVuSans []byte

	// DejaVuSansBold is DejaVu Sans Bold 2.37.
	//
	//go:embed fonts/DejaVuSans-Bold.ttf
	DejaVuSansBold []byte

	// DroidSansFallback is Droid Sans Fallback (full): Chinese, Japanese
	// kana and kanji, Korean hangul, for the text DejaVu Sans has no
	// glyphs for. It has no bold face.
	//
	//go:embed fonts/DroidSansFallbackFull.ttf
	DroidSansFallback []byte
)
