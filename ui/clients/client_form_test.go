package clients

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// openClientForm shows the client form for c in the test window and
// records what onSaved receives.
func openClientForm(e *storeEnv, c data.Client) (*clientForm, *[]data.Client) {
	var saved []data.Client
	f := buildClientForm(e.areaEnv, c, func(c data.Client) { saved = append(saved, c) }, nil)
	e.show(f.page)
	return f, &saved
}

// fieldMessage is the message shown under the form's field name, or ""
// when the line is hidden.
func (f *clientForm) fieldMessage(name string) string {
	fd := f.fields.Find(name)
	if fd == nil || !fd.Message.Visible() {
		return ""
	}
	return fd.Message.Text
}

// storedClients lists every client in the store, archived or not.
func clientTestStored(t *testing.T, e *storeEnv) []data.ClientSummary {
	t.Helper()
	list, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{State: data.AnyState})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// clientTestRetype replaces an entry's text as a user would: clear it, then type.
func clientTestRetype(e *widgets.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
}

func TestClientFormShowsProblemsThenSaves(t *testing.T) {
	e := newStoreEnv(t)
	f, saved := openClientForm(e, data.Client{})
	test.Type(f.given, "Zoë")
	test.Type(f.family, "Adams")
	test.Type(f.dob, "14/03/2031") // after the test clock's today
	test.Type(f.email, "zoe@")
	test.Tap(f.saveBtn)

	if got := f.fieldMessage("date_of_birth"); got != "is in the future" {
		t.Errorf("date of birth message = %q", got)
	}
	if got := f.fieldMessage("email"); !strings.Contains(got, "not an e-mail address") {
		t.Errorf("e-mail message = %q", got)
	}
	if got := f.fieldMessage("given_name"); got != "" {
		t.Errorf("a good given name got a message: %q", got)
	}
	if !strings.Contains(f.summary.Text, "need a look") {
		t.Errorf("summary = %q", f.summary.Text)
	}
	if f.saving || len(*saved) != 0 {
		t.Fatal("an invalid form started saving")
	}
	if n := len(clientTestStored(t, e)); n != 0 {
		t.Fatalf("the store holds %d clients after an invalid save", n)
	}

	clientTestRetype(f.dob, "14/03/1990")
	clientTestRetype(f.email, "zoe@example.com")
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the client to be saved", func() bool { return len(*saved) == 1 })

	got, err := e.st.Client(e.Ctx, data.SystemActor, (*saved)[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.GivenName != "Zoë" || got.FamilyName != "Adams" || got.DateOfBirth != data.NewDate(1990, 3, 14) ||
		got.Email != "zoe@example.com" {
		t.Fatalf("stored client = %+v", got)
	}
	if f.fieldMessage("date_of_birth") != "" || f.fieldMessage("email") != "" || f.summary.Text != "" {
		t.Error("messages stayed after a good save")
	}
}

func TestClientFormKeepsNamesExactlyAsTyped(t *testing.T) {
	for _, tc := range []struct{ given, family, full string }{
		{"Zoe\u0308", "Adams", "Zoe\u0308 Adams"}, // e + combining diaeresis stays decomposed
		{"Łukasz", "Nowak", "Łukasz Nowak"},
		{"芳", "王", "王芳"},
	} {
		t.Run(tc.full, func(t *testing.T) {
			e := newStoreEnv(t)
			f, saved := openClientForm(e, data.Client{})
			test.Type(f.given, tc.given)
			test.Type(f.family, tc.family)
			test.Type(f.dob, "1988-07-02")
			test.Type(f.phone, "+44 20 7946 0958")
			test.Tap(f.saveBtn)
			e.q.WaitFor(t, "the client to be saved", func() bool { return len(*saved) == 1 })
			got, err := e.st.Client(e.Ctx, data.SystemActor, (*saved)[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.GivenName != tc.given || got.FamilyName != tc.family {
				t.Fatalf("stored %q %q, want %q %q byte for byte", got.GivenName, got.FamilyName, tc.given, tc.family)
			}
			if got.FullName() != tc.full {
				t.Errorf("full name %q, want %q", got.FullName(), tc.full)
			}
		})
	}
}

func TestClientFormUnreadableDates(t *testing.T) {
	e := newStoreEnv(t)
	f, saved := openClientForm(e, data.Client{})
	test.Type(f.given, "Amara")
	test.Type(f.dob, "March 3rd")
	test.Type(f.phone, "+44 20 7946 0958")
	test.Type(f.consentOn, "31/02/2026") // no 31 February
	test.Type(f.consentVersion, "v3")
	test.Tap(f.saveBtn)

	want := "is not a date; type it as DD/MM/YYYY"
	if got := f.fieldMessage("date_of_birth"); got != want {
		t.Errorf("date of birth message = %q, want %q", got, want)
	}
	if got := f.fieldMessage("consent_signed_on"); got != want {
		t.Errorf("consent date message = %q, want %q", got, want)
	}
	if len(*saved) != 0 || len(clientTestStored(t, e)) != 0 {
		t.Fatal("a form with unreadable dates was saved")
	}
}

func TestClientFormScreeningQuestions(t *testing.T) {
	e := newStoreEnv(t)
	f, saved := openClientForm(e, data.Client{})
	if f.isoBox.Visible() || f.activesBox.Visible() {
		t.Fatal("follow-up questions show before their box is ticked")
	}
	test.Type(f.given, "Mei")
	test.Type(f.dob, "02/02/1992")
	test.Type(f.email, "mei@example.com")
	test.Tap(f.isotretinoin)
	if !f.isoBox.Visible() {
		t.Fatal("ticking isotretinoin does not ask for the stop date")
	}
	test.Type(f.isoStopped, "01/01/2027") // after today
	test.Tap(f.metal)
	test.Tap(f.concerns[0])
	f.skinType.SetSelectedIndex(4)
	test.Tap(f.saveBtn)
	if got := f.fieldMessage("isotretinoin_stopped"); !strings.Contains(got, "in the future") {
		t.Fatalf("stop date message = %q", got)
	}

	clientTestRetype(f.isoStopped, "22/09/2026")
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the client to be saved", func() bool { return len(*saved) == 1 })
	got, err := e.st.Client(e.Ctx, data.SystemActor, (*saved)[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	k := got.Contra
	if !k.Isotretinoin || k.IsotretinoinStopped != data.NewDate(2026, 9, 22) || !k.MetalAllergy || k.PregnantOrNursing {
		t.Errorf("stored screening = %+v", k)
	}
	if got.SkinType != 4 || len(got.Concerns) != 1 || got.Concerns[0] != data.Concerns[0] {
		t.Errorf("stored skin type %v, concerns %v", got.SkinType, got.Concerns)
	}
}

func TestClientFormEditSavesWithAudit(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Łukasz", "Nowak")
	var published []int64
	screen.On(e.Events, func(e screen.ClientChanged) { published = append(published, int64(e.Client)) })
	f, saved := openClientForm(e, c)
	if f.page.Title != "Edit Łukasz Nowak" {
		t.Errorf("title = %q", f.page.Title)
	}
	clientTestRetype(f.phone, "+48 22 123 45 67")
	test.Type(f.allergies, "Lidocaine")
	// Ctrl+S from inside a field saves the form.
	f.allergies.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
	e.q.WaitFor(t, "the change to be saved", func() bool { return len(*saved) == 1 })

	got, err := e.st.Client(e.Ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Phone != "+48 22 123 45 67" || got.Allergies != "Lidocaine" || got.GivenName != "Łukasz" {
		t.Fatalf("stored client = %+v", got)
	}
	if len(published) != 1 || published[0] != c.ID {
		t.Errorf("clientChanged published %v, want [%d]", published, c.ID)
	}
	events, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityClient, EntityID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	var updates int
	for _, ev := range events {
		if ev.Action == data.ActionUpdate {
			updates++
			if ev.ActorID != e.Actor.ID {
				t.Errorf("update recorded under actor %d, want %d", ev.ActorID, e.Actor.ID)
			}
		}
	}
	if updates != 1 {
		t.Errorf("%d update rows in the audit trail, want 1", updates)
	}
}

func TestClientFormDirty(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams", func(c *data.Client) {
		c.Contra.Isotretinoin, c.Contra.IsotretinoinStopped = true, data.NewDate(2026, 1, 5)
		c.Consent = data.Consent{SignedOn: data.NewDate(2026, 1, 5), FormVersion: "v2"}
		c.Concerns = []data.Concern{data.ConcernLines}
		c.SkinType = 3
	})
	f, saved := openClientForm(e, c)
	if f.page.Dirty() {
		t.Fatal("a freshly loaded client counts as changed")
	}
	test.Tap(f.keloid)
	if !f.page.Dirty() {
		t.Fatal("ticking a box does not count as a change")
	}
	test.Tap(f.keloid)
	if f.page.Dirty() {
		t.Fatal("unticking back to the loaded state still counts as a change")
	}
	test.Type(f.notes, "Prefers mornings")
	if !f.page.Dirty() {
		t.Fatal("typing does not count as a change")
	}
	test.Tap(f.saveBtn)
	e.q.WaitFor(t, "the change to be saved", func() bool { return len(*saved) == 1 })
	if f.page.Dirty() {
		t.Error("the form still counts as changed after saving")
	}
}

func TestClientFormNeedsSomeoneWorking(t *testing.T) {
	e := newStoreEnv(t)
	e.Actor = data.Staff{}
	f, saved := openClientForm(e, data.Client{})
	test.Type(f.given, "Amara")
	test.Type(f.dob, "1990-01-01")
	test.Type(f.phone, "+44 20 7946 0958")
	test.Tap(f.saveBtn)
	if !strings.Contains(f.summary.Text, "Choose who is working") {
		t.Errorf("summary = %q", f.summary.Text)
	}
	if f.saving || len(*saved) != 0 || len(clientTestStored(t, e)) != 0 {
		t.Fatal("saved without knowing who is working")
	}
}

func TestClientFormCancel(t *testing.T) {
	e := newStoreEnv(t)
	root := &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")}
	stack := screen.NewStack(e.Env, root)
	e.w.SetContent(stack.Content)
	stack.Push(NewClientFormPage(e.areaEnv, data.Client{}, nil, stack.Pop))
	f := stack.Top()
	if f.Title != "New client" {
		t.Fatalf("top page = %q", f.Title)
	}
	// Leaving an untouched form asks nothing.
	test.Tap(uitest.ShownButton(t, f.Content, "Cancel"))
	if stack.Depth() != 1 {
		t.Fatal("Cancel did not leave an untouched form")
	}

	// Leaving a form with typing in it asks first.
	form := buildClientForm(e.areaEnv, data.Client{}, nil, stack.Pop)
	stack.Push(form.page)
	test.Type(form.given, "Amara")
	test.Tap(form.cancelBtn)
	if stack.Depth() != 2 {
		t.Fatal("Cancel threw away typed data without asking")
	}
	test.Tap(uitest.ShownButton(t, e.w.Canvas().Overlays().Top(), "Leave without saving"))
	if stack.Depth() != 1 {
		t.Fatal("agreeing to leave did not leave")
	}
}
