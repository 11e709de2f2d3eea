-- Run: sqlite3 -readonly crm.db < testdata/rfm/orders_rfm.sql > rfm.csv   (crm's own database)
-- RFM over crm's own orders table (covering index orders_customer), as of 2024-06-30.
.mode csv
.headers on
WITH agg AS (
  SELECT customer_id,
         CAST(julianday('2024-06-30') - julianday(max(CASE WHEN amount > 0 THEN date END)) AS INTEGER) AS recency_days,
         count(CASE WHEN amount > 0 THEN 1 END) AS frequency, sum(amount) AS monetary
  FROM orders WHERE date <= '2024-06-30' GROUP BY customer_id
), ranked AS (
  SELECT customer_id, recency_days, frequency, monetary,
         1 + 5 * (rank() OVER (ORDER BY recency_days DESC) - 1) / count(*) OVER () AS r,
         1 + 5 * (rank() OVER (ORDER BY frequency) - 1) / count(*) OVER () AS f,
         1 + 5 * (rank() OVER (ORDER BY monetary) - 1) / count(*) OVER () AS m
  FROM agg WHERE frequency > 0
), means AS (
  SELECT *, count(*) OVER () AS n, sum(r) OVER () AS sr, sum(f) OVER () AS sf, sum(m) OVER () AS sm FROM ranked
)
SELECT c.code AS customer_code, c.name, recency_days, frequency, printf('%.2f', monetary / 100.0) AS monetary,
       r AS r_score, f AS f_score, m AS m_score, r || f || m AS rfm_code, r + f + m AS rfm_total,
       CASE (r * n > sr) * 4 + (f * n > sf) * 2 + (m * n > sm)
         WHEN 7 THEN 'important_value' WHEN 5 THEN 'important_develop' WHEN 3 THEN 'important_retain'
         WHEN 1 THEN 'important_win_back' WHEN 6 THEN 'general_value' WHEN 4 THEN 'general_develop'
         WHEN 2 THEN 'general_retain' ELSE 'general_win_back' END AS segment
FROM means JOIN customers c ON c.id = means.customer_id ORDER BY c.code;
