-- Issue 14: cheaper commits. A record's JSON, lz4-compressed (0004), is still
-- above the 2 kB TOAST target for most pages, so each record was written as a
-- small heap row plus two or three chunks in the TOAST table and its index.
-- With a target of a whole page (8160 bytes, the most PostgreSQL accepts) a
-- compressed record up to that size stays in the heap row: one row and its
-- indexes per record instead of three to four rows. Only rows written from
-- now on change; larger records are still moved out of line.
ALTER TABLE records SET (toast_tuple_target = 8160);
