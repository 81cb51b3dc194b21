// Package assets holds the files NeedleDesk embeds in its binary. It imports
// nothing from Fyne so that pdf and other non-UI packages can use it too; ui
// wraps the bytes in Fyne resources.
package assets

import _ "embed"

// IconPNG is the 512x512 application icon, for the window manager and
// `fyne package`.
//
//go:embed icon.png
var IconPNG []byte

// SmallIconPNG is the same icon at 64x64, for the headings inside the
// window, drawn at 20 points: the 512 one, decoded for a heading, held
// 1 MB of memory, and as much again as a texture, to draw 20 points.
//
//go:embed icon-64.png
var SmallIconPNG []byte
