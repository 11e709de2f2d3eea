-- credit_aging.sql — `crm credit aging [--as-of D] --format csv` (SPEC §6;
-- internal/crm credit_ledger.go BuildLedger, credit_aging.go AgingBucketFor)
-- for a book without payments, returns, credit limits or own due dates: a
-- genorders import. Then every order with amount > 0 dated ≤ {{as_of}} is an
-- invoice left wholly open, due 30 days after its date (the default terms;
-- --create-customers sets none), and crm's ledger reduces to a sum per bucket
-- of days overdue = as-of − due: ≤ 0 not due, 1–30, 31–60, 61–90, over 90.
-- Customers with nothing open are left out; by code (crm's default --sort).
-- With returns or payments the allocation (oldest due first, in event order)
-- would have to be replayed: this file does not, and is not crm's answer then.
-- As of a date long after the last order (genorders ends 2024-12-31) every
-- invoice is over 90 days: crm's default `credit aging` is then the net of
-- each customer's orders in over_90 and zeros elsewhere.
-- Run: node run.mjs DB.duckdb credit_aging.sql as_of=2024-12-31 --out OUT.csv
WITH inv AS (
  SELECT customer_id, amount, DATE '{{as_of}}' - (order_date + 30) AS days
  FROM orders WHERE order_date <= DATE '{{as_of}}' AND amount > 0
), agg AS (
  SELECT customer_id,
         CAST(coalesce(sum(amount) FILTER (WHERE days <= 0), 0) AS BIGINT) AS not_due,
         CAST(coalesce(sum(amount) FILTER (WHERE days BETWEEN 1 AND 30), 0) AS BIGINT) AS d1_30,
         CAST(coalesce(sum(amount) FILTER (WHERE days BETWEEN 31 AND 60), 0) AS BIGINT) AS d31_60,
         CAST(coalesce(sum(amount) FILTER (WHERE days BETWEEN 61 AND 90), 0) AS BIGINT) AS d61_90,
         CAST(coalesce(sum(amount) FILTER (WHERE days > 90), 0) AS BIGINT) AS over_90,
         CAST(sum(amount) AS BIGINT) AS total
  FROM inv GROUP BY customer_id
)
SELECT c.code AS customer_code, c.name, money(a.not_due) AS not_due, money(a.d1_30) AS d1_30,
       money(a.d31_60) AS d31_60, money(a.d61_90) AS d61_90, money(a.over_90) AS over_90, money(a.total) AS total
FROM agg a JOIN customers c ON c.id = a.customer_id
WHERE a.total > 0
ORDER BY c.code, c.id
