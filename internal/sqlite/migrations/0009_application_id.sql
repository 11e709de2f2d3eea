-- crm's mark in the file header (AppID in open.go, the bytes "CRMB"): books
-- made before it are recognised by their tables once, then by the mark, and
-- another program's SQLite file is never taken for a book. New books are
-- marked when their first page is written; this marks the older ones.
PRAGMA application_id = 1129467202;
