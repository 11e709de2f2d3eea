#!/bin/bash
# The sqlite3 shell doing what `crm import orders FILE --create-customers` does,
# in SQL, into a database with crm's schema: customers created from the file
# (their search index filled by crm's trigger), orders in cents, the covering
# index dropped and rebuilt once, per-customer totals, one transaction.
# Usage: shell_same_work.sh ORDERS.csv EMPTY_CRM.db NEW.db
# (make EMPTY_CRM.db with `crm --db EMPTY_CRM.db check`, then
#  `sqlite3 EMPTY_CRM.db 'PRAGMA wal_checkpoint(TRUNCATE)'`)
set -eu
rm -f "$3" "$3-wal" "$3-shm"
cp "$2" "$3"
sqlite3 "$3" <<SQL
PRAGMA foreign_keys=ON;
PRAGMA synchronous=NORMAL;
BEGIN IMMEDIATE;
DROP INDEX orders_customer;
CREATE TEMP TABLE staging(order_id TEXT, customer_id TEXT, order_date TEXT, amount TEXT);
.import --csv --skip 1 $1 staging
INSERT INTO customers (code, name, type, created_at, updated_at)
  SELECT customer_id, customer_id, 'company', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z'
  FROM staging WHERE customer_id NOT IN (SELECT code FROM customers) GROUP BY customer_id ORDER BY min(rowid);
INSERT INTO orders (order_no, customer_id, date, amount)
  SELECT s.order_id, c.id, s.order_date, CAST(round(s.amount*100) AS INTEGER) FROM staging s JOIN customers c ON c.code = s.customer_id;
INSERT INTO customer_stats (customer_id, first_date, last_buy, frequency, monetary, orders, max_date)
  SELECT customer_id, min(date), max(CASE WHEN amount > 0 THEN date END), count(CASE WHEN amount > 0 THEN 1 END), sum(amount), count(*), max(date)
  FROM orders GROUP BY customer_id;
CREATE INDEX orders_customer ON orders (customer_id, date, amount, due_date, order_no);
COMMIT;
SQL
