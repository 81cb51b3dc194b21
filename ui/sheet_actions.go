package ui

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"needledesk/data"
)

// sheetFileName is a readable file name for a kept sheet.
func sheetFileName(clientName string, sh data.Sheet) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '-'
		}
		return r
	}, clientName)
	return fmt.Sprintf("Aftercare %s %s v%d.pdf", clean, sh.MadeAt.Local().Format("2006-01-02"), sh.Version)
}

// writeSheetToTemp writes a sheet where the system viewer can open it.
func writeSheetToTemp(name string, sh data.Sheet) (string, error) {
	dir := filepath.Join(os.TempDir(), "NeedleDesk-sheets")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("preparing a folder for the sheet: %w", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, sh.PDF, 0o600); err != nil {
		return "", fmt.Errorf("writing the sheet for the viewer: %w", err)
	}
	return path, nil
}

// openSheetInViewer opens a kept sheet in the computer's PDF viewer.
func openSheetInViewer(env *appEnv, clientName string, sh data.Sheet) {
	background(env, func(context.Context) (string, error) {
		return writeSheetToTemp(sheetFileName(clientName, sh), sh)
	}, func(path string, err error) {
		if err != nil {
			env.showError("Could not open the sheet", err)
			return
		}
		u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
		if err := fyne.CurrentApp().OpenURL(u); err != nil {
			env.showMessage("Could not open the sheet",
				"This computer has no PDF viewer NeedleDesk can start. Use Save PDF to keep the sheet as a file instead.")
		}
	})
}

// printSheet sends a kept sheet to the default printer where the system
// has a print command (lp on Linux and macOS); elsewhere it opens the
// viewer, whose Print command does the job.
func printSheet(env *appEnv, clientName string, sh data.Sheet) {
	lp, err := exec.LookPath("lp")
	if err != nil || runtime.GOOS == "windows" {
		openSheetInViewer(env, clientName, sh)
		dialog.ShowInformation("Print from the viewer", "The sheet opens in your PDF viewer: use its Print command.", env.window)
		return
	}
	background(env, func(ctx context.Context) (string, error) {
		path, err := writeSheetToTemp(sheetFileName(clientName, sh), sh)
		if err != nil {
			return "", err
		}
		out, err := exec.CommandContext(ctx, lp, path).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("the printer refused the sheet: %s: %w", strings.TrimSpace(string(out)), err)
		}
		return strings.TrimSpace(string(out)), nil
	}, func(msg string, err error) {
		if err != nil {
			env.showError("Could not print the sheet", err)
			return
		}
		dialog.ShowInformation("Sent to the printer", "The aftercare sheet is on its way to the printer.\n"+msg, env.window)
	})
}

// saveSheetAs asks where to save a kept sheet and writes its exact bytes.
func saveSheetAs(env *appEnv, clientName string, sh data.Sheet) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			env.showError("Could not save the sheet", err)
			return
		}
		if w == nil {
			return // cancelled
		}
		background(env, func(context.Context) (struct{}, error) {
			_, err := w.Write(sh.PDF)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
			return struct{}{}, err
		}, func(_ struct{}, err error) {
			if err != nil {
				env.showError("Could not save the sheet", fmt.Errorf("writing the file: %w", err))
			}
		})
	}, env.window)
	d.SetFileName(sheetFileName(clientName, sh))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}
