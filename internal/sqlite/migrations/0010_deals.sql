-- Deals (opportunities, 机会; SPEC §9) and their append-only history, in the
-- shape of complaints (0005): the deals row is the current state, a cache of
-- replaying its events (internal/crm, deal replay); `crm check` verifies that
-- the two agree. Dates are TEXT YYYY-MM-DD, money INTEGER cents.
-- OWNER: the deals work (issue 13). Contract columns (used by interactions,
-- tasks and the reports) are marked *; others may change before release.
CREATE TABLE deals (
    id                 INTEGER PRIMARY KEY,                                             -- *
    -- The file's deal id (imports are idempotent by it); NULL when added by hand.
    external_id        TEXT    UNIQUE,
    customer_id        INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,    -- *
    contact_id         INTEGER REFERENCES contacts (id) ON DELETE SET NULL,             -- *
    title              TEXT    NOT NULL CHECK (title <> ''),                             -- *
    status             TEXT    NOT NULL CHECK (status IN ('open', 'dormant', 'won', 'lost')), -- *
    -- The current level H/A/B/C; for a won or lost deal the level at close.
    level              TEXT    NOT NULL CHECK (level IN ('H', 'A', 'B', 'C')),          -- *
    level_since        TEXT    NOT NULL,                                                 -- *
    previous_level     TEXT    NOT NULL DEFAULT '' CHECK (previous_level IN ('', 'H', 'A', 'B', 'C')),
    max_level          TEXT    NOT NULL CHECK (max_level IN ('H', 'A', 'B', 'C', 'O')),
    amount             INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),                  -- *
    probability        INTEGER CHECK (probability BETWEEN 0 AND 100), -- NULL: the level's default
    expected_close     TEXT,                                         -- NULL: level_since + window(level)
    created_on         TEXT    NOT NULL,                                                 -- *
    closed_on          TEXT,                                          -- won or lost date  -- *
    won_amount         INTEGER CHECK (won_amount >= 0),
    order_id           INTEGER REFERENCES orders (id) ON DELETE SET NULL, -- win --order
    dormant_until      TEXT,
    reasons            TEXT    NOT NULL DEFAULT '', -- lost: reason keys, primary first, comma-separated
    competitor         TEXT    NOT NULL DEFAULT '',
    competitor_product TEXT    NOT NULL DEFAULT '',
    owner              TEXT    NOT NULL DEFAULT '',
    source             TEXT    NOT NULL DEFAULT '',
    reopens            INTEGER NOT NULL DEFAULT 0 CHECK (reopens >= 0),
    -- Date of the latest event: rows with last_date <= as-of are read as they
    -- are, later ones replayed from their events.
    last_date          TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    background         TEXT    NOT NULL DEFAULT '',
    note               TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX deals_customer ON deals (customer_id, status);
CREATE INDEX deals_status ON deals (status, level, last_date);
CREATE INDEX deals_last_date ON deals (last_date);

-- One row per step, never changed: added, leveled, edited, frozen, woken, won,
-- lost, reopened (SPEC §9.4).
CREATE TABLE deal_events (
    id          INTEGER PRIMARY KEY,
    deal_id     INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    date        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('added', 'leveled', 'edited', 'frozen', 'woken',
                                                 'won', 'lost', 'reopened')),
    -- The level after the step (added, leveled, woken, reopened), else ''.
    level       TEXT    NOT NULL DEFAULT '' CHECK (level IN ('', 'H', 'A', 'B', 'C')),
    -- edited: the field changed and its new value as text ('' clears it).
    field       TEXT    NOT NULL DEFAULT '',
    value       TEXT    NOT NULL DEFAULT '',
    amount      INTEGER,          -- added: amount; won: won amount
    order_id    INTEGER,          -- won --order
    until       TEXT,             -- frozen
    reasons     TEXT    NOT NULL DEFAULT '', -- lost
    competitor  TEXT    NOT NULL DEFAULT '', -- lost
    reason      TEXT    NOT NULL DEFAULT '', -- leveled, frozen: why
    note        TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL,
    UNIQUE (deal_id, seq)
);
CREATE INDEX deal_events_date ON deal_events (date, deal_id);

CREATE TRIGGER deal_events_no_update BEFORE UPDATE ON deal_events
BEGIN
    SELECT RAISE(ABORT, 'deal events are append-only');
END;
CREATE TRIGGER deal_events_no_delete BEFORE DELETE ON deal_events
WHEN EXISTS (SELECT 1 FROM deals WHERE id = old.deal_id)
BEGIN
    SELECT RAISE(ABORT, 'deal events are append-only');
END;
