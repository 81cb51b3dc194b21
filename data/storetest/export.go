package storetest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/transfer"
)

func (ct contract) clientRecordReadsEverythingKept(t *testing.T) {
	e := ct.env(t)
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	zoe := e.client()
	other := e.client(named("Ada", "Other"))
	s1 := e.session(e.fullSession(zoe.ID, tech.ID, data.NewDate(2026, 10, 1), gel))
	s2 := e.session(e.fullSession(zoe.ID, tech.ID, data.NewDate(2026, 11, 1)))
	e.session(e.fullSession(other.ID, tech.ID, data.NewDate(2026, 11, 1)))
	sheets := []data.Sheet{e.keep(tech.ID, s1.ID, "%PDF one"), e.keep(tech.ID, s1.ID, "%PDF one, v2"), e.keep(tech.ID, s2.ID, "%PDF two \x00\xff")}

	rec, err := e.st.ClientRecord(e.ctx, zoe.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Client, zoe) {
		t.Errorf("client %+v; want %+v", rec.Client, zoe)
	}
	want, err := e.st.ClientSessions(e.ctx, data.SystemActor, zoe.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Sessions, want) {
		t.Errorf("sessions differ from ClientSessions:\n%+v\n%+v", rec.Sessions, want)
	}
	if len(rec.Sheets) != len(sheets) {
		t.Fatalf("%d sheets; want %d", len(rec.Sheets), len(sheets))
	}
	for i, sh := range rec.Sheets {
		w := sheets[i]
		if sh.ID != w.ID || sh.SessionID != w.SessionID || sh.Version != w.Version || !bytes.Equal(sh.PDF, w.PDF) ||
			sh.SHA256 != w.SHA256 || sh.Size != len(w.PDF) || sh.MadeByName != tech.Name || !sh.MadeAt.Equal(w.MadeAt) {
			t.Errorf("sheet %d = %+v; want %+v by %s", i, sh.SheetInfo, w, tech.Name)
		}
	}
	if _, err := e.st.ClientRecord(e.ctx, 999); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a missing client: %v; want ErrNotFound", err)
	}
}

// walkAll collects a whole WalkClinic.
func walkAll(e *env) (clients []data.Client, sessions []data.Session, totals [2]int) {
	e.t.Helper()
	err := e.st.WalkClinic(e.ctx, data.ClinicWalker{
		Totals:  func(c, s int) error { totals = [2]int{c, s}; return nil },
		Client:  func(c data.Client) error { clients = append(clients, c); return nil },
		Session: func(s data.Session) error { sessions = append(sessions, s); return nil },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return clients, sessions, totals
}

func (ct contract) walkClinicReadsEveryRecordInBatches(t *testing.T) {
	e := ct.env(t)
	tech := e.technician()
	gel := e.product("Calm Gel", data.CategoryProtectiveGel)
	cs := make([]data.Client, 700)
	for i := range cs {
		cs[i] = validClient(named("Ada", strings.Repeat("b", i%50+1)))
	}
	if err := e.st.ImportClients(e.ctx, 1, cs); err != nil {
		t.Fatal(err)
	}
	if err := e.st.ArchiveClient(e.ctx, e.owner().ID, cs[3].ID); err != nil {
		t.Fatal(err)
	}
	var ss []data.Session
	for i := range 1234 { // more than two batches
		ss = append(ss, e.fullSession(cs[i%len(cs)].ID, tech.ID, data.NewDate(2026, 1, 1).AddDays(i%300), gel))
	}
	if err := e.st.ImportSessions(e.ctx, 1, ss); err != nil {
		t.Fatal(err)
	}
	clients, sessions, totals := walkAll(e)
	if totals != [2]int{700, 1234} || len(clients) != 700 || len(sessions) != 1234 {
		t.Fatalf("totals %v, %d clients, %d sessions; want 700 and 1234", totals, len(clients), len(sessions))
	}
	if !slices.IsSortedFunc(sessions, func(a, b data.Session) int { return int(a.ID - b.ID) }) {
		t.Error("sessions are not in ID order")
	}
	for _, i := range []int{0, 3, 699} {
		want, err := e.st.Client(e.ctx, data.SystemActor, cs[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(clients[i], want) {
			t.Errorf("client %d walked as %+v; want %+v", i, clients[i], want)
		}
	}
	for _, i := range []int{0, 499, 500, 1000, 1233} {
		want, err := e.st.Session(e.ctx, data.SystemActor, ss[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sessions[i], want) {
			t.Errorf("session %d walked as %+v; want %+v", i, sessions[i], want)
		}
	}
}

func (ct contract) walkClinicStopsAtACallbackError(t *testing.T) {
	e := ct.env(t)
	e.client()
	e.client(named("Bo", "Two"))
	stop := errors.New("stop")
	n := 0
	err := e.st.WalkClinic(e.ctx, data.ClinicWalker{Client: func(data.Client) error { n++; return stop }})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("walk went on after an error: %v after %d clients", err, n)
	}
}

func (ct contract) exportClientFromTheStore(t *testing.T) {
	e := ct.env(t)
	tech := e.technician()
	c := e.client(func(c *data.Client) { c.GivenName, c.FamilyName, c.Notes = "芳", "王", "=cmd|' /C calc'!A0" })
	s := e.session(e.fullSession(c.ID, tech.ID, data.NewDate(2026, 11, 20)))
	sh := e.keep(tech.ID, s.ID, "%PDF-1.4 kept bytes")
	x := transfer.Exporter{Source: e.st, Now: e.clock.Now, Location: time.UTC}
	owner := e.owner()
	if _, err := x.ExportClient(e.ctx, tech.ID, c.ID, t.TempDir()); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("a technician's export: %v; want a refusal (exports are for owners)", err)
	}
	res, err := x.ExportClient(e.ctx, owner.ID, c.ID, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.Dir) != "client-1-王芳-2026-11-22" {
		t.Errorf("exported to %s", res.Dir)
	}
	f, err := os.Open(filepath.Join(res.Dir, "record.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := transfer.ReadClientExport(f)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Client.FullName != "王芳" || rec.Client.Notes != c.Notes || len(rec.Sessions) != 1 ||
		rec.Sessions[0].Notes != s.Notes || len(rec.Sheets) != 1 || rec.Sheets[0].SHA256 != sh.SHA256 {
		t.Errorf("record.json holds %+v", rec)
	}
	pdf, err := os.ReadFile(filepath.Join(res.Dir, filepath.FromSlash(rec.Sheets[0].File)))
	if err != nil || !bytes.Equal(pdf, sh.PDF) {
		t.Errorf("the sheet file: %v, %q; want the kept bytes", err, pdf)
	}
	b, err := os.ReadFile(filepath.Join(res.Dir, "client.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != 2 || !slices.Contains(rows[1], "'"+c.Notes) {
		t.Errorf("client.csv: %v %q", err, rows)
	}
	got := e.lastAudit()
	if got.Action != data.ActionExport || got.Entity != data.EntityClient || got.EntityID != c.ID || got.ActorID != owner.ID {
		t.Errorf("last audit event %+v; want the owner %d exporting client %d", got, owner.ID, c.ID)
	}
}

func (ct contract) exportAllFromTheStore(t *testing.T) {
	e := ct.env(t)
	tech := e.technician()
	for i := range 30 {
		c := e.client(named("Ada", strings.Repeat("z", i+1)))
		e.session(Session(c.ID, tech.ID, today.AddDays(-i)))
	}
	var last [2]int
	owner := e.owner()
	res, err := transfer.Exporter{Source: e.st, Now: e.clock.Now}.ExportAll(e.ctx, owner.ID, t.TempDir(),
		func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if res.Clients != 30 || res.Sessions != 30 || last != [2]int{60, 60} {
		t.Errorf("%+v, last progress %v", res, last)
	}
	got := e.lastAudit()
	if got.Action != data.ActionExport || got.Entity != data.EntityDatabase || got.ActorID != owner.ID {
		t.Errorf("last audit event %+v; want an export of the database", got)
	}
}
