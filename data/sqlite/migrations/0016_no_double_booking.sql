-- Issue 12, the appointment book (3 of 5): never double-booked. The
-- store refuses a clash inside its write transaction, naming the
-- appointment already there; these triggers refuse one however it is
-- written (an import, an older copy of NeedleDesk, a database tool), so
-- the file itself never holds two appointments that share a technician's
-- or a room's time. Cancelled and missed appointments hold no time;
-- touching ends (one ends at 10:00, the next starts at 10:00) do not
-- clash. No appointment is longer than 8 hours, so only those starting
-- in the 8 hours before the new one can reach into it, which keeps the
-- look-up to a few rows of the index by technician (or room) and start.
CREATE TRIGGER appointment_no_clash_insert BEFORE INSERT ON appointment
WHEN NEW.status IN ('booked', 'arrived', 'in_treatment', 'completed')
BEGIN
    SELECT RAISE(ABORT, 'appointment clash: the technician or the room already has an appointment at that time')
    WHERE EXISTS (SELECT 1 FROM appointment a
            WHERE a.technician_id = NEW.technician_id
              AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%S', NEW.start_at, '-8 hours')
              AND a.start_at < NEW.end_at AND a.end_at > NEW.start_at
              AND a.status IN ('booked', 'arrived', 'in_treatment', 'completed'))
       OR (NEW.room_id IS NOT NULL AND EXISTS (SELECT 1 FROM appointment a
            WHERE a.room_id = NEW.room_id
              AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%S', NEW.start_at, '-8 hours')
              AND a.start_at < NEW.end_at AND a.end_at > NEW.start_at
              AND a.status IN ('booked', 'arrived', 'in_treatment', 'completed')));
END;

CREATE TRIGGER appointment_no_clash_update BEFORE UPDATE OF technician_id, room_id, start_at, end_at, status ON appointment
WHEN NEW.status IN ('booked', 'arrived', 'in_treatment', 'completed')
BEGIN
    SELECT RAISE(ABORT, 'appointment clash: the technician or the room already has an appointment at that time')
    WHERE EXISTS (SELECT 1 FROM appointment a
            WHERE a.technician_id = NEW.technician_id AND a.id != NEW.id
              AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%S', NEW.start_at, '-8 hours')
              AND a.start_at < NEW.end_at AND a.end_at > NEW.start_at
              AND a.status IN ('booked', 'arrived', 'in_treatment', 'completed'))
       OR (NEW.room_id IS NOT NULL AND EXISTS (SELECT 1 FROM appointment a
            WHERE a.room_id = NEW.room_id AND a.id != NEW.id
              AND a.start_at >= strftime('%Y-%m-%dT%H:%M:%S', NEW.start_at, '-8 hours')
              AND a.start_at < NEW.end_at AND a.end_at > NEW.start_at
              AND a.status IN ('booked', 'arrived', 'in_treatment', 'completed')));
END;
