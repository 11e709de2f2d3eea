-- Run: sqlite3 raw.db ".import --csv ../shared/data/online-retail/online_retail.csv raw"
--      sqlite3 raw.db < testdata/rfm/online_retail_rfm.sql > rfm.csv
-- RFM (SPEC §3–4) of UCI Online Retail as of 2011-12-10, in one query over the raw
-- .import of the CSV: invoice = Σ round(quantity × unit price) in cents (half
-- away from zero, integers: prices have at most 3 decimals), then per customer
-- recency / frequency / monetary, scores 1 + floor(5·below/N) with
-- below = rank() − 1 in worst-first order, and classic8 (score > mean).
.mode csv
.headers on
WITH lines AS (
  SELECT InvoiceNo AS inv, CustomerID AS cust, substr(InvoiceDate, 1, 10) AS d,
         CAST(Quantity AS INTEGER) * CAST(round(CAST(UnitPrice AS REAL) * 1000) AS INTEGER) AS milli
  FROM raw WHERE CustomerID <> ''
), orders AS (
  SELECT inv, cust, min(d) AS d,
         sum(CASE WHEN milli >= 0 THEN (milli + 5) / 10 ELSE (milli - 5) / 10 END) AS amount
  FROM lines GROUP BY inv
), agg AS (
  SELECT cust,
         CAST(julianday('2011-12-10') - julianday(max(CASE WHEN amount > 0 THEN d END)) AS INTEGER) AS recency_days,
         count(CASE WHEN amount > 0 THEN 1 END) AS frequency,
         sum(amount) AS monetary
  FROM orders WHERE d <= '2011-12-10' GROUP BY cust
), ranked AS (
  SELECT cust, recency_days, frequency, monetary,
         1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER () AS r,
         1 + 5 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER () AS f,
         1 + 5 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER () AS m
  FROM agg WHERE frequency > 0
), means AS (
  SELECT *, count(*) OVER () AS n, sum(r) OVER () AS sr, sum(f) OVER () AS sf, sum(m) OVER () AS sm FROM ranked
)
SELECT cust AS customer_code, recency_days, frequency, printf('%.2f', monetary / 100.0) AS monetary,
       r AS r_score, f AS f_score, m AS m_score, r || f || m AS rfm_code, r + f + m AS rfm_total,
       CASE (r * n > sr) * 4 + (f * n > sf) * 2 + (m * n > sm)
         WHEN 7 THEN 'important_value' WHEN 5 THEN 'important_develop' WHEN 3 THEN 'important_retain'
         WHEN 1 THEN 'important_win_back' WHEN 6 THEN 'general_value' WHEN 4 THEN 'general_develop'
         WHEN 2 THEN 'general_retain' ELSE 'general_win_back' END AS segment
FROM means ORDER BY cust;
