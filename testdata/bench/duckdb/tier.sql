-- tier.sql — `crm tier [--as-of D] --format csv` (SPEC §5; internal/crm
-- tier.go ComputeTiers) with the defaults: method value, a = 0.80, b = 0.95,
-- gold 0.05, no pins (a genorders book has none, so pinned is false and no
-- unranked pinned rows follow). Ranked: net monetary > 0 over the orders
-- dated ≤ {{as_of}}, by monetary descending, ties by customer id; S = their
-- total, before = the sum over the customers ahead. A if before < 0.80·S,
-- else B if before < 0.95·S, else C, compared in integers (basis points);
-- gold: the first ceil(5 %·n). share = monetary/S, cumulative_share =
-- (before + monetary)/S, 6 decimals rounded half away from zero.
-- Run: node run.mjs DB.duckdb tier.sql as_of=2026-12-02 --out OUT.csv
WITH agg AS (
  SELECT customer_id, CAST(sum(amount) AS BIGINT) AS monetary
  FROM orders WHERE order_date <= DATE '{{as_of}}'
  GROUP BY customer_id
), ranked AS (
  SELECT customer_id, monetary,
         row_number() OVER w AS rank,
         CAST(coalesce(sum(monetary) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS before,
         CAST(sum(monetary) OVER () AS BIGINT) AS s,
         count(*) OVER () AS n
  FROM agg WHERE monetary > 0
  WINDOW w AS (ORDER BY monetary DESC, customer_id)
)
SELECT c.code AS customer_code, c.name, money(x.monetary) AS monetary,
       fixed6(x.monetary, x.s) AS share, fixed6(x.before + x.monetary, x.s) AS cumulative_share,
       CASE WHEN x.before * 10000 < 8000 * x.s THEN 'A' WHEN x.before * 10000 < 9500 * x.s THEN 'B' ELSE 'C' END AS tier,
       x.rank <= (5 * x.n + 99) // 100 AS gold,
       false AS pinned
FROM ranked x JOIN customers c ON c.id = x.customer_id
ORDER BY x.rank
