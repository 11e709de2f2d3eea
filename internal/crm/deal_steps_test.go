package crm

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func dd(s string) Date {
	d, err := ParseISODate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }

// dealStep is one step of a scripted history.
type dealStep struct {
	name string
	run  func(d Deal) (Deal, []DealEvent, error)
}

func newDeal(t *testing.T, date, level string) (Deal, []DealEvent) {
	t.Helper()
	d, evs, err := AddDeal(DealDraft{ID: 7, CustomerID: 1, Date: dd(date), Title: "Forklifts", Level: level,
		Amount: "1000", Owner: "Li", Description: "two trucks"})
	if err != nil {
		t.Fatal(err)
	}
	return d, evs
}

func run(t *testing.T, d Deal, evs []DealEvent, steps ...dealStep) (Deal, []DealEvent) {
	t.Helper()
	for _, s := range steps {
		n, more, err := s.run(d)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		d, evs = n, append(evs, more...)
		// replay equals stepwise state, after every step
		if r := ReplayDeal(Deal{ID: d.ID, CustomerID: d.CustomerID}, evs); !dealEqual(r, d) {
			t.Fatalf("%s: replay\n%+v\n!= stepwise\n%+v", s.name, r, d)
		}
	}
	return d, evs
}

func dealEqual(a, b Deal) bool {
	return reflect.DeepEqual(a, b)
}

func lvl(date, l string) dealStep {
	return dealStep{"level " + l, func(d Deal) (Deal, []DealEvent, error) { return d.SetLevel(dd(date), l, "") }}
}

func TestDealLevelsThroughSteps(t *testing.T) {
	p := DefaultDealPolicy()
	type want struct {
		status           DealStatus
		level, prev, max Level
		since            string
		reopens          int
	}
	cases := []struct {
		name  string
		steps []dealStep
		want  want
	}{
		{"added", nil, want{DealOpen, LevelC, "", LevelC, "2026-01-01", 0}},
		{"skip to A", []dealStep{lvl("2026-01-05", "A")}, want{DealOpen, LevelA, LevelC, LevelA, "2026-01-05", 0}},
		{"up and down", []dealStep{lvl("2026-01-05", "H"), lvl("2026-01-06", "b")},
			want{DealOpen, LevelB, LevelH, LevelH, "2026-01-06", 0}},
		{"freeze keeps level_since", []dealStep{lvl("2026-01-05", "B"),
			{"freeze", func(d Deal) (Deal, []DealEvent, error) {
				return d.Freeze(dd("2026-01-07"), dd("2026-02-01"), "budget next year")
			}}},
			want{DealDormant, LevelB, LevelC, LevelB, "2026-01-05", 0}},
		{"wake default level", []dealStep{lvl("2026-01-05", "B"),
			{"freeze", func(d Deal) (Deal, []DealEvent, error) { return d.Freeze(dd("2026-01-07"), dd("2026-02-01"), "x") }},
			{"wake", func(d Deal) (Deal, []DealEvent, error) { return d.Wake(dd("2026-02-01"), "") }}},
			want{DealOpen, LevelB, LevelB, LevelB, "2026-02-01", 0}},
		{"wake at H", []dealStep{
			{"freeze", func(d Deal) (Deal, []DealEvent, error) { return d.Freeze(dd("2026-01-07"), dd("2026-02-01"), "x") }},
			{"wake", func(d Deal) (Deal, []DealEvent, error) { return d.Wake(dd("2026-01-20"), "H") }}},
			want{DealOpen, LevelH, LevelC, LevelH, "2026-01-20", 0}},
		{"win counts O", []dealStep{lvl("2026-01-05", "A"),
			{"win", func(d Deal) (Deal, []DealEvent, error) { return d.Win(dd("2026-01-09"), nil, nil, "") }}},
			want{DealWon, LevelA, LevelC, LevelO, "2026-01-05", 0}},
		{"reopen after win keeps O", []dealStep{
			{"win", func(d Deal) (Deal, []DealEvent, error) { return d.Win(dd("2026-01-09"), nil, nil, "") }},
			{"reopen", func(d Deal) (Deal, []DealEvent, error) { return d.Reopen(dd("2026-01-10"), "", "") }}},
			want{DealOpen, LevelC, LevelC, LevelO, "2026-01-10", 1}},
		{"lose and reopen at B", []dealStep{lvl("2026-01-02", "H"),
			{"lose", func(d Deal) (Deal, []DealEvent, error) {
				return d.Lose(p, dd("2026-01-09"), []string{"price"}, "", "Acme", "")
			}},
			{"reopen", func(d Deal) (Deal, []DealEvent, error) { return d.Reopen(dd("2026-01-20"), "B", "came back") }}},
			want{DealOpen, LevelB, LevelH, LevelH, "2026-01-20", 1}},
		{"lose from dormant", []dealStep{
			{"freeze", func(d Deal) (Deal, []DealEvent, error) { return d.Freeze(dd("2026-01-07"), dd("2026-02-01"), "x") }},
			{"lose", func(d Deal) (Deal, []DealEvent, error) {
				return d.Lose(p, dd("2026-01-09"), []string{"budget"}, "", "", "")
			}}},
			want{DealLost, LevelC, "", LevelC, "2026-01-01", 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, evs := newDeal(t, "2026-01-01", "")
			d, _ = run(t, d, evs, c.steps...)
			got := want{d.Status, d.Level, d.PreviousLevel, d.MaxLevel, d.LevelSince.String(), d.Reopens}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDealStepRefusals(t *testing.T) {
	p := DefaultDealPolicy()
	base, _ := newDeal(t, "2026-01-10", "B")
	won, _, _ := base.Win(dd("2026-01-12"), nil, nil, "")
	lost, _, _ := base.Lose(p, dd("2026-01-12"), []string{"price"}, "", "", "")
	dormant, _, _ := base.Freeze(dd("2026-01-12"), dd("2026-02-01"), "x")
	order := func(cust int64, amt Money) *DealOrder {
		return &DealOrder{ID: 9, No: "SO-9", CustomerID: cust, Date: dd("2026-01-15"), Amount: amt}
	}
	cases := []struct {
		name, code, msg string
		run             func() error
	}{
		{"level same", EINVALID, "already at level B", func() error { _, _, e := base.SetLevel(dd("2026-01-11"), "B", ""); return e }},
		{"level unknown", EINVALID, "must be H, A, B or C", func() error { _, _, e := base.SetLevel(dd("2026-01-11"), "Z", ""); return e }},
		{"level O", EINVALID, "deal win", func() error { _, _, e := base.SetLevel(dd("2026-01-11"), "O", ""); return e }},
		{"level dormant", ECONFLICT, "wake it first", func() error { _, _, e := dormant.SetLevel(dd("2026-01-13"), "A", ""); return e }},
		{"level won", ECONFLICT, "reopen it first", func() error { _, _, e := won.SetLevel(dd("2026-01-13"), "A", ""); return e }},
		{"status before value", ECONFLICT, "is won", func() error { _, _, e := won.SetLevel(dd("2026-01-13"), "Z", ""); return e }},
		{"value before date", EINVALID, "must be H", func() error { _, _, e := base.SetLevel(dd("2026-01-01"), "Z", ""); return e }},
		{"level before last", EINVALID, "before its latest step", func() error { _, _, e := base.SetLevel(dd("2026-01-09"), "A", ""); return e }},
		{"freeze without until", EINVALID, "--until", func() error { _, _, e := base.Freeze(dd("2026-01-11"), NoDate, "x"); return e }},
		{"freeze until same day", EINVALID, "must be after", func() error { _, _, e := base.Freeze(dd("2026-01-11"), dd("2026-01-11"), "x"); return e }},
		{"freeze without reason", EINVALID, "reason", func() error { _, _, e := base.Freeze(dd("2026-01-11"), dd("2026-01-20"), " "); return e }},
		{"freeze dormant", ECONFLICT, "wake it first", func() error { _, _, e := dormant.Freeze(dd("2026-01-13"), dd("2026-03-01"), "x"); return e }},
		{"wake open", ECONFLICT, "only a dormant", func() error { _, _, e := base.Wake(dd("2026-01-11"), ""); return e }},
		{"win won", ECONFLICT, "reopen it first", func() error { _, _, e := won.Win(dd("2026-01-13"), nil, nil, ""); return e }},
		{"win order of another customer", EINVALID, "another customer", func() error { _, _, e := base.Win(NoDate, order(2, 500), nil, ""); return e }},
		{"win order amount 0", EINVALID, "above 0", func() error { _, _, e := base.Win(NoDate, order(1, 0), nil, ""); return e }},
		{"win amount disagrees", EINVALID, "differs", func() error { m := Money(1); _, _, e := base.Win(NoDate, order(1, 500), &m, ""); return e }},
		{"lose without reason", EINVALID, "needs --reason", func() error { _, _, e := base.Lose(p, dd("2026-01-11"), nil, "", "", ""); return e }},
		{"lose unknown reason", EINVALID, "must be one of", func() error { _, _, e := base.Lose(p, dd("2026-01-11"), []string{"moon"}, "", "", ""); return e }},
		{"lose other without note", EINVALID, "needs a --note", func() error {
			_, _, e := base.Lose(p, dd("2026-01-11"), []string{"price,other"}, "", "", "")
			return e
		}},
		{"lose lost", ECONFLICT, "reopen it first", func() error { _, _, e := lost.Lose(p, dd("2026-01-13"), []string{"price"}, "", "", ""); return e }},
		{"reopen open", ECONFLICT, "only a won or lost", func() error { _, _, e := base.Reopen(dd("2026-01-13"), "", ""); return e }},
		{"reopen dormant", ECONFLICT, "only a won or lost", func() error { _, _, e := dormant.Reopen(dd("2026-01-13"), "", ""); return e }},
		{"edit won", ECONFLICT, "reopen it first", func() error { _, _, e := won.Edit(dd("2026-01-13"), DealChanges{Note: ptr("x")}); return e }},
		{"edit nothing", EINVALID, "nothing to change", func() error { _, _, e := base.Edit(dd("2026-01-13"), DealChanges{Owner: ptr("Li")}); return e }},
		{"edit negative amount", EINVALID, "negative", func() error { _, _, e := base.Edit(dd("2026-01-13"), DealChanges{Amount: ptr("-5")}); return e }},
		{"edit probability 101", EINVALID, "0 to 100", func() error { _, _, e := base.Edit(dd("2026-01-13"), DealChanges{Probability: ptr("101")}); return e }},
		{"edit contact of another customer", EINVALID, "another customer", func() error {
			_, _, e := base.Edit(dd("2026-01-13"), DealChanges{ContactSet: true, Contact: &DealContact{ID: 3, CustomerID: 2}})
			return e
		}},
		{"add without title", EINVALID, "title", func() error {
			_, _, e := AddDeal(DealDraft{CustomerID: 1, Date: dd("2026-01-01"), Title: " "})
			return e
		}},
		{"add level F", EINVALID, "deal lose", func() error {
			_, _, e := AddDeal(DealDraft{CustomerID: 1, Date: dd("2026-01-01"), Title: "x", Level: "F"})
			return e
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			if err == nil {
				t.Fatal("accepted")
			}
			if ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("got %s %q, want %s containing %q", ErrorCode(err), err, c.code, c.msg)
			}
		})
	}
}

func TestDealWinAndLoseValues(t *testing.T) {
	p := DefaultDealPolicy()
	d, _ := newDeal(t, "2026-01-10", "")
	w, evs, err := d.Win(NoDate, &DealOrder{ID: 9, No: "SO-9", CustomerID: 1, Date: dd("2026-01-15"), Amount: 777}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if w.ClosedOn != dd("2026-01-15") || w.WonAmount != 777 || w.OrderID != 9 || len(evs) != 1 {
		t.Errorf("win with order: %+v", w)
	}
	w, _, _ = d.Win(dd("2026-01-11"), nil, nil, "")
	if w.WonAmount != 100000 {
		t.Errorf("won amount = deal amount: got %s", w.WonAmount)
	}
	l, evs, err := d.Lose(p, dd("2026-01-11"), []string{"价格偏高", "other,price"}, "they want blue", "Acme", "X1")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Reasons, []string{"price", "other"}) || l.Competitor != "Acme" || l.CompetitorProduct != "X1" ||
		len(evs) != 2 || evs[1].Kind != DealLostEv {
		t.Errorf("lose: %+v %+v", l, evs)
	}
	if l.DaysOpen(dd("2026-03-01")) != 1 {
		t.Errorf("days open of a lost deal: %d", l.DaysOpen(dd("2026-03-01")))
	}
	// imported lost deal without a reason is kept
	imp, evs, err := ImportDeal(p, DealImport{DealDraft: DealDraft{CustomerID: 1, Date: dd("2016-10-01"), Title: "GTX"},
		Status: DealLost, Closed: dd("2017-01-01")})
	if err != nil || imp.Status != DealLost || len(imp.Reasons) != 0 || len(evs) != 2 {
		t.Errorf("import lost without reason: %+v %v", imp, err)
	}
}

func TestDealDerived(t *testing.T) {
	p := DefaultDealPolicy()
	d, evs := newDeal(t, "2026-01-01", "")
	if got := d.ExpectedCloseAt(p); got != dd("2026-04-01") {
		t.Errorf("expected close C: %s", got)
	}
	d, evs = run(t, d, evs, lvl("2026-01-10", "H"))
	if got := d.ExpectedCloseAt(p); got != dd("2026-01-17") {
		t.Errorf("expected close H: %s", got)
	}
	if got := d.Weighted(p); got != 80000 {
		t.Errorf("weighted H of 1000.00: %s", got)
	}
	d, evs = run(t, d, evs, dealStep{"edit", func(d Deal) (Deal, []DealEvent, error) {
		return d.Edit(dd("2026-01-11"), DealChanges{Amount: ptr("0.05"), Probability: ptr("50"), ExpectedClose: ptr("2026-03-01")})
	}})
	if got := d.Weighted(p); got != 3 { // 0.05 × 50 % = 0.025 → 0.03
		t.Errorf("weighted half away from zero: %s", got)
	}
	if d.ExpectedCloseAt(p) != dd("2026-03-01") {
		t.Errorf("explicit expected close: %s", d.ExpectedCloseAt(p))
	}
	d, _ = run(t, d, evs, dealStep{"freeze", func(d Deal) (Deal, []DealEvent, error) {
		return d.Freeze(dd("2026-01-12"), dd("2026-02-01"), "x")
	}})
	if d.Weighted(p) != 0 {
		t.Error("a dormant deal is weighted")
	}
	if PercentOf(-5, 50) != -3 {
		t.Error("PercentOf negative")
	}
}

func TestDealAtReplaysEachDay(t *testing.T) {
	p := DefaultDealPolicy()
	d, evs := newDeal(t, "2026-01-01", "")
	d, evs = run(t, d, evs, lvl("2026-01-03", "B"), lvl("2026-01-05", "H"),
		dealStep{"lose", func(d Deal) (Deal, []DealEvent, error) {
			return d.Lose(p, dd("2026-01-07"), []string{"price"}, "", "Acme", "")
		}},
		dealStep{"reopen", func(d Deal) (Deal, []DealEvent, error) { return d.Reopen(dd("2026-01-09"), "", "") }})
	want := map[string]string{"2025-12-31": "-", "2026-01-01": "open C", "2026-01-02": "open C", "2026-01-03": "open B",
		"2026-01-05": "open H", "2026-01-07": "lost H", "2026-01-08": "lost H", "2026-01-09": "open H", "2026-02-01": "open H"}
	for day, w := range want {
		a, ok := DealAt(d, evs, dd(day))
		got := "-"
		if ok {
			got = string(a.Status) + " " + string(a.Level)
		}
		if got != w {
			t.Errorf("%s: %s, want %s", day, got, w)
		}
	}
}

func TestParseDealWords(t *testing.T) {
	for in, want := range map[string]DealStatus{"Won": DealWon, "Prospecting": DealOpen, "Engaging": DealOpen,
		"冷冻": DealDormant, "战败": DealLost, "closed won": DealWon} {
		if got, err := ParseDealStatus(in); err != nil || got != want {
			t.Errorf("ParseDealStatus(%q) = %s %v", in, got, err)
		}
	}
	if _, err := ParseDealStatus("maybe"); err == nil {
		t.Error("maybe accepted")
	}
	for in, want := range map[string]Level{"h": LevelH, " A ": LevelA, "B级": LevelB} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %s %v", in, got, err)
		}
	}
}
