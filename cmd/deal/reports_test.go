package deal_test

import (
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"

	"github.com/crm-course/crm/internal/testutil"
)

func TestReportGoldens(t *testing.T) {
	b := newBook(t)
	cases := []struct {
		name string
		args []string
	}{
		{"pipeline", []string{"deal", "pipeline"}},
		{"forecast", []string{"deal", "forecast"}},
		{"report", []string{"deal", "report"}},
		{"hot", []string{"deal", "hot"}},
		{"lost", []string{"deal", "lost"}},
		{"lost_by_reason", []string{"deal", "lost", "--by", "reason"}},
		{"lost_by_competitor", []string{"deal", "lost", "--by", "competitor"}},
		{"lost_by_tier", []string{"deal", "lost", "--by", "tier"}},
		{"lost_all_reasons", []string{"deal", "lost", "--by", "reason", "--all-reasons"}},
		{"funnel", []string{"funnel"}},
		{"funnel_moves", []string{"funnel", "--from", "2026-09-01"}},
	}
	for _, c := range cases {
		noun := c.args[0]
		for _, v := range []struct {
			suffix, ext string
			flags       []string
		}{
			{"", "txt", nil}, {"_zh", "txt", []string{"--lang", "zh"}},
			{"", "csv", []string{"--format", "csv"}}, {"", "json", []string{"--format", "json"}},
		} {
			out := b.Must(append(append([]string{}, c.args...), v.flags...)...)
			testutil.Golden(t, noun+"/"+goldenName(c.name, noun)+v.suffix+"."+v.ext, []byte(out))
		}
	}
	out := b.Must("deal", "report", "--explain")
	testutil.Golden(t, "deal/report_explain.txt", []byte(out))
	out = b.Must("deal", "report", "--explain", "--lang", "zh")
	testutil.Golden(t, "deal/report_explain_zh.txt", []byte(out))
	out = b.Must("deal", "lost", "--by", "reason", "--explain")
	testutil.Golden(t, "deal/lost_explain.txt", []byte(out))
	out = b.Must("deal", "lost", "--by", "reason", "--explain", "--lang", "zh")
	testutil.Golden(t, "deal/lost_explain_zh.txt", []byte(out))
	for _, view := range []string{"conversion", "time"} {
		out = b.Must("deal", "report", "--view", view, "--format", "csv")
		testutil.Golden(t, "deal/report_"+view+".csv", []byte(out))
	}
}

// goldenName is the verb and case of a golden file: "pipeline", "lost_by_reason", "moves".
func goldenName(name, noun string) string {
	if noun == "funnel" {
		if name == "funnel" {
			return "funnel"
		}
		return name[len("funnel_"):]
	}
	return name
}

func TestReportBadFlags(t *testing.T) {
	c := cmdtest.New(t)
	for _, args := range [][]string{
		{"deal", "lost", "--by", "colour"},
		{"deal", "lost", "--all-reasons"},
		{"deal", "lost", "--by", "owner", "--all-reasons"},
		{"deal", "report", "--window", "12x"},
		{"deal", "report", "--window", "12m", "--since", "2026-01-01"},
		{"deal", "report", "--view", "everything"},
		{"deal", "lost", "--since", "2027-01-01"},
		{"funnel", "--to", "2026-01-01"},
		{"funnel", "--from", "2026-12-01", "--to", "2026-01-01"},
		{"funnel", "--from", "yesterday"},
	} {
		c.Exits(2, args...)
	}
}
