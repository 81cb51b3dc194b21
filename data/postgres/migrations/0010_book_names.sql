-- Schema 10: a count of the changes to the names the book shows beside
-- each appointment (its technician's, room's and treatment's), as the
-- SQLite store's migration 21. The day view names its thousand rows from
-- the store's copy of the three lists and uses it only while this version
-- is the one it read it at; every member of staff, room or treatment
-- added, renamed or removed raises it in the change's own transaction,
-- at whichever workstation. Joined to every row, the three names were
-- half of the server's time on the bench clinic's busiest day.
CREATE TABLE book_names (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL
);

INSERT INTO book_names (id, version) VALUES (1, 0);

CREATE FUNCTION book_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE book_names SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER book_names_staff AFTER INSERT OR DELETE OR UPDATE OF id, name ON staff
    FOR EACH STATEMENT EXECUTE FUNCTION book_names_changed();
CREATE TRIGGER book_names_room AFTER INSERT OR DELETE OR UPDATE OF id, name ON room
    FOR EACH STATEMENT EXECUTE FUNCTION book_names_changed();
CREATE TRIGGER book_names_treatment AFTER INSERT OR DELETE OR UPDATE OF id, name ON treatment_type
    FOR EACH STATEMENT EXECUTE FUNCTION book_names_changed();
