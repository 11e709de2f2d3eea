-- Credit limits and overrides (SPEC §6, internal/sqlite/credit.go).

-- Every change of a customer's credit limit is kept. The limit in force on a
-- date is the latest change dated on or before it (same date: the later row).
-- new_limit NULL removes the credit line; old_limit NULL: there was none.
CREATE TABLE credit_limits (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date        TEXT    NOT NULL, -- in force from this date (YYYY-MM-DD)
    changed_at  TEXT    NOT NULL, -- when it was recorded (UTC timestamp)
    old_limit   INTEGER,
    new_limit   INTEGER CHECK (new_limit >= 0),
    reason      TEXT    NOT NULL CHECK (trim(reason) <> '')
);
CREATE INDEX credit_limits_customer ON credit_limits (customer_id, date, id);

-- Audit log of `credit check --override`: a salesperson went ahead with an
-- order the check held or rejected, with the figures the check saw.
CREATE TABLE credit_overrides (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date        TEXT    NOT NULL, -- the as-of date of the check
    changed_at  TEXT    NOT NULL, -- when it was recorded (UTC timestamp)
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    decision    TEXT    NOT NULL CHECK (decision IN ('approve', 'hold', 'reject')),
    rules       TEXT    NOT NULL DEFAULT '', -- triggered rule codes, comma-separated
    credit_limit INTEGER,                    -- NULL: no credit line
    outstanding INTEGER NOT NULL,
    overdue     INTEGER NOT NULL,
    reason      TEXT    NOT NULL CHECK (trim(reason) <> '')
);
CREATE INDEX credit_overrides_customer ON credit_overrides (customer_id, id);

-- Ledger reads use the covering indexes orders_customer and payments_customer
-- of migration 0002 (customer, date, amount, due date / named order, id).
