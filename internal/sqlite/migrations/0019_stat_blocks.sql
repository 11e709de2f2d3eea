-- Every customer's whole-history order totals (customer_stats) for 1,024
-- customers per row (issue 14, the brief's speed): one customer's RFM
-- scores, segment and tier compare it with every customer (SPEC §3–§5), and
-- reading 100 rows of text beats stepping 100,000 rows of customer_stats
-- (≈ 40 ms through the driver). A block is lines, one per customer_stats row
-- in id order:
--
--     id,first,last_buy,max,frequency,monetary
--
-- the dates as days since 1970-01-01 (SQLite's unixepoch / 86400, crm.Date's
-- count; last_buy empty when the customer has no order with amount > 0; an x
-- for a date SQLite cannot read, which the reader refuses and `crm check`'s
-- order_date names). Only adds tables and triggers.
-- OWNER: internal/sqlite/statblocks.go (the block's text is statBlockData
-- there; the reader is readStatBlocks).
--
-- A change to customer_stats marks its block stale; a reader reads stale
-- blocks from customer_stats itself, so it is right even before the block is
-- rebuilt, which every write transaction of crm does before it commits
-- (refreshStatBlocks), as the name blocks (0007) are kept.
CREATE TABLE customer_stat_blocks (block INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE customer_stat_blocks_stale (block INTEGER PRIMARY KEY);
INSERT INTO customer_stat_blocks (block, data)
    SELECT customer_id >> 10, group_concat(customer_id
        || ',' || CASE WHEN first_date IS NULL THEN '' ELSE coalesce(unixepoch(first_date) / 86400, 'x') END
        || ',' || CASE WHEN last_buy IS NULL THEN '' ELSE coalesce(unixepoch(last_buy) / 86400, 'x') END
        || ',' || CASE WHEN max_date IS NULL THEN '' ELSE coalesce(unixepoch(max_date) / 86400, 'x') END
        || ',' || frequency || ',' || monetary, char(10) ORDER BY customer_id)
    FROM customer_stats GROUP BY customer_id >> 10;
CREATE TRIGGER customer_stats_block_ai AFTER INSERT ON customer_stats BEGIN
    INSERT INTO customer_stat_blocks_stale (block) VALUES (new.customer_id >> 10) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER customer_stats_block_au AFTER UPDATE ON customer_stats BEGIN
    INSERT INTO customer_stat_blocks_stale (block) VALUES (old.customer_id >> 10), (new.customer_id >> 10) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER customer_stats_block_ad AFTER DELETE ON customer_stats BEGIN
    INSERT INTO customer_stat_blocks_stale (block) VALUES (old.customer_id >> 10) ON CONFLICT DO NOTHING;
END;
