// Package widgets holds what NeedleDesk's screens share to draw and read
// forms: text fields that save on Ctrl+S and hand the window its shortcuts,
// fields with their messages, the form scroller, section cards, captions
// and the words of an edit conflict. It knows no store and no screen.
package widgets
