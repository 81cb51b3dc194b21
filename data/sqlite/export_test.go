package sqlite

import "database/sql"

// WriterForTest lets the external tests look at the write connection (its
// pragmas, raw row counts) without widening the package's API.
func (s *Store) WriterForTest() *sql.DB { return s.w }

// ReaderForTest is the read pool, for the same reason.
func (s *Store) ReaderForTest() *sql.DB { return s.r }
