-- load.sql — DuckDB's own tables from a genorders CSV (order_id, customer_id,
-- order_date, amount), the same shape as crm's book after
-- `crm import orders FILE --create-customers`:
--   customers(id, code, name): one per customer code, numbered in the order
--     the codes first appear in the file (crm's ids; tier ranks ties by id),
--     the name the code (what --create-customers gives);
--   orders(order_id, customer_id, order_date, amount): amount in integer cents,
--     parsed exactly (DECIMAL(18,2), never a float).
-- genorders numbers its orders in file order (ORD-000000001, …), so the first
-- appearance of a code is its smallest order_id. No aggregate is stored:
-- each command's SQL reads orders as crm reads its book. The macros are kept
-- in the database file and used by the command files.
-- Run: node run.mjs NEW.duckdb load.sql csv=/work/bench/orders1m.csv
CREATE OR REPLACE TABLE staging AS
  SELECT * FROM read_csv('{{csv}}', header = true,
    columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'VARCHAR'});
CREATE OR REPLACE TABLE customers AS
  SELECT CAST(row_number() OVER (ORDER BY min(order_id)) AS INTEGER) AS id, customer_id AS code, customer_id AS name
  FROM staging GROUP BY customer_id;
CREATE OR REPLACE TABLE orders AS
  SELECT s.order_id, c.id AS customer_id, s.order_date,
         CAST(CAST(s.amount AS DECIMAL(18,2)) * 100 AS BIGINT) AS amount
  FROM staging s JOIN customers c ON c.code = s.customer_id
  ORDER BY s.order_id;
DROP TABLE staging;
-- money(cents) as crm prints it: -1234.50 (no grouping), exact: cents as a
-- DECIMAL(18,0) times 0.01 is a DECIMAL(18,2), which DuckDB prints with both
-- decimals (≈ 2× faster than concatenating the parts; DECIMAL(18, …) stays
-- in 64 bits: crm's amounts and sums are below 10^16 cents).
CREATE OR REPLACE MACRO money(c) AS CAST(CAST(c AS DECIMAL(18,0)) * 0.01 AS VARCHAR);
-- fixed6(num, den), fixed1(num, den): num/den (num ≥ 0, den > 0) with 6 or 1
-- decimals, rounded half away from zero in integers (crm's Frac.Format), the
-- rounded integer printed as a decimal the same way.
CREATE OR REPLACE MACRO fixed6(num, den) AS
  CAST(CAST((2 * num * 1000000 + den) // (2 * den) AS DECIMAL(18,0)) * 0.000001 AS VARCHAR);
CREATE OR REPLACE MACRO fixed1(num, den) AS
  CAST(CAST((2 * num * 10 + den) // (2 * den) AS DECIMAL(18,0)) * 0.1 AS VARCHAR);
CHECKPOINT;
