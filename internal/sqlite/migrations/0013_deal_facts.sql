-- The deal reports' caches (issue 13, Speed). Only adds: two columns on
-- deals, a view, an index and triggers.
-- OWNER: the deal reports (internal/sqlite deal_reports.go).
--
-- deals.spells: the level spells of the deal's events (crm.DealSpells),
-- written by storage with every deal write (NULL: not computed; the reports
-- then read the events).
-- deals.packed: what the reports read of a deal, in one text (one column a
-- row is what the driver reads fastest): the row, the facts beside it —
-- latest touches, touch counts, earliest open task, first order after a
-- loss — and spells. Kept by the triggers below from the view deal_packed,
-- the one home of its layout; `crm check` compares the two.
ALTER TABLE deals ADD COLUMN spells TEXT;
ALTER TABLE deals ADD COLUMN packed TEXT NOT NULL DEFAULT '';

-- deal lost reads the losses of the deals it replays through this index;
-- pipeline, forecast and hot the open and dormant deals through the next
-- one, which holds all they read of them.
CREATE INDEX deal_events_lost ON deal_events (deal_id, date) WHERE kind = 'lost';
CREATE INDEX deals_open_packed ON deals (status, level, last_date, packed)
    WHERE status IN ('open', 'dormant');
-- deal lost reads the lost deals through the next one, and the deals
-- reopened (perhaps after a loss) through the last.
CREATE INDEX deals_lost_packed ON deals (status, closed_on, last_date, packed)
    WHERE status = 'lost';
CREATE INDEX deals_reopened ON deals (reopens) WHERE reopens > 0;

-- The facts of a deal are those of its window [created_on, e]: e is the
-- close date of a won or lost deal, else open-ended. Touches (SPEC §8.1):
-- interactions with touch > 0 linked to the deal, or of its customer and
-- linked to no deal; complaints' logged and followup events. A deal that was
-- lost and is no longer has a second window, [created_on, l] (l: its latest
-- loss), for deal lost. Fields, '|' after each, then the texts, each as its
-- length in bytes, ':' and the text:
--   0–15 the row: id, customer_id, contact_id, status, level, level_since,
--        previous_level, max_level, amount, probability (-1: none),
--        expected_close, created_on, closed_on, won_amount, last_date, reopens
--   16 the latest last_date or created_on of the deal's tasks ('' none)
--   17 the earliest open task: due ('' none)
--   18 the kind of the deal's latest event
--   19 spells ('?': not computed)
--   20 l ('' none, or the deal is lost)
--   then the facts of the window, and of the second one if any, each:
--     the latest touch linked to the deal dated ≤ its end ('date type', ''
--     none); the latest of its customer linked to no deal; the latest
--     complaint touch of the customer (date); the interaction touches in it;
--     the complaint touches in it; 1 when one of those interactions was with
--     a decision-layer contact, else 0; for a lost deal or the second window,
--     the customer's first order with amount > 0 after its end ('' none)
--   texts: reasons, competitor, owner, source, the earliest open task's
--   title, title, external_id, competitor_product, the customer's code and
--   name, the contact's name, the contact's phone else the customer's
CREATE VIEW deal_packed AS
SELECT x.id, x.id || '|' || x.customer_id || '|' || coalesce(x.contact_id, 0) || '|' || x.status || '|' || x.level
    || '|' || x.level_since || '|' || x.previous_level || '|' || x.max_level || '|' || x.amount
    || '|' || coalesce(x.probability, -1) || '|' || coalesce(x.expected_close, '') || '|' || x.created_on
    || '|' || coalesce(x.closed_on, '') || '|' || coalesce(x.won_amount, 0) || '|' || x.last_date || '|' || x.reopens
    || '|' || coalesce((SELECT max(max(t.last_date, t.created_on)) FROM tasks t WHERE t.deal_id = x.id), '')
    || '|' || coalesce(x.task_due, '')
    || '|' || coalesce((SELECT e.kind FROM deal_events e WHERE e.deal_id = x.id ORDER BY e.seq DESC LIMIT 1), '')
    || '|' || coalesce(x.spells, '?') || '|' || coalesce(x.l, '')
    || '|' || (SELECT group_concat(
        coalesce((SELECT i.date || ' ' || i.type FROM interactions i WHERE i.deal_id = x.id AND i.touch > 0
            AND i.date <= w.e ORDER BY i.date DESC, i.id DESC LIMIT 1), '')
        || '|' || max(coalesce((SELECT i.date || ' ' || i.type FROM interactions i WHERE i.customer_id = x.customer_id
            AND i.touch = 1 AND i.date <= w.e AND i.deal_id IS NULL ORDER BY i.date DESC, i.id DESC LIMIT 1), ''),
            coalesce((SELECT i.date || ' ' || i.type FROM interactions i WHERE i.customer_id = x.customer_id
            AND i.touch = 2 AND i.date <= w.e AND i.deal_id IS NULL ORDER BY i.date DESC, i.id DESC LIMIT 1), ''))
        || '|' || coalesce((SELECT max(ce.date) FROM complaints c JOIN complaint_events ce ON ce.complaint_id = c.id
            WHERE c.customer_id = x.customer_id AND ce.kind IN ('logged', 'followup') AND ce.date <= w.e), '')
        || '|' || (SELECT count(*) FROM interactions i WHERE i.customer_id = x.customer_id AND i.touch IN (1, 2)
            AND i.date >= x.created_on AND i.date <= w.e AND (i.deal_id IS NULL OR i.deal_id = x.id))
        || '|' || (SELECT count(*) FROM complaints c JOIN complaint_events ce ON ce.complaint_id = c.id
            WHERE c.customer_id = x.customer_id AND ce.kind IN ('logged', 'followup') AND ce.date >= x.created_on
            AND ce.date <= w.e)
        || '|' || EXISTS (SELECT 1 FROM interactions i JOIN contacts ct ON ct.id = i.contact_id
            WHERE i.customer_id = x.customer_id AND i.touch IN (1, 2) AND i.date >= x.created_on AND i.date <= w.e
            AND (i.deal_id IS NULL OR i.deal_id = x.id) AND ct.role = 'decision')
        || '|' || CASE WHEN w.k = 1 OR x.status = 'lost' THEN coalesce((SELECT min(o.date) FROM orders o
            WHERE o.customer_id = x.customer_id AND o.date > w.e AND o.amount > 0), '') ELSE '' END,
        '|' ORDER BY w.k) FROM (SELECT x.e AS e, 0 AS k UNION ALL SELECT x.l, 1 WHERE x.l IS NOT NULL) w) || '|'
    || octet_length(x.reasons) || ':' || x.reasons || octet_length(x.competitor) || ':' || x.competitor
    || octet_length(x.owner) || ':' || x.owner || octet_length(x.source) || ':' || x.source
    || octet_length(coalesce(x.task_title, '')) || ':' || coalesce(x.task_title, '')
    || octet_length(x.title) || ':' || x.title || octet_length(coalesce(x.external_id, '')) || ':' || coalesce(x.external_id, '')
    || octet_length(x.competitor_product) || ':' || x.competitor_product
    || octet_length(x.c_code) || ':' || x.c_code || octet_length(x.c_name) || ':' || x.c_name
    || octet_length(x.ct_name) || ':' || x.ct_name || octet_length(x.phone) || ':' || x.phone AS packed
FROM (SELECT d.*, CASE WHEN d.status IN ('won', 'lost') THEN d.closed_on ELSE '9999-12-31' END AS e,
        CASE WHEN d.status <> 'lost' AND d.reopens > 0 THEN (SELECT max(e.date) FROM deal_events e
            INDEXED BY deal_events_lost WHERE e.deal_id = d.id AND e.kind = 'lost') END AS l,
        t.due AS task_due, t.title AS task_title, c.code AS c_code, c.name AS c_name, coalesce(ct.name, '') AS ct_name,
        coalesce(nullif(ct.phone, ''), c.phone, '') AS phone
    FROM deals d JOIN customers c ON c.id = d.customer_id LEFT JOIN contacts ct ON ct.id = d.contact_id
    LEFT JOIN tasks t ON t.id = (SELECT t.id FROM tasks t WHERE t.deal_id = d.id AND t.status = 'open'
        ORDER BY t.due, t.id LIMIT 1)) x;

-- An existing book's caches are filled after this file, in its transaction:
-- storage writes every deal's spells (crm.DealSpells; db.go migrationHooks),
-- and the trigger deals_packed_au then its packed row.

-- An import defers the refreshes: while deal_packed_deferred has a row (set
-- and cleared inside the import's transaction, internal/sqlite/import.go) the
-- triggers below only note the deals a write touches in deal_packed_stale,
-- and the import refreshes each of them once at its end. Row by row, 50,000
-- interactions of customers with deals took 59 s instead of 6.
CREATE TABLE deal_packed_deferred (since INTEGER NOT NULL);
CREATE TABLE deal_packed_stale (id INTEGER PRIMARY KEY);

-- Refresh: a deal whose row changes, and the deals a write to what its facts
-- read may change.
CREATE TRIGGER deals_packed_ai AFTER INSERT ON deals BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = new.id)
    WHERE (id = new.id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id = new.id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER deals_packed_au AFTER UPDATE OF customer_id, contact_id, status, level, level_since, previous_level,
    max_level, amount, probability, expected_close, created_on, closed_on, won_amount, last_date, reopens, spells,
    reasons, competitor, owner, source, title, external_id, competitor_product ON deals BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = new.id)
    WHERE (id = new.id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id = new.id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER deal_events_packed_ai AFTER INSERT ON deal_events BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = new.deal_id)
    WHERE (id = new.deal_id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id = new.deal_id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;

CREATE TRIGGER interactions_packed_ai AFTER INSERT ON interactions BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = new.customer_id OR id = new.deal_id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = new.customer_id OR id = new.deal_id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER interactions_packed_ad AFTER DELETE ON interactions BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = old.customer_id OR id = old.deal_id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = old.customer_id OR id = old.deal_id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER interactions_packed_au AFTER UPDATE ON interactions BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id IN (old.customer_id, new.customer_id) OR id IN (old.deal_id, new.deal_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id IN (old.customer_id, new.customer_id) OR id IN (old.deal_id, new.deal_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;

CREATE TRIGGER tasks_packed_ai AFTER INSERT ON tasks WHEN new.deal_id IS NOT NULL BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (id = new.deal_id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id = new.deal_id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER tasks_packed_ad AFTER DELETE ON tasks WHEN old.deal_id IS NOT NULL BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (id = old.deal_id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id = old.deal_id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER tasks_packed_au AFTER UPDATE ON tasks WHEN old.deal_id IS NOT NULL OR new.deal_id IS NOT NULL BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (id IN (old.deal_id, new.deal_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (id IN (old.deal_id, new.deal_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;

CREATE TRIGGER complaint_events_packed_ai AFTER INSERT ON complaint_events BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = (SELECT customer_id FROM complaints WHERE id = new.complaint_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = (SELECT customer_id FROM complaints WHERE id = new.complaint_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER complaint_events_packed_ad AFTER DELETE ON complaint_events BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = (SELECT customer_id FROM complaints WHERE id = old.complaint_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = (SELECT customer_id FROM complaints WHERE id = old.complaint_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER complaints_packed_au AFTER UPDATE OF customer_id ON complaints BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id IN (old.customer_id, new.customer_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id IN (old.customer_id, new.customer_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;

CREATE TRIGGER customers_packed_au AFTER UPDATE OF code, name, phone ON customers BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = new.id) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = new.id) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER contacts_packed_au AFTER UPDATE OF role, customer_id, name, phone ON contacts BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id IN (old.customer_id, new.customer_id)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id IN (old.customer_id, new.customer_id)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;

CREATE TRIGGER orders_packed_ai AFTER INSERT ON orders BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = new.customer_id AND (status = 'lost' OR reopens > 0)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = new.customer_id AND (status = 'lost' OR reopens > 0)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER orders_packed_ad AFTER DELETE ON orders BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id = old.customer_id AND (status = 'lost' OR reopens > 0)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id = old.customer_id AND (status = 'lost' OR reopens > 0)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
CREATE TRIGGER orders_packed_au AFTER UPDATE OF customer_id, date, amount ON orders BEGIN
    UPDATE deals SET packed = (SELECT v.packed FROM deal_packed v WHERE v.id = deals.id)
    WHERE (customer_id IN (old.customer_id, new.customer_id) AND (status = 'lost' OR reopens > 0)) AND NOT EXISTS (SELECT 1 FROM deal_packed_deferred);
    INSERT OR IGNORE INTO deal_packed_stale (id) SELECT id FROM deals
    WHERE (customer_id IN (old.customer_id, new.customer_id) AND (status = 'lost' OR reopens > 0)) AND EXISTS (SELECT 1 FROM deal_packed_deferred);
END;
