package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"needledesk/data"
)

// RenderAftercare writes the client's aftercare sheet for plan to w as a
// PDF of one or two pages (more only for very long notes or product lists).
//
// The same plan always gives the same bytes: the document dates come from
// plan.MadeAt and nothing depends on the clock or on map order, so the
// SHA-256 the store keeps identifies the sheet.
//
// A logo that is not a readable PNG or JPEG is left out rather than failing
// the sheet. Text in scripts the embedded fonts do not cover prints as
// U+FFFD; Arabic, Hebrew, the Indic scripts and Thai are shaped, and
// right-to-left text is laid out right to left (see fonts.go, shape.go and
// bidi.go).
//
// Errors from w are returned wrapped; nothing is written to w unless the
// whole document was built.
func RenderAftercare(w io.Writer, plan data.AftercarePlan) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: aftercare sheet: internal error: %v", r)
		}
	}()
	lib, err := fonts()
	if err != nil {
		return fmt.Errorf("pdf: loading fonts: %w", err)
	}
	var buf bytes.Buffer
	buf.Grow(96 << 10)
	if err := buildAftercare(&buf, plan, lib); err != nil {
		return fmt.Errorf("pdf: aftercare sheet: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("pdf: writing aftercare sheet: %w", err)
	}
	return nil
}

func buildAftercare(out *bytes.Buffer, plan data.AftercarePlan, lib *fontLib) error {
	sizeName := "A4"
	if strings.EqualFold(string(plan.PaperSize), string(data.PaperLetter)) {
		sizeName = "Letter"
	}
	pdf := gofpdf.New("P", "mm", sizeName, "")
	pageW, pageH := pdf.GetPageSize()
	s := newSheet(plan, lib, pageW, pageH)
	s.logo, s.hasLogo = prepareLogo(plan.Clinic.Logo)
	s.build()
	pages := paginate(s.items, s.frame())

	setDocInfo(pdf, plan, s.clientName)
	s.fonts.register(pdf)
	if s.hasLogo {
		pdf.RegisterImageOptionsReader("logo", gofpdf.ImageOptions{ImageType: s.logo.kind}, bytes.NewReader(s.logo.data))
		if pdf.Err() {
			// Checked already, so this should not happen; if gofpdf still
			// refuses the image, print the sheet without it.
			pdf.ClearError()
			s.hasLogo = false
		}
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	c := newCanvas(pdf, s.fonts)
	fr := s.frame()
	for i, pg := range pages {
		pdf.AddPage()
		c.pageTop = fr.top
		if i == 0 {
			c.pageTop = fr.firstTop
		}
		s.decorate(c, i+1, len(pages))
		drawPage(c, pg)
	}
	if err := pdf.Output(out); err != nil {
		return err
	}
	if err := appendToUnicode(out, s.fonts.unicode()); err != nil {
		return err
	}
	if out.Len() == 0 {
		return errors.New("empty document")
	}
	return nil
}

// setDocInfo fills the document information dictionary. The dates come from
// the plan so that the bytes do not depend on when the sheet is rendered.
func setDocInfo(pdf *gofpdf.Fpdf, plan data.AftercarePlan, client string) {
	made := plan.MadeAt
	if made.IsZero() {
		made = plan.TreatedAt
	}
	if made.IsZero() {
		made = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(made)
	pdf.SetModificationDate(made)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Aftercare plan for "+client, true)
	if name := cleanLine(plan.Clinic.Name); name != "" {
		pdf.SetAuthor(name, true)
	}
	pdf.SetSubject("Aftercare after skin needling", true)
	pdf.SetCreator("NeedleDesk", true)
}
