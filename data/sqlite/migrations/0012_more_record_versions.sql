-- Issue 20, after clients (migration 11): a session, a catalogue product
-- and a staff member carry a version that every saved change raises, and
-- who made the last change, so that a save from a form opened before
-- someone else's change is refused (data.ErrConflict) instead of quietly
-- overwriting it. Products and staff had no time of their last change;
-- updated_at says it now (NULL for rows kept before this migration).
-- updated_by 0 is NeedleDesk itself (data.SystemActor). None of these
-- columns is in a row's hash (row_hash.go).
ALTER TABLE session ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE session ADD COLUMN updated_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE product ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE product ADD COLUMN updated_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE product ADD COLUMN updated_at TEXT;
ALTER TABLE staff ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE staff ADD COLUMN updated_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN updated_at TEXT;
-- The clinic's settings are one document with one version.
ALTER TABLE settings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE settings ADD COLUMN updated_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN updated_at TEXT;
