-- Issue 12, the appointment book (4 of 5): safe to treat. What a booking
-- was warned of (the client's contraindications, a session too soon
-- after the last one) and the reason it was booked anyway, kept with the
-- appointment as a session keeps its own.
ALTER TABLE appointment ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'; -- JSON array of the warnings shown
ALTER TABLE appointment ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';
