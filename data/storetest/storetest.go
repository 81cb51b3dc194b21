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
	t.Run("SearchSeesEveryChange", c.searchSeesEveryChange)
	t.Run("Settings", c.settings)
	t.Run("Accounts", c.accounts)
	t.Run("LastOwnerIsKept", c.lastOwner)
	c.runBook(t)
	c.records(t)
	c.rowHashes(t)
}

// records are the behaviour tests of sessions, products, sheets, the
// first start, imports and exports, moved here from data/sqlite.
func (c contract) records(t *testing.T) {
	t.Run("CreateSessionRoundTrips", c.createSessionRoundTrips)
	t.Run("SessionTimesAreStoredAsInstants", c.sessionTimesAreStoredAsInstants)
	t.Run("CreateSessionRefusesMissingReferences", c.createSessionRefusesMissingReferences)
	t.Run("MissingClientAndTechnicianAreBothReported", c.missingClientAndTechnicianAreBothReported)
	t.Run("SessionForArchivedClientIsAccepted", c.sessionForArchivedClientIsAccepted)
	t.Run("ClientSessionsNewestFirst", c.clientSessionsNewestFirst)
	t.Run("ClientSessionsEdges", c.clientSessionsEdges)
	t.Run("UpdateSessionReplacesChildren", c.updateSessionReplacesChildren)
	t.Run("UpdateSessionMovesBetweenClients", c.updateSessionMovesBetweenClients)
	t.Run("UpdateSessionRefusals", c.updateSessionRefusals)
	t.Run("ImportSessions", c.importSessions)
	t.Run("ImportSessionsIsAllOrNothing", c.importSessionsIsAllOrNothing)
	t.Run("ChangingAPastSessionKeepsTheEarlierVersion", c.changingAPastSessionKeepsTheEarlierVersion)
	t.Run("ChangingASessionOnItsDayIsAnUpdate", c.changingASessionOnItsDayIsAnUpdate)
	t.Run("EarlierVersionsAreKeptForGood", c.earlierVersionsAreKeptForGood)
	t.Run("RecordDoNotTreatKeepsTheReason", c.recordDoNotTreatKeepsTheReason)
	t.Run("RecordDoNotTreatRefusesWithoutAReasonOrAClient", c.recordDoNotTreatRefusesWithoutAReasonOrAClient)
	t.Run("Products", c.products)
	t.Run("ProductsListByCategoryThenName", c.productsListByCategoryThenName)
	t.Run("ProductRefusals", c.productRefusals)
	t.Run("UpdateSessionFromTwoHandlesSecondGetsConflict", c.updateSessionFromTwoHandlesSecondGetsConflict)
	t.Run("UpdateProductFromTwoHandlesSecondGetsConflict", c.updateProductFromTwoHandlesSecondGetsConflict)
	t.Run("KeepSheetVersionsAndReads", c.keepSheetVersionsAndReads)
	t.Run("KeepSheetRefusals", c.keepSheetRefusals)
	t.Run("SheetLookupsNotFound", c.sheetLookupsNotFound)
	t.Run("KeptSheetsCannotChange", c.keptSheetsCannotChange)
	t.Run("TwoWorkstationsKeepSheetsOfOneSession", c.twoWorkstationsKeepSheetsOfOneSession)
	t.Run("SheetInputHoldsOnlyWhatTheSheetPrints", c.sheetInputHoldsOnlyWhatTheSheetPrints)
	t.Run("ReceptionistsSheetIsTheTechniciansSheet", c.receptionistsSheetIsTheTechniciansSheet)
	t.Run("DepthCorrectionLeavesTheKeptSheetCurrent", c.depthCorrectionLeavesTheKeptSheetCurrent)
	t.Run("KeptSheetKnowsWhenTheRecordChanged", c.keptSheetKnowsWhenTheRecordChanged)
	t.Run("SheetWithoutBasisCannotTell", c.sheetWithoutBasisCannotTell)
	t.Run("SetUpClinicNamesItAndMakesItsOwner", c.setUpClinicNamesItAndMakesItsOwner)
	t.Run("SetUpClinicRefusesWhatIsNotValid", c.setUpClinicRefusesWhatIsNotValid)
	t.Run("SetUpClinicWithTheSampleClinic", c.setUpClinicWithTheSampleClinic)
	t.Run("SetUpClinicSampleHasABook", c.setUpClinicSampleHasABook)
	t.Run("SetUpClinicCancelledMidwayLeavesNothing", c.setUpClinicCancelledMidwayLeavesNothing)
	t.Run("SetUpClinicSampleFailingLeavesNothing", c.setUpClinicSampleFailingLeavesNothing)
	t.Run("ImportClients", c.importClients)
	t.Run("ImportClientsIsAllOrNothing", c.importClientsIsAllOrNothing)
	t.Run("ImportNoClients", c.importNoClients)
	t.Run("ImportWithCancelledContextWritesNothing", c.importWithCancelledContextWritesNothing)
	t.Run("ImportClientRowsAccountsForEveryRow", c.importClientRowsAccountsForEveryRow)
	t.Run("ImportClientRowsAllOrNothing", c.importClientRowsAllOrNothing)
	t.Run("ClientRecordReadsEverythingKept", c.clientRecordReadsEverythingKept)
	t.Run("WalkClinicReadsEveryRecordInBatches", c.walkClinicReadsEveryRecordInBatches)
	t.Run("WalkClinicStopsAtACallbackError", c.walkClinicStopsAtACallbackError)
	t.Run("ExportClientFromTheStore", c.exportClientFromTheStore)
	t.Run("ExportAllFromTheStore", c.exportAllFromTheStore)
	t.Run("EveryActionWithEveryRole", c.everyActionWithEveryRole)
	t.Run("SummariesForReceptionists", c.summariesForReceptionists)
	t.Run("ReceptionistKeepsClinicalFieldsAsTheyAre", c.receptionistKeepsClinicalFieldsAsTheyAre)
	t.Run("ViewsAndReprintsAreRecorded", c.viewsAndReprintsAreRecorded)
	t.Run("RoleChangesCountAtOnce", c.roleChangesCountAtOnce)
	t.Run("NoStoreMethodWritesAnyAuditEvent", c.noStoreMethodWritesAnyAuditEvent)
	t.Run("RecordExportWritesAnExportRow", c.recordExportWritesAnExportRow)
	t.Run("TheSignInScreenLearnsOnlyWhatItNeeds", c.theSignInScreenLearnsOnlyWhatItNeeds)
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
