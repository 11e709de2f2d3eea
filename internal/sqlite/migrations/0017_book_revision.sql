-- Placeholder: the rqlite store's book_revision (branch h-rq) lands here.
SELECT 1;
