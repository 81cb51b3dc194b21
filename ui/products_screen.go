package ui

// TEMPORARY scaffold: replaced by the real Products screen.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

type productsScreen struct{ content fyne.CanvasObject }

func newProductsScreen(env *appEnv) *productsScreen {
	return &productsScreen{content: widget.NewLabel("products")}
}

func (s *productsScreen) hasUnsaved() bool { return false }
