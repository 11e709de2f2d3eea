#!/bin/bash
# The anchor of ../shared/PERF.md: the sqlite3 shell imports an orders file
# (order_id,customer_id,order_date,amount) into a bare table, amounts to cents.
# Usage: shell_bare.sh ORDERS.csv NEW.db
set -eu
rm -f "$2"
sqlite3 "$2" <<SQL
.import --csv $1 staging
CREATE TABLE orders(order_id TEXT PRIMARY KEY, customer_id, order_date, amount_cents INTEGER);
INSERT INTO orders SELECT order_id, customer_id, order_date, CAST(round(amount*100) AS INTEGER) FROM staging;
SQL
