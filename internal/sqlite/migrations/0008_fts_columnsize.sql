-- The search index keeps no per-customer text sizes (columnsize = 0): only
-- ranking reads them, and crm does not rank; building it for 100,000 new
-- customers costs a fifth less. The index is rebuilt from the customers, and
-- the triggers that keep it (unchanged) are recreated around it.
DROP TRIGGER customers_search_ai;
DROP TRIGGER customers_search_ad;
DROP TRIGGER customers_search_au;
DROP TABLE customer_fts;
CREATE VIRTUAL TABLE customer_fts USING fts5 (t, tokenize = 'trigram', detail = 'none', columnsize = 0);
INSERT INTO customer_fts (rowid, t) SELECT id, code || ' ' || name || ' ' || phone || ' ' || email || ' ' || city FROM customers;
CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customer_fts (rowid, t) VALUES (new.id, new.code || ' ' || new.name || ' ' || new.phone || ' ' || new.email || ' ' || new.city);
    INSERT INTO customer_names (id, t) VALUES (new.id, lower(new.name || ' ' || new.city));
END;
CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
    DELETE FROM customer_fts WHERE rowid = old.id;
    DELETE FROM customer_names WHERE id = old.id;
END;
CREATE TRIGGER customers_search_au AFTER UPDATE OF code, name, phone, email, city ON customers BEGIN
    UPDATE customer_fts SET t = new.code || ' ' || new.name || ' ' || new.phone || ' ' || new.email || ' ' || new.city WHERE rowid = new.id;
    UPDATE customer_names SET t = lower(new.name || ' ' || new.city) WHERE id = new.id;
END;
