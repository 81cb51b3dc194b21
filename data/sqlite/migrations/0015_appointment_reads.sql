-- Issue 12, the appointment book (2 of 5): the indexes its reads and
-- checks use. A day's view reads by start; a technician's or a room's
-- week, and the check for a clash, read one of them by start (a clash
-- can only come from an appointment starting in the 8 hours before the
-- new one ends, since none is longer); a client's history and a course's
-- count read by client and by course. A session completes one
-- appointment at most.
CREATE INDEX appointment_by_start ON appointment (start_at);
CREATE INDEX appointment_by_technician ON appointment (technician_id, start_at);
CREATE INDEX appointment_by_room ON appointment (room_id, start_at) WHERE room_id IS NOT NULL;
CREATE INDEX appointment_by_client ON appointment (client_id, start_at);
CREATE INDEX appointment_by_course ON appointment (course_id, start_at) WHERE course_id IS NOT NULL;
CREATE UNIQUE INDEX appointment_by_session ON appointment (session_id) WHERE session_id IS NOT NULL;
