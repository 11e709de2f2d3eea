-- Tasks (待办; SPEC §8.2) and their append-only history. The tasks row is the
-- current state, a cache of replaying its events; `crm check` verifies it.
-- OWNER: the tasks work (issue 13). Contract columns (read by the reports and
-- the agenda) are marked *; others may change before release.
CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,                                                  -- *
    external_id  TEXT    UNIQUE,
    customer_id  INTEGER REFERENCES customers (id) ON DELETE CASCADE,                  -- *
    contact_id   INTEGER REFERENCES contacts (id) ON DELETE SET NULL,                  -- *
    deal_id      INTEGER REFERENCES deals (id) ON DELETE SET NULL,                     -- *
    -- The interaction whose --next created it, if any.
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    title        TEXT    NOT NULL CHECK (title <> ''),                                  -- *
    type         TEXT    NOT NULL DEFAULT 'todo' CHECK (type IN ('todo', 'call', 'visit', 'meeting',
                                                  'email', 'letter', 'message', 'event', 'note')),
    priority     TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')), -- *
    due          TEXT    NOT NULL,                                                      -- *
    status       TEXT    NOT NULL CHECK (status IN ('open', 'done', 'canceled')),      -- *
    done_on      TEXT,
    -- Repeat: every repeat_n repeat_unit (d, w, m) from 'due' or 'done', until.
    repeat_n     INTEGER CHECK (repeat_n >= 1),
    repeat_unit  TEXT    CHECK (repeat_unit IN ('d', 'w', 'm')),
    repeat_from  TEXT    CHECK (repeat_from IN ('due', 'done')),
    repeat_until TEXT,
    -- The series' first due date (the anchor of --from due) and the task it repeats.
    anchor       TEXT,
    series_id    INTEGER,
    snoozes      INTEGER NOT NULL DEFAULT 0 CHECK (snoozes >= 0),
    created_on   TEXT    NOT NULL,                                                      -- *
    last_date    TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT ''
);
-- The open tasks by due date (status, due), in task list's order (then
-- priority high first, id) and with the as-of filter: the first N open tasks
-- are read from the index alone. (It replaces the contract's tasks_open
-- (status, due), of which it is an extension, so a step writes one index less.)
CREATE INDEX tasks_open ON tasks (status, due, (CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END), id, last_date);
CREATE INDEX tasks_customer ON tasks (customer_id, status);
CREATE INDEX tasks_deal ON tasks (deal_id, status, due) WHERE deal_id IS NOT NULL;
-- The tasks changed after an as-of date (replayed by task list --as-of).
CREATE INDEX tasks_last_date ON tasks (last_date, created_on);
CREATE INDEX tasks_series ON tasks (series_id, id) WHERE series_id IS NOT NULL;

-- One row per step, never changed: created, due_changed (edit or snooze),
-- done, canceled, reopened (SPEC §8.2).
CREATE TABLE task_events (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    date        TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('created', 'due_changed', 'edited', 'done', 'canceled', 'reopened')),
    due         TEXT,                       -- created, due_changed: the new due date
    snooze      INTEGER NOT NULL DEFAULT 0, -- due_changed by snooze
    field       TEXT    NOT NULL DEFAULT '', -- edited
    value       TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '', -- created: the task's note; done: note; canceled: reason
    -- created: the task's first title, type and priority (the replay starts from them).
    title       TEXT    NOT NULL DEFAULT '',
    type        TEXT    NOT NULL DEFAULT '',
    priority    TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL,
    UNIQUE (task_id, seq)
);
CREATE INDEX task_events_date ON task_events (date, task_id);

CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN
    SELECT RAISE(ABORT, 'task events are append-only');
END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
WHEN EXISTS (SELECT 1 FROM tasks WHERE id = old.task_id)
BEGIN
    SELECT RAISE(ABORT, 'task events are append-only');
END;
