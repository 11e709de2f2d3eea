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
