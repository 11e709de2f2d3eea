package crm

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// appendText must write what fmt.Sprintf writes for the agenda's verbs and
// argument types.
func TestAppendTextIsSprintf(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dates := []Date{NoDate, 0, -1, MustDate("2026-11-30"), MustDate("0001-01-01"), MustDate("9999-12-31"), MustDate("2024-02-29")}
	money := []Money{0, 1, -1, 99, -99, 100, -100, 123456, -123456, math.MaxInt64, math.MinInt64 + 1}
	for range 2000 {
		dates = append(dates, Date(r.IntN(3_000_000)-100_000))
		money = append(money, Money(r.Int64()-math.MaxInt64/2))
	}
	for _, d := range dates {
		if got, want := string(appendText(nil, "%s", []any{d})), d.String(); got != want {
			t.Fatalf("date %d: %q, want %q", int32(d), got, want)
		}
	}
	for _, m := range money {
		if got, want := string(appendText(nil, "%s", []any{m})), m.String(); got != want {
			t.Fatalf("money %d: %q, want %q", int64(m), got, want)
		}
	}
	cases := []struct {
		format string
		args   []any
	}{
		{"", nil},
		{"plain", nil},
		{"%s", []any{"x"}},
		{"%d%%", []any{-7}},
		{"a %s, %d days; %s → due %s (< %d %%) %d", []any{"通知", 12, LevelH, MustDate("2026-11-12"), 50, int64(-9)}},
		{"%s：每 %d 天拜访一次；%s %s → %s 到期；%s", []any{"A 金牌", 30, "最近拜访", MustDate("2026-10-01"), MustDate("2026-10-31"), "逾期 30 天"}},
		{"%s overdue", []any{Money(-1234550)}},
		{"%s%s", []any{"", NoDate}},
	}
	for _, c := range cases {
		if got, want := string(appendText([]byte("prefix "), c.format, c.args)), "prefix "+fmt.Sprintf(c.format, c.args...); got != want {
			t.Errorf("%q: %q, want %q", c.format, got, want)
		}
	}
}

// A verb or argument appendText does not know is a mistake in the rules:
// it panics rather than print something else than fmt would.
func TestAppendTextRefuses(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
	}{
		{"%s", []any{3}}, {"%d", []any{"x"}}, {"%v", []any{"x"}}, {"%s %s", []any{"x"}}, {"%s", []any{"x", "y"}}, {"50%", nil},
		{"%d", []any{MustDate("2026-11-30")}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q %v: no panic", c.format, c.args)
				}
			}()
			appendText(nil, c.format, c.args)
		}()
	}
}

// Strings of a text block stay as they were made while the block fills and
// a new one begins.
func TestTextBlock(t *testing.T) {
	var tb textBlock
	var made, want []string
	buf := []byte{}
	for i := range 20000 {
		buf = append(buf[:0], strings.Repeat(string(rune('a'+i%26)), i%97)...)
		buf = fmt.Appendf(buf, "#%d", i)
		made = append(made, tb.str(buf))
		want = append(want, string(buf))
	}
	made = append(made, tb.str(make([]byte, textBlockSize+5)))
	want = append(want, string(make([]byte, textBlockSize+5)))
	for i := range made {
		if made[i] != want[i] {
			t.Fatalf("string %d: %q, want %q", i, made[i], want[i])
		}
	}
	if tb.str(nil) != "" {
		t.Fatal("empty")
	}
}

// idIndex finds every id of a sorted slice and no other, dense or not.
func TestIDIndex(t *testing.T) {
	for _, ids := range [][]int64{nil, {1}, {0, 1, 2, 5, 6, 9}, {3, 1 << 40}, {-5, 2, 7}, {2, 2, 3}} {
		x := newIDIndex(len(ids), func(i int) int64 { return ids[i] })
		for id := int64(-7); id < 12; id++ {
			i, ok := x.find(id)
			j, want := slices.BinarySearch(ids, id)
			if ok != want || ok && i != j {
				t.Errorf("%v: find(%d) = %d, %v; want %d, %v", ids, id, i, ok, j, want)
			}
		}
		if len(ids) > 1 && ids[len(ids)-1] == 1<<40 {
			if _, ok := x.find(1 << 40); !ok || x.at != nil {
				t.Errorf("%v: the sparse id", ids)
			}
		}
	}
}

// SortAgenda orders random lines as SPEC §10.1 says, compared field by field.
func TestSortAgendaRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tiers := []string{TierA, TierB, TierC, ""}
	codes := []string{"", "C1", "C10", "C000042", "C0000042", "C00000421", "C00000420", "客户一", "-5"}
	refs := []string{"1", "2", "10", "-3", "+4", "C1", "2026-11", "2026-11-30", ""}
	ls := make([]AgendaLine, 3000)
	for i := range ls {
		ls[i] = AgendaLine{Due: Date(r.IntN(40) - 20), Rule: AgendaRules[r.IntN(len(AgendaRules))], Tier: tiers[r.IntN(len(tiers))],
			Gold: r.IntN(3) == 0, Code: codes[r.IntN(len(codes))], Ref: refs[r.IntN(len(refs))], Subject: strconv.Itoa(i)}
	}
	ls[0].Due, ls[1].Due = NoDate, -1<<20 // far before 1970
	rank := func(rule AgendaRule) int { return slices.Index(AgendaRules, rule) }
	want := slices.Clone(ls)
	slices.SortStableFunc(want, func(a, b AgendaLine) int {
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(rank(a.Rule), rank(b.Rule)),
			cmp.Compare(tierOrder(a.Tier, a.Gold), tierOrder(b.Tier, b.Gold)), strings.Compare(a.Code, b.Code), compareRefs(a.Ref, b.Ref))
	})
	got := slices.Clone(ls)
	SortAgenda(got)
	for i := range got {
		if got[i].Subject != want[i].Subject {
			t.Fatalf("line %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}
