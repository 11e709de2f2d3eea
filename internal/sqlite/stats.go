package sqlite

// statsCheckSQL counts customers whose customer_stats row disagrees with
// their orders (or is missing, or is left over). Its sum cannot overflow
// (sumSQL): the customers beyond crm.MaxTotal are reported apart.
var statsCheckSQL = `SELECT count(*) FROM (
	SELECT customer_id, min(date) AS f, max(CASE WHEN amount > 0 THEN date END) AS lb,
	       count(CASE WHEN amount > 0 THEN 1 END) AS fr, ` + sumSQL("amount") + ` AS m, count(*) AS n, max(date) AS md
	FROM orders GROUP BY customer_id
) a FULL OUTER JOIN customer_stats s USING (customer_id)
WHERE a.n IS NOT s.orders OR a.f IS NOT s.first_date OR a.lb IS NOT s.last_buy
   OR a.fr IS NOT s.frequency OR a.m IS NOT s.monetary OR a.md IS NOT s.max_date`
