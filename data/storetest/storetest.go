// Package storetest is the contract every store keeps: one suite of
// behaviour tests that data/sqlite and data/postgres both run, so the
// app behaves the same on a clinic's file and on its server.
//
//	func TestContract(t *testing.T) { storetest.Run(t, open, again) }
package storetest

import (
	"context"
	"testing"

	"needledesk/data"
)

// Open gives the test a new, empty clinic's store that reads the time
// from now (time.Now when nil); the suite closes it.
type Open func(t *testing.T, now data.Clock) data.Store

// Again opens a second handle onto the clinic st is, as a second
// workstation (or window) would, reading the time from now (time.Now
// when nil); the suite closes it.
type Again func(t *testing.T, st data.Store, now data.Clock) data.Store

// ChainVerifier is a store that walks its audit trail's hash chain.
type ChainVerifier interface {
	VerifyAuditChain(ctx context.Context) (data.AuditChainReport, error)
}

// Run runs the whole contract against the stores open makes.
func Run(t *testing.T, open Open, again Again) {
	c := contract{open: open, again: again}
	t.Run("ClientsRoundTrip", c.clientsRoundTrip)
	t.Run("ArchiveTakesAClientOffTheList", c.archive)
	t.Run("ConflictFromTwoHandles", c.conflictFromTwoHandles)
	t.Run("ReceptionistCannotChangeClinicalFields", c.receptionistClinical)
	t.Run("UnknownActorIsRefusedAndRecorded", c.unknownActor)
	t.Run("AuditChainVerifies", c.auditChainVerifies)
	t.Run("SearchResults", c.search)
	t.Run("Settings", c.settings)
	t.Run("Accounts", c.accounts)
	t.Run("LastOwnerIsKept", c.lastOwner)
	c.runBook(t)
}

type contract struct {
	open  Open
	again Again
}

func (c contract) store(t *testing.T) data.Store {
	t.Helper()
	st := c.open(t, nil)
	t.Cleanup(func() { _ = st.Close() })
	return st
}
