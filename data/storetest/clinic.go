package storetest

import (
	"needledesk/data"
)

// clinic is a small clinic with one of each kind of staff member, as
// data/sqlite's role tests build it.
type clinic struct {
	staff   map[string]int64 // receptionist, technician, owner, inactive, unknown, colleague
	client  data.Client
	session data.Session // a week before today, so changing it is an amendment
	product data.Product
	sheet   data.Sheet
}

// everyone are the roles whose accounts are on.
var everyone = []string{"receptionist", "technician", "owner"}

func (e *env) clinic() clinic {
	e.t.Helper()
	cl := clinic{staff: map[string]int64{"unknown": 9999}}
	for _, k := range []struct {
		key string
		s   data.Staff
	}{
		{"receptionist", data.Staff{Name: "Sam O'Neill", Role: data.RoleReceptionist, Active: true}},
		{"technician", data.Staff{Name: "Priya Raman", Role: data.RoleTechnician, Active: true}},
		{"owner", data.Staff{Name: "Maya Lindqvist", Role: data.RoleOwner, Active: true}},
		{"inactive", data.Staff{Name: "Olga Former", Role: data.RoleOwner}}, // an owner whose account is off
		{"colleague", data.Staff{Name: "Chloé Martin", Role: data.RoleTechnician, Active: true}},
	} {
		if err := e.st.CreateStaff(e.ctx, data.SystemActor, &k.s); err != nil {
			e.t.Fatal(err)
		}
		cl.staff[k.key] = k.s.ID
	}
	cl.client = e.client(func(c *data.Client) { c.Allergies = "Lidocaine"; c.SkinType = 2 })
	cl.product = e.product("Calm Gel", data.CategoryProtectiveGel)
	cl.session = e.session(e.fullSession(cl.client.ID, cl.staff["technician"], today.AddDays(-7), cl.product))
	cl.sheet = data.Sheet{SessionID: cl.session.ID, PDF: fakePDF("kept")}
	if err := e.st.KeepSheet(e.ctx, data.SystemActor, &cl.sheet); err != nil {
		e.t.Fatal(err)
	}
	return cl
}

// fakePDF is bytes shaped like a PDF, with a binary part.
func fakePDF(text string) []byte {
	return []byte("%PDF-1.4\n" + text + "\n\x00\xff\xfe binary part\n%%EOF\n")
}
