// Package assets holds the files NeedleDesk embeds in its binary. It imports
// nothing from Fyne so that pdf and other non-UI packages can use it too; ui
// wraps the bytes in Fyne resources.
package assets

import _ "embed"

// IconPNG is the 512x512 application icon.
//
//go:embed icon.png
var IconPNG []byte
