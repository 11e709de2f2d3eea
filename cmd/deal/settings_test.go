package deal_test

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/cmd/cmdtest"
)

// The reports weigh, list and place by the deal settings in force, not the
// defaults: deal.levels.H.probability, deal.hot_levels, funnel.producing_days.
func TestReportsReadTheSettings(t *testing.T) {
	c := cmdtest.New(t)
	c.Must("customer", "add", "Acme", "--code", "A1")
	c.Must("order", "add", "A1", "100", "--date", "2026-09-01")
	c.Must("deal", "add", "A1", "big", "--amount", "1000", "--level", "B", "--date", "2026-11-01")
	has := func(what, out, want string) {
		t.Helper()
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, out)
		}
	}
	has("pipeline", c.Must("deal", "pipeline", "-o", "csv"), "B,1,1000.00,300.00,")
	// B is not hot by default …
	if out := c.Must("deal", "hot", "-o", "csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("hot by default: %s", out)
	}
	has("funnel", c.Must("funnel", "-o", "csv"), "producing,1,")
	t.Setenv("CRM_DEAL_LEVELS_B_PROBABILITY", "45")
	t.Setenv("CRM_DEAL_HOT_LEVELS", "H,A,B")
	t.Setenv("CRM_FUNNEL_PRODUCING_DAYS", "30")
	has("pipeline", c.Must("deal", "pipeline", "-o", "csv"), "B,1,1000.00,450.00,")
	has("hot", c.Must("deal", "hot", "-o", "csv"), "\nB,,2026-11-01,A1,Acme,") // … and is with the setting
	has("forecast", c.Must("deal", "forecast", "-o", "csv"), ",1,1000.00,450.00")
	has("funnel", c.Must("funnel", "-o", "csv"), "incubating,1,")
	t.Setenv("CRM_DEAL_LEVELS_B_PROBABILITY", "101")
	_, errOut := c.Exits(2, "deal", "pipeline")
	has("stderr", errOut, "deal.levels.B.probability")
}
