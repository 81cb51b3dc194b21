package admin

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/backup"
	"needledesk/data/transfer"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
)

// backupsPanel is the Settings tab for keeping the clinic's records safe:
// where automatic backups go on this computer (a setting of the computer,
// kept by data/backup, saved with its own button), how many are kept
// (saved with the other settings), a backup now, a restore, and the
// export of every client. The folder's files are data/backup's work; the
// tab shows what it finds.
type backupsPanel struct {
	env  *areaEnv
	here string // where automatic backups go on this computer; "" until read
	gen  int    // bumped by every listing; older ones are stale

	folder                   *widgets.Entry
	folderField              *widgets.Field
	useFolderBtn             *widget.Button
	daily, weekly, monthly   *widgets.Entry
	fields                   []*widgets.Field
	recent                   *widget.Label
	backupBtn, copyBtn       *widget.Button
	restoreBtn, exportAllBtn *widget.Button
	content                  fyne.CanvasObject
}

func newBackupsPanel(env *areaEnv, entry func(rows int) *widgets.Entry) *backupsPanel {
	p := &backupsPanel{env: env}
	p.folder, p.daily, p.weekly, p.monthly = widgets.NewSubmitEntry(1, p.useFolder, nil), entry(1), entry(1), entry(1)
	p.folder.PlaceHolder = "The backups folder beside the database"
	p.useFolderBtn = &widget.Button{Text: "Use this folder", Icon: theme.FolderIcon(), OnTapped: p.useFolder}
	p.recent = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText}
	p.backupBtn = &widget.Button{Text: "Back up now", Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: p.backupNow}
	p.copyBtn = &widget.Button{Text: "Copy to another place…", Icon: theme.FolderOpenIcon(), OnTapped: p.copyElsewhere}
	p.restoreBtn = &widget.Button{Text: "Restore from a backup…", Icon: theme.HistoryIcon(), Importance: widget.WarningImportance, OnTapped: p.chooseRestore}
	p.exportAllBtn = &widget.Button{Text: "Export every client as CSV…", Icon: theme.DownloadIcon(), OnTapped: p.exportAll}

	p.folderField = widgets.NewField("backup_folder", "Backups folder on this computer",
		container.NewBorder(nil, nil, nil, p.useFolderBtn, p.folder))
	keep := func(name, label string, e *widgets.Entry) *widgets.Field {
		return widgets.NewField(name, label, container.NewHBox(settingsWidth(90, e), &widget.Label{Text: "kept"}))
	}
	daily, weekly, monthly := keep("backup_keep_daily", "Daily", p.daily), keep("backup_keep_weekly", "Weekly", p.weekly),
		keep("backup_keep_monthly", "Monthly", p.monthly)
	p.fields = []*widgets.Field{daily, weekly, monthly}

	autoText, nowText := fileAutoText, fileNowText
	server := env.deps.serverRestore() != nil
	if server {
		autoText, nowText = serverAutoText, serverNowText
		p.folder.PlaceHolder = "NeedleDesk backups in your home folder"
		p.restoreBtn.Text = "Restore into a new database…"
	}
	auto := widgets.CardSection("Automatic backups", autoText,
		container.NewVBox(p.folderField.Box, container.NewGridWithColumns(3, daily.Box, weekly.Box, monthly.Box), p.recent))
	now := widgets.CardSection("Back up or restore", nowText, container.NewHBox(p.backupBtn, p.copyBtn, p.restoreBtn))
	export := widgets.CardSection("Export", "Every client and every session as two CSV files for a spreadsheet, in a new "+
		"folder. One client's whole record is exported from their record.", container.NewHBox(p.exportAllBtn))
	p.content = settingsPage(auto, now, export)
	if env.deps.fileBackups() == nil {
		p.content = settingsPage(widgets.CardSection("Backups", serverBackupsNote, container.NewVBox()), export)
	} else if !env.deps.canRestore() && !server {
		p.restoreBtn.Hide()
	}
	if env.deps.WatchBackups != nil {
		env.deps.WatchBackups(func() {
			env.Do(func() {
				if env.Ctx.Err() == nil {
					p.showRecent()
				}
			})
		})
	}
	return p
}

// What the tab says of backups of a file, and of a server's database.
const (
	fileAutoText = "NeedleDesk copies the records when it starts (once a day) and when it closes, " +
		"checks each copy, and keeps the newest of each day, week and month. The folder is this computer's own " +
		"choice: keep it on this computer or a USB drive, not a network share."
	fileNowText = "A backup now goes into the backups folder; a copy for another place " +
		"can be locked with a passphrase. Restoring replaces every record with the backup's, after keeping a copy " +
		"of the records as they are now; everyone signs in again afterwards."
	serverAutoText = "NeedleDesk copies the records from the clinic's server when it starts (once a day) and when it " +
		"closes, with PostgreSQL's pg_dump, checks each copy, and keeps the newest of each day, week and month. The folder " +
		"is this computer's own choice: keep it on this computer or a USB drive, not a network share."
	serverNowText = "A backup now goes into the backups folder; a copy for another place can be locked with a " +
		"passphrase. The records are on a server, so a backup is restored into a new, empty database there, never over " +
		"the records in use; afterwards each workstation is pointed at the new database."
)

// serverBackupsNote is what the tab says for records not kept in a file on
// this computer: there is nothing here to copy or restore.
const serverBackupsNote = "This clinic's records are kept on a server, not in a file on this computer, so " +
	"NeedleDesk does not back them up or restore them here: the server keeps their backups. Ask whoever " +
	"looks after the server about them."

// fill shows the saved counts, and reads where backups go on this
// computer (b.Folder, where earlier versions kept the folder in the
// records, is taken over the first time; see backup.Folders).
func (p *backupsPanel) fill(b data.BackupSettings) {
	p.daily.SetText(fmt.Sprint(b.KeepDaily))
	p.weekly.SetText(fmt.Sprint(b.KeepWeekly))
	p.monthly.SetText(fmt.Sprint(b.KeepMonthly))
	p.loadFolder(b.Folder)
}

func (p *backupsPanel) snapshot(m map[string]string) {
	m["backup_keep_daily"] = p.daily.Text
	m["backup_keep_weekly"], m["backup_keep_monthly"] = p.weekly.Text, p.monthly.Text
}

// read puts the counts into b, with a problem for each that is not a
// number. The folder is not among them: it is this computer's, saved with
// its own button (useFolder).
func (p *backupsPanel) read(b *data.BackupSettings) []data.FieldError {
	var bad []data.FieldError
	for _, k := range []struct {
		name string
		e    *widgets.Entry
		dst  *int
	}{{"backup_keep_daily", p.daily, &b.KeepDaily}, {"backup_keep_weekly", p.weekly, &b.KeepWeekly}, {"backup_keep_monthly", p.monthly, &b.KeepMonthly}} {
		n, err := widgets.ParseCount(k.e.Text)
		if err != nil || strings.TrimSpace(k.e.Text) == "" {
			bad = append(bad, data.FieldError{Field: k.name, Message: "should be a whole number, such as 7"})
			continue
		}
		*k.dst = n
	}
	return bad
}

// folderPath is where automatic backups go now on this computer.
func (p *backupsPanel) folderPath() string {
	if p.here != "" {
		return p.here
	}
	key := p.env.deps.backupKey()
	if p.env.deps.serverRestore() != nil {
		return backup.ForServer(key)
	}
	return p.env.Settings.Backups.FolderFor(key)
}

// chosenFolder is this computer's folder for the records, and the folder
// chosen here ("" for the one beside the database).
type chosenFolder struct{ here, chosen string }

// loadFolder reads, in the background, where backups go on this computer
// and shows it, then lists that folder.
func (p *backupsPanel) loadFolder(fromSettings string) {
	db, folders := p.env.deps.backupKey(), p.env.deps.BackupFolders
	if db == "" {
		return
	}
	screen.Background(p.env.Env, func(context.Context) (chosenFolder, error) {
		here, err := folders.FolderFor(db, fromSettings)
		if err != nil {
			return chosenFolder{here: here}, err
		}
		chosen, err := folders.Chosen(db)
		return chosenFolder{here, chosen}, err
	}, p.showFolder)
}

func (p *backupsPanel) showFolder(f chosenFolder, err error) {
	p.here = f.here
	p.env.Settings.Backups.Folder = f.here // no file written may replace its backups (keptFiles)
	p.folder.SetText(f.chosen)
	p.folderField.SetProblem("")
	if err != nil {
		p.folderField.SetProblem(data.UserMessage(err))
	}
	p.showRecent()
}

// useFolder makes the folder typed this computer's backups folder for the
// records, once data/backup has checked it (given in full, made when
// missing, and writable); empty goes back to the folder beside the
// database.
func (p *backupsPanel) useFolder() {
	db, folders, typed := p.env.deps.backupKey(), p.env.deps.BackupFolders, p.folder.Text
	if db == "" {
		return
	}
	p.useFolderBtn.Disable()
	screen.Background(p.env.Env, func(context.Context) (chosenFolder, error) {
		if err := folders.Choose(db, typed); err != nil {
			return chosenFolder{}, err
		}
		here, err := folders.FolderFor(db, "")
		chosen, _ := folders.Chosen(db)
		return chosenFolder{here, chosen}, err
	}, func(f chosenFolder, err error) {
		p.useFolderBtn.Enable()
		if err != nil {
			p.folderField.SetProblem(data.UserMessage(err))
			return
		}
		p.showFolder(f, nil)
		p.env.ShowMessage("Backups folder", "Automatic backups of these records go to this folder on this computer:\n"+f.here)
	})
}

// showRecent lists the backups in the folder, read in the background. It
// runs when the settings are filled, when the tab is chosen, after a
// backup made here, and when an automatic backup lands (Deps.WatchBackups).
func (p *backupsPanel) showRecent() {
	p.gen++
	if p.env.deps.backupKey() == "" {
		p.recent.SetText("")
		return
	}
	folder, gen := p.folderPath(), p.gen
	screen.Background(p.env.Env, func(context.Context) ([]backup.Entry, error) { return backup.ListFolder(folder) },
		func(found []backup.Entry, err error) {
			if gen == p.gen {
				p.recent.SetText(describeBackups(folder, found, err, p.env.Settings))
			}
		})
}

// backupKindWords say how a backup differs from an automatic one.
var backupKindWords = map[backup.Kind]string{
	backup.Locked:        "locked with a passphrase",
	backup.BeforeRestore: "the records as they were before a restore",
}

// backupsListed is how many backups the tab names one by one.
const backupsListed = 5

// describeBackups says what the folder holds: how many backups, and the
// newest few with when each was made, in the clinic's date format.
func describeBackups(folder string, found []backup.Entry, err error, st data.Settings) string {
	if err != nil {
		return "Could not read the backups folder " + folder + ": " + data.UserMessage(err)
	}
	if len(found) == 0 {
		return "No backups in " + folder + " yet. The first is made a little after NeedleDesk starts."
	}
	lines := []string{fmt.Sprintf("%s in %s, newest first:", widgets.Count(len(found), "backup"), folder)}
	for _, b := range found[:min(len(found), backupsListed)] {
		at := b.At.Local()
		line := "•  " + st.FormatDate(data.DateOf(at)) + " at " + at.Format("15:04") + "   " + b.Name
		if words := backupKindWords[b.Kind]; words != "" {
			line += " (" + words + ")"
		}
		lines = append(lines, line)
	}
	if more := len(found) - backupsListed; more > 0 {
		lines = append(lines, fmt.Sprintf("and %s more.", widgets.Count(more, "older backup")))
	}
	return strings.Join(lines, "\n")
}

// backupNow writes a backup into the backups folder, with progress.
func (p *backupsPanel) backupNow() {
	folder := p.folderPath()
	name := p.backupName(false)
	p.writeBackup(filepath.Join(folder, name), nil, true)
}

// backupName names a backup made now: a file's, or a server's dump.
func (p *backupsPanel) backupName(encrypted bool) string {
	if p.env.deps.serverRestore() != nil {
		return backup.DumpName(p.env.Now(), 0, encrypted)
	}
	return backup.FileName(p.env.Now(), 0, encrypted)
}

// copyElsewhere asks where to put a copy, and for an optional passphrase
// that locks it.
func (p *backupsPanel) copyElsewhere() {
	pass, repeat := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pass.PlaceHolder, repeat.PlaceHolder = "Leave empty for no passphrase", "The passphrase again"
	problem := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	body := container.NewVBox(widgets.Caption(fmt.Sprintf("A copy that leaves the clinic should be locked with a passphrase of at least "+
		"%d characters.", backup.MinPassphraseLen)+" Keep the passphrase somewhere safe: without it the copy cannot be opened."), pass, repeat, problem)
	var d dialog.Dialog
	d = dialog.NewCustomConfirm("Copy the records to another place", "Choose where…", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		if pass.Text != repeat.Text {
			problem.SetText("The two passphrases are not the same.")
			dialogs.ShowDialog(p.env.Window, d, nil)
			return
		}
		if pass.Text != "" && backup.CheckPassphrase([]byte(pass.Text)) != nil {
			problem.SetText(fmt.Sprintf("The passphrase needs at least %d characters.", backup.MinPassphraseLen))
			dialogs.ShowDialog(p.env.Window, d, nil)
			return
		}
		p.chooseCopyFile([]byte(pass.Text))
	}, p.env.Window)
	d.Resize(fyne.NewSize(480, 300))
	dialogs.ShowDialog(p.env.Window, d, nil)
}

// chooseCopyFile asks where the copy goes; see save_dialog.go for why
// this is not Fyne's save dialog (it emptied the chosen file, the open
// database included, before anything here could look at it).
func (p *backupsPanel) chooseCopyFile(passphrase []byte) {
	encrypted := len(passphrase) > 0
	name := p.backupName(encrypted)
	dialogs.AskSavePath(p.env.Window, "Where should the copy go?", name, filepath.Ext(name), func(path string) {
		p.copyTo(path, passphrase)
	})
}

// copyTo makes the copy at path once the place is checked: a backup never
// replaces a file.
func (p *backupsPanel) copyTo(path string, passphrase []byte) {
	p.env.CheckSaveTarget(path, screen.FileSave{FailTitle: "The backup was not made", NotReplaced: "a backup never replaces a file",
		Write: func(path string, _ bool) { p.writeBackup(path, passphrase, false) }})
}

// writeBackup makes the backup behind a progress dialog.
func (p *backupsPanel) writeBackup(dest string, passphrase []byte, intoFolder bool) {
	files := p.env.deps.fileBackups()
	if files == nil {
		return
	}
	actor, kept := p.env.ActorID(), p.env.KeptFiles()
	p.env.WithProgress("Backing up", "Copying and checking the clinic's records…", func(ctx context.Context, progress func(float64)) error {
		if err := backup.PrepareDest(dest, intoFolder, kept); err != nil {
			return err
		}
		return files.Backup(ctx, actor, dest, data.BackupOptions{Passphrase: passphrase, Progress: screen.CountProgress(progress)})
	}, func(err error, cancelled bool) {
		switch {
		case cancelled:
		case err != nil:
			p.env.ShowError("The backup was not made", err)
		default:
			p.env.ShowMessage("Backup made", "The records were copied and checked:\n"+dest)
			p.showRecent()
		}
	})
}

// chooseRestore asks for the backup file, its passphrase when it is
// locked, and a clear yes before anything is replaced.
func (p *backupsPanel) chooseRestore() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			p.env.ShowError("Could not open the backup", err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		if backup.IsLockedName(path) {
			p.askPassphrase(path)
			return
		}
		p.confirmRestore(path, nil)
	}, p.env.Window)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".db", ".dump", ".age", ".enc"}))
	if lister, err := storage.ListerForURI(storage.NewFileURI(p.folderPath())); err == nil {
		fd.SetLocation(lister)
	}
	fd.Resize(fyne.NewSize(800, 560))
	dialogs.ShowDialog(p.env.Window, fd, nil)
}

func (p *backupsPanel) askPassphrase(path string) {
	pass := widget.NewPasswordEntry()
	d := dialog.NewCustomConfirm("This backup is locked", "Go on", "Cancel",
		container.NewVBox(widgets.Caption("Type the passphrase it was locked with."), pass), func(ok bool) {
			if ok {
				p.confirmRestore(path, []byte(pass.Text))
			}
		}, p.env.Window)
	d.Resize(fyne.NewSize(440, 200))
	dialogs.ShowDialog(p.env.Window, d, nil)
	p.env.Window.Canvas().Focus(pass)
}

func (p *backupsPanel) confirmRestore(path string, passphrase []byte) {
	if r := p.env.deps.serverRestore(); r != nil {
		p.askRestoreTarget(r, path, passphrase)
		return
	}
	restore := p.env.deps.Restore
	if restore == nil {
		return
	}
	question := "Replace every record in NeedleDesk with the backup " + filepath.Base(path) + "?\n\n" +
		"The records as they are now are copied to the backups folder first, so this can be undone. " +
		"Anything added after the backup was made is not in it. NeedleDesk closes the screens, restores, " +
		"and everyone signs in again."
	p.env.Confirm("Restore a backup", question, "Restore", func() {
		env := p.env
		restore(RestoreRequest{From: path, Passphrase: passphrase, Actor: env.ActorID()}, func(safety string, err error) {
			if err != nil {
				dialogs.ShowPlainError(env.Window, "The backup was not restored", err)
				return
			}
			msg := "The backup is in place. Sign in to carry on."
			if safety != "" {
				msg += "\n\nThe records as they were before are kept in:\n" + safety
			}
			dialogs.ShowPlainMessage(env.Window, "Backup restored", msg)
		})
	})
}

// exportAll writes every client and session as CSV into a folder the
// owner chooses.
func (p *backupsPanel) exportAll() {
	src := p.env.deps.Export
	if src == nil {
		return
	}
	fd := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			p.env.ShowError("Could not choose the folder", err)
			return
		}
		if dir == nil {
			return
		}
		actor, now := p.env.ActorID(), p.env.deps.Now
		var res transfer.ExportResult
		p.env.WithProgress("Exporting every client", "Writing clients.csv and sessions.csv…",
			func(ctx context.Context, progress func(float64)) error {
				var err error
				res, err = transfer.Exporter{Source: src, Now: now}.ExportAll(ctx, actor, dir.Path(), screen.CountProgress(progress))
				return err
			}, func(err error, cancelled bool) {
				switch {
				case cancelled:
				case err != nil:
					p.env.ShowError("The export was not made", err)
				default:
					p.env.ShowMessage("Export made", fmt.Sprintf("%s and %s written to:\n%s",
						widgets.Count(res.Clients, "client"), widgets.Count(res.Sessions, "session"), res.Dir))
				}
			})
	}, p.env.Window)
	fd.Resize(fyne.NewSize(800, 560))
	dialogs.ShowDialog(p.env.Window, fd, nil)
}

// askRestoreTarget asks for the new, empty database a server's backup goes
// into, then restores it there: the records in use are never replaced.
func (p *backupsPanel) askRestoreTarget(r data.ServerRestorer, path string, passphrase []byte) {
	target := widget.NewEntry()
	target.PlaceHolder = "postgres://needledesk@clinic-server/clinic_restored"
	problem := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	body := container.NewVBox(widgets.Caption("The backup "+filepath.Base(path)+" goes into a new, empty database on the "+
		"server; the records in use are not changed. Ask whoever looks after the server to create one, then give its "+
		"address here. Its password comes from ~/.pgpass, as this computer's connection does."), target, problem)
	var d dialog.Dialog
	d = dialog.NewCustomConfirm("Restore into a new database", "Restore", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		addr := strings.TrimSpace(target.Text)
		if !strings.HasPrefix(addr, "postgres://") && !strings.HasPrefix(addr, "postgresql://") {
			problem.SetText("Give the new database's address, starting postgres://")
			dialogs.ShowDialog(p.env.Window, d, nil)
			return
		}
		p.restoreToServer(r, path, addr, passphrase)
	}, p.env.Window)
	d.Resize(fyne.NewSize(520, 300))
	dialogs.ShowDialog(p.env.Window, d, nil)
	p.env.Window.Canvas().Focus(target)
}

// restoreToServer restores the backup into the database at addr behind a
// progress dialog, and says how to work on the restored records.
func (p *backupsPanel) restoreToServer(r data.ServerRestorer, path, addr string, passphrase []byte) {
	actor := p.env.ActorID()
	p.env.WithProgress("Restoring", "Checking the backup and restoring it into the new database…",
		func(ctx context.Context, progress func(float64)) error {
			_, err := r.RestoreToServer(ctx, path, addr, data.RestoreOptions{Passphrase: passphrase, Actor: actor,
				Progress: screen.CountProgress(progress)})
			return err
		}, func(err error, cancelled bool) {
			switch {
			case cancelled:
			case err != nil:
				p.env.ShowError("The backup was not restored", err)
			default:
				p.env.ShowMessage("Backup restored", restoredOnServer(addr))
			}
		})
}

// restoredOnServer says where a server's backup was restored and what to
// do next.
func restoredOnServer(addr string) string {
	return "The backup is in the new database, and its audit trail checks out:\n" + addr + "\n\n" +
		"The records in use were not changed. To work on the restored records, start NeedleDesk on each workstation " +
		"with --db " + addr + " (or choose it where the workstation connects to the clinic's server), and sign in there."
}
