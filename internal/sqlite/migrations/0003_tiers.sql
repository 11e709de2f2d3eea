-- A/B/C tiers (SPEC §5): pins set by hand, and saved snapshots for `tier changes`.

-- A pin overrides the computed tier of one customer. pinned_on is the as-of
-- date of `crm tier pin`: tiers computed as of an earlier date ignore the pin.
CREATE TABLE tier_pins (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    tier        TEXT    NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    reason      TEXT    NOT NULL CHECK (trim(reason) <> ''),
    pinned_on   TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

-- One row per `crm tier save`: the as-of date and the options used.
CREATE TABLE tier_saves (
    as_of     TEXT    PRIMARY KEY,
    method    TEXT    NOT NULL,
    params    TEXT    NOT NULL,
    customers INTEGER NOT NULL,
    total     INTEGER NOT NULL,
    saved_at  TEXT    NOT NULL
);

-- The tier of every customer that had one at that date (pins applied).
CREATE TABLE tier_snapshots (
    as_of       TEXT    NOT NULL REFERENCES tier_saves (as_of) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tier        TEXT    NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    monetary    INTEGER NOT NULL,
    gold        INTEGER NOT NULL DEFAULT 0 CHECK (gold IN (0, 1)),
    pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    PRIMARY KEY (as_of, customer_id)
) WITHOUT ROWID;
-- Deleting a customer cascades here: find its rows without a full scan.
CREATE INDEX tier_snapshots_customer ON tier_snapshots (customer_id);
