package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	_ "image/jpeg" // the logo may be a JPEG
	_ "image/png"  // or a PNG
	"io"
	"needledesk/ui/dialogs"
	"needledesk/ui/screen"
	"needledesk/ui/widgets"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxLogoBytes is the largest logo the clinic can keep (the same limit as
// data's settings validation).
const maxLogoBytes = 2 << 20

// errLogoTooLarge and errLogoUnreadable say why a picture was refused.
var (
	errLogoTooLarge   = errors.New("this picture is larger than 2 MB. Save a smaller copy (a logo a few hundred pixels wide is plenty) and choose that")
	errLogoUnreadable = errors.New("NeedleDesk cannot read this file as a picture. Choose a PNG or JPEG image")
)

// readLogo reads a logo picture, refusing one over 2 MB or one that is not
// a PNG or JPEG image that decodes.
func readLogo(r io.Reader) ([]byte, image.Image, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxLogoBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("the file could not be read: %w", err)
	}
	if len(b) > maxLogoBytes {
		return nil, nil, errLogoTooLarge
	}
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		return nil, nil, errLogoUnreadable
	}
	return b, img, nil
}

// loadLogo reads a logo picture from a file.
func loadLogo(path string) ([]byte, image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("the file could not be opened: %w", err)
	}
	defer f.Close()
	return readLogo(f)
}

// logoPicker shows the clinic's logo and lets the owner choose another or
// remove it. The picture is read and checked in the background.
type logoPicker struct {
	env      *areaEnv
	logo     []byte
	key      string // stands for logo when telling unsaved changes
	onChange func()
	gen      uint64 // bumped by every new picture; older decodes are stale

	preview *canvas.Image
	empty   *widget.Label
	field   *widgets.Field // "logo": refused files and data's size check
	choose  *widget.Button
	remove  *widget.Button
	content fyne.CanvasObject
}

func newLogoPicker(env *areaEnv, onChange func()) *logoPicker {
	l := &logoPicker{env: env, onChange: onChange}
	l.preview = &canvas.Image{FillMode: canvas.ImageFillContain}
	l.preview.SetMinSize(fyne.NewSize(280, 120))
	l.preview.Hide()
	l.empty = &widget.Label{Text: "No logo yet", Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	l.choose = &widget.Button{Text: "Choose logo…", Icon: theme.FolderOpenIcon(), OnTapped: l.onChoose}
	l.remove = &widget.Button{Text: "Remove logo", Icon: theme.DeleteIcon(), OnTapped: l.onRemove}
	l.remove.Disable()
	back := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	back.SetMinSize(fyne.NewSize(280, 140))
	back.CornerRadius = theme.InputRadiusSize()
	frame := container.NewStack(back,
		container.NewPadded(container.NewStack(container.NewCenter(l.empty), l.preview)))
	help := widgets.Caption("A PNG or JPEG picture up to 2 MB. It is printed at the top of every aftercare sheet.")
	l.field = widgets.NewField("logo", "Logo", container.NewVBox(frame, help, container.NewHBox(l.choose, l.remove)))
	l.field.Label.Hide() // the section is already headed "Logo"
	l.content = l.field.Box
	return l
}

// set shows a logo from the store, or none.
func (l *logoPicker) set(logo []byte) {
	l.field.SetProblem("")
	l.show(logo, nil)
}

// show keeps logo and shows its picture, decoding it in the background
// when img is nil.
func (l *logoPicker) show(logo []byte, img image.Image) {
	l.gen++
	l.logo = logo
	l.key = fmt.Sprintf("%d:%08x", len(logo), crc32.ChecksumIEEE(logo))
	if len(logo) == 0 {
		l.preview.Hide()
		l.preview.Image = nil
		l.empty.SetText("No logo yet")
		l.empty.Show()
		l.remove.Disable()
		return
	}
	l.remove.Enable()
	if img != nil {
		l.showImage(img)
		return
	}
	gen := l.gen
	screen.Background(l.env.Env, func(context.Context) (image.Image, error) {
		_, img, err := readLogo(bytes.NewReader(logo))
		return img, err
	}, func(img image.Image, err error) {
		if gen != l.gen {
			return
		}
		if err != nil {
			l.preview.Hide()
			l.empty.SetText("The saved logo cannot be shown")
			l.empty.Show()
			return
		}
		l.showImage(img)
	})
}

func (l *logoPicker) showImage(img image.Image) {
	l.preview.Image = img
	l.preview.Show()
	l.preview.Refresh()
	l.empty.Hide()
}

func (l *logoPicker) onChoose() {
	d := dialog.NewFileOpen(l.onFileChosen, l.env.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".PNG", ".JPG", ".JPEG"}))
	d.SetTitleText("Choose the clinic's logo")
	d.SetConfirmText("Use this picture")
	d.Resize(fyne.NewSize(820, 560))
	dialogs.ShowDialog(l.env.Window, d, nil)
}

// logoFile is a picture read from disk.
type logoFile struct {
	bytes []byte
	img   image.Image
}

// onFileChosen reads and checks the chosen file in the background.
func (l *logoPicker) onFileChosen(rc fyne.URIReadCloser, err error) {
	if err != nil {
		l.field.SetProblem("The file could not be opened. " + err.Error())
		return
	}
	if rc == nil {
		return // cancelled
	}
	l.field.SetProblem("")
	l.empty.SetText("Reading the picture…")
	screen.Background(l.env.Env, func(context.Context) (logoFile, error) {
		defer rc.Close()
		b, img, err := readLogo(rc)
		return logoFile{b, img}, err
	}, l.applyFile)
}

// applyFile shows the picture read, or says why it was refused and keeps
// the logo there was.
func (l *logoPicker) applyFile(f logoFile, err error) {
	if err != nil {
		l.refuse(err)
		return
	}
	l.field.SetProblem("")
	l.show(f.bytes, f.img)
	l.changed()
}

// refuse says why a picture cannot be the logo.
func (l *logoPicker) refuse(err error) {
	l.field.Message.Importance = widget.DangerImportance
	l.field.SetProblem("That picture was not used: " + err.Error() + ".")
	if len(l.logo) == 0 {
		l.empty.SetText("No logo yet")
	}
}

func (l *logoPicker) onRemove() {
	l.field.SetProblem("")
	l.show(nil, nil)
	l.changed()
}

func (l *logoPicker) changed() {
	if l.onChange != nil {
		l.onChange()
	}
}
