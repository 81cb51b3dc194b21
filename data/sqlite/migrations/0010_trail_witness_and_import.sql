-- Issue 19. Each change to a client, session or staff member records in
-- its audit event the SHA-256 of the row as written (see row_hash.go), so
-- that `needledesk check` can tell a row changed behind NeedleDesk's back.
-- The chain covers it: an event with a row hash is encoded with it.
ALTER TABLE audit_event ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';

-- An import skips clients already in the clinic: same name and date of
-- birth (client_by_name), same e-mail or same phone number.
CREATE INDEX client_by_email ON client (email COLLATE NOCASE) WHERE email != '';
CREATE INDEX client_by_phone ON client (phone_digits) WHERE phone_digits != '';
