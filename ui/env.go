package ui

import (
	"needledesk/data"
	"needledesk/ui/screen"
)

// appEnv is the shell's working context (screen.Env) with the stores the
// shell's own screens use.
type appEnv struct {
	*screen.Env
	deps Deps

	welcomeShown bool
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
		data.DefaultBackupSettings().FolderFor(db), env.Settings.Backups.FolderFor(db)}}
}
