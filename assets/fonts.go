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
	// kana and kanji, for the text DejaVu Sans has no glyphs for. It has
	// almost no Korean hangul (see NanumSquare). It has no bold face.
	//
	//go:embed fonts/DroidSansFallbackFull.ttf
	DroidSansFallback []byte

	// NanumSquare is NanumSquare Regular 1.000: all 11,172 Korean hangul
	// syllables and the hangul letters. It has no bold face here.
	//
	//go:embed fonts/NanumSquareR.ttf
	NanumSquare []byte
)

// The Noto Sans fonts below cover scripts that need shaping: letters that
// join or change shape with their neighbours (Arabic), vowel signs and
// conjuncts that are reordered and combined (the Indic scripts, Thai), and
// right-to-left lines (Arabic, Hebrew). Their glyphs are only right when the
// text is shaped with the font's OpenType tables (the pdf package shapes
// with go-text/typesetting's HarfBuzz port; Fyne does the same on screen).
// Each is the Regular weight, Noto Sans 2.x, SIL Open Font License 1.1
// (fonts/LICENSE-Noto.txt); none has a bold face here.
var (
	// NotoSansArabic: Arabic, Persian, Urdu and other Arabic-script
	// languages, with Arabic-Indic digits.
	//
	//go:embed fonts/NotoSansArabic-Regular.ttf
	NotoSansArabic []byte

	// NotoSansHebrew: Hebrew, with the vowel points.
	//
	//go:embed fonts/NotoSansHebrew-Regular.ttf
	NotoSansHebrew []byte

	// NotoSansDevanagari: Hindi, Marathi, Nepali and the other languages
	// written in Devanagari.
	//
	//go:embed fonts/NotoSansDevanagari-Regular.ttf
	NotoSansDevanagari []byte

	// NotoSansBengali: Bengali and Assamese.
	//
	//go:embed fonts/NotoSansBengali-Regular.ttf
	NotoSansBengali []byte

	// NotoSansGurmukhi: Punjabi in Gurmukhi.
	//
	//go:embed fonts/NotoSansGurmukhi-Regular.ttf
	NotoSansGurmukhi []byte

	// NotoSansGujarati: Gujarati.
	//
	//go:embed fonts/NotoSansGujarati-Regular.ttf
	NotoSansGujarati []byte

	// NotoSansOriya: Odia.
	//
	//go:embed fonts/NotoSansOriya-Regular.ttf
	NotoSansOriya []byte

	// NotoSansTamil: Tamil.
	//
	//go:embed fonts/NotoSansTamil-Regular.ttf
	NotoSansTamil []byte

	// NotoSansTelugu: Telugu.
	//
	//go:embed fonts/NotoSansTelugu-Regular.ttf
	NotoSansTelugu []byte

	// NotoSansKannada: Kannada.
	//
	//go:embed fonts/NotoSansKannada-Regular.ttf
	NotoSansKannada []byte

	// NotoSansMalayalam: Malayalam.
	//
	//go:embed fonts/NotoSansMalayalam-Regular.ttf
	NotoSansMalayalam []byte

	// NotoSansSinhala: Sinhala.
	//
	//go:embed fonts/NotoSansSinhala-Regular.ttf
	NotoSansSinhala []byte

	// NotoSansThai: Thai.
	//
	//go:embed fonts/NotoSansThai-Regular.ttf
	NotoSansThai []byte
)
