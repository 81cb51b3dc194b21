package admin

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
)

func openSettings(t *testing.T, e *storeEnv) *SettingsScreen {
	t.Helper()
	s := NewSettingsScreen(e.areaEnv)
	e.w.SetContent(s.Content)
	e.q.WaitFor(t, "the settings to load", func() bool { return s.Ready })
	return s
}

// openStaffTab chooses the settings' Staff tab and waits for its list.
func openStaffTab(t *testing.T, e *storeEnv, s *SettingsScreen) {
	t.Helper()
	s.Tabs.SelectIndex(settingsTabStaff)
	e.q.WaitFor(t, "the staff list", func() bool { return s.staff.loaded })
}

// TestStaffListReadsNothingUntilShown: the settings are made at sign-in,
// but the staff list (a row of labels and buttons for everyone, 195 on
// make bench's clinic) is read and drawn only once its tab is chosen;
// from then on it follows changes.
func TestStaffListReadsNothingUntilShown(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	e.w.SetContent(s.Content)
	e.q.Drain(300 * time.Millisecond)
	if s.staff.loaded || len(s.staff.rows.Objects) != 0 {
		t.Fatalf("the staff list was read before its tab was chosen: %d rows", len(s.staff.rows.Objects))
	}
	e.Events.Publish(screen.StaffChanged{})
	e.q.Drain(300 * time.Millisecond)
	if s.staff.loaded {
		t.Fatal("a staff change read the list before its tab was chosen")
	}
	openStaffTab(t, e, s)
	if !uitest.Shows(s.staff.content, "Sam O'Neill") {
		t.Fatalf("the Staff tab shows %q", uitest.Texts(s.staff.content))
	}
}

func TestSettingsInvalidEmailIsNotSaved(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	if s.clinicName.Text != "Lumen Skin Studio" || s.followUp.Text != "28" {
		t.Fatalf("form shows %q, %q", s.clinicName.Text, s.followUp.Text)
	}
	test.Type(s.email, "hello at lumen")
	if !s.HasUnsaved() {
		t.Fatal("a typed change should count as unsaved")
	}
	test.Tap(s.saveBtn)
	email := s.fields.Find("clinic_email")
	if !strings.HasPrefix(email.Message.Text, "is not an e-mail address") || !email.Message.Visible() {
		t.Fatalf("e-mail message = %q", email.Message.Text)
	}
	if !strings.Contains(s.summary.Text, "Nothing was saved") || !strings.Contains(s.summary.Text, "Clinic") {
		t.Errorf("summary = %q", s.summary.Text)
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.Email != "" {
		t.Fatalf("store e-mail = %q; nothing should be saved", st.Email)
	}
}

func TestSettingsSaveFollowUpAndTemplate(t *testing.T) {
	e := newStoreEnv(t)
	changed := uitest.CountEvents[screen.SettingsChanged](e.Events)
	s := openSettings(t, e)
	if s.idleLock.Text != "5" {
		t.Fatalf("the lock delay shows %q; want the default 5", s.idleLock.Text)
	}
	s.idleLock.SetText("90")
	test.Tap(s.saveBtn)
	if got := s.fields.Find("idle_lock_minutes").Message.Text; got != "must be between 1 and 60 minutes" {
		t.Fatalf("a 90-minute lock: %q", got)
	}
	s.idleLock.SetText("12")
	s.followUp.SetText("42")
	tmpl := s.aftercare.templates[data.WindowDays3To6]
	tmpl.SetText(tmpl.Text + "\n\nRing us on {clinic_phone} with any question.")
	s.paper.SetSelected("Letter")
	s.dateFormat.SetSelected(dateFormatOption("2 Jan 2006", e.Today()))
	test.Tap(s.saveBtn)
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })

	st, err := e.st.Settings(e.Ctx, data.SystemActor)
	if err != nil {
		t.Fatal(err)
	}
	if st.IdleLockMinutes != 12 {
		t.Errorf("store holds a lock delay of %d minutes; want 12", st.IdleLockMinutes)
	}
	if st.FollowUpDays != 42 || st.PaperSize != data.PaperLetter || st.DateFormat != "2 Jan 2006" ||
		!strings.HasSuffix(st.Aftercare.Templates[data.WindowDays3To6], "Ring us on {clinic_phone} with any question.") {
		t.Fatalf("store holds follow-up %d, paper %s, format %q, template ...%q", st.FollowUpDays, st.PaperSize,
			st.DateFormat, st.Aftercare.Templates[data.WindowDays3To6][len(st.Aftercare.Templates[data.WindowDays3To6])-50:])
	}
	if st.ClinicName != "Lumen Skin Studio" || st.DepthRangeFor(data.AreaCheeks) != (data.DepthRange{MinMM: 0.5, MaxMM: 1}) {
		t.Fatalf("untouched settings changed: %q %v", st.ClinicName, st.DepthRangeFor(data.AreaCheeks))
	}
	if *changed == 0 {
		t.Fatal("saving should publish settingsChanged")
	}
	if e.Settings.FollowUpDays != 42 {
		t.Error("the shared settings should follow the save")
	}
	if s.HasUnsaved() {
		t.Error("nothing is unsaved after saving")
	}
}

func TestSettingsUnknownPlaceholderShowsMessage(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	tmpl := s.aftercare.templates[data.WindowTreatmentDay]
	tmpl.SetText("Dear {client_name}, rest today.")
	test.Tap(s.saveBtn)
	f := s.fields.Find("template_treatment_day")
	if !strings.Contains(f.Message.Text, "{client_name}") || !strings.Contains(f.Message.Text, "{first_name}") {
		t.Fatalf("template message = %q", f.Message.Text)
	}
	if s.Tabs.SelectedIndex() != settingsTabAftercare {
		t.Errorf("the Aftercare tab should open to show the problem, tab %d is", s.Tabs.SelectedIndex())
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); strings.Contains(st.Aftercare.Templates[data.WindowTreatmentDay], "client_name") {
		t.Fatal("nothing should be saved")
	}
}

func TestSettingsUnreadableNumbersAndDepthsGetMessages(t *testing.T) {
	e := newStoreEnv(t)
	s := openSettings(t, e)
	s.followUp.SetText("four weeks")
	s.depthMin[data.AreaNeck].SetText("0.8")
	s.depthMax[data.AreaNeck].SetText("0,4")
	s.aftercare.counts[0].entry.SetText("12")
	test.Tap(s.saveBtn)
	for name, want := range map[string]string{
		"follow_up_days":     "should be a whole number of days, such as 28",
		"depth_range_neck":   "Neck: the range must run from low to high",
		"no_makeup_hours":    "must be between 24 and 336",
		"vitamin_c_from_day": "",
	} {
		if got := s.fields.Find(name).Message.Text; !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("%s message = %q, want %q", name, got, want)
		}
	}
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); st.FollowUpDays != 28 {
		t.Fatal("nothing should be saved")
	}
}

func TestSettingsRestoreNeedleDesksTexts(t *testing.T) {
	e := newStoreEnv(t)
	st, _ := e.st.Settings(e.Ctx, data.SystemActor)
	st.Aftercare.Templates[data.WindowWeekOne] = "Our own words for {first_name}."
	if err := e.st.SaveSettings(e.Ctx, e.ActorID(), &st); err != nil {
		t.Fatal(err)
	}
	s := openSettings(t, e)
	if got := s.aftercare.templates[data.WindowWeekOne].Text; got != "Our own words for {first_name}." {
		t.Fatalf("form shows %q", got)
	}
	s.Tabs.SelectIndex(settingsTabAftercare)
	test.Tap(uitest.Button(t, e.w, "Restore NeedleDesk's texts"))
	test.Tap(uitest.Button(t, e.w, "Restore texts"))
	defaults := data.DefaultAftercareSettings().Templates
	for _, w := range data.Windows {
		if s.aftercare.templates[w].Text != defaults[w] {
			t.Fatalf("%s was not restored", w)
		}
	}
	if !s.aftercare.restored.Visible() {
		t.Error("the form should say the texts are back and need saving")
	}
	test.Tap(s.saveBtn)
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	st, _ = e.st.Settings(e.Ctx, data.SystemActor)
	for _, w := range data.Windows {
		if st.Aftercare.Templates[w] != defaults[w] {
			t.Fatalf("store %s = %q, want NeedleDesk's text", w, st.Aftercare.Templates[w])
		}
	}
}

func TestStaffAddAndDeactivate(t *testing.T) {
	e := newStoreEnv(t)
	changed := uitest.CountEvents[screen.StaffChanged](e.Events)
	s := openSettings(t, e)
	openStaffTab(t, e, s)
	if s.bar.Visible() {
		t.Error("the settings Save bar should hide on the Staff tab")
	}
	test.Tap(s.staff.addBtn)
	d := s.staff.editing
	if d == nil {
		t.Fatal("Add staff member should open the dialog")
	}
	test.Tap(d.saveBtn)
	if got := d.fields.Find("name").Message.Text; got != "is required" {
		t.Fatalf("empty name message = %q", got)
	}
	test.Type(d.name, "Noor Haddad")
	d.role.SetSelected("Receptionist")
	test.Tap(d.saveBtn)
	if got := d.fields.Find("password").Message.Text; got == "" {
		t.Fatal("a new staff member without a password should get a message")
	}
	test.Type(d.password, "noor-desk-1")
	test.Tap(d.saveBtn)
	e.q.WaitFor(t, "the new member listed", func() bool { return uitest.Shows(e.w.Content(), "Noor Haddad") })
	noor := e.c.StaffNamed(t, "Noor Haddad")
	if noor.Role != data.RoleReceptionist || !noor.Active || !noor.HasPassword {
		t.Fatalf("store holds %+v", noor)
	}
	if _, err := e.st.SignIn(e.Ctx, noor.ID, "noor-desk-1"); err != nil {
		t.Fatalf("the new member cannot sign in with the password given: %v", err)
	}
	if *changed == 0 {
		t.Fatal("saving staff should publish staffChanged")
	}

	s.staff.onEdit(noor)
	d = s.staff.editing
	if d.name.Text != "Noor Haddad" || d.role.Selected != "Receptionist" || !d.active.Checked {
		t.Fatalf("edit dialog shows %q %q %v", d.name.Text, d.role.Selected, d.active.Checked)
	}
	test.Tap(d.active)
	test.Tap(d.saveBtn)
	e.q.WaitFor(t, "the member inactive", func() bool { return e.c.StaffNamed(t, "Noor Haddad").Active == false })
	e.q.WaitFor(t, "the list to say inactive", func() bool { return strings.Contains(s.staff.status.Text, "1 former member") })
}

func TestLogoRefusesUnreadableAndLargeFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "logo.png")
	if err := os.WriteFile(garbage, []byte("this is not a picture at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadLogo(garbage); !errors.Is(err, errLogoUnreadable) {
		t.Fatalf("garbage: err = %v", err)
	}
	big := filepath.Join(dir, "big.png")
	if err := os.WriteFile(big, bytes.Repeat([]byte{0x89}, maxLogoBytes+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadLogo(big); !errors.Is(err, errLogoTooLarge) {
		t.Fatalf("over 2 MB: err = %v", err)
	}

	img := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, 10, color.NRGBA{R: 0x2a, G: 0x8f, B: 0x8c, A: 0xff})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.png")
	if err := os.WriteFile(good, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b, decoded, err := loadLogo(good)
	if err != nil || !bytes.Equal(b, buf.Bytes()) || decoded.Bounds().Dx() != 40 {
		t.Fatalf("a real PNG: %d bytes, err %v", len(b), err)
	}

	// On screen: a refused file leaves the logo as it was and says why; a
	// good one shows and counts as a change to save.
	e := newStoreEnv(t)
	s := openSettings(t, e)
	_, _, err = loadLogo(garbage)
	s.logo.applyFile(logoFile{}, err)
	if msg := s.logo.field.Message; !msg.Visible() || !strings.Contains(msg.Text, "PNG or JPEG") || msg.Importance != widget.DangerImportance {
		t.Fatalf("refusal message = %q", msg.Text)
	}
	if s.HasUnsaved() {
		t.Fatal("a refused file changes nothing")
	}
	s.logo.applyFile(logoFile{bytes: b, img: decoded}, nil)
	if s.logo.field.Message.Visible() || !s.logo.preview.Visible() || !s.HasUnsaved() {
		t.Fatal("a good picture should show, clear the message and wait to be saved")
	}
	test.Tap(s.saveBtn)
	e.q.WaitFor(t, "the settings saved", func() bool { return s.summary.Text == "Settings saved." })
	if st, _ := e.st.Settings(e.Ctx, data.SystemActor); !bytes.Equal(st.Logo, buf.Bytes()) {
		t.Fatalf("store logo has %d bytes, want %d", len(st.Logo), buf.Len())
	}
	test.Tap(s.logo.remove)
	if s.logo.preview.Visible() || !s.HasUnsaved() {
		t.Fatal("Remove logo should clear the preview and wait to be saved")
	}
}
