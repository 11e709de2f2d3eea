-- churn.sql — `crm churn [--as-of D] --format csv` (SPEC §11; internal/crm
-- churn.go ComputeChurn, internal/cmdutil/churn.go LoadChurnWith) with the
-- default policy (6 gaps, B = 90 days when no customer has 3 gaps, factors
-- 1.5 and 3, lapse cap 365 days, decline 50 %), at D = {{as_of}}.
--   occasions: the distinct dates ≤ D of orders with amount > 0; n of them,
--     the last dₙ; the gaps used are the last k = min(n − 1, 6).
--   12 T (exact twelfths): k ≥ 3 → 12 × the median of the gaps; else
--     4·Σ gaps + (3 − k)·12B / 3, 12B = the median of the own 12 T of the
--     customers with k ≥ 3 (the mean of the middle two when even).
--   r = D − dₙ; status: lapsed when 12r > 3·12T or r > 365, overdue when
--     2·12r > 3·12T, due when 12r > 12T, else active; since = the first day
--     of the status (dₙ + ⌊T⌋ + 1, dₙ + ⌊1.5T⌋ + 1, dₙ + min(⌊3T⌋, 365) + 1),
--     empty when active; next_expected = dₙ + ⌊T⌋ + 1; t printed with one
--     decimal, rounded half away from zero.
--   declining: tier A over [D − 729, D − 365] (value method, ranked by net
--     amount descending, ties by id), R₀ = net in (D − 730, D − 365] > 0 and
--     100·R₁ < 50·R₀, R₁ = net in (D − 365, D].
--   group: key / normal / small by the tier at D (all orders ≤ D; no tier is
--     small). The bad group needs a credit rating C, an invoice more than 60
--     days overdue or a malicious complaint: a genorders book has no
--     complaints, and no payments or credit limits, where crm leaves the
--     credit tests out (ChurnReceivables: every order of a sales export would
--     look unpaid), so no row is bad and this file does not compute them.
--   rows: customers with n ≥ 1, by code (crm's default --sort).
-- Run: node run.mjs DB.duckdb churn.sql as_of=2024-12-31 --out OUT.csv
WITH per AS (
  SELECT customer_id,
         list_sort(list(DISTINCT order_date) FILTER (WHERE amount > 0)) AS occ,
         CAST(sum(amount) AS BIGINT) AS net,
         CAST(coalesce(sum(amount) FILTER (WHERE order_date > DATE '{{as_of}}' - 365), 0) AS BIGINT) AS r1,
         CAST(coalesce(sum(amount) FILTER (WHERE order_date > DATE '{{as_of}}' - 730 AND order_date <= DATE '{{as_of}}' - 365), 0) AS BIGINT) AS r0
  FROM orders WHERE order_date <= DATE '{{as_of}}'
  GROUP BY customer_id
), gaps AS (
  SELECT customer_id, net, r1, r0, len(occ) AS n, occ[len(occ)] AS last,
         list_sort(list_transform(generate_series(greatest(len(occ) - 6, 1), len(occ) - 1),
                                  lambda i: occ[i + 1] - occ[i])) AS g
  FROM per
), own AS (
  SELECT *, len(g) AS k,
         CASE WHEN len(g) >= 3 THEN
           CASE WHEN len(g) % 2 = 1 THEN 12 * g[len(g) // 2 + 1] ELSE 6 * (g[len(g) // 2] + g[len(g) // 2 + 1]) END
         END AS own12
  FROM gaps WHERE n >= 1
), book AS (
  SELECT CASE WHEN cnt = 0 THEN 12 * 90 WHEN cnt % 2 = 1 THEN ts[cnt // 2 + 1] ELSE (ts[cnt // 2] + ts[cnt // 2 + 1]) // 2 END AS b12
  FROM (SELECT list_sort(list(own12) FILTER (WHERE own12 IS NOT NULL)) AS ts, count(own12) AS cnt FROM own)
), t AS (
  SELECT o.*, CASE WHEN o.k >= 3 THEN o.own12 ELSE 4 * coalesce(list_sum(o.g), 0) + (3 - o.k) * b.b12 // 3 END AS t12,
         DATE '{{as_of}}' - o.last AS r
  FROM own o, book b
), tier_now AS (
  SELECT customer_id,
         CASE WHEN coalesce(sum(net) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * 10000 < 8000 * sum(net) OVER () THEN 'A'
              WHEN coalesce(sum(net) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * 10000 < 9500 * sum(net) OVER () THEN 'B'
              ELSE 'C' END AS tier
  FROM per WHERE net > 0
  WINDOW w AS (ORDER BY net DESC, customer_id)
), was_a AS (
  SELECT customer_id
  FROM (SELECT customer_id,
               coalesce(sum(r0) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) * 10000 < 8000 * sum(r0) OVER () AS a
        FROM per WHERE r0 > 0
        WINDOW w AS (ORDER BY r0 DESC, customer_id))
  WHERE a
)
SELECT c.code AS customer_code, c.name, t.n, fixed1(t.t12, 12) AS t, t.last AS last_order, t.r,
       CASE WHEN t.r * 12 > 3 * t.t12 OR t.r > 365 THEN 'lapsed'
            WHEN 2 * t.r * 12 > 3 * t.t12 THEN 'overdue'
            WHEN t.r * 12 > t.t12 THEN 'due'
            ELSE 'active' END AS status,
       CASE WHEN t.r * 12 > 3 * t.t12 OR t.r > 365 THEN t.last + CAST(least(3 * t.t12 // 12, 365) + 1 AS INTEGER)
            WHEN 2 * t.r * 12 > 3 * t.t12 THEN t.last + CAST(3 * t.t12 // 24 + 1 AS INTEGER)
            WHEN t.r * 12 > t.t12 THEN t.last + CAST(t.t12 // 12 + 1 AS INTEGER)
       END AS since,
       t.last + CAST(t.t12 // 12 + 1 AS INTEGER) AS next_expected,
       (wa.customer_id IS NOT NULL AND t.r0 > 0 AND t.r1 * 100 < 50 * t.r0) AS declining,
       CASE tn.tier WHEN 'A' THEN 'key' WHEN 'B' THEN 'normal' ELSE 'small' END AS "group"
FROM t JOIN customers c ON c.id = t.customer_id
LEFT JOIN tier_now tn ON tn.customer_id = t.customer_id
LEFT JOIN was_a wa ON wa.customer_id = t.customer_id
ORDER BY c.code, c.id
