package sqlite_test

import (
	"errors"
	"slices"
	"testing"

	"needledesk/data"
)

func TestStaff(t *testing.T) {
	e := newEnv(t)
	boss := e.owner()
	s := data.Staff{Name: "Tomás Herrera", Role: data.RoleTechnician, Active: true}
	if err := e.st.CreateStaff(e.ctx, boss.ID, &s); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionCreate, data.EntityStaff, s.ID)
	got, err := e.st.StaffMember(e.ctx, data.SystemActor, s.ID)
	if err != nil || got != s {
		t.Errorf("read back %+v, %v; want %+v", got, err, s)
	}
	s.Role, s.Active = data.RoleOwner, false
	if err := e.st.UpdateStaff(e.ctx, boss.ID, &s); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(boss.ID, data.ActionUpdate, data.EntityStaff, s.ID)
	if got, _ := e.st.StaffMember(e.ctx, data.SystemActor, s.ID); got != s {
		t.Errorf("after update %+v; want %+v", got, s)
	}
}

func TestStaffListByName(t *testing.T) {
	e := newEnv(t)
	e.staff("yuki Tanaka", data.RoleReceptionist)
	boss := e.owner()
	left := e.staff("Chloé Martin", data.RoleTechnician)
	left.Active = false
	if err := e.st.UpdateStaff(e.ctx, boss.ID, &left); err != nil {
		t.Fatal(err)
	}
	list := func(all bool) []string {
		ss, err := e.st.StaffList(e.ctx, data.SystemActor, all)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	if got, want := list(false), []string{"Maya Lindqvist", "yuki Tanaka"}; !slices.Equal(got, want) {
		t.Errorf("active staff %q; want %q", got, want)
	}
	if got, want := list(true), []string{"Chloé Martin", "Maya Lindqvist", "yuki Tanaka"}; !slices.Equal(got, want) {
		t.Errorf("all staff %q; want %q", got, want)
	}
}

func TestStaffRefusals(t *testing.T) {
	e := newEnv(t)
	before := e.counts("staff", "audit_event")
	bad := data.Staff{Name: "R2-D2", Role: data.RoleTechnician}
	e.refused(e.st.CreateStaff(e.ctx, data.SystemActor, &bad), "name", before)
	bad = data.Staff{Name: "Ann", Role: "janitor"}
	e.refused(e.st.CreateStaff(e.ctx, data.SystemActor, &bad), "role", before)

	s := e.staff("Ann Lee", data.RoleReceptionist)
	before = e.counts("staff", "audit_event")
	s.Name = ""
	e.refused(e.st.UpdateStaff(e.ctx, data.SystemActor, &s), "name", before)
	s.Name, s.ID = "Ann Lee", s.ID+9
	if err := e.st.UpdateStaff(e.ctx, data.SystemActor, &s); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("updating missing staff: %v; want ErrNotFound", err)
	}
	if _, err := e.st.StaffMember(e.ctx, data.SystemActor, 404); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("missing staff: %v; want ErrNotFound", err)
	}
}
