-- Large imports now drop the search-index trigger inside their own
-- transaction and index the customers they created in one statement at the
-- end (internal/sqlite/import.go, suspend and indexDeferred): the flag table
-- the trigger consulted on every insert is no longer used.
DROP TRIGGER customers_search_ai;
CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customer_fts (rowid, t) VALUES (new.id, new.code || ' ' || new.name || ' ' || new.phone || ' ' || new.email || ' ' || new.city);
    INSERT INTO customer_names (id, t) VALUES (new.id, lower(new.name || ' ' || new.city));
END;
DROP TABLE search_deferred;
