package sqlite_test

import (
	"testing"

	"needledesk/data"
	"needledesk/data/sqlite"
)

// TestConsentChangesKeepTheCheckClean: adding the consent column left
// every row hash recorded before it matching: after a create, an update
// and an import that change the client's consent to e-mail reminders,
// check stays clean. (That each keeps the consent is the stores'
// contract: data/storetest/book_settings.go.)
func TestConsentChangesKeepTheCheckClean(t *testing.T) {
	e := newEnv(t)
	c := e.client(func(c *data.Client) { c.EmailReminders = true })
	got, err := e.st.Client(e.ctx, data.SystemActor, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	got.EmailReminders = false
	if err := e.st.UpdateClient(e.ctx, data.SystemActor, &got); err != nil {
		t.Fatal(err)
	}
	if again, _ := e.st.Client(e.ctx, data.SystemActor, c.ID); again.EmailReminders {
		t.Error("the consent was withdrawn but reads as given")
	}
	imported := []data.Client{validClient(named("Ana", "Silva"), func(c *data.Client) { c.Email, c.EmailReminders = "ana@example.com", true })}
	if err := e.st.ImportClients(e.ctx, data.SystemActor, imported); err != nil {
		t.Fatal(err)
	}
	rep, err := sqlite.Check(e.ctx, e.path)
	if err != nil || len(rep.Problems) != 0 || rep.Rows.Checked == 0 {
		t.Errorf("check after consent changes: %v, %+v", err, rep)
	}
}

// allClients lists every client, a page at a time.
func (e *env) allClients() []data.ClientSummary {
	e.t.Helper()
	var all []data.ClientSummary
	for offset := 0; ; offset += 1000 {
		page := e.find(data.ClientFilter{Limit: 1000, Offset: offset})
		all = append(all, page...)
		if len(page) < 1000 {
			return all
		}
	}
}
