-- Issue 20. A client record carries a version that every saved change
-- raises, and who made the last change, so that a save from a form opened
-- before someone else's change is refused (data.ErrConflict) instead of
-- quietly overwriting it: two workstations may share one clinic.
-- updated_by 0 is NeedleDesk itself (data.SystemActor), as for records
-- kept before this migration.
ALTER TABLE client ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE client ADD COLUMN updated_by INTEGER NOT NULL DEFAULT 0;
