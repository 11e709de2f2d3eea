-- Interactions (联系记录; SPEC §8.1): calls, visits, meetings, email, letters,
-- messages, events and notes. Plain records (edit, `crm log rm`), not events.
-- OWNER: the interactions work (issue 13). Contract columns (read by deals,
-- tasks and the reports) are marked *; others may change before release.
CREATE TABLE interactions (
    id           INTEGER PRIMARY KEY,                                                 -- *
    -- The file's interaction id (imports are idempotent by it); NULL when logged by hand.
    external_id  TEXT    UNIQUE,
    customer_id  INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,        -- *
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,                 -- *
    deal_id      INTEGER REFERENCES deals (id) ON DELETE SET NULL,                    -- *
    date         TEXT    NOT NULL,                                                     -- *
    time         TEXT,
    type         TEXT    NOT NULL CHECK (type IN ('call', 'visit', 'meeting', 'email', 'letter',
                                                  'message', 'event', 'note')),      -- *
    direction    TEXT    NOT NULL DEFAULT '' CHECK (direction IN ('', 'outbound', 'inbound')),
    outcome      TEXT    NOT NULL DEFAULT 'reached' CHECK (outcome IN ('reached', 'no_answer')),
    purpose      TEXT    NOT NULL DEFAULT 'general' CHECK (purpose IN ('general', 'after_sale',
                                                  'collection', 'winback', 'care')),  -- *
    notice_level TEXT    NOT NULL DEFAULT '' CHECK (notice_level IN ('', 'first_reminder',
                                                  'second_notice', 'final_notice')),  -- *
    -- 1 when the interaction is a touch (SPEC §8.1: not a note, outcome reached),
    -- 2 when it is also a visit (visit or meeting); kept by SQLite.
    touch        INTEGER GENERATED ALWAYS AS (CASE WHEN type = 'note' OR outcome <> 'reached' THEN 0
                                                   WHEN type IN ('visit', 'meeting') THEN 2 ELSE 1 END) STORED, -- *
    minutes      INTEGER CHECK (minutes >= 0),
    created_at   TEXT    NOT NULL,
    subject      TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    CHECK (subject <> '' OR text <> '')
);
-- last_touch of a customer / contact / deal as of a date.
CREATE INDEX interactions_customer ON interactions (customer_id, touch, date);
CREATE INDEX interactions_contact ON interactions (contact_id, date) WHERE contact_id IS NOT NULL;
CREATE INDEX interactions_deal ON interactions (deal_id, date) WHERE deal_id IS NOT NULL;
CREATE INDEX interactions_date ON interactions (date);
