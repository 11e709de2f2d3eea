-- Orders (invoices; a negative amount is a return) and payments. Money is INTEGER
-- cents, dates are TEXT YYYY-MM-DD (time of day apart, where the source had one).
--
-- orders.customer_id has no FOREIGN KEY clause on purpose: the per-row parent
-- check doubled the cost of bulk imports (millions of rows). Every write path
-- resolves the customer first, the trigger below cascades deletes, and
-- `crm check` reports any order whose customer is missing.
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    order_no    TEXT    NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL,
    date        TEXT    NOT NULL,
    time        TEXT,
    amount      INTEGER NOT NULL,
    due_date    TEXT,
    lines       INTEGER NOT NULL DEFAULT 0,
    note        TEXT    NOT NULL DEFAULT ''
);
-- Covering index: RFM and tiers read (customer, date, amount), credit ledgers
-- also the due date and order id, without touching the table (an index
-- without the amount makes RFM 2.2x slower). One index serves both: each
-- index costs bulk imports a sort.
CREATE INDEX orders_customer ON orders (customer_id, date, amount, due_date, order_no);
CREATE TRIGGER customers_delete_orders AFTER DELETE ON customers BEGIN
    DELETE FROM orders WHERE customer_id = old.id;
END;

CREATE TABLE payments (
    id          INTEGER PRIMARY KEY,
    payment_no  TEXT    NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    order_id    INTEGER REFERENCES orders (id) ON DELETE SET NULL,
    date        TEXT    NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount > 0),
    method      TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX payments_customer ON payments (customer_id, date, amount, order_id, payment_no);
CREATE INDEX payments_order ON payments (order_id);

-- Whole-history order totals per customer, kept by every write of orders
-- (internal/sqlite/orders.go). They answer RFM and tiers as of today without
-- reading the orders; `crm check` verifies them against the orders.
CREATE TABLE customer_stats (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    first_date  TEXT,
    last_buy    TEXT,
    frequency   INTEGER NOT NULL,
    monetary    INTEGER NOT NULL,
    orders      INTEGER NOT NULL,
    max_date    TEXT
);
