package deal_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/crm"
)

// TestReportsReplayEachDay replays a deal from C to won and another to lost
// and reopened, and checks every report --as-of each day from the day before
// the first step to days after the last.
func TestReportsReplayEachDay(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Xylo", "--code", "X")
	c.Must("customer", "add", "Yarn", "--code", "Y")
	b := &book{CLI: c, t: t, db: openBook(t, c)}
	d := crm.ParseDate
	on := func(s string) crm.Date { v, _ := d(s); return v }
	b.deal(1, 1, 0, "Won one", "", "", crm.DealEvent{Kind: crm.DealAdded, Level: crm.LevelC, Date: on("2026-10-01"), Amount: 100000},
		crm.DealEvent{Kind: crm.DealLeveled, Level: crm.LevelB, Date: on("2026-10-05")},
		crm.DealEvent{Kind: crm.DealLeveled, Level: crm.LevelA, Date: on("2026-10-10")},
		crm.DealEvent{Kind: crm.DealLeveled, Level: crm.LevelH, Date: on("2026-10-15")},
		crm.DealEvent{Kind: crm.DealWonEv, Date: on("2026-10-20"), Amount: 120000})
	b.deal(2, 2, 0, "Lost one", "", "", crm.DealEvent{Kind: crm.DealAdded, Level: crm.LevelC, Date: on("2026-10-02"), Amount: 50000},
		crm.DealEvent{Kind: crm.DealLeveled, Level: crm.LevelB, Date: on("2026-10-06")},
		crm.DealEvent{Kind: crm.DealLostEv, Date: on("2026-10-12"), Reasons: []string{"price"}, Competitor: "Acme"},
		crm.DealEvent{Kind: crm.DealReopened, Level: crm.LevelB, Date: on("2026-10-18")})

	// What each day should show, written out from the steps above.
	level1 := func(day crm.Date) string { // the won deal's level while open, "" otherwise
		switch {
		case day < on("2026-10-01") || day >= on("2026-10-20"):
			return ""
		case day >= on("2026-10-15"):
			return "H"
		case day >= on("2026-10-10"):
			return "A"
		case day >= on("2026-10-05"):
			return "B"
		}
		return "C"
	}
	level2 := func(day crm.Date) string {
		switch {
		case day < on("2026-10-02") || day >= on("2026-10-12") && day < on("2026-10-18"):
			return ""
		case day >= on("2026-10-06"):
			return "B"
		}
		return "C"
	}
	for day := on("2026-09-30"); day <= on("2026-10-25"); day++ {
		asOf := day.String()
		run := func(args ...string) []map[string]any {
			out := c.Must(append(args, "--as-of", asOf, "--format", "json")...)
			var v []map[string]any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("%s %v: %v\n%s", asOf, args, err, out)
			}
			return v
		}
		want := map[string]int{}
		for _, l := range []string{level1(day), level2(day)} {
			if l != "" {
				want[l]++
				want["total"]++
			}
		}
		for _, row := range run("deal", "pipeline") {
			key := row["level"].(string)
			if got := int(row["count"].(float64)); got != want[key] {
				t.Errorf("%s pipeline %s: %d deals, want %d", asOf, key, got, want[key])
			}
		}
		hot := 0
		if l := level1(day); l == "H" || l == "A" {
			hot = 1
		}
		if got := run("deal", "hot"); len(got) != hot {
			t.Errorf("%s hot: %d rows, want %d", asOf, len(got), hot)
		}
		forecast := 0
		for _, row := range run("deal", "forecast") {
			forecast += int(row["count"].(float64))
		}
		if forecast != want["total"] {
			t.Errorf("%s forecast: %d deals, want %d", asOf, forecast, want["total"])
		}
		var rep map[string]any
		out := c.Must("deal", "report", "--as-of", asOf, "--format", "json")
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		won, lost := 0, 0
		if day >= on("2026-10-20") {
			won = 1
		}
		if day >= on("2026-10-12") && day < on("2026-10-18") {
			lost = 1
		}
		created := 0
		for _, s := range []string{"2026-10-01", "2026-10-02"} {
			if day >= on(s) {
				created++
			}
		}
		if int(rep["won"].(float64)) != won || int(rep["lost"].(float64)) != lost || int(rep["created"].(float64)) != created {
			t.Errorf("%s report: won %v lost %v created %v; want %d %d %d", asOf, rep["won"], rep["lost"], rep["created"], won, lost, created)
		}
		if won == 1 && (fmt.Sprint(rep["cycle_median_days"]) != "19" || fmt.Sprint(rep["won_amount"]) != "1200.00") {
			t.Errorf("%s report: cycle %v, won amount %v", asOf, rep["cycle_median_days"], rep["won_amount"])
		}
		conv := rep["conversion"].([]any)
		if won+lost > 0 {
			// Reached never grows down the funnel.
			prev := 1 << 30
			for _, x := range conv {
				n := int(x.(map[string]any)["reached"].(float64))
				if n > prev {
					t.Errorf("%s conversion grows: %v", asOf, conv)
				}
				prev = n
			}
		}
		lostRows := run("deal", "lost")
		wantLost := 0
		if day >= on("2026-10-12") {
			wantLost = 1
		}
		if len(lostRows) != wantLost {
			t.Fatalf("%s lost: %d rows, want %d", asOf, len(lostRows), wantLost)
		}
		if wantLost == 1 {
			r := lostRows[0]
			if r["loss_type"] != "competitor" || r["misjudged"] != (day >= on("2026-10-18")) || r["level_at_loss"] != "B" {
				t.Errorf("%s lost row: %v", asOf, r)
			}
		}
		funnel := map[string]int{}
		for _, row := range run("funnel") {
			funnel[row["position"].(string)] = int(row["customers"].(float64))
		}
		incubating := 0
		if level1(day) != "" {
			incubating++
		}
		if level2(day) != "" {
			incubating++
		}
		if funnel["incubating"] != incubating || funnel["potential"] != 2-incubating || funnel["producing"] != 0 {
			t.Errorf("%s funnel: %v, want %d incubating", asOf, funnel, incubating)
		}
	}
}
