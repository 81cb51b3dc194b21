-- What each kept aftercare sheet was made from: a fingerprint of its plan,
-- part by part (data.SheetBasis, as JSON), so that a sheet reopened or
-- handed over again can tell whether the record or the settings have
-- changed since, and which parts a new sheet would say differently. NULL
-- for the sheets kept before this column: NeedleDesk cannot tell for
-- those, and says so. Adding a column changes no kept row, so the
-- triggers that keep sheets unchanged still hold.
ALTER TABLE sheet ADD COLUMN basis TEXT;
