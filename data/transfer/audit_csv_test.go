package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"needledesk/data"
	"strings"
	"testing"
	"time"
)

func TestWriteAuditCSVRoundTripsAndDefusesFormulas(t *testing.T) {
	zone := time.FixedZone("clinic", -5*3600)
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = zone

	at := time.Date(2026, 11, 22, 12, 30, 5, 123, time.UTC)
	tricky := "said \"stop\", then left\nsecond line"
	events := []data.AuditEvent{
		{ID: 7, At: at, ActorID: 2, Action: data.ActionView, Entity: data.EntityClient, EntityID: 41, ClientID: 41, Detail: tricky,
			ActorName: "not this one", ClientName: "王芳"},
		{ID: 8, At: at.Add(time.Hour), ActorID: 3, Action: data.ActionExport, Entity: data.EntityDatabase, Detail: "=HYPERLINK(\"http://x\",\"y\")"},
		{ID: 9, At: at, ActorID: 0, Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "+1 2"},
		{ID: 10, At: at, ActorID: 2, Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "-5"},
		{ID: 11, At: at, ActorID: 2, Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "@SUM(A1)"},
		{ID: 12, At: at, ActorID: 2, Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "\t=1"},
		{ID: 13, At: at, ActorID: 2, Action: data.ActionDenied, Entity: data.EntitySettings, Detail: "a = b, +c"},
	}
	names := map[int64]string{0: "NeedleDesk", 2: "Zoë O'Brien", 3: "=cmd|' /C calc'!A0"}
	var buf bytes.Buffer
	if err := WriteAuditCSV(&buf, events, func(id int64) string { return names[id] }); err != nil {
		t.Fatal(err)
	}
	text, ok := strings.CutPrefix(buf.String(), "\ufeff")
	if !ok {
		t.Error("the export does not start with a UTF-8 byte order mark for Excel")
	}
	if !strings.HasSuffix(text, "\r\n") || !strings.Contains(text, "then left\r\nsecond line") {
		t.Errorf("lines do not end in CRLF:\n%q", text)
	}
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not valid CSV: %v\n%s", err, text)
	}
	if len(rows) != len(events)+1 {
		t.Fatalf("%d rows; want a header and %d events", len(rows), len(events))
	}
	if got := strings.Join(rows[0], ","); got != "event,time,staff_id,staff,action,record,record_id,client_id,detail,record_name,client" {
		t.Errorf("header = %s", got)
	}
	first := rows[1]
	want := []string{"7", "2026-11-22T07:30:05-05:00", "2", "Zoë O'Brien", "view", "client", "41", "41", tricky, "", "王芳"} // the reader turns the CRLF inside quotes back into \n
	if strings.Join(first, "|") != strings.Join(want, "|") {
		t.Errorf("first event:\n got %q\nwant %q", first, want)
	}
	if _, err := time.Parse(time.RFC3339, rows[2][1]); err != nil {
		t.Errorf("time %q is not RFC 3339: %v", rows[2][1], err)
	}
	if rows[2][3] != "'=cmd|' /C calc'!A0" {
		t.Errorf("a staff name starting with = was not defused: %q", rows[2][3])
	}
	for i, wantDetail := range []string{"'=HYPERLINK(\"http://x\",\"y\")", "'+1 2", "'-5", "'@SUM(A1)", "'\t=1", "a = b, +c"} {
		if got := rows[i+2][8]; got != wantDetail {
			t.Errorf("detail of event %s = %q; want %q", rows[i+2][0], got, wantDetail)
		}
	}
}

func TestWriteAuditCSVWithoutNamesOrEvents(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAuditCSV(&buf, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "\ufeffevent,time,staff_id,staff,action,record,record_id,client_id,detail,record_name,client\r\n" {
		t.Errorf("empty export = %q", got)
	}
	buf.Reset()
	ev := data.AuditEvent{ID: 1, At: time.Now(), ActorID: 4, Action: data.ActionBackup, Entity: data.EntityDatabase}
	if err := WriteAuditCSV(&buf, []data.AuditEvent{ev}, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][2] != "4" || rows[1][3] != "" {
		t.Errorf("rows = %q, %v; want the ID and an empty name", rows, err)
	}
}

// failingWriter fails after n bytes, like a full disk.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteAuditCSVReportsWriteErrors(t *testing.T) {
	events := make([]data.AuditEvent, 2000)
	for i := range events {
		events[i] = data.AuditEvent{ID: int64(i + 1), Action: data.ActionView, Entity: data.EntityClient, Detail: strings.Repeat("x", 100)}
	}
	for _, n := range []int{0, 10, 5000} {
		if err := WriteAuditCSV(&failingWriter{n: n}, events, nil); err == nil {
			t.Errorf("a writer that fails after %d bytes: no error", n)
		}
	}
}
