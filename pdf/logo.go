package pdf

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"slices"
	"sync"
)

// logoImage is a clinic logo that gofpdf can embed.
type logoImage struct {
	data []byte
	kind string // gofpdf image type: "PNG" or "JPG"
	w, h int    // pixels
}

// maxLogoPixels bounds the decoding work and memory a logo may cost.
const maxLogoPixels = 25_000_000

// A clinic uses one logo for every sheet, so the last one checked is kept.
var logoCache struct {
	sync.Mutex
	src []byte
	img logoImage
	ok  bool
}

// prepareLogo checks the clinic's logo and returns it in a form gofpdf
// embeds correctly and cheaply. The type comes from the file's first bytes,
// not from a name. The whole image is decoded, so a damaged file is caught
// here rather than printed as garbage. PNGs with transparency are flattened
// onto white (the header's background): gofpdf would otherwise split and
// recompress the alpha channel on every sheet, and it cannot embed 16-bit or
// interlaced PNGs at all. CMYK JPEGs, which viewers disagree about, become
// RGB.
//
// ok is false for anything that is not a readable PNG or JPEG. The sheet is
// then printed without a logo: the client must still get their aftercare
// instructions, and a broken logo is the clinic's settings to fix, not a
// reason to send someone home without them.
func prepareLogo(b []byte) (logoImage, bool) {
	if len(b) == 0 {
		return logoImage{}, false
	}
	logoCache.Lock()
	defer logoCache.Unlock()
	if logoCache.src != nil && bytes.Equal(logoCache.src, b) {
		return logoCache.img, logoCache.ok
	}
	img, ok := checkLogo(b)
	logoCache.src, logoCache.img, logoCache.ok = slices.Clone(b), img, ok
	return img, ok
}

func checkLogo(b []byte) (logoImage, bool) {
	var kind string
	switch {
	case bytes.HasPrefix(b, pngMagic):
		kind = "PNG"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		kind = "JPG"
	default:
		return logoImage{}, false
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxLogoPixels {
		return logoImage{}, false
	}
	var img image.Image
	if kind == "PNG" {
		img, err = png.Decode(bytes.NewReader(b))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(b))
	}
	if err != nil {
		return logoImage{}, false
	}
	out := logoImage{data: slices.Clone(b), kind: kind, w: cfg.Width, h: cfg.Height}
	var buf bytes.Buffer
	switch {
	case kind == "PNG" && !plainPNG(b):
		if png.Encode(&buf, onWhite(img)) != nil {
			return logoImage{}, false
		}
		out.data = buf.Bytes()
	case kind == "JPG" && cfg.ColorModel == color.CMYKModel:
		if jpeg.Encode(&buf, onWhite(img), &jpeg.Options{Quality: 92}) != nil {
			return logoImage{}, false
		}
		out.data = buf.Bytes()
	}
	return out, true
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// onWhite composites img over an opaque white background.
func onWhite(img image.Image) *image.RGBA {
	r := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, r.Min, draw.Over)
	return dst
}

// plainPNG reports whether gofpdf can copy the PNG's data as it is: at most
// 8 bits per channel, not interlaced, no alpha channel and no tRNS chunk.
func plainPNG(b []byte) bool {
	// signature (8), IHDR length and type (8), width and height (8), then
	// bit depth, colour type, compression, filter, interlace.
	if len(b) < 33 || string(b[12:16]) != "IHDR" {
		return false
	}
	depth, colorType, interlace := b[24], b[25], b[28]
	if depth > 8 || interlace != 0 || colorType == 4 || colorType == 6 {
		return false
	}
	for p := 8; p+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[p:]))
		typ := string(b[p+4 : p+8])
		if typ == "tRNS" {
			return false
		}
		if typ == "IDAT" || n < 0 || n > len(b) {
			return true
		}
		p += 12 + n
	}
	return true
}
