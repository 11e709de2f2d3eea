-- Customers and their contacts. Codes and phone numbers are TEXT: leading zeros are data.
CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    type         TEXT    NOT NULL DEFAULT 'company' CHECK (type IN ('company', 'person')),
    owner        TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    fax          TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    city         TEXT    NOT NULL DEFAULT '',
    region       TEXT    NOT NULL DEFAULT '',
    country      TEXT    NOT NULL DEFAULT '',
    industry     TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT '',
    bank_account TEXT    NOT NULL DEFAULT '',
    tax_id       TEXT    NOT NULL DEFAULT '',
    terms_days   INTEGER NOT NULL DEFAULT 30 CHECK (terms_days >= 0),
    note         TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_owner ON customers (owner);
CREATE INDEX customers_city ON customers (city);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('image', 'decision', 'implementation', 'user')),
    title       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id, role);

-- Search: a trigram full-text index answers substrings of 3+ characters
-- (Chinese included) from the index; shorter Chinese queries scan the narrow
-- customer_names table instead of the whole customers table. Triggers keep
-- both in step with customers.
CREATE VIRTUAL TABLE customer_fts USING fts5 (t, tokenize = 'trigram', detail = 'none');
CREATE TABLE customer_names (id INTEGER PRIMARY KEY, t TEXT NOT NULL);
-- An import that creates many customers sets search_deferred (inside its own
-- transaction) and indexes them in one statement at the end instead.
CREATE TABLE search_deferred (since INTEGER NOT NULL);
CREATE TRIGGER customers_search_ai AFTER INSERT ON customers
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO customer_fts (rowid, t) VALUES (new.id, new.code || ' ' || new.name || ' ' || new.phone || ' ' || new.email || ' ' || new.city);
    INSERT INTO customer_names (id, t) VALUES (new.id, lower(new.name || ' ' || new.city));
END;
CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
    DELETE FROM customer_fts WHERE rowid = old.id;
    DELETE FROM customer_names WHERE id = old.id;
END;
CREATE TRIGGER customers_search_au AFTER UPDATE OF code, name, phone, email, city ON customers BEGIN
    UPDATE customer_fts SET t = new.code || ' ' || new.name || ' ' || new.phone || ' ' || new.email || ' ' || new.city WHERE rowid = new.id;
    UPDATE customer_names SET t = lower(new.name || ' ' || new.city) WHERE id = new.id;
END;
