package crm

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestTypicalGap12(t *testing.T) {
	for _, tc := range []struct {
		name string
		gaps []int
		b12  int64
		want int64
		own  bool
	}{
		{"one purchase: T = B", nil, 12 * 90, 12 * 90, false},
		{"B ending in .25", nil, 12*90 + 3, 12*90 + 3, false},
		{"one gap padded", []int{30}, 12 * 90, 4*30 + 2*12*90/3, false},
		{"two gaps padded", []int{30, 60}, 12 * 90, 4*90 + 12*90/3, false},
		{"three gaps: median", []int{10, 50, 20}, 12 * 90, 12 * 20, true},
		{"four gaps: mean of the middle two", []int{10, 20, 31, 40}, 0, 6 * 51, true},
		{"ties", []int{7, 7, 7}, 0, 12 * 7, true},
	} {
		got, own := TypicalGap12(tc.gaps, tc.b12)
		if got != tc.want || own != tc.own {
			t.Errorf("%s: TypicalGap12(%v, %d) = %d, %v; want %d, %v", tc.name, tc.gaps, tc.b12, got, own, tc.want, tc.own)
		}
	}
}

func TestBookGap12(t *testing.T) {
	if got := BookGap12(nil, 90); got != 1080 {
		t.Errorf("no own T: %d, want 1080", got)
	}
	// Two medians 30 and 30.5: B = 30.25, 12 B = 363.
	if got := BookGap12([]int64{360, 366}, 90); got != 363 {
		t.Errorf("B of 30 and 30.5: 12B = %d, want 363", got)
	}
}

func TestChurnStatusBoundaries(t *testing.T) {
	p := DefaultChurnPolicy()
	t12 := int64(12 * 20) // T = 20: due after 20, overdue after 30, lapsed after 60
	for _, tc := range []struct {
		r    int
		want ChurnStatus
	}{{0, ChurnActive}, {20, ChurnActive}, {21, ChurnDue}, {30, ChurnDue}, {31, ChurnOverdue}, {60, ChurnOverdue}, {61, ChurnLapsed}} {
		if got := p.Status(tc.r, t12); got != tc.want {
			t.Errorf("T 20, r %d: %s, want %s", tc.r, got, tc.want)
		}
	}
	// T = 200: 3 T = 600 > 365, the cap decides.
	if got := p.Status(365, 12*200); got != ChurnOverdue {
		t.Errorf("r 365, T 200: %s, want overdue", got)
	}
	if got := p.Status(366, 12*200); got != ChurnLapsed {
		t.Errorf("r 366, T 200: %s, want lapsed", got)
	}
	// T = 20.5 (12T = 246): 1.5 T = 30.75 exactly, so r 30 due, r 31 overdue.
	if got := p.Status(30, 246); got != ChurnDue {
		t.Errorf("r 30, T 20.5: %s", got)
	}
	d := p.StatusDays(NewDate(2024, 1, 1), 246)
	if d.Due != NewDate(2024, 1, 22) || d.Overdue != NewDate(2024, 2, 1) || d.Lapsed != NewDate(2024, 3, 3) {
		t.Errorf("first days of T 20.5 after 2024-01-01: %+v", d)
	}
	for _, r := range []int{20, 21, 30, 31, 61} {
		s := p.Status(r, 246)
		if since := d.Since(s); s != ChurnActive && NewDate(2024, 1, 1)+Date(r) < since {
			t.Errorf("r %d: status %s starts on %s, after the day", r, s, since)
		}
	}
}

func TestComputeChurnEdges(t *testing.T) {
	day := NewDate(2024, 1, 1)
	in := []ChurnInput{
		{CustomerID: 1, Code: "one", Orders: []ChurnOrder{{day, 100}}},
		{CustomerID: 2, Code: "sameday", Orders: []ChurnOrder{{day, 100}, {day, 50}}},
		{CustomerID: 3, Code: "returns", Orders: []ChurnOrder{{day, -100}}},
		{CustomerID: 4, Code: "none"},
	}
	rows, book := ComputeChurn(in, day+10, DefaultChurnPolicy(), ChurnContext{})
	if len(rows) != 2 || book.B12 != 12*90 {
		t.Fatalf("rows %d, B12 %d; want 2 rows, B 90", len(rows), book.B12)
	}
	for _, r := range rows {
		if r.N != 1 || r.T12 != 12*90 || r.Status != ChurnActive {
			t.Errorf("%s: n %d, 12T %d, %s", r.Code, r.N, r.T12, r.Status)
		}
	}
}

func TestDeclineAndGroups(t *testing.T) {
	if !Declining(true, 49, 100, 50) || Declining(true, 50, 100, 50) || Declining(false, 0, 100, 50) || Declining(true, 0, 0, 50) {
		t.Error("Declining boundaries")
	}
	if GroupOf(ChurnFacts{Malicious: true}, "A") != ChurnBad || GroupOf(ChurnFacts{}, "A") != ChurnKey ||
		GroupOf(ChurnFacts{}, "B") != ChurnNormal || GroupOf(ChurnFacts{}, "") != ChurnSmall {
		t.Error("GroupOf")
	}
}

// TestChurnOfMatchesBook: one customer's row without the book is the row
// ComputeChurn gives it over the whole book, and the book gap is asked for
// only when the customer's T is padded.
func TestChurnOfMatchesBook(t *testing.T) {
	asOf := CivilDate(2026, 11, 23)
	rng := rand.New(rand.NewPCG(7, 14))
	var in []ChurnInput
	for id := int64(1); id <= 300; id++ {
		c := ChurnInput{CustomerID: id, Code: fmt.Sprintf("C%03d", id)}
		d := asOf - Date(rng.IntN(900))
		for k := rng.IntN(9); k > 0 && d <= asOf; k-- {
			amount := Money(rng.IntN(5000) - 500)
			c.Orders = append(c.Orders, ChurnOrder{Date: d, Amount: amount})
			d += Date(rng.IntN(80))
		}
		in = append(in, c)
	}
	p := DefaultChurnPolicy()
	rows, book := ComputeChurn(in, asOf, p, ChurnContext{})
	if got := ChurnBookOf(in, asOf, p); got != book {
		t.Fatalf("ChurnBookOf = %+v, ComputeChurn's book %+v", got, book)
	}
	byID := map[int64]ChurnRow{}
	for _, r := range rows {
		byID[r.CustomerID] = r
	}
	for _, c := range in {
		asked := false
		got, ok, err := ChurnOf(c, asOf, p, ChurnContext{}, func() (int64, error) { asked = true; return book.B12, nil })
		want, has := byID[c.CustomerID]
		if err != nil || ok != has {
			t.Fatalf("%s: ok %v err %v, want a row %v", c.Code, ok, err, has)
		}
		if !ok {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ChurnOf = %+v\nComputeChurn  %+v", c.Code, got, want)
		}
		if asked == want.Own {
			t.Errorf("%s: own T %v, book gap asked %v", c.Code, want.Own, asked)
		}
	}
}
