package data

import (
	"context"
	"strings"
)

// ClinicSetup is what the first start asks for: the clinic's name and
// its first owner, who signs in with Password, and, if wanted, a made-up
// sample clinic to practise on. A store sets it all up in one go
// (AccountStore.SetUpClinic), so a set-up that fails or is stopped leaves
// nothing of itself behind.
type ClinicSetup struct {
	ClinicName string
	OwnerName  string
	Password   string
	// Sample, when set, fills the new clinic with made-up records as
	// part of the set-up (data/demo's Sample makes one).
	Sample SampleFiller
}

// SampleFiller fills a clinic being set up with made-up records through
// st, reporting how far it has got (progress may be nil).
type SampleFiller func(ctx context.Context, st SampleStore, progress func(done, total int)) error

// Validate checks the names and the password before anything is written:
// "clinic_name" as Settings.Validate does, "name" as Staff.Validate does
// for an owner, and "password" by CheckPassword's rules.
func (c ClinicSetup) Validate() error {
	var p problems
	st := DefaultSettings()
	st.ClinicName = strings.TrimSpace(c.ClinicName)
	for _, fp := range FieldProblems(st.Validate()) {
		if fp.Field == "clinic_name" {
			p = append(p, fp)
		}
	}
	p = append(p, FieldProblems(c.Owner().Validate())...)
	if msg := CheckPassword(c.Password); msg != "" {
		p.add("password", msg)
	}
	return p.err()
}

// Owner is the owner's account the set-up makes (without its ID).
func (c ClinicSetup) Owner() Staff {
	return Staff{Name: strings.TrimSpace(c.OwnerName), Role: RoleOwner, Active: true}
}
