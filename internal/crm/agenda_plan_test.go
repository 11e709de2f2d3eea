package crm

import (
	"fmt"
	"math/rand"
	"slices"
	"sync"
	"testing"
)

// bigAgendaBook is n customers of every tier with touches, sales and open
// tasks spread over a year before agD: most rules give lines, many share a
// due date.
func bigAgendaBook(n int, seed int64) AgendaInput {
	r := rand.New(rand.NewSource(seed))
	in := AgendaInput{AsOf: agD}
	tiers := []string{TierA, TierB, TierC, ""}
	day := func(max int) Date { return agD.AddDays(-r.Intn(max)) }
	for i := 1; i <= n; i++ {
		tier := tiers[r.Intn(4)]
		t := CustomerTouches{CustomerID: int64(i), Code: fmt.Sprintf("C%05d", r.Intn(n)), LastTouch: NoDate, LastVisit: NoDate, LastSale: NoDate}
		t.Name, t.Owner = fmt.Sprintf("Customer %d", i), []string{"", "ann", "bob"}[r.Intn(3)]
		gold := tier == TierA && r.Intn(3) == 0
		if r.Intn(50) == 0 {
			t.Code += "-LONGER-CODE" // codes past 8 bytes, and equal prefixes
		}
		t.FirstOrder = day(400)
		if r.Intn(3) > 0 {
			t.LastTouch, t.LastTouchType = day(200), "call"
		}
		if r.Intn(3) == 0 {
			t.LastVisit = day(200)
		}
		if r.Intn(4) == 0 {
			t.LastSale = day(40)
		}
		c := AgendaCustomerOf(t)
		c.SetTier(tier, gold)
		in.Customers = append(in.Customers, c)
		if r.Intn(5) == 0 {
			in.Tasks = append(in.Tasks, Task{ID: int64(len(in.Tasks) + 1), CustomerID: c.CustomerID, Title: "call", Status: TaskOpen, Due: day(30), Priority: PriorityNormal, Type: TaskTodo, Created: agD.AddDays(-60)})
		}
	}
	return in
}

// A planned agenda keeps exactly the lines its filter keeps, in order, and
// any number of makers side by side make them again as one maker does,
// texts and all (--explain, both languages).
func TestPlanAgendaMakesItsLines(t *testing.T) {
	in := bigAgendaBook(6000, 1)
	for _, lang := range []string{"en", "zh"} {
		p := agPolicy()
		p.Lang, p.Explain, p.Days = lang, true, 7
		all := Agenda(in, p)
		if len(all) < 3000 {
			t.Fatalf("%s: %d lines: the book should give thousands", lang, len(all))
		}
		sorted := slices.Clone(all)
		SortAgenda(sorted)
		if !slices.EqualFunc(all, sorted, agendaLineEqual) {
			t.Fatalf("%s: Agenda's lines are not in SortAgenda's order", lang)
		}
		for _, l := range all {
			if l.Why == "" || l.Action == "" || len(l.Explain) == 0 && l.Rule != RuleReviewMonthly && l.Rule != RuleReviewWeekly {
				t.Fatalf("%s: a line made again without its texts: %+v", lang, l)
			}
		}
		keep := func(l *AgendaLine) bool { return l.Owner == "ann" && l.Why == "" }
		list := PlanAgenda(in, p, keep)
		var want []AgendaLine
		for _, l := range all {
			if l.Owner == "ann" {
				want = append(want, l)
			}
		}
		if list.Len() != len(want) {
			t.Fatalf("%s: kept %d lines, want %d", lang, list.Len(), len(want))
		}
		got := make([]AgendaLine, list.Len())
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m := list.Maker()
				for i := w; i < len(got); i += 3 {
					got[i] = m.Line(i)
				}
			}()
		}
		wg.Wait()
		for i := range got {
			if !agendaLineEqual(got[i], want[i]) {
				t.Fatalf("%s: line %d made again as\n%+v\nwant\n%+v", lang, i, got[i], want[i])
			}
			if list.Rule(i) != want[i].Rule || list.Kind(i) != want[i].Kind() {
				t.Fatalf("%s: line %d: rule %s kind %s, want %s %s", lang, i, list.Rule(i), list.Kind(i), want[i].Rule, want[i].Kind())
			}
		}
		// A transient maker's line is the same until the next is made, in
		// any order; then its texts are another line's.
		tm := list.TransientMaker()
		for k := range len(want) {
			i := (k * 7919) % len(want)
			if l := tm.Line(i); !agendaLineEqual(l, want[i]) {
				t.Fatalf("%s: line %d made again by a transient maker as\n%+v\nwant\n%+v", lang, i, l, want[i])
			}
		}
		if len(want) > 1 && want[0].Why != want[1].Why {
			first := tm.Line(0)
			tm.Line(1)
			if first.Why == want[0].Why {
				t.Fatalf("%s: a transient maker's texts outlived the next line (the test sees no reuse)", lang)
			}
		}
	}
}

func agendaLineEqual(a, b AgendaLine) bool {
	ea, eb := a.Explain, b.Explain
	a.Explain, b.Explain = nil, nil
	return slices.Equal(ea, eb) && fmt.Sprint(a) == fmt.Sprint(b)
}
