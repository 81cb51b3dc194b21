-- Schema 4: client search from an index. search_text and phone_digits are
-- already folded in Go (case and accents, data.FoldForSearch, the same
-- code as the SQLite store), so both stores find the same clients for
-- the same words; pg_trgm's GIN index answers "contains" (LIKE '%word%')
-- from trigrams, as SQLite's FTS5 trigram index does.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX client_search_text ON client USING gin (search_text gin_trgm_ops);
CREATE INDEX client_search_phone ON client USING gin (phone_digits gin_trgm_ops);
