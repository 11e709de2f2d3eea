-- Snoozes of agenda lines (SPEC §10.3): `crm today snooze RULE REF --until D`.
-- Append-only: a snooze is never edited; a later one for the same line wins
-- while it lasts. key is the line's identity (crm.AgendaLine.Key: the deal's
-- id, "customer:<id>" for the customer rules, the date for reviews), ref the
-- reference as printed when it was recorded.
CREATE TABLE agenda_snoozes (
    id          INTEGER PRIMARY KEY,
    rule        TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    ref         TEXT    NOT NULL,
    customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    until       TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    recorded    TEXT    NOT NULL
);
CREATE INDEX agenda_snoozes_customer ON agenda_snoozes (customer_id);
CREATE INDEX agenda_snoozes_recorded ON agenda_snoozes (recorded, rule, key);

CREATE TRIGGER agenda_snoozes_no_update BEFORE UPDATE ON agenda_snoozes
BEGIN
    SELECT RAISE(ABORT, 'agenda snoozes are append-only');
END;
CREATE TRIGGER agenda_snoozes_no_delete BEFORE DELETE ON agenda_snoozes
WHEN old.customer_id IS NOT NULL AND EXISTS (SELECT 1 FROM customers WHERE id = old.customer_id)
BEGIN
    SELECT RAISE(ABORT, 'agenda snoozes are append-only');
END;

-- The collection touches of the agenda's collection rules.
CREATE INDEX interactions_collection ON interactions (customer_id, date, notice_level, type)
    WHERE purpose = 'collection' AND touch > 0;

-- Every customer's last touch, its type and last visit in one pass (the
-- agenda, crm policy check): the touches only, covering.
CREATE INDEX interactions_touches ON interactions (customer_id, date, touch, type) WHERE touch > 0;
