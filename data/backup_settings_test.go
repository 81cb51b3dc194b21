package data

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestBackupSettingsValidate(t *testing.T) {
	if err := DefaultBackupSettings().Validate(); err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	abs, _ := filepath.Abs(filepath.Join("some", "folder"))
	ok := BackupSettings{Folder: abs, KeepDaily: 1, KeepWeekly: 0, KeepMonthly: 0}
	if err := ok.Validate(); err != nil {
		t.Errorf("%+v refused: %v", ok, err)
	}
	for field, b := range map[string]BackupSettings{
		"backup_folder":       {Folder: "backups", KeepDaily: 7},
		"backup_keep_daily":   {KeepDaily: 0},
		"backup_keep_weekly":  {KeepDaily: 7, KeepWeekly: MaxKeepWeekly + 1},
		"backup_keep_monthly": {KeepDaily: 7, KeepMonthly: -1},
	} {
		err := b.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.For(field) == "" {
			t.Errorf("%+v: %v; want a problem with %s", b, err, field)
		}
	}
	s := DefaultSettings()
	s.ClinicName = "Lumen"
	s.Backups.KeepDaily = 1000
	if msg := FieldProblems(s.Validate()); len(msg) != 1 || msg[0].Field != "backup_keep_daily" {
		t.Errorf("Settings.Validate does not check the backup settings: %v", msg)
	}
}

func TestBackupFolderFor(t *testing.T) {
	db := filepath.Join("clinic", "needledesk.db")
	if got := DefaultBackupSettings().FolderFor(db); got != filepath.Join("clinic", "backups") {
		t.Errorf("default folder %q", got)
	}
	abs, _ := filepath.Abs("elsewhere")
	if got := (BackupSettings{Folder: abs}).FolderFor(db); got != abs {
		t.Errorf("set folder %q", got)
	}
}
