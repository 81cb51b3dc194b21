-- Client search from indexes instead of reading every client.

-- This build lays search_text out anew (searchText in derived.go): words
-- behind a two-space gap, so that the trigram index below can find a word
-- by its first letter or two. Open recomputes every client's derived
-- columns right after the migrations, because the fold fingerprint has
-- changed; emptying the old text first saves indexing it only to take it
-- out again. The name index that carries it is rebuilt below.
DROP INDEX client_by_name;
UPDATE client SET search_text = '';

-- client_search is an FTS5 index over the client's derived search columns:
-- search_text (folded names and e-mail) and phone_digits. The trigram
-- tokenizer indexes every run of three characters, so a query word of
-- three or more characters is found anywhere in the text, as
-- instr(search_text, word) would find it, and CJK names need no word
-- breaking. The text is already folded in Go (case and accents), so the
-- tokenizer is told not to fold again. External content: the text lives
-- only in client; the index holds the trigrams and their positions.
CREATE VIRTUAL TABLE client_search USING fts5(
    search_text, phone_digits,
    content = 'client', content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1', detail = full
);

-- The triggers keep the index in step with client in the same transaction
-- as every write: a create, an import, an update, the upkeep that
-- recomputes derived columns. Archiving changes neither column, and the
-- update trigger only fires when one of them really changes, so archiving
-- and the latest-session bookkeeping cost nothing here.
CREATE TRIGGER client_search_insert AFTER INSERT ON client
BEGIN
    INSERT INTO client_search (rowid, search_text, phone_digits)
    VALUES (new.id, new.search_text, new.phone_digits);
END;

CREATE TRIGGER client_search_update AFTER UPDATE OF search_text, phone_digits ON client
WHEN old.search_text IS NOT new.search_text OR old.phone_digits IS NOT new.phone_digits
BEGIN
    INSERT INTO client_search (client_search, rowid, search_text, phone_digits)
    VALUES ('delete', old.id, old.search_text, old.phone_digits);
    INSERT INTO client_search (rowid, search_text, phone_digits)
    VALUES (new.id, new.search_text, new.phone_digits);
END;

CREATE TRIGGER client_search_delete AFTER DELETE ON client
BEGIN
    INSERT INTO client_search (client_search, rowid, search_text, phone_digits)
    VALUES ('delete', old.id, old.search_text, old.phone_digits);
END;

INSERT INTO client_search (client_search) VALUES ('rebuild');

-- The name index now carries what a search tests, so a search that matches
-- many clients walks it in name order and stops at the end of the page
-- without reading a single client row it does not return.
CREATE INDEX client_by_name ON client (family_sort, given_sort, id, archived_at, search_text, phone_digits);

-- A narrow copy of what a search sorts and filters its matches by, keyed
-- by ID. Sorting the matches reads one entry here per match instead of one
-- client row: 4 MB for 100,000 clients, which stays in a reader's page
-- cache, against 40 MB of client rows, which does not.
CREATE INDEX client_key ON client (id, family_sort, given_sort, archived_at, next_due);
