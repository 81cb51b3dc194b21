package clients

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"needledesk/data"
	"needledesk/data/sqlite"
	"needledesk/ui/screen"
	"needledesk/ui/uitest"
	"needledesk/ui/widgets"
)

// openClientRecord shows client id's record on top of a client list in
// the test window and waits for it to load.
func openClientRecord(t *testing.T, e *storeEnv, id int64) (*clientRecord, *screen.Stack) {
	t.Helper()
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	e.w.SetContent(stack.Content)
	r := buildClientRecord(e.areaEnv, stack, id)
	stack.Push(r.page)
	e.q.WaitFor(t, "the record to load", func() bool { return r.loaded })
	return r, stack
}

// timelineTexts renders every session row of the timeline, top to bottom,
// as its first line.
func (r *clientRecord) timelineTexts() []string {
	var out []string
	row := r.newSessionRow().(*timelineRow)
	for i := range r.timeline.Length() {
		r.updateSessionRow(i, row)
		out = append(out, row.when.Text)
	}
	return out
}

// clientTestEntryAfter finds the form entry under the label text.
func clientTestEntryAfter(t *testing.T, o fyne.CanvasObject, label string) *widgets.Entry {
	t.Helper()
	var seen bool
	var found *widgets.Entry
	uitest.WalkShown(o, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			seen = seen || v.Text == label
		case *widgets.Entry:
			if seen && found == nil {
				found = v
			}
		}
	})
	if found == nil {
		t.Fatalf("no entry labelled %q", label)
	}
	return found
}

func TestClientRecordShowsWarningsAndNewestSessionFirst(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams", func(c *data.Client) {
		c.Contra.Isotretinoin = true
		c.Contra.IsotretinoinStopped = data.NewDate(2026, 9, 20) // the test clock is 22 Nov 2026
		c.Allergies = "Lidocaine"
	})
	for _, day := range []data.Date{data.NewDate(2026, 6, 2), data.NewDate(2026, 10, 1), data.NewDate(2026, 8, 4)} {
		e.c.AddSession(t, c, day, func(s *data.Session) { s.Reaction = "Mild redness" })
	}
	r, _ := openClientRecord(t, e, c.ID)

	shown := strings.Join(uitest.ShownTexts(r.page.Content), "\n")
	for _, want := range []string{
		"Isotretinoin stopped 2 months ago (20/09/2026): wait until 20/03/2027 before needling",
		"Lidocaine",
		"No consent on file",
		"36 years old  ·  born 14/03/1990",
		"Reaction: Mild redness",
		"Cheeks 0.75 mm",
		"Priya Raman",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("the record does not show %q; it shows:\n%s", want, shown)
		}
	}
	got := r.timelineTexts()
	want := []string{"01/10/2026, 10:00  ·  Priya Raman", "04/08/2026, 10:00  ·  Priya Raman", "02/06/2026, 10:00  ·  Priya Raman"}
	if !slices.Equal(got, want) {
		t.Errorf("timeline = %q, want newest first %q", got, want)
	}
	if r.sessionsTab.Text != "Sessions (3)" || r.page.Title != "Zoë Adams" {
		t.Errorf("tab %q, title %q", r.sessionsTab.Text, r.page.Title)
	}
}

func TestClientRecordArchive(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Łukasz", "Nowak")
	r, stack := openClientRecord(t, e, c.ID)
	var published []int64
	screen.On(e.Events, func(e screen.ClientChanged) { published = append(published, int64(e.Client)) })

	test.Tap(r.archiveBtn)
	dlg := e.w.Canvas().Overlays().Top()
	if dlg == nil || !slices.ContainsFunc(uitest.ShownTexts(dlg), func(s string) bool { return strings.Contains(s, "are kept") }) {
		t.Fatal("Archive did not ask first")
	}
	if got, _ := e.st.Client(e.Ctx, data.SystemActor, c.ID); got.Archived() {
		t.Fatal("archived before the user agreed")
	}
	test.Tap(uitest.ShownButton(t, dlg, "Archive"))
	e.q.WaitFor(t, "the record to close", func() bool { return stack.Depth() == 1 })

	got, err := e.st.Client(e.Ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Archived() {
		t.Fatal("the store does not hold the client as archived")
	}
	if !slices.Contains(published, c.ID) {
		t.Errorf("clientChanged not published for %d: %v", c.ID, published)
	}
	events, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityClient, EntityID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(ev data.AuditEvent) bool {
		return ev.Action == data.ActionArchive && ev.ActorID == e.Actor.ID
	}) {
		t.Errorf("no archive row under the working staff member in %+v", events)
	}
	current, err := e.st.FindClients(e.Ctx, data.SystemActor, data.ClientFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(current) != 0 {
		t.Errorf("the client list still holds %d clients", len(current))
	}
}

func TestClientRecordListsKeptSheets(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "芳", "王")
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 20))
	kept, err := e.deps.sheetMaker().Make(e.Ctx, e.Actor.ID, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := openClientRecord(t, e, c.ID)
	if r.sheetsTab.Text != "Aftercare sheets (1)" {
		t.Fatalf("sheets tab = %q", r.sheetsTab.Text)
	}
	r.tabs.Select(r.sheetsTab)
	shown := strings.Join(uitest.ShownTexts(r.sheetList), "\n")
	for _, want := range []string{"Version 1 for the session of 20/11/2026", "by Maya Lindqvist"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the sheets list does not show %q; it shows:\n%s", want, shown)
		}
	}
	uitest.ShownButton(t, r.sheetList, "Open")
	uitest.ShownButton(t, r.sheetList, "Print")

	// The buttons work on the kept bytes, read in the background.
	var got data.Sheet
	r.withSheet(0, func(_ *areaEnv, hs handedSheet) {
		if name := hs.fileName(); name != "Aftercare 王芳 2026-11-20 v1.pdf" {
			t.Errorf("the sheet's file is offered as %q; want the client and the treatment day", name)
		}
		got = hs.Sheet
	})
	e.q.WaitFor(t, "the sheet's bytes", func() bool { return got.ID != 0 })
	if got.SHA256 != kept.SHA256 || data.SumPDF(got.PDF) != kept.SHA256 {
		t.Error("the sheet read back is not the one kept")
	}
	reprints, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntitySheet, EntityID: kept.ID})
	if err != nil || len(reprints) != 2 || reprints[0].Action != data.ActionReprint || reprints[0].ActorID != e.Actor.ID {
		t.Errorf("handing the sheet over again is not in the audit trail: %+v, %v", reprints, err)
	}
}

// TestClientRecordRecordsEachOpening: opening a record is one view in the
// audit trail, under the person working; refreshes after a change are not.
func TestClientRecordRecordsEachOpening(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	r, _ := openClientRecord(t, e, c.ID)
	gen := r.gen
	e.Events.Publish(screen.ClientChanged{Client: data.ClientID(c.ID)}) // reloads the record
	e.q.RunNext(t)                                                      // the reload's result
	if r.gen != gen+1 {
		t.Fatalf("the change started %d loads; want 1", r.gen-gen)
	}
	views, err := e.st.AuditEvents(e.Ctx, data.SystemActor, data.AuditFilter{Entity: data.EntityClient, EntityID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, ev := range views {
		if ev.Action == data.ActionView {
			n++
			if ev.ActorID != e.Actor.ID {
				t.Errorf("the view is recorded under %d; want %d", ev.ActorID, e.Actor.ID)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d views recorded; want 1 for one opening", n)
	}
}

func TestClientRecordRefreshesAfterEdit(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	r, stack := openClientRecord(t, e, c.ID)
	test.Tap(r.editBtn)
	if stack.Depth() != 3 || stack.Top().Title != "Edit Zoë Adams" {
		t.Fatalf("Edit opened %q", stack.Top().Title)
	}
	phone := clientTestEntryAfter(t, stack.Top().Content, "Phone")
	phone.SetText("")
	test.Type(phone, "+44 1273 555 999")
	test.Tap(uitest.ShownButton(t, stack.Top().Content, "Save client"))
	e.q.WaitFor(t, "the record with the new phone", func() bool {
		return stack.Top() == r.page && slices.Contains(uitest.ShownTexts(r.page.Content), "+44 1273 555 999")
	})
	if got, _ := e.st.Client(e.Ctx, data.SystemActor, c.ID); got.Phone != "+44 1273 555 999" {
		t.Errorf("stored phone = %q", got.Phone)
	}
}

func TestClientRecordRefreshesOnNewSession(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	r, _ := openClientRecord(t, e, c.ID)
	if !r.noSessions.Visible() {
		t.Error("an empty history does not say so")
	}
	s := e.c.AddSession(t, c, data.NewDate(2026, 11, 21))
	e.Events.Publish(screen.SessionChanged{Client: data.ClientID(s.ClientID)})
	e.q.WaitFor(t, "the new session in the timeline", func() bool { return r.sessionsTab.Text == "Sessions (1)" })
	if r.noSessions.Visible() {
		t.Error("the empty-history note stays beside a session")
	}
}

func TestClientRecordWithManySessions(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	var ss []data.Session
	first := data.NewDate(2020, 1, 6)
	for i := range 80 {
		day := first.AddDays(21 * i)
		ss = append(ss, data.Session{ClientID: c.ID, TechnicianID: tech.ID, StartedAt: day.Time(time.Local).Add(9 * time.Hour),
			Areas: []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.5}}, NextDue: day.AddDays(28)})
	}
	if err := e.st.ImportSessions(context.Background(), e.Actor.ID, ss); err != nil {
		t.Fatal(err)
	}
	r, _ := openClientRecord(t, e, c.ID)
	if r.sessionsTab.Text != "Sessions (80)" {
		t.Fatalf("tab = %q", r.sessionsTab.Text)
	}
	got := r.timelineTexts()
	if got[0] != "22/07/2024, 09:00  ·  Priya Raman" || got[79] != "06/01/2020, 09:00  ·  Priya Raman" {
		t.Errorf("timeline runs from %q to %q", got[0], got[79])
	}
	// The timeline is a virtual list: only the rows in view exist.
	var rows int
	uitest.WalkShown(r.timeline, func(o fyne.CanvasObject) {
		if _, ok := o.(*timelineRow); ok {
			rows++
		}
	})
	if rows == 0 || rows >= 80 {
		t.Errorf("%d session rows built for 80 sessions", rows)
	}
}

func TestClientRecordMissingClient(t *testing.T) {
	e := newStoreEnv(t)
	stack := screen.NewStack(e.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	e.w.SetContent(stack.Content)
	r := buildClientRecord(e.areaEnv, stack, 4242)
	stack.Push(r.page)
	e.q.WaitFor(t, "the load error", func() bool { return r.failed.Visible() })
	if !strings.Contains(r.failMsg.Text, "no longer exists") {
		t.Errorf("error = %q", r.failMsg.Text)
	}
}

func TestClientSinceText(t *testing.T) {
	today := data.NewDate(2026, 11, 22)
	for _, tc := range []struct {
		d    data.Date
		want string
	}{
		{today, "today"},
		{data.NewDate(2026, 11, 21), "yesterday"},
		{data.NewDate(2026, 11, 12), "10 days ago"},
		{data.NewDate(2026, 10, 25), "4 weeks ago"},
		{data.NewDate(2026, 9, 22), "2 months ago"},
		{data.NewDate(2025, 11, 23), "11 months ago"},
		{data.NewDate(2023, 11, 22), "3 years ago"},
	} {
		if got := clientSinceText(tc.d, today); got != tc.want {
			t.Errorf("sinceText(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// BenchmarkClientRecordLoad measures opening a record with a long history:
// reading the client, 200 sessions and their sheets from SQLite (fetch, on
// a background goroutine in the app; "open" also records the view in the
// audit trail, "refresh" only reads), then filling the summary and the
// timeline (apply, on the UI goroutine).
func BenchmarkClientRecordLoad(b *testing.B) {
	r, ctx := benchRecord(b, 200)
	var rec recordData
	for _, open := range []bool{true, false} {
		b.Run(map[bool]string{true: "fetch-open", false: "fetch-refresh"}[open], func(b *testing.B) {
			for range b.N {
				var err error
				if rec, err = r.fetch(ctx, r.env.ActorID(), open, r.env.seesBook()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("apply", func(b *testing.B) {
		for range b.N {
			r.apply(r.gen, rec, nil)
		}
	})
}

// benchRecord opens a record of a client with n sessions in a test window.
func benchRecord(b *testing.B, n int) (*clientRecord, context.Context) {
	test.NewTempApp(b)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "clinic.db"), sqlite.WithClock(testClock))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); st.Close() })
	tech := data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}
	c := data.Client{GivenName: "Zoë", FamilyName: "Adams", DateOfBirth: data.NewDate(1990, 3, 14), Phone: "+44 20 7946 0958"}
	if err := st.CreateStaff(ctx, 0, &tech); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateClient(ctx, tech.ID, &c); err != nil {
		b.Fatal(err)
	}
	var ss []data.Session
	for i := range n {
		day := data.NewDate(2018, 1, 8).AddDays(14 * i)
		ss = append(ss, data.Session{ClientID: c.ID, TechnicianID: tech.ID, StartedAt: day.Time(time.Local).Add(9 * time.Hour),
			Areas:    []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}, {Area: data.AreaForehead, DepthMM: 0.5}},
			Reaction: "Even redness", NextDue: day.AddDays(28)})
	}
	if err := st.ImportSessions(ctx, tech.ID, ss); err != nil {
		b.Fatal(err)
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1180, 760))
	b.Cleanup(w.Close)
	env := &areaEnv{Env: &screen.Env{Ctx: ctx, Do: func(func()) {}, Events: screen.NewEvents(), Window: w, Settings: data.DefaultSettings(),
		Actor: tech, Clock: testClock}, deps: Stores{Clients: st, Sessions: st, Sheets: st, Now: testClock}}
	stack := screen.NewStack(env.Env, &screen.Page{Title: "Clients", Content: widget.NewLabel("client list")})
	w.SetContent(stack.Content)
	r := buildClientRecord(env, stack, c.ID)
	stack.Push(r.page)
	return r, ctx
}

func TestRecordButtonsFollowTheRoleAndTheOwnerExports(t *testing.T) {
	e := newStoreEnv(t)
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	ses := data.Session{ClientID: zoe.ID, TechnicianID: tech.ID, StartedAt: testClock().Add(-48 * time.Hour),
		Areas: []data.AreaTreatment{{Area: data.AreaCheeks, DepthMM: 0.75}}, NextDue: data.NewDate(2026, 12, 18)}
	if err := e.st.CreateSession(e.Ctx, tech.ID, &ses); err != nil {
		t.Fatal(err)
	}

	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, _ := openClientRecord(t, e, zoe.ID)
	if r.newSessionBtn.Visible() || r.archiveBtn.Visible() || r.exportBtn.Visible() || !r.editBtn.Visible() {
		t.Error("a receptionist edits contact details but charts, archives and exports nothing")
	}
	if got := r.timelineAreasText(0); got != "Cheeks" {
		t.Errorf("a receptionist's timeline shows %q; want the area without its depth", got)
	}

	e.Actor = e.c.StaffByRole(t, data.RoleOwner)
	r, _ = openClientRecord(t, e, zoe.ID)
	if !r.newSessionBtn.Visible() || !r.archiveBtn.Visible() || !r.exportBtn.Visible() {
		t.Fatal("an owner should see New session, Archive and Export")
	}
	if got := r.timelineAreasText(0); got != "Cheeks 0.75 mm" {
		t.Errorf("an owner's timeline shows %q", got)
	}
	dir := t.TempDir()
	r.exportTo(e.deps.Export, dir)
	e.q.WaitFor(t, "the export", func() bool { return uitest.Shows(e.w.Canvas().Overlays().Top(), "Record exported") })
	found, _ := filepath.Glob(filepath.Join(dir, "client-*", "record.json"))
	if len(found) != 1 {
		t.Fatalf("the export folder holds %v", found)
	}
}

// timelineAreasText renders session row i and returns its areas line.
func (r *clientRecord) timelineAreasText(i int) string {
	row := r.newSessionRow().(*timelineRow)
	r.updateSessionRow(i, row)
	return row.areas.Text
}

func TestEditingAPastSessionKeepsTheEarlierVersion(t *testing.T) {
	e := newStoreEnv(t)
	serum := e.c.AddProduct(t, "Hydra Calm", data.CategoryHydrating, 1, "hyaluronic acid")
	zoe := e.c.AddClient(t, "Zoë", "Adams")
	ses := e.c.AddSession(t, zoe, e.Today().AddDays(-2), func(s *data.Session) {
		s.Device = "Dermapen 4"
		s.Recommendations = []data.Recommendation{{ProductID: serum.ID, StartDay: 2}}
	})
	tech := e.c.StaffByRole(t, data.RoleTechnician)
	e.Actor = tech
	r, stack := openClientRecord(t, e, zoe.ID)
	r.onEditSession(0)
	if stack.Depth() != 3 {
		t.Fatal("Edit should open the session form")
	}
	f := formOfPage(t, r, stack.Top())
	e.q.WaitFor(t, "the form filled, products included", func() bool {
		return f.recsFilled && f.technician.Selected == tech.Name
	})
	if f.device.Text != "Dermapen 4" || len(f.recs.rows) != 1 || f.recs.rows[0].day.Text != "2" {
		t.Fatalf("the form shows device %q and %d products", f.device.Text, len(f.recs.rows))
	}
	if f.dirty() {
		t.Error("a form just filled from the store has nothing unsaved")
	}
	if !uitest.Shows(f.body, "This treatment was on an earlier day. Saving changes keeps the session as it stands now, "+
		"with your name and the time, so anyone can see what was charted first.") {
		t.Error("editing an earlier day's session should say it is kept as an amendment")
	}
	f.device.SetText("Dermapen 4 (18-needle cartridge)")
	f.save()
	e.q.WaitFor(t, "back on the record", func() bool { return stack.Depth() == 2 })

	got, err := e.st.Session(e.Ctx, tech.ID, ses.ID)
	if err != nil || got.Device != "Dermapen 4 (18-needle cartridge)" || got.Amendments != 1 || len(got.Recommendations) != 1 {
		t.Fatalf("the store holds %+v, %v", got, err)
	}
	e.q.WaitFor(t, "the amended row", func() bool {
		row := r.newSessionRow().(*timelineRow)
		r.updateSessionRow(0, row)
		return row.versions.Visible() && row.versions.Text == "Amended (1)"
	})
	r.onShowVersions(0)
	e.q.WaitFor(t, "the earlier versions", func() bool {
		top := e.w.Canvas().Overlays().Top()
		return top != nil && adminShowsPrefix(top, "Before "+tech.Name+" changed it on ")
	})
	top := e.w.Canvas().Overlays().Top()
	if !uitest.Shows(top, "▸ Device: Dermapen 4") {
		t.Errorf("the earlier version should show the device as first charted, marked as changed:\n%s",
			strings.Join(uitest.Texts(top), "\n"))
	}
	if !uitest.Shows(top, "Changed then (marked ▸): Device") {
		t.Error("the history should name what the change altered")
	}
	for _, same := range []string{"Areas: Cheeks 0.75 mm", "Passes: 3", "Products recommended: Hydra Calm from day 2"} {
		if !uitest.Shows(top, same) {
			t.Errorf("the earlier version should show %q unmarked", same)
		}
	}
}

// formOfPage finds the session form behind a page the record pushed.
func formOfPage(t *testing.T, r *clientRecord, p *screen.Page) *sessionForm {
	t.Helper()
	if r.lastEdit == nil || r.lastEdit.page != p {
		t.Fatal("the page on top is not the session form the record opened")
	}
	return r.lastEdit
}

func adminShowsPrefix(root fyne.CanvasObject, prefix string) bool {
	for _, s := range uitest.Texts(root) {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// TestWithheldReactionIsNotReadAsNone: on the same session, whose reaction
// was noted, a receptionist is told the clinical details are for
// technicians (never "No reaction noted", nor a depth or a warning line),
// while a technician reads the reaction, the depths and the override; a
// session with no reaction noted still says so to the technician.
func TestWithheldReactionIsNotReadAsNone(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams", func(c *data.Client) { c.Contra.KeloidTendency = true })
	e.c.AddSession(t, c, data.NewDate(2026, 10, 1), func(s *data.Session) {
		s.Reaction = "Pinpoint bleeding on cheeks"
		s.Warnings = []string{"History of keloid or raised scarring: take extra care"}
		s.OverrideReason = "Small test patch healed well"
	})
	e.c.AddSession(t, c, data.NewDate(2026, 8, 4)) // nothing noted

	e.Actor = e.c.StaffByRole(t, data.RoleReceptionist)
	r, _ := openClientRecord(t, e, c.ID)
	desk := r.timelineRowTexts(0)
	if strings.Contains(desk, "No reaction noted") || !strings.Contains(desk, "are for technicians to see") {
		t.Errorf("a receptionist's row reads:\n%s\nwant that the details are for technicians, not \"No reaction noted\"", desk)
	}
	if strings.Contains(desk, "0.75") || strings.Contains(desk, "warning") || strings.Contains(desk, "Pinpoint") {
		t.Errorf("a receptionist's row shows clinical details:\n%s", desk)
	}
	if older := r.timelineRowTexts(1); strings.Contains(older, "No reaction noted") {
		t.Errorf("a receptionist's row of a session with no reaction reads as a technician's:\n%s", older)
	}

	e.Actor = e.c.StaffByRole(t, data.RoleTechnician)
	r, _ = openClientRecord(t, e, c.ID)
	tech := r.timelineRowTexts(0)
	for _, want := range []string{"Reaction: Pinpoint bleeding on cheeks", "Cheeks 0.75 mm", "Went ahead despite a warning"} {
		if !strings.Contains(tech, want) {
			t.Errorf("a technician's row does not show %q:\n%s", want, tech)
		}
	}
	if strings.Contains(tech, "are for technicians to see") {
		t.Errorf("a technician is told the details are withheld:\n%s", tech)
	}
	if older := r.timelineRowTexts(1); !strings.Contains(older, "No reaction noted") {
		t.Errorf("a technician's row of a session with no reaction noted reads:\n%s", older)
	}
}

// timelineRowTexts renders session row i and returns its lines.
func (r *clientRecord) timelineRowTexts(i int) string {
	row := r.newSessionRow().(*timelineRow)
	r.updateSessionRow(i, row)
	var lines []string
	for _, l := range []*widget.Label{row.when, row.areas, row.reaction, row.recommended, row.due, row.override} {
		lines = append(lines, l.Text)
	}
	return strings.Join(lines, "\n")
}

// TestEmptyTimelineHintFollowsTheRole: a client with no sessions tells only
// those who have the New session button to use it: not a receptionist, and
// not anyone on an archived client's record.
func TestEmptyTimelineHintFollowsTheRole(t *testing.T) {
	e := newStoreEnv(t)
	c := e.c.AddClient(t, "Zoë", "Adams")
	for _, tc := range []struct {
		role    data.Role
		archive bool
		button  bool
	}{
		{data.RoleReceptionist, false, false},
		{data.RoleTechnician, false, true},
		{data.RoleOwner, false, true},
		{data.RoleTechnician, true, false},
	} {
		if tc.archive {
			if err := e.st.ArchiveClient(e.Ctx, e.c.StaffByRole(t, data.RoleOwner).ID, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		e.Actor = e.c.StaffByRole(t, tc.role)
		r, _ := openClientRecord(t, e, c.ID)
		hint := r.noSessions.Text
		if !r.noSessions.Visible() || !strings.HasPrefix(hint, "No sessions") {
			t.Fatalf("%s: the empty timeline says %q (shown %v)", tc.role, hint, r.noSessions.Visible())
		}
		if names := strings.Contains(hint, "New session"); names != tc.button || r.newSessionBtn.Visible() != tc.button {
			t.Errorf("%s (archived %v): hint %q, New session shown %v; want the hint to name the button only when it is there",
				tc.role, tc.archive, hint, r.newSessionBtn.Visible())
		}
	}
}

// TestRecordWarningDatesUseTheClinicFormat: a warning the record shows as
// data words it keeps its dates in the clinic's format, never YYYY-MM-DD.
func TestRecordWarningDatesUseTheClinicFormat(t *testing.T) {
	st := data.Settings{DateFormat: "2 Jan 2006"}
	got := recordFriendlyWarning(data.Warning{Field: "other", Message: "Treated elsewhere on 2026-11-10: wait"}, data.Contraindications{}, data.NewDate(2026, 11, 22), st)
	if got != "Treated elsewhere on 10 Nov 2026: wait" {
		t.Errorf("the record shows %q", got)
	}
}
