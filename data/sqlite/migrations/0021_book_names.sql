-- Schema 21: a count of the changes to the names the book shows beside
-- each appointment: its technician's, its room's and its treatment's.
--
-- The day view names a thousand appointments on a busy day, and reading
-- those names from their tables each time was a sixth of its read. The
-- store keeps the three lists in memory instead (book_names.go), and uses
-- its copy only while it is the lists as they stand, whoever changed them
-- since: version goes up with every member of staff, room or treatment
-- added, renamed or removed, in the change's own transaction, as
-- client_order does for the client list.
CREATE TABLE book_names (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;

INSERT INTO book_names (id, version) VALUES (1, 0);

CREATE TRIGGER book_names_staff_insert AFTER INSERT ON staff
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_staff_update AFTER UPDATE OF id, name ON staff
WHEN old.id IS NOT new.id OR old.name IS NOT new.name
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_staff_delete AFTER DELETE ON staff
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER book_names_room_insert AFTER INSERT ON room
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_room_update AFTER UPDATE OF id, name ON room
WHEN old.id IS NOT new.id OR old.name IS NOT new.name
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_room_delete AFTER DELETE ON room
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER book_names_treatment_insert AFTER INSERT ON treatment_type
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_treatment_update AFTER UPDATE OF id, name ON treatment_type
WHEN old.id IS NOT new.id OR old.name IS NOT new.name
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER book_names_treatment_delete AFTER DELETE ON treatment_type
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
END;
