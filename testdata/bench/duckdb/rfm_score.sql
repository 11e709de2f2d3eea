-- rfm_score.sql — `crm rfm score [--as-of D] --format csv` (SPEC §3, §4;
-- internal/crm rfm.go ScoreRFM, segment.go Classic8) with the default 5 bins.
-- Over the orders dated ≤ {{as_of}}: recency_days = as-of − the latest date
-- of an order with amount > 0, frequency = the number of those orders,
-- monetary = the net sum of all of them. Scored: frequency ≥ 1 (N of them),
-- listed by code (crm's default --sort code). score = 1 + floor(5·below/N),
-- below = the scored customers strictly worse (rank() − 1; recency: more days
-- is worse). Segment: a dimension is high when score > its mean, compared
-- exactly as score·N > Σ scores.
-- Run: node run.mjs DB.duckdb rfm_score.sql as_of=2024-06-30 --out OUT.csv
WITH agg AS (
  SELECT customer_id,
         DATE '{{as_of}}' - max(order_date) FILTER (WHERE amount > 0) AS recency_days,
         count(*) FILTER (WHERE amount > 0) AS frequency,
         CAST(sum(amount) AS BIGINT) AS monetary
  FROM orders WHERE order_date <= DATE '{{as_of}}'
  GROUP BY customer_id
), scored AS (
  SELECT *,
         1 + (5 * (rank() OVER (ORDER BY recency_days DESC) - 1)) // count(*) OVER () AS r,
         1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS f,
         1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS m
  FROM agg WHERE frequency >= 1
), hi AS (
  SELECT *,
         r * count(*) OVER () > sum(r) OVER () AS rh,
         f * count(*) OVER () > sum(f) OVER () AS fh,
         m * count(*) OVER () > sum(m) OVER () AS mh
  FROM scored
)
SELECT c.code AS customer_code, c.name, h.recency_days, h.frequency, money(h.monetary) AS monetary,
       h.r AS r_score, h.f AS f_score, h.m AS m_score,
       CAST(h.r AS VARCHAR) || CAST(h.f AS VARCHAR) || CAST(h.m AS VARCHAR) AS rfm_code,
       h.r + h.f + h.m AS rfm_total,
       CASE WHEN mh THEN 'important_' ELSE 'general_' END ||
       CASE WHEN rh AND fh THEN 'value' WHEN rh THEN 'develop' WHEN fh THEN 'retain' ELSE 'win_back' END AS segment
FROM hi h JOIN customers c ON c.id = h.customer_id
ORDER BY c.code, c.id
