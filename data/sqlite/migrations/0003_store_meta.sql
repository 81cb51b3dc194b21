-- Facts the store keeps about itself. 'search_fold' fingerprints how this
-- build folds names for search and sorting, so that when a new version folds
-- differently, Open recomputes the clients' derived columns.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
