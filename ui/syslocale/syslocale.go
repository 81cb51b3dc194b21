// Package syslocale lets Fyne read the system's locale when it is the
// plain C locale with a character set, such as LANG=C.UTF-8 (usual in
// containers and on servers). Fyne's lang package reads the locale while
// it initialises, before main runs, in every command whether or not it
// shows a window; it takes "C" from "C.UTF-8" for a language and logs
// "Fyne error: Error parsing user locale C".
//
// The C locale means untranslated, which for NeedleDesk is English, so
// this package says so in LANGUAGE, which Fyne reads after LC_ALL,
// LC_MESSAGES and LANG, and only when LANGUAGE is not set already.
// Nothing is hidden: a locale Fyne truly cannot read is still reported.
//
// main imports it for its init. It must run before Fyne's lang package
// does, so it imports only os and strings: Go initialises, at each step,
// the first package by import path whose imports are all initialised (the
// language specification, since Go 1.21), so this package, ready as soon
// as os and strings are, comes before text/template, which Fyne's lang
// package waits for.
package syslocale

import (
	"os"
	"strings"
)

func init() { Apply(os.Getenv, os.Setenv) }

// Apply sets LANGUAGE to "en" when the locale that messages follow
// (LC_ALL, else LC_MESSAGES, else LANG) is C or POSIX with a character set
// or modifier, and LANGUAGE is empty. The bare "C" and "POSIX" need
// nothing: Fyne reads them as no preference.
func Apply(getenv func(string) string, setenv func(key, value string) error) {
	if getenv("LANGUAGE") != "" {
		return
	}
	var loc string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(name); loc != "" {
			break
		}
	}
	if loc == "C" || loc == "POSIX" {
		return
	}
	lang, _, _ := strings.Cut(loc, ".")
	lang, _, _ = strings.Cut(lang, "@")
	if lang == "C" || lang == "POSIX" {
		_ = setenv("LANGUAGE", "en") // Fyne would log the same error as before
	}
}
