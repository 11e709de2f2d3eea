-- One- and two-character searches in Chinese (too short for the trigram
-- index) scan every customer's name and city. customer_names holds that text
-- a row per customer; customer_name_blocks holds the same text for 1,024
-- customers per row, as lines "id<TAB>text", which crm scans in Go: a
-- hundred rows to read for 100,000 customers instead of 100,000
-- (internal/sqlite/nameblocks.go).
--
-- A change to customer_names marks its block stale; a search reads stale
-- blocks from customer_names itself, so it is right even before the block is
-- rebuilt, which every write transaction of crm does before it commits.
CREATE TABLE customer_name_blocks (block INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE customer_name_blocks_stale (block INTEGER PRIMARY KEY);
INSERT INTO customer_name_blocks (block, data)
    SELECT id >> 10, group_concat(id || char(9) || replace(replace(t, char(10), ' '), char(9), ' '), char(10) ORDER BY id)
    FROM customer_names GROUP BY id >> 10;
CREATE TRIGGER customer_names_stale_ai AFTER INSERT ON customer_names BEGIN
    INSERT OR IGNORE INTO customer_name_blocks_stale (block) VALUES (new.id >> 10);
END;
CREATE TRIGGER customer_names_stale_au AFTER UPDATE ON customer_names BEGIN
    INSERT OR IGNORE INTO customer_name_blocks_stale (block) VALUES (new.id >> 10);
END;
CREATE TRIGGER customer_names_stale_ad AFTER DELETE ON customer_names BEGIN
    INSERT OR IGNORE INTO customer_name_blocks_stale (block) VALUES (old.id >> 10);
END;
