-- Complaints (SPEC §7) and their append-only history. The complaints row is the
-- current state, a cache of replaying its events (internal/crm/complaint.go);
-- `crm check` verifies that last_date agrees with the events. Dates are TEXT
-- YYYY-MM-DD, money INTEGER cents.
CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY,
    -- The file's complaint id (imports are idempotent by it); NULL when logged by hand.
    external_id       TEXT    UNIQUE,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    date              TEXT    NOT NULL,
    channel           TEXT    NOT NULL CHECK (channel IN ('phone', 'email', 'visit', 'web', 'other')),
    category          TEXT    NOT NULL CHECK (category <> ''),
    severity          TEXT    NOT NULL CHECK (severity IN ('low', 'normal', 'high', 'extreme')),
    type              TEXT    NOT NULL CHECK (type IN ('key', 'general', 'false', 'malicious')),
    status            TEXT    NOT NULL CHECK (status IN ('open', 'investigating', 'resolved', 'closed')),
    reopens           INTEGER NOT NULL DEFAULT 0 CHECK (reopens >= 0),
    -- The four steps as last recorded (the texts come last: reports read the
    -- small columns without going through long narratives).
    responsibility    TEXT    NOT NULL DEFAULT '' CHECK (responsibility IN ('', 'us', 'customer', 'third-party')),
    compensation      INTEGER CHECK (compensation >= 0), -- NULL until a resolution decided one (0 = none)
    resolved_on       TEXT,
    first_resolved_on TEXT,
    closed_on         TEXT,
    reopened_on       TEXT,
    satisfaction      INTEGER NOT NULL DEFAULT 0 CHECK (satisfaction BETWEEN 0 AND 5),
    -- Date of the latest event: a row with last_date <= as-of is read as it is,
    -- only later ones are replayed from their events.
    last_date         TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    -- The report columns in one text, kept by SQLite: reading one column instead
    -- of fifteen makes `complaint stats` over 100,000 complaints 2-3x faster
    -- (internal/sqlite/complaints.go, complaintSummary).
    summary           TEXT    GENERATED ALWAYS AS (printf('%d|%s|%s|%s|%s|%d|%d|%s|%s|%s|%s|%s|%s|%s|%s',
                          customer_id, status, type, severity, channel, reopens, satisfaction, responsibility, date,
                          coalesce(resolved_on, ''), coalesce(first_resolved_on, ''), coalesce(closed_on, ''),
                          coalesce(reopened_on, ''), last_date, category)) STORED,
    text              TEXT    NOT NULL CHECK (text <> ''), -- the complaint in the customer's words
    finding           TEXT    NOT NULL DEFAULT '',         -- 情况调查
    communicated      TEXT    NOT NULL DEFAULT ''          -- 客户沟通
);
-- `complaint systemic` reads (category, date, customer) from this index alone.
CREATE INDEX complaints_category ON complaints (category, date, customer_id);
-- `customer show` counts and `complaint list --customer`.
CREATE INDEX complaints_customer ON complaints (customer_id, status);
-- `complaint due` reads the complaints that are not closed; as-of answers find
-- the rows changed after the as-of date.
CREATE INDEX complaints_status ON complaints (status, last_date);
CREATE INDEX complaints_last_date ON complaints (last_date);
-- Reports (due, stats) read (id, date, summary) from this narrow index, in id
-- order, instead of walking the table with its narratives: 2x faster.
CREATE INDEX complaints_report ON complaints (id, date, summary);

-- One row per step, never changed: logged, classified, investigated, resolved,
-- followup, reopened, closed. note is the step's text (complaint text, finding,
-- what was communicated, follow-up note), reason the why of classify, reopen, close.
-- A rowid table: notes can be long, and WITHOUT ROWID suits small rows only.
CREATE TABLE complaint_events (
    id             INTEGER PRIMARY KEY,
    complaint_id   INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    date           TEXT    NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('logged', 'classified', 'investigated', 'resolved',
                                                    'followup', 'reopened', 'closed')),
    note           TEXT    NOT NULL DEFAULT '',
    reason         TEXT    NOT NULL DEFAULT '',
    from_status    TEXT    NOT NULL DEFAULT '',
    to_status      TEXT    NOT NULL,
    from_type      TEXT    NOT NULL DEFAULT '',
    to_type        TEXT    NOT NULL DEFAULT '',
    responsibility TEXT    NOT NULL DEFAULT '',
    compensation   INTEGER NOT NULL DEFAULT 0 CHECK (compensation >= 0),
    satisfaction   INTEGER NOT NULL DEFAULT 0 CHECK (satisfaction BETWEEN 0 AND 5),
    recorded_at    TEXT    NOT NULL,
    UNIQUE (complaint_id, seq)
);

-- Append-only: steps cannot be edited or removed. Only the logged event follows
-- an import's correction of the complaint itself (its text and date), and rows
-- go with their complaint (customer rm --force, demo --force).
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
WHEN old.kind <> 'logged' OR new.kind <> 'logged' OR new.seq <> old.seq OR new.complaint_id <> old.complaint_id
     OR new.id <> old.id
BEGIN
    SELECT RAISE(ABORT, 'complaint events are append-only');
END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
WHEN EXISTS (SELECT 1 FROM complaints WHERE id = old.complaint_id)
BEGIN
    SELECT RAISE(ABORT, 'complaint events are append-only');
END;
