package assets

import (
	"bytes"
	"image/png"
	"testing"
)

func TestIconIsSquarePNG(t *testing.T) {
	for _, icon := range []struct {
		name string
		png  []byte
		size int
	}{{"icon.png", IconPNG, 512}, {"icon-64.png", SmallIconPNG, 64}} {
		cfg, err := png.DecodeConfig(bytes.NewReader(icon.png))
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", icon.name, err)
		}
		if cfg.Width != icon.size || cfg.Height != icon.size {
			t.Fatalf("%s is %dx%d, want %dx%d", icon.name, cfg.Width, cfg.Height, icon.size, icon.size)
		}
	}
}
