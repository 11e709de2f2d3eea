package rfm_test

// Real-data agreement (issue 4): the two public files of ../shared/data are
// imported with the real CLI, and every customer's R, F, M scores and segment
// (rfm score) and tier (tier) are compared with an independent calculation
// written here straight from SPEC §2–5: it reads the CSV itself, sums the
// orders per customer, and counts "below" for each customer by binary search
// over the sorted values — it shares no code with internal/crm's scoring.
//
//	CRM_DATA_DIR=../shared/data go test ./cmd/rfm -run Real -v

import (
	"encoding/csv"
	"fmt"
	"github.com/crm-course/crm/internal/testutil"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// dataFile returns a file of the real datasets or skips the test; call it
// before newCLI, which clears every CRM_* variable.
func dataFile(t *testing.T, rel string) string { return testutil.DataFile(t, rel) }

// refOrder is one order as the reference reads it.
type refOrder struct {
	day   int   // days since 1970-01-01
	cents int64 // amount
}

func dayOf(t *testing.T, y, m, d int) int {
	t.Helper()
	return int(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// cents parses a money amount with at most two decimals.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
	if !ok {
		t.Fatalf("amount %q", s)
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		t.Fatalf("amount %q has more than two decimals", s)
	}
	return r.Num().Int64()
}

// roundHalfAway is q × p in cents, rounded half away from zero (SPEC §1).
func roundHalfAway(q, p *big.Rat) int64 {
	x := new(big.Rat).Mul(q, p)
	x.Mul(x, big.NewRat(100, 1))
	neg := x.Sign() < 0
	x.Abs(x)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom()) // floor of a non-negative number
	if neg {
		n.Neg(n)
	}
	return n.Int64()
}

// readCDNOW: one order per row (customer_id, YYYYMMDD, quantity, amount).
func readCDNOW(t *testing.T, path string) map[string][]refOrder {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]refOrder{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		d := rec[1]
		y, _ := strconv.Atoi(d[0:4])
		m, _ := strconv.Atoi(d[4:6])
		dd, _ := strconv.Atoi(d[6:8])
		out[rec[0]] = append(out[rec[0]], refOrder{dayOf(t, y, m, dd), cents(t, rec[3])})
	}
	return out
}

// readOnlineRetail: an order per InvoiceNo made of its lines with a
// CustomerID (rows without one are rejects), amount Σ round(quantity × unit
// price), date its earliest line's; a line naming another customer than the
// invoice's first line is a reject too.
func readOnlineRetail(t *testing.T, path string) map[string][]refOrder {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	type inv struct {
		cust  string
		day   int
		cents int64
	}
	invs := map[string]*inv{}
	var order []string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cust := strings.TrimSuffix(strings.TrimSpace(rec[col["CustomerID"]]), ".0")
		if cust == "" {
			continue
		}
		q, ok1 := new(big.Rat).SetString(rec[col["Quantity"]])
		p, ok2 := new(big.Rat).SetString(rec[col["UnitPrice"]])
		if !ok1 || !ok2 {
			t.Fatalf("line %v", rec)
		}
		ds := rec[col["InvoiceDate"]]
		y, _ := strconv.Atoi(ds[0:4])
		m, _ := strconv.Atoi(ds[5:7])
		dd, _ := strconv.Atoi(ds[8:10])
		day := dayOf(t, y, m, dd)
		no := rec[col["InvoiceNo"]]
		x := invs[no]
		if x == nil {
			x = &inv{cust: cust, day: day}
			invs[no] = x
			order = append(order, no)
		} else if x.cust != cust {
			continue
		}
		x.cents += roundHalfAway(q, p)
		if day < x.day {
			x.day = day
		}
	}
	out := map[string][]refOrder{}
	for _, no := range order {
		x := invs[no]
		out[x.cust] = append(out[x.cust], refOrder{x.day, x.cents})
	}
	return out
}

// refRow is the reference answer for one customer.
type refRow struct {
	days, freq    int
	money         int64
	r, f, m       int
	segment, tier string
}

// reference scores every customer as of asOf with 5 bins (SPEC §3–4) and
// tiers them with the value method (SPEC §5); ids maps codes to customer ids
// for the tie-break of tiers.
func reference(orders map[string][]refOrder, asOf int, ids map[string]int64) map[string]*refRow {
	out := map[string]*refRow{}
	var scored []*refRow
	for code, os := range orders {
		row := &refRow{}
		last := -1
		in := false
		for _, o := range os {
			if o.day > asOf {
				continue
			}
			in = true
			row.money += o.cents
			if o.cents > 0 {
				row.freq++
				if o.day > last {
					last = o.day
				}
			}
		}
		if !in {
			continue
		}
		out[code] = row
		if row.freq > 0 {
			row.days = asOf - last
			scored = append(scored, row)
		}
	}
	n := len(scored)
	// below(x) = how many scored customers are strictly worse than x.
	score := func(key func(*refRow) int64, higherIsBetter bool, set func(*refRow, int)) {
		keys := make([]int64, n)
		for i, s := range scored {
			keys[i] = key(s)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
		for _, s := range scored {
			k := key(s)
			var below int
			if higherIsBetter { // worse = smaller: count keys < k
				below = sort.Search(n, func(i int) bool { return keys[i] >= k })
			} else { // worse = larger: count keys > k
				below = n - sort.Search(n, func(i int) bool { return keys[i] > k })
			}
			set(s, 1+5*below/n)
		}
	}
	score(func(r *refRow) int64 { return int64(r.days) }, false, func(r *refRow, s int) { r.r = s })
	score(func(r *refRow) int64 { return int64(r.freq) }, true, func(r *refRow, s int) { r.f = s })
	score(func(r *refRow) int64 { return r.money }, true, func(r *refRow, s int) { r.m = s })
	var sr, sf, sm int
	for _, s := range scored {
		sr, sf, sm = sr+s.r, sf+s.f, sm+s.m
	}
	for _, s := range scored {
		rh, fh, mh := s.r*n > sr, s.f*n > sf, s.m*n > sm
		switch {
		case rh && fh && mh:
			s.segment = "important_value"
		case rh && !fh && mh:
			s.segment = "important_develop"
		case !rh && fh && mh:
			s.segment = "important_retain"
		case !rh && !fh && mh:
			s.segment = "important_win_back"
		case rh && fh && !mh:
			s.segment = "general_value"
		case rh && !fh && !mh:
			s.segment = "general_develop"
		case !rh && fh && !mh:
			s.segment = "general_retain"
		default:
			s.segment = "general_win_back"
		}
	}
	// Tiers: ranked = monetary > 0, by monetary desc then id; A while
	// before < 0.8·S, B while before < 0.95·S (compared as 100·before < 80·S).
	type ranked struct {
		code string
		row  *refRow
	}
	var rk []ranked
	var total int64
	for code, row := range out {
		if row.money > 0 {
			rk = append(rk, ranked{code, row})
			total += row.money
		}
	}
	sort.Slice(rk, func(i, j int) bool {
		if rk[i].row.money != rk[j].row.money {
			return rk[i].row.money > rk[j].row.money
		}
		return ids[rk[i].code] < ids[rk[j].code]
	})
	var before int64
	for _, x := range rk {
		switch {
		case 100*before < 80*total:
			x.row.tier = "A"
		case 100*before < 95*total:
			x.row.tier = "B"
		default:
			x.row.tier = "C"
		}
		before += x.row.money
	}
	return out
}

func moneyString(c int64) string {
	s := "-"
	if c >= 0 {
		s = ""
	} else {
		c = -c
	}
	return fmt.Sprintf("%s%d.%02d", s, c/100, c%100)
}

// agree compares the CLI's rfm score and tier with the reference.
func agree(t *testing.T, c *cli, orders map[string][]refOrder, asOf string) {
	t.Helper()
	d, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	cust := parseCSV(t, c.Must("customer", "list", "-o", "csv"))
	for _, k := range cust.keys {
		id, _ := strconv.ParseInt(k, 10, 64)
		ids[cust.rows[k]["code"]] = id
	}
	want := reference(orders, int(d.Unix()/86400), ids)
	got := parseCSV(t, c.Must("rfm", "score", "--as-of", asOf, "-o", "csv"))
	scored, bad := 0, 0
	for code, w := range want {
		if w.freq == 0 {
			if _, ok := got.rows[code]; ok {
				t.Errorf("%s: scored, but has no purchase", code)
			}
			continue
		}
		scored++
		g, ok := got.rows[code]
		if !ok {
			t.Errorf("%s: missing from rfm score", code)
			continue
		}
		exp := fmt.Sprintf("%d %d %s %d %d %d %s", w.days, w.freq, moneyString(w.money), w.r, w.f, w.m, w.segment)
		act := strings.Join([]string{g["recency_days"], g["frequency"], g["monetary"], g["r_score"], g["f_score"], g["m_score"], g["segment"]}, " ")
		if exp != act {
			if bad++; bad <= 10 {
				t.Errorf("%s: rfm score %q, reference %q", code, act, exp)
			}
		}
	}
	if len(got.keys) != scored {
		t.Errorf("rfm score printed %d customers, the reference scores %d", len(got.keys), scored)
	}
	tiers := parseCSV(t, c.Must("tier", "--as-of", asOf, "-o", "csv"))
	ranked, tbad := 0, 0
	for code, w := range want {
		if w.tier == "" {
			continue
		}
		ranked++
		if g := tiers.rows[code]["tier"]; g != w.tier {
			if tbad++; tbad <= 10 {
				t.Errorf("%s: tier %q, reference %q", code, g, w.tier)
			}
		}
	}
	if len(tiers.keys) != ranked {
		t.Errorf("tier printed %d customers, the reference ranks %d", len(tiers.keys), ranked)
	}
	t.Logf("as of %s: %d customers scored, %d ranked; %d score and %d tier disagreements", asOf, scored, ranked, bad, tbad)
}

func TestRealCDNOWAgreement(t *testing.T) {
	path := dataFile(t, "cdnow/cdnow_master.csv")
	c := newCLI(t)
	c.Must("import", "orders", path, "--create-customers")
	orders := readCDNOW(t, path)
	for _, asOf := range []string{"1998-07-01", "1997-06-30"} {
		agree(t, c, orders, asOf)
	}
}

func TestRealOnlineRetailAgreement(t *testing.T) {
	path := dataFile(t, "online-retail/online_retail.csv")
	c := newCLI(t)
	c.Must("import", "orders", path, "--lines", "--create-customers", "--rejects", filepath.Join(t.TempDir(), "rejects.csv"))
	orders := readOnlineRetail(t, path)
	for _, asOf := range []string{"2011-12-10", "2011-06-30"} {
		agree(t, c, orders, asOf)
	}
}
