package screen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"needledesk/data"
)

// FileSave is how one kind of file is saved where the person chose.
type FileSave struct {
	FailTitle  string // the title when it cannot be saved: "Could not save the sheet"
	CanReplace bool   // whether an existing file may be replaced, once the person says so
	// NotReplaced says why an existing file is not replaced, when it
	// cannot be: "a backup never replaces a file".
	NotReplaced string
	// Write writes the file at path, replacing one there when replace is
	// true; it is called on the UI goroutine and does its work in the
	// background.
	Write func(path string, replace bool)
}

// CheckSaveTarget checks path in the background before anything is
// written: the database, its companions and the backups are refused with
// a plain message; an existing file is replaced only once the person
// says so (and never for kinds that cannot replace, such as backups).
func (env *Env) CheckSaveTarget(path string, s FileSave) {
	kept := env.KeptFiles()
	Background(env, func(context.Context) (string, error) {
		return data.CheckDestination(path, kept, false)
	}, func(_ string, err error) {
		switch {
		case err == nil:
			s.Write(path, false)
		case errors.Is(err, fs.ErrExist) && s.CanReplace:
			name, dir := filepath.Base(path), filepath.Dir(path)
			env.Confirm("Replace "+name+"?", "There is already a file called "+name+" in "+dir+
				". Replace it? What it holds now will be gone.", "Replace", func() { s.Write(path, true) })
		case errors.Is(err, fs.ErrExist):
			env.ShowError(s.FailTitle, data.Explained(fmt.Errorf("%w; %s, so choose another name", err, s.NotReplaced)))
		default:
			env.ShowError(s.FailTitle, err)
		}
	})
}
