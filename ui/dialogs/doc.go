// Package dialogs shows NeedleDesk's dialogs so the keyboard can answer
// them (Escape, Enter), plain messages and errors, and the save dialog that
// yields only a path and opens no file.
package dialogs
