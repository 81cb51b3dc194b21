-- The technician's personal words for the client, printed on the aftercare
-- sheet; kept apart from the clinical notes, which stay in the clinic.
ALTER TABLE session ADD COLUMN aftercare_notes TEXT NOT NULL DEFAULT '';
