package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
)

// Saving a file where the person chooses never uses Fyne's save dialog:
// in Fyne 2.7 it asks "Overwrite?" and then hands its callback a writer
// from storage.Writer, which has already created or emptied the chosen
// file (os.Create), before NeedleDesk can look at the choice; chosen
// over the open clinic.db, that emptied the database. savePathDialog
// yields only a path: a folder chosen with Fyne's folder dialog, which
// opens no file, and a name typed in. Every write then goes through
// checkSaveTarget, which refuses the database, its companions and the
// backups (data.CheckDestination) and asks before replacing anything
// else, and data.WriteFileAtomic, which writes a temporary file beside
// the target and renames it, so no file NeedleDesk did not make is ever
// emptied or removed.

// savePathDialog asks for a folder and a file name, and opens nothing.
type savePathDialog struct {
	env     *appEnv
	ext     string // added to a name typed without it, such as ".pdf"
	folder  string
	where   *widget.Label
	name    *widget.Entry
	problem *widget.Label
	dlg     *dialog.ConfirmDialog
	chosen  func(path string)
}

// askSavePath shows the dialog; chosen hears the full path on Save, and
// nothing is called on Cancel.
func askSavePath(env *appEnv, title, suggested, ext string, chosen func(path string)) *savePathDialog {
	d := &savePathDialog{
		env:     env,
		ext:     ext,
		where:   &widget.Label{Wrapping: fyne.TextWrapBreak},
		name:    widget.NewEntry(),
		problem: &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord},
		chosen:  chosen,
	}
	d.name.SetText(suggested)
	d.name.OnSubmitted = func(string) { d.dlg.Confirm() }
	d.setFolder(startFolder())
	choose := widget.NewButton("Choose folder…", d.chooseFolder)
	body := container.NewVBox(
		widget.NewLabel("Folder"),
		container.NewBorder(nil, nil, nil, choose, d.where),
		widget.NewLabel("File name"),
		d.name,
		d.problem,
	)
	d.dlg = dialog.NewCustomConfirm(title, "Save", "Cancel", body, d.onClosed, env.window)
	d.dlg.Resize(fyne.NewSize(560, 300))
	showDialog(env.window, d.dlg, nil)
	env.window.Canvas().Focus(d.name)
	return d
}

// startFolder is where the dialog starts: the person's home folder.
func startFolder() string {
	if home, err := os.UserHomeDir(); err == nil {
		return home
	}
	return "."
}

func (d *savePathDialog) setFolder(folder string) {
	d.folder = folder
	d.where.SetText(folder)
}

// chooseFolder opens Fyne's folder dialog at the folder shown.
func (d *savePathDialog) chooseFolder() {
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			d.env.showError("Could not open the folder", err)
			return
		}
		if dir != nil {
			d.setFolder(filepath.FromSlash(dir.Path()))
		}
	}, d.env.window)
	if lister, err := storage.ListerForURI(storage.NewFileURI(d.folder)); err == nil {
		fd.SetLocation(lister)
	}
	fd.Resize(fyne.NewSize(800, 560))
	showDialog(d.env.window, fd, nil)
}

// onClosed hands on the path, or shows the dialog again with what is
// wrong with the name.
func (d *savePathDialog) onClosed(save bool) {
	if !save {
		return
	}
	name := strings.TrimSpace(d.name.Text)
	switch {
	case name == "" || name == "." || name == "..":
		d.again("Type a name for the file.")
		return
	case strings.ContainsAny(name, `/\`):
		d.again("A file name cannot contain / or \\. Choose the folder with Choose folder…")
		return
	}
	if d.ext != "" && !strings.HasSuffix(strings.ToLower(name), d.ext) {
		name += d.ext
	}
	d.chosen(filepath.Join(d.folder, name))
}

func (d *savePathDialog) again(problem string) {
	d.problem.SetText(problem)
	showDialog(d.env.window, d.dlg, nil)
}

// fileSave is how one kind of file is saved where the person chose.
type fileSave struct {
	failTitle  string // the title when it cannot be saved: "Could not save the sheet"
	canReplace bool   // whether an existing file may be replaced, once the person says so
	// notReplaced says why an existing file is not replaced, when it
	// cannot be: "a backup never replaces a file".
	notReplaced string
	// write writes the file at path, replacing one there when replace is
	// true; it is called on the UI goroutine and does its work in the
	// background.
	write func(path string, replace bool)
}

// checkSaveTarget checks path in the background before anything is
// written: the database, its companions and the backups are refused with
// a plain message; an existing file is replaced only once the person
// says so (and never for kinds that cannot replace, such as backups).
func (env *appEnv) checkSaveTarget(path string, s fileSave) {
	kept := env.keptFiles()
	background(env, func(context.Context) (string, error) {
		return data.CheckDestination(path, kept, false)
	}, func(_ string, err error) {
		switch {
		case err == nil:
			s.write(path, false)
		case errors.Is(err, fs.ErrExist) && s.canReplace:
			name, dir := filepath.Base(path), filepath.Dir(path)
			env.confirm("Replace "+name+"?", "There is already a file called "+name+" in "+dir+
				". Replace it? What it holds now will be gone.", "Replace", func() { s.write(path, true) })
		case errors.Is(err, fs.ErrExist):
			env.showError(s.failTitle, data.Explained(fmt.Errorf("%w; %s, so choose another name", err, s.notReplaced)))
		default:
			env.showError(s.failTitle, err)
		}
	})
}

// keptFiles are the files the app never writes over: the open database
// with SQLite's files beside it, and the backups in the folder beside it
// and in the one the clinic chose.
func (env *appEnv) keptFiles() data.KeptFiles {
	db := env.deps.databasePath()
	if db == "" {
		return data.KeptFiles{}
	}
	return data.KeptFiles{Database: db, BackupFolders: []string{
		data.DefaultBackupSettings().FolderFor(db), env.settings.Backups.FolderFor(db)}}
}
