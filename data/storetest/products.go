package storetest

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"needledesk/data"
)

func (ct contract) products(t *testing.T) {
	e := ct.env(t)
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

func (ct contract) productsListByCategoryThenName(t *testing.T) {
	e := ct.env(t)
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

func (ct contract) productRefusals(t *testing.T) {
	e := ct.env(t)
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
