package sqlite_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"needledesk/data"
)

func TestProducts(t *testing.T) {
	e := newEnv(t)
	p := validProduct("Bright C 15% Serum", data.CategoryVitaminC)
	p.KeyIngredients = []string{"Ascorbic acid", "Vitamin E"}
	tech := e.technician()
	if err := e.st.CreateProduct(e.ctx, tech.ID, &p); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionCreate, data.EntityProduct, p.ID)
	got, err := e.st.Product(e.ctx, data.SystemActor, p.ID)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("read back %+v, %v; want %+v", got, err, p)
	}

	p.Active = false // retiring
	p.KeyIngredients = nil
	if err := e.st.UpdateProduct(e.ctx, tech.ID, &p); err != nil {
		t.Fatal(err)
	}
	e.wantAudit(tech.ID, data.ActionUpdate, data.EntityProduct, p.ID)
	if got, _ := e.st.Product(e.ctx, data.SystemActor, p.ID); !reflect.DeepEqual(got, p) {
		t.Errorf("after retiring: %+v; want %+v", got, p)
	}
}

func TestProductsListByCategoryThenName(t *testing.T) {
	e := newEnv(t)
	e.product("Mineral Shield SPF 50", data.CategorySunscreen)
	e.product("aqua Serum", data.CategoryHydrating)
	e.product("Zinc Shield SPF 30", data.CategorySunscreen)
	retired := e.product("Old C Serum", data.CategoryVitaminC)
	e.product("Bright C", data.CategoryVitaminC)
	e.product("Hyaluronic Serum", data.CategoryHydrating)
	retired.Active = false
	if err := e.st.UpdateProduct(e.ctx, data.SystemActor, &retired); err != nil {
		t.Fatal(err)
	}
	list := func(includeRetired bool) []string {
		ps, err := e.st.Products(e.ctx, data.SystemActor, includeRetired)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	want := []string{"Bright C", "aqua Serum", "Hyaluronic Serum", "Mineral Shield SPF 50", "Zinc Shield SPF 30"}
	if got := list(false); !slices.Equal(got, want) {
		t.Errorf("active products %q; want %q", got, want)
	}
	want = slices.Insert(want, 1, "Old C Serum")
	if got := list(true); !slices.Equal(got, want) {
		t.Errorf("all products %q; want %q", got, want)
	}
}

func TestProductRefusals(t *testing.T) {
	e := newEnv(t)
	before := e.counts("product", "audit_event")
	bad := validProduct("", data.CategoryOther)
	e.refused(e.st.CreateProduct(e.ctx, data.SystemActor, &bad), "name", before)
	bad = validProduct("Gel", "glitter")
	e.refused(e.st.CreateProduct(e.ctx, data.SystemActor, &bad), "category", before)

	p := e.product("Gel", data.CategoryProtectiveGel)
	before = e.counts("product", "audit_event")
	p.DefaultStartDay = -1
	e.refused(e.st.UpdateProduct(e.ctx, data.SystemActor, &p), "default_start_day", before)
	p.DefaultStartDay, p.ID = 0, p.ID+50
	if err := e.st.UpdateProduct(e.ctx, data.SystemActor, &p); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("updating a missing product: %v; want ErrNotFound", err)
	}
	if _, err := e.st.Product(e.ctx, data.SystemActor, 404); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a missing product: %v; want ErrNotFound", err)
	}
}

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
