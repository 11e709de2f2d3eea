package crm

import (
	"fmt"
	"strings"
	"testing"
)

func tin(id int64, cents Money) TierInput {
	return TierInput{CustomerID: id, Code: fmt.Sprintf("T%02d", id), Name: fmt.Sprintf("N%d", id), Monetary: cents}
}

func mustTiers(t *testing.T, in []TierInput, opts TierOptions) ([]TierRow, TierSummary) {
	t.Helper()
	rows, sum, err := ComputeTiers(in, opts)
	if err != nil {
		t.Fatalf("ComputeTiers: %v", err)
	}
	return rows, sum
}

func tierString(rows []TierRow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Tier)
	}
	return b.String()
}

func TestTiersValueExactBoundaries(t *testing.T) {
	// 50, 30, 15, 5 (S = 100): before = 0, 50, 80, 95.
	// 0 < 80 A; 50 < 80 A; 80 == 0.80·S → not A, 80 < 95 → B; 95 == 0.95·S → C.
	in := []TierInput{tin(4, 500), tin(2, 3000), tin(1, 5000), tin(3, 1500), tin(5, 0), tin(6, -200)}
	rows, sum := mustTiers(t, in, DefaultTierOptions())
	if len(rows) != 4 || tierString(rows) != "AABC" {
		t.Fatalf("tiers %q (%d rows)", tierString(rows), len(rows))
	}
	wantIDs := []int64{1, 2, 3, 4}
	wantBefore := []Money{0, 5000, 8000, 9500}
	wantCum := []string{"0.5000", "0.8000", "0.9500", "1.0000"}
	wantShare := []string{"0.5000", "0.3000", "0.1500", "0.0500"}
	for i, r := range rows {
		if r.CustomerID != wantIDs[i] || r.Rank != i+1 || r.Before != wantBefore[i] ||
			r.CumShare.Format(4) != wantCum[i] || r.Share.Format(4) != wantShare[i] || r.Computed != r.Tier || r.Pinned {
			t.Errorf("row %d: %+v", i, r)
		}
	}
	// Gold: ceil(5 % × 4) = 1.
	if !rows[0].Gold || rows[1].Gold {
		t.Error("gold")
	}
	if sum.Ranked != 4 || sum.Unranked != 2 || sum.Total != 10000 || sum.GoldCustomers != 1 || sum.GoldRevenue != 5000 {
		t.Errorf("summary %+v", sum)
	}
	wantStats := []TierStat{
		{Tier: "A", Customers: 2, CustomerShare: Frac{2, 4}, Revenue: 8000, RevenueShare: Frac{8000, 10000}},
		{Tier: "B", Customers: 1, CustomerShare: Frac{1, 4}, Revenue: 1500, RevenueShare: Frac{1500, 10000}},
		{Tier: "C", Customers: 1, CustomerShare: Frac{1, 4}, Revenue: 500, RevenueShare: Frac{500, 10000}},
	}
	for i, w := range wantStats {
		if sum.Tiers[i] != w {
			t.Errorf("stat %d: %+v, want %+v", i, sum.Tiers[i], w)
		}
	}
	// 20 steps over 4 customers collapse to k = 1, 2, 3, 4.
	if len(sum.Pareto) != 4 || sum.Pareto[1] != (ParetoPoint{2, Frac{2, 4}, 8000, Frac{8000, 10000}}) || sum.Pareto[3].RevenueShare.Format(2) != "1.00" {
		t.Errorf("pareto %+v", sum.Pareto)
	}
}

func TestTiersValueIntegerExactness(t *testing.T) {
	// a = 0.70, S = 10 cents, before of the second = 7: 7·10000 == 7000·10 → B.
	opts := DefaultTierOptions()
	opts.A = 7000
	rows, _ := mustTiers(t, []TierInput{tin(1, 7), tin(2, 3)}, opts)
	if tierString(rows) != "AB" {
		t.Errorf("got %q", tierString(rows))
	}
	// Amounts whose before·10000 overflows int64: two at MaxTotal (1e18 − 1 cents).
	// before = M, S = 2M: 10000·M < 8000·2M → A; with a = 0.50, 10000·M == 5000·2M → B.
	big := MaxTotal
	rows, sum := mustTiers(t, []TierInput{tin(1, big), tin(2, big)}, DefaultTierOptions())
	if tierString(rows) != "AA" || sum.Total != 2*big || sum.Revenue != 2*big {
		t.Errorf("large: %q", tierString(rows))
	}
	opts = DefaultTierOptions()
	opts.A = 5000
	rows, _ = mustTiers(t, []TierInput{tin(1, big), tin(2, big)}, opts)
	if tierString(rows) != "AB" {
		t.Errorf("large a=0.5: %q", tierString(rows))
	}
	// Ten customers at MaxTotal: S passes int64, an error rather than a wrapped S.
	var ten []TierInput
	for i := range 10 {
		ten = append(ten, tin(int64(i+1), big))
	}
	if _, _, err := ComputeTiers(ten[:9], DefaultTierOptions()); err != nil {
		t.Errorf("nine at MaxTotal: %v", err)
	}
	if _, _, err := ComputeTiers(ten, DefaultTierOptions()); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "S, the total monetary of the ranked customers, is 99,999,999,999,999,999.90") {
		t.Errorf("overflow: %v", err)
	}
	// One customer beyond MaxTotal (a database written by hand): named.
	if _, _, err := ComputeTiers([]TierInput{tin(1, 7), {CustomerID: 2, Code: "BIG", Monetary: MaxTotal + 1}}, DefaultTierOptions()); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "customer BIG: its orders add up to 10,000,000,000,000,000.00") {
		t.Errorf("beyond MaxTotal: %v", err)
	}
	// Pinned customers with large returns: the tier's revenue is added exactly.
	opts = DefaultTierOptions()
	opts.Pins = map[int64]TierPin{}
	in := []TierInput{tin(1, 100)}
	for i := range 10 {
		id := int64(10 + i)
		in = append(in, TierInput{CustomerID: id, Monetary: -MaxTotal})
		opts.Pins[id] = TierPin{Tier: TierC, Reason: "returns"}
	}
	if _, _, err := ComputeTiers(in[:10], opts); err != nil {
		t.Errorf("nine pinned at -MaxTotal: %v", err)
	}
	if _, _, err := ComputeTiers(in, opts); ErrorCode(err) != EDATA || !strings.Contains(err.Error(), "the revenue of tier C") {
		t.Errorf("ten pinned at -MaxTotal: %v", err)
	}
}

func TestTiersTiesByID(t *testing.T) {
	rows, _ := mustTiers(t, []TierInput{tin(9, 100), tin(3, 100), tin(5, 200)}, DefaultTierOptions())
	if rows[0].CustomerID != 5 || rows[1].CustomerID != 3 || rows[2].CustomerID != 9 {
		t.Errorf("order %d %d %d", rows[0].CustomerID, rows[1].CustomerID, rows[2].CustomerID)
	}
}

func TestTiersCount(t *testing.T) {
	tests := []struct {
		n     int
		tiers string
		gold  int
	}{
		// n=10: ceil(2) = 2 A, ceil(5) = 5 → 3 B, 5 C; gold ceil(0.5) = 1.
		{10, "AABBBCCCCC", 1},
		// n=7: ceil(1.4) = 2 A, ceil(3.5) = 4 → 2 B, 3 C; gold 1.
		{7, "AABBCCC", 1},
		// n=1: ceil(0.2) = 1 A; gold 1.
		{1, "A", 1},
		// n=21: ceil(4.2) = 5 A, ceil(10.5) = 11 → 6 B, 10 C; gold ceil(1.05) = 2.
		{21, "AAAAABBBBBBCCCCCCCCCC", 2},
	}
	for _, tt := range tests {
		var in []TierInput
		for i := 1; i <= tt.n; i++ {
			in = append(in, tin(int64(i), Money(1000-i))) // all distinct, ids in rank order
		}
		opts := DefaultTierOptions()
		opts.Method = "count"
		rows, sum := mustTiers(t, in, opts)
		if tierString(rows) != tt.tiers || sum.GoldCustomers != tt.gold || sum.Method != TierByCount {
			t.Errorf("n=%d: %q gold %d", tt.n, tierString(rows), sum.GoldCustomers)
		}
		for i, r := range rows {
			if r.Gold != (i < tt.gold) {
				t.Errorf("n=%d rank %d gold %v", tt.n, i+1, r.Gold)
			}
		}
	}
}

func TestTiersGoldOutsideA(t *testing.T) {
	// One customer has 99 % of revenue: the second is C by value but, with
	// 40 customers, ceil(5 % × 40) = 2 are gold whatever their tier.
	in := []TierInput{tin(1, 990000)}
	for i := 2; i <= 40; i++ {
		in = append(in, tin(int64(i), Money(300-i)))
	}
	rows, _ := mustTiers(t, in, DefaultTierOptions())
	if rows[1].Tier != TierC || !rows[1].Gold || rows[2].Gold {
		t.Errorf("rank 2: %+v; rank 3 gold %v", rows[1], rows[2].Gold)
	}
}

func TestTiersPins(t *testing.T) {
	opts := DefaultTierOptions()
	opts.Pins = map[int64]TierPin{
		1: {Tier: "C", Reason: "disputes"},
		7: {Tier: "A", Reason: "strategic, new"}, // no purchases, but in the input
		8: {Tier: "B", Reason: "parent company"}, // not in the input at all
	}
	in := []TierInput{tin(1, 5000), tin(2, 3000), tin(3, 1500), tin(4, 500), tin(7, 0)}
	rows, sum := mustTiers(t, in, opts)
	if len(rows) != 6 {
		t.Fatalf("%d rows", len(rows))
	}
	if r := rows[0]; r.Computed != TierA || r.Tier != TierC || !r.Pinned || r.PinReason != "disputes" || !r.Gold {
		t.Errorf("pinned ranked %+v", r)
	}
	if r := rows[4]; r.CustomerID != 8 || r.Code != "" || r.Tier != TierB || r.Rank != 0 || r.Share.Defined() {
		t.Errorf("pinned unknown (code \"\" sorts first) %+v", r)
	}
	if r := rows[5]; r.CustomerID != 7 || r.Code != "T07" || r.Tier != TierA || r.Rank != 0 || r.Computed != "" || r.Gold {
		t.Errorf("pinned without purchases %+v", r)
	}
	// Final tiers: A = 2 (id 2, id 7), B = 2 (id 3, id 8), C = 2 (id 1, id 4).
	wantN := []int{2, 2, 2}
	wantRev := []Money{3000, 1500, 5500}
	wantPinned := []int{1, 1, 1}
	for i, st := range sum.Tiers {
		if st.Customers != wantN[i] || st.Revenue != wantRev[i] || st.Pinned != wantPinned[i] || st.CustomerShare != (Frac{2, 6}) {
			t.Errorf("tier %s: %+v", st.Tier, st)
		}
	}
	if sum.Pinned != 3 || sum.Ranked != 4 || sum.Unranked != 1 {
		t.Errorf("summary %+v", sum)
	}
}

func TestTiersOptionErrors(t *testing.T) {
	in := []TierInput{tin(1, 100)}
	mod := func(f func(*TierOptions)) TierOptions { o := DefaultTierOptions(); f(&o); return o }
	bad := []TierOptions{
		mod(func(o *TierOptions) { o.Method = "pareto" }),
		mod(func(o *TierOptions) { o.A = 9600 }),
		mod(func(o *TierOptions) { o.B = 10001 }),
		mod(func(o *TierOptions) { o.CountA = -1 }),
		mod(func(o *TierOptions) { o.Gold = 20000 }),
		mod(func(o *TierOptions) { o.Pins = map[int64]TierPin{1: {Tier: "D"}} }),
	}
	for i, o := range bad {
		if _, _, err := ComputeTiers(in, o); ErrorCode(err) != EINVALID {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if _, _, err := ComputeTiers([]TierInput{tin(1, 1), tin(1, 2)}, DefaultTierOptions()); ErrorCode(err) != EDATA {
		t.Errorf("duplicate id: %v", err)
	}
	rows, sum, err := ComputeTiers(nil, DefaultTierOptions())
	if err != nil || len(rows) != 0 || len(sum.Pareto) != 0 || sum.Tiers[0].RevenueShare.Defined() {
		t.Errorf("empty: %v %+v", err, sum)
	}
}

func TestParseBasisPoints(t *testing.T) {
	ok := map[string]int{"0.8": 8000, "0.80": 8000, "80%": 8000, "0.955": 9550, "95.5%": 9550,
		"0": 0, "1": 10000, "100%": 10000, "0.0001": 1, "0.01%": 1, " 5 % ": 500, "0.950000": 9500}
	for in, want := range ok {
		if got, err := ParseBasisPoints(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0.12345", "1.5", "101%", "-0.1", "x", "", "0.001%"} {
		if _, err := ParseBasisPoints(in); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestTierChanges(t *testing.T) {
	prev := map[int64]string{1: "A", 2: "B", 3: "C", 4: "A"}
	next := map[int64]string{1: "B", 2: "A", 3: "C", 5: "C"}
	got, err := TierChanges(prev, next)
	if err != nil {
		t.Fatal(err)
	}
	want := []TierChange{{1, "A", "B", false}, {2, "B", "A", true}, {4, "A", "", false}, {5, "", "C", true}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if _, err := TierChanges(map[int64]string{1: "Z"}, nil); ErrorCode(err) != EDATA {
		t.Errorf("bad tier: %v", err)
	}
}

func TestTierLabels(t *testing.T) {
	tests := []struct{ tier, en, zh string }{{"A", "key", "关键客户"}, {"B", "normal", "普通客户"}, {"C", "small", "小客户"}, {"", "", ""}}
	for _, tt := range tests {
		if TierLabel(tt.tier, "en") != tt.en || TierLabel(tt.tier, "zh") != tt.zh {
			t.Errorf("%q: %q %q", tt.tier, TierLabel(tt.tier, "en"), TierLabel(tt.tier, "zh"))
		}
	}
	if GoldLabel("zh") != "金牌" || GoldLabel("en") != "gold" {
		t.Error("gold label")
	}
	for in, want := range map[string]string{"a": "A", "Key": "A", "关键客户": "A", "关键": "A", "normal": "B", "小客户": "C", "small": "C"} {
		if got, err := ParseTier(in); err != nil || got != want {
			t.Errorf("ParseTier(%q) = %q %v", in, got, err)
		}
	}
	if _, err := ParseTier("D"); ErrorCode(err) != EINVALID {
		t.Error("ParseTier(D)")
	}
	if m, err := ParseTierMethod(""); err != nil || m != TierByValue {
		t.Error("default method")
	}
}

func TestTierAAsOf(t *testing.T) {
	on := NewDate(2026, 10, 1)
	pinA := &TierPinRecord{CustomerID: 1, Tier: TierA, On: on}
	pinB := &TierPinRecord{CustomerID: 1, Tier: TierB, On: on}
	for _, c := range []struct {
		name     string
		pin      *TierPinRecord
		computed bool
		asOf     Date
		want     bool
	}{
		{"no pin, computed A", nil, true, on, true},
		{"no pin, not A", nil, false, on, false},
		{"pinned A on the day", pinA, false, on, true},
		{"pinned B overrides computed A", pinB, true, on + 30, false},
		{"pin made later is ignored", pinB, true, on - 1, true},
		{"pin made later is ignored (A)", pinA, false, on - 1, false},
		{"no as-of date takes the pin", pinA, false, NoDate, true},
	} {
		called := false
		got, err := TierAAsOf(c.pin, c.asOf, func() (bool, error) { called = true; return c.computed, nil })
		if got != c.want || err != nil {
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
		}
		if pinned := c.pin != nil && c.pin.InEffect(c.asOf); called == pinned {
			t.Errorf("%s: computed called %v with a pin in effect %v", c.name, called, pinned)
		}
	}
	set, err := TierASet([]TierInput{{CustomerID: 1, Monetary: 900}, {CustomerID: 2, Monetary: 50}, {CustomerID: 3, Monetary: 50}, {CustomerID: 4, Monetary: -5}})
	if err != nil || !set[1] || set[2] || set[3] || set[4] || len(set) != 1 {
		t.Errorf("TierASet = %v, %v", set, err)
	}
}
