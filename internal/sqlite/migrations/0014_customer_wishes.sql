-- A customer's own wish (SPEC §13, `customer edit --contact-every --channel`):
-- how often they want to hear from us and how. Dated and append-only: each
-- row is the whole wish from its date on (the parts an edit did not name are
-- carried over from the wish in effect on that date), so the wish at D is
-- the latest row dated on or before D (by date, then id). A row with
-- contact_set 0 and channel '' is "no wish": the tier's policy applies.
--   contact_set    1: the customer named a contact cadence, contact_every
--                  (days; 0: none, do not contact on a schedule)
--   channel        phone, email, visit, message, letter, or '' (no wish)
--   recorded_at    when it was written (UTC), for the record
CREATE TABLE customer_wishes (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date          TEXT    NOT NULL,
    contact_set   INTEGER NOT NULL CHECK (contact_set IN (0, 1)),
    contact_every INTEGER NOT NULL DEFAULT 0 CHECK (contact_every >= 0 AND (contact_set = 1 OR contact_every = 0)),
    channel       TEXT    NOT NULL DEFAULT '' CHECK (channel IN ('', 'phone', 'email', 'visit', 'message', 'letter')),
    recorded_at   TEXT    NOT NULL
);
CREATE INDEX customer_wishes_customer ON customer_wishes (customer_id, date, id);

-- Append-only: rows cannot be edited or removed, except with their customer
-- (customer rm --force, demo --force: the cascade runs after the customer row
-- is gone).
CREATE TRIGGER customer_wishes_no_update BEFORE UPDATE ON customer_wishes
BEGIN
    SELECT RAISE(ABORT, 'customer wishes are append-only');
END;
CREATE TRIGGER customer_wishes_no_delete BEFORE DELETE ON customer_wishes
WHEN EXISTS (SELECT 1 FROM customers WHERE id = old.customer_id)
BEGIN
    SELECT RAISE(ABORT, 'customer wishes are append-only');
END;
