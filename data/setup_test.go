package data

import (
	"strings"
	"testing"
)

func TestClinicSetupValidate(t *testing.T) {
	ok := ClinicSetup{ClinicName: " Glow & Co Clinic ", OwnerName: " Ana Souza ", Password: "glow-and-co-2026"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good set-up: %v", err)
	}
	if o := ok.Owner(); o.Name != "Ana Souza" || o.Role != RoleOwner || !o.Active {
		t.Fatalf("owner %+v", o)
	}
	for _, tc := range []struct {
		setup ClinicSetup
		want  string // the fields refused, in order
	}{
		{ClinicSetup{}, "clinic_name name password"},
		{ClinicSetup{ClinicName: "Glow", OwnerName: "Ana 123", Password: "glow-and-co-2026"}, "name"},
		{ClinicSetup{ClinicName: "Glow", OwnerName: "Ana Souza", Password: "short"}, "password"},
		{ClinicSetup{ClinicName: "   ", OwnerName: "Ana Souza", Password: "glow-and-co-2026"}, "clinic_name"},
	} {
		var fields []string
		for _, p := range FieldProblems(tc.setup.Validate()) {
			fields = append(fields, p.Field)
		}
		if got := strings.Join(fields, " "); got != tc.want {
			t.Errorf("%+v: refused %q; want %q", tc.setup, got, tc.want)
		}
	}
}
