package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf16"
)

// gofpdf writes no ToUnicode map for a simple font, and the glyph names
// that tell poppler what the glyphs of the shaped faces read as (see
// glyphfont.go) are not enough for every reader: MuPDF reads a name like
// uni0915094D0937 (one glyph for three characters) as a replacement
// character, and Ghostscript ignores names in a symbolic font. So once
// gofpdf has written the document, appendToUnicode adds the maps as an
// incremental update (PDF 32000-1 7.5.6): a ToUnicode CMap stream per font
// and a new version of its font dictionary that points to it, with their
// own cross-reference section and a trailer pointing back to gofpdf's.
// Nothing gofpdf wrote changes. Glyphs that read as nothing are left out of
// the maps, and readers fall back to their names (uni0000).

var trailerRE = regexp.MustCompile(`trailer\n<<\n/Size (\d+)\n/Root (\d+ 0 R)\n/Info (\d+ 0 R)\n>>\nstartxref\n(\d+)\n%%EOF\n$`)

// appendToUnicode adds ToUnicode maps for fonts to doc, a PDF as gofpdf
// wrote it.
func appendToUnicode(doc *bytes.Buffer, fonts []fontUnicode) error {
	if len(fonts) == 0 {
		return nil
	}
	m := trailerRE.FindSubmatch(doc.Bytes())
	if m == nil {
		return errors.New("gofpdf's trailer is not as expected")
	}
	size, _ := strconv.Atoi(string(m[1]))
	type entry struct{ num, off int }
	var xref []entry
	for _, f := range fonts {
		num, dict, err := fontDict(doc.Bytes(), f.baseFont)
		if err != nil {
			return err
		}
		cmap := toUnicodeCMap(&f.text)
		xref = append(xref, entry{size, doc.Len()})
		fmt.Fprintf(doc, "%d 0 obj\n<</Length %d /Filter /FlateDecode>>\nstream\n", size, len(cmap))
		doc.Write(cmap)
		doc.WriteString("\nendstream\nendobj\n")
		xref = append(xref, entry{num, doc.Len()})
		fmt.Fprintf(doc, "%d 0 obj\n%s/ToUnicode %d 0 R\n>>\nendobj\n", num, dict, size)
		size++
	}
	slices.SortFunc(xref, func(a, b entry) int { return a.num - b.num })
	at := doc.Len()
	doc.WriteString("xref\n")
	for _, e := range xref {
		fmt.Fprintf(doc, "%d 1\n%010d 00000 n \n", e.num, e.off)
	}
	fmt.Fprintf(doc, "trailer\n<<\n/Size %d\n/Root %s\n/Info %s\n/Prev %s\n>>\nstartxref\n%d\n%%%%EOF\n",
		size, m[2], m[3], m[4], at)
	return nil
}

// fontDict finds the font dictionary gofpdf wrote for the font named
// baseFont: its object number, and its text up to the closing ">>".
func fontDict(doc []byte, baseFont string) (int, []byte, error) {
	start := bytes.Index(doc, []byte("\n<</Type /Font\n/BaseFont /"+baseFont+"\n"))
	if start < 0 {
		return 0, nil, fmt.Errorf("font %s not found in gofpdf's output", baseFont)
	}
	head := doc[bytes.LastIndexByte(doc[:start], '\n')+1 : start] // "N 0 obj"
	num, err := strconv.Atoi(string(bytes.TrimSuffix(head, []byte(" 0 obj"))))
	end := bytes.Index(doc[start:], []byte("\n>>\nendobj\n"))
	if err != nil || end < 0 {
		return 0, nil, fmt.Errorf("font %s: gofpdf's font object is not as expected", baseFont)
	}
	return num, doc[start+1 : start+end+1], nil
}

// toUnicodeCMap is the compressed ToUnicode CMap for a simple font whose
// codes read as text.
func toUnicodeCMap(text *[256]string) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
	var codes []int
	for c, t := range text {
		if t != "" {
			codes = append(codes, c)
		}
	}
	for len(codes) > 0 {
		n := min(len(codes), 100) // at most 100 to a block
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, c := range codes[:n] {
			fmt.Fprintf(&b, "<%02X> <", c)
			for _, u := range utf16.Encode([]rune(text[c])) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
		codes = codes[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return zlibCompress(b.Bytes())
}
