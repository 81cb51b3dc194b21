package sqlite_test

import (
	"testing"
	"time"

	"needledesk/data"
	"needledesk/data/demo"
	"needledesk/data/sqlite"
)

// TestSetUpClinicWithTheSampleClinicPassesCheck: the file a first start
// with the sample clinic leaves passes the whole check. (What the set-up
// does is the contract suite's: data/storetest/setup.go.)
func TestSetUpClinicWithTheSampleClinicPassesCheck(t *testing.T) {
	e := newEnv(t)
	setUp := data.ClinicSetup{ClinicName: " Glow & Co Clinic ", OwnerName: " Ana Souza ", Password: "glow-and-co-2026",
		Sample: demo.Sample(func() time.Time { return testNow })}
	if _, err := e.st.SetUpClinic(e.ctx, setUp, nil); err != nil {
		t.Fatal(err)
	}
	if rep, err := sqlite.Check(e.ctx, e.path); err != nil || !rep.IntegrityOK {
		t.Fatalf("after the set-up: %+v, %v", rep, err)
	}
}
