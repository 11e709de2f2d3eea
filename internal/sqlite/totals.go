package sqlite

// Sums of money in SQL, and the bound on a customer's totals (crm.MaxTotal).
//
// SQLite's sum() of integers stops with "integer overflow" as soon as a
// running total leaves int64 (which depends on the order it reads rows in),
// and total() answers in floating point. crm never sums money with a bare
// sum(): sumParts adds the high and the low 32 bits of the amounts apart —
// neither can overflow before 2^31 rows — and crm.SumParts puts them back
// together exactly in Go.
//
// Every write of orders or payments keeps each customer's orders, added
// without sign, and its payments within crm.MaxTotal, checked before the
// commit: a customer with at most crm.SafeCount records (amounts within
// ±crm.MaxAmount, as every write checks) cannot pass it, so only customers
// with more are added up exactly. Sums of one customer's amounts then never
// overflow, in SQL or in Go, and customer_stats never holds a wrapped total.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// sumParts is SQL for the two halves of the sum of an integer expression:
// high 32 bits (arithmetic shift) and low 32 bits; crm.SumParts joins them.
func sumParts(expr string) string {
	return "sum((" + expr + ") >> 32), sum((" + expr + ") & 4294967295)"
}

// sumSQL is SQL for the sum of an integer expression that never raises
// "integer overflow": exact whenever the sum is within ±crm.MaxTotal (and
// far beyond), a REAL only when it would not fit in int64 at all.
func sumSQL(expr string) string {
	return "(sum((" + expr + ") >> 32) * 4294967296 + sum((" + expr + ") & 4294967295))"
}

// grossSQL selects the sums of the positive and of the negative amounts, in
// parts (four columns: see grossOf).
var grossSQL = sumParts("CASE WHEN amount > 0 THEN amount ELSE 0 END") + ", " +
	sumParts("CASE WHEN amount < 0 THEN amount ELSE 0 END")

// grossOf is Σ|amount| from the four columns of grossSQL.
func grossOf(posHi, posLo, negHi, negLo int64) crm.Sum {
	g := crm.SumParts(posHi, posLo)
	g.SubSum(crm.SumParts(negHi, negLo))
	return g
}

// checkAmount refuses an amount beyond ±crm.MaxAmount at the store (the
// readers refuse it first; the bound on totals relies on it).
func checkAmount(m crm.Money) error {
	if !m.InRange() {
		return crm.FieldErrorf(crm.EDATA, "amount", m.String(), "too large (at most %s)", crm.MaxAmount)
	}
	return nil
}

// overTotals returns the customers among ids (all of them: nil ids) whose
// amounts in table (orders or payments), added without sign, pass
// crm.MaxTotal, with those sums, in customer order; at most limit (0: all).
// With ids nil it reads every customer's records once; otherwise only
// theirs, through the covering index.
func overTotals(ctx context.Context, q querier, table string, ids []int64, limit int) ([]int64, []crm.Sum, error) {
	var over []int64
	var sums []crm.Sum
	run := func(where string) error {
		// Only customers with more than SafeCount records, or an amount
		// beyond MaxAmount (an older crm, or an edit by hand), can pass.
		rows, err := q.QueryContext(ctx, `SELECT customer_id, `+grossSQL+` FROM `+table+where+
			` GROUP BY customer_id HAVING count(*) > ?1 OR max(amount) > ?2 OR min(amount) < -?2 ORDER BY customer_id`,
			crm.SafeCount, int64(crm.MaxAmount))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, ph, pl, nh, nl int64
			if err := rows.Scan(&id, &ph, &pl, &nh, &nl); err != nil {
				return err
			}
			if g := grossOf(ph, pl, nh, nl); !g.Within(crm.MaxTotal) && (limit == 0 || len(over) < limit) {
				over, sums = append(over, id), append(sums, g)
			}
		}
		return rows.Err()
	}
	if ids == nil {
		return over, sums, run("")
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		list := make([]string, n)
		for i, id := range ids[:n] {
			list[i] = strconv.FormatInt(id, 10)
		}
		if err := run(" WHERE customer_id IN (" + strings.Join(list, ",") + ")"); err != nil {
			return nil, nil, err
		}
		ids = ids[n:]
	}
	return over, sums, nil
}

// checkTotals refuses a write that leaves a customer among ids with orders
// (table "orders") or payments ("payments") adding up to more than
// crm.MaxTotal: an EDATA error naming the first such customer. The ids are
// the customers that may pass (more than SafeCount records); the caller's
// transaction is then rolled back.
func checkTotals(ctx context.Context, q querier, table string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	over, sums, err := overTotals(ctx, q, table, ids, 1)
	if err != nil || len(over) == 0 {
		return err
	}
	var code string
	if err := q.QueryRowContext(ctx, "SELECT code FROM customers WHERE id = ?", over[0]).Scan(&code); err != nil {
		code = "id:" + strconv.FormatInt(over[0], 10)
	}
	return crm.GrossError(code, table, sums[0])
}

// checkOneTotal is checkTotals for a write of one record of customer id
// into table: only when the customer has more than SafeCount of them.
func checkOneTotal(ctx context.Context, q querier, table string, id int64) error {
	var n int64
	count := "SELECT count(*) FROM payments WHERE customer_id = ?"
	if table == "orders" {
		count = "SELECT coalesce((SELECT orders FROM customer_stats WHERE customer_id = ?), 0) + 1"
	}
	if err := q.QueryRowContext(ctx, count, id).Scan(&n); err != nil {
		return err
	}
	if n <= crm.SafeCount {
		return nil
	}
	return checkTotals(ctx, q, table, []int64{id})
}

// totalsProblems lists, for crm check, the customers whose orders or
// payments pass crm.MaxTotal, and the records beyond ±crm.MaxAmount.
func totalsProblems(ctx context.Context, q querier) ([]crm.Problem, error) {
	var out []crm.Problem
	for _, t := range []struct{ table, what string }{
		{"orders", "orders (returns counted as positive)"},
		{"payments", "payments"},
	} {
		var n int64
		if err := q.QueryRowContext(ctx, "SELECT count(*) FROM "+t.table+" WHERE amount > ?1 OR amount < -?1", int64(crm.MaxAmount)).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, crm.Problem{Check: strings.TrimSuffix(t.table, "s") + "_amount_range",
				Detail: fmt.Sprintf("%d %s with an amount beyond ±%s", n, t.table, crm.MaxAmount.Grouped())})
		}
		over, sums, err := overTotals(ctx, q, t.table, nil, 0)
		if err != nil {
			return nil, err
		}
		if len(over) == 0 {
			continue
		}
		var codes []string
		for i, id := range over[:min(len(over), 5)] {
			var code string
			if err := q.QueryRowContext(ctx, "SELECT code FROM customers WHERE id = ?", id).Scan(&code); err != nil {
				code = "id:" + strconv.FormatInt(id, 10)
			}
			codes = append(codes, code+" "+sums[i].Grouped())
		}
		if len(over) > 5 {
			codes = append(codes, "…")
		}
		out = append(out, crm.Problem{Check: "customer_totals",
			Detail: fmt.Sprintf("%d customers whose %s add up to more than %s (%s)", len(over), t.what, crm.MaxTotal.Grouped(), strings.Join(codes, ", "))})
	}
	return out, nil
}
