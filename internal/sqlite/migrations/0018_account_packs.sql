-- Each customer's orders and payments packed into one BLOB (issues 14 and
-- 16): the passes over every account (credit aging, churn, the agenda) read
-- one row per customer instead of the index ranges of orders_customer and
-- payments_customer. The encoding and the one function that makes a pack
-- from the rows are in internal/sqlite/pack.go; this migration's Go step
-- (backfillPacks) fills the table. A customer with neither orders nor
-- payments has no row.
-- OWNER: internal/sqlite/pack.go.
CREATE TABLE account_packs (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    pack        BLOB NOT NULL
);

-- Inserts are found by row id at the end of each write (rows past the
-- highest id when it began); updates and deletes note their customers here,
-- and the write makes their packs again before it commits (refreshPacks).
CREATE TABLE account_packs_stale (customer_id INTEGER PRIMARY KEY);

CREATE TRIGGER account_packs_orders_au AFTER UPDATE ON orders BEGIN
    INSERT INTO account_packs_stale VALUES (old.customer_id), (new.customer_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER account_packs_orders_ad AFTER DELETE ON orders BEGIN
    INSERT INTO account_packs_stale VALUES (old.customer_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER account_packs_payments_au AFTER UPDATE ON payments BEGIN
    INSERT INTO account_packs_stale VALUES (old.customer_id), (new.customer_id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER account_packs_payments_ad AFTER DELETE ON payments BEGIN
    INSERT INTO account_packs_stale VALUES (old.customer_id) ON CONFLICT DO NOTHING;
END;
