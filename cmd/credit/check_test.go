package credit_test

import (
	"reflect"
	"strings"
	"testing"
)

type checkJSON struct {
	CustomerCode   string  `json:"customer_code"`
	Decision       string  `json:"decision"`
	Overridden     bool    `json:"overridden"`
	Requested      string  `json:"requested"`
	Limit          *string `json:"limit"`
	Outstanding    string  `json:"outstanding"`
	Available      *string `json:"available"`
	Overdue        string  `json:"overdue"`
	MaxDaysOverdue int     `json:"max_days_overdue"`
	OverLimitBy    *string `json:"over_limit_by"`
	Rating         string  `json:"rating"`
	OverrideReason *string `json:"override_reason"`
	Reasons        []struct {
		Code, Outcome, Message string
	} `json:"reasons"`
}

func (c checkJSON) codes() []string {
	out := []string{}
	for _, r := range c.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func str(s string) *string { return &s }

// TestCheckDecisions pins every rule of SPEC §6 and the exit codes 0/3/4,
// end to end.
func TestCheckDecisions(t *testing.T) {
	e := fixture(t)
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		decision string
		rules    []string
		limit    *string
		out      string
		overBy   *string
	}{
		{name: "approve", args: []string{"A001", "10000"}, code: 0, decision: "approve", rules: []string{},
			limit: str("80000.00"), out: "15000.00"},
		{name: "limit exactly reached is fine", args: []string{"A001", "65,000.00"}, code: 0, decision: "approve", rules: []string{},
			limit: str("80000.00"), out: "15000.00"},
		{name: "one cent over the limit", args: []string{"A001", "65000.01"}, code: 4, decision: "reject",
			rules: []string{"over_limit"}, limit: str("80000.00"), out: "15000.00", overBy: str("0.01")},
		{name: "limit as of an earlier date", args: []string{"A001", "40000", "--as-of", "2026-03-01"}, code: 0, decision: "approve",
			rules: []string{}, limit: str("50000.00"), out: "0.00"},
		{name: "overdue holds", args: []string{"B002", "1000"}, code: 3, decision: "hold", rules: []string{"overdue"},
			limit: str("100000.00"), out: "20000.00"},
		{name: "over 60 days overdue rejects", args: []string{"C003", "1"}, code: 4, decision: "reject",
			rules: []string{"blocked_overdue", "overdue"}, limit: str("60000.00"), out: "12499.99"},
		{name: "every triggered rule is listed", args: []string{"C003", "50000"}, code: 4, decision: "reject",
			rules: []string{"over_limit", "blocked_overdue", "overdue"}, limit: str("60000.00"), out: "12499.99", overBy: str("2499.99")},
		{name: "before the invoice fell due", args: []string{"C003", "1", "--as-of", "2026-09-09"}, code: 0, decision: "approve",
			rules: []string{}, limit: str("60000.00"), out: "9999.99"},
		{name: "no credit line holds", args: []string{"D004", "100"}, code: 3, decision: "hold", rules: []string{"no_credit_line"},
			out: "7300.00"},
		{name: "no orders and no credit line", args: []string{"G007", "0"}, code: 3, decision: "hold", rules: []string{"no_credit_line"},
			out: "0.00"},
		{name: "over the limit", args: []string{"E005", "5000"}, code: 4, decision: "reject", rules: []string{"over_limit"},
			limit: str("10000.00"), out: "9000.00", overBy: str("4000.00")},
		{name: "due on the as-of date is not overdue", args: []string{"E005", "1000"}, code: 0, decision: "approve", rules: []string{},
			limit: str("10000.00"), out: "9000.00"},
		{name: "the day after it is", args: []string{"E005", "0", "--as-of", "2026-11-24"}, code: 3, decision: "hold", rules: []string{"overdue"},
			limit: str("10000.00"), out: "9000.00"},
		{name: "payment after as-of does not count", args: []string{"F006", "3750.01"}, code: 4, decision: "reject", rules: []string{"over_limit"},
			limit: str("5000.00"), out: "1250.00", overBy: str("0.01")},
		{name: "credit balance counts", args: []string{"F006", "5750", "--as-of", "2026-11-30"}, code: 0, decision: "approve", rules: []string{},
			limit: str("5000.00"), out: "-750.00"},
		{name: "minimum rating holds", args: []string{"A001", "10"}, env: map[string]string{"CRM_CREDIT_MIN_RATING": "aaa"},
			code: 3, decision: "hold", rules: []string{"rating_below_min"}, limit: str("80000.00"), out: "15000.00"},
		{name: "minimum rating met", args: []string{"A001", "10"}, env: map[string]string{"CRM_CREDIT_MIN_RATING": "A"},
			code: 0, decision: "approve", rules: []string{}, limit: str("80000.00"), out: "15000.00"},
		{name: "block days from config", args: []string{"C003", "1"}, env: map[string]string{"CRM_CREDIT_BLOCK_DAYS": "90"},
			code: 3, decision: "hold", rules: []string{"overdue"}, limit: str("60000.00"), out: "12499.99"},
		{name: "block rule off", args: []string{"C003", "1"}, env: map[string]string{"CRM_CREDIT_BLOCK_DAYS": "off"},
			code: 3, decision: "hold", rules: []string{"overdue"}, limit: str("60000.00"), out: "12499.99"},
		{name: "block days lower", args: []string{"B002", "1"}, env: map[string]string{"CRM_CREDIT_BLOCK_DAYS": "14"},
			code: 4, decision: "reject", rules: []string{"blocked_overdue", "overdue"}, limit: str("100000.00"), out: "20000.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := append([]string{"credit", "check", "--format", "json"}, tc.args...)
			out, _ := e.Exits(tc.code, args...)
			got := parseJSON[checkJSON](t, out)
			if got.Decision != tc.decision || !reflect.DeepEqual(got.codes(), tc.rules) {
				t.Errorf("decision %s %v, want %s %v", got.Decision, got.codes(), tc.decision, tc.rules)
			}
			if !reflect.DeepEqual(got.Limit, tc.limit) || got.Outstanding != tc.out {
				t.Errorf("limit %v outstanding %s, want %v %s", deref(got.Limit), got.Outstanding, deref(tc.limit), tc.out)
			}
			if !reflect.DeepEqual(got.OverLimitBy, tc.overBy) {
				t.Errorf("over the limit by %v, want %v", deref(got.OverLimitBy), *tc.overBy)
			}
			// The table and CSV give the same decision and exit status.
			e.Exits(tc.code, append([]string{"credit", "check"}, tc.args...)...)
			csvOut, _ := e.Exits(tc.code, append([]string{"credit", "check", "--format", "csv"}, tc.args...)...)
			row := parseCSV(t, csvOut).byKey("customer_code")[tc.args[0]]
			if row["decision"] != tc.decision || row["rules"] != strings.Join(tc.rules, " ") {
				t.Errorf("CSV decision %q rules %q", row["decision"], row["rules"])
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestCheckBadInput: usage errors exit 2, unknown customers 1, nothing written.
func TestCheckBadInput(t *testing.T) {
	e := fixture(t)
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		msg  string
	}{
		{name: "negative amount", args: []string{"A001", "--", "-5"}, code: 2, msg: "must not be negative"},
		{name: "negative amount as a flag", args: []string{"A001", "-5"}, code: 2, msg: "unknown shorthand flag"},
		{name: "malformed amount", args: []string{"A001", "12,5x"}, code: 2, msg: `amount`},
		{name: "three decimals", args: []string{"A001", "1.005"}, code: 2, msg: "amount"},
		{name: "missing amount", args: []string{"A001"}, code: 2, msg: "missing AMOUNT"},
		{name: "unknown customer", args: []string{"NOPE", "10"}, code: 1, msg: `no customer "NOPE"`},
		{name: "override without reason", args: []string{"C003", "10", "--override"}, code: 2, msg: "--override needs --reason"},
		{name: "override with a blank reason", args: []string{"C003", "10", "--override", "--reason", "  "}, code: 2, msg: "--override needs --reason"},
		{name: "reason without override", args: []string{"C003", "10", "--reason", "x"}, code: 2, msg: "--reason goes with --override"},
		{name: "bad minimum rating", args: []string{"A001", "10"}, env: map[string]string{"CRM_CREDIT_MIN_RATING": "D"}, code: 2, msg: "credit.min_rating"},
		{name: "bad block days", args: []string{"A001", "10"}, env: map[string]string{"CRM_CREDIT_BLOCK_DAYS": "0"}, code: 2, msg: "credit.block_days"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			out, errOut := e.Exits(tc.code, append([]string{"credit", "check"}, tc.args...)...)
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if !strings.Contains(errOut, tc.msg) {
				t.Errorf("stderr %q, want it to say %q", errOut, tc.msg)
			}
		})
	}
	if out := e.Must("credit", "limit", "C003", "--overrides", "--format", "csv"); strings.Count(out, "\n") != 1 {
		t.Errorf("override log after bad input:\n%s", out)
	}
}

// TestCheckOverride: an override is recorded with the figures and exits 0;
// an approved order needs none and records nothing.
func TestCheckOverride(t *testing.T) {
	e := fixture(t)
	out, errOut := e.Exits(0, "credit", "check", "C003", "5000", "--override", "--reason", "CFO approved: prepayment next week", "--format", "json")
	got := parseJSON[checkJSON](t, out)
	if got.Decision != "reject" || !got.Overridden || got.OverrideReason == nil || *got.OverrideReason != "CFO approved: prepayment next week" {
		t.Errorf("override = %+v", got)
	}
	if !strings.Contains(errOut, "Override recorded") {
		t.Errorf("stderr %q", errOut)
	}
	e.Exits(0, "credit", "check", "A001", "10", "--override", "--reason", "not needed")
	e.Exits(0, "credit", "check", "D004", "10", "--override", "--reason", "cash on delivery", "--as-of", "2026-11-20")
	log := parseCSV(t, e.Must("credit", "limit", "C003", "--overrides", "--format", "csv"))
	want := [][]string{{"C003", "2026-11-23", "2026-11-23T", "5000.00", "reject", "blocked_overdue overdue", "60000.00", "12499.99", "12499.99", "CFO approved: prepayment next week"}}
	if len(log.rows) != 1 {
		t.Fatalf("override log %v", log.rows)
	}
	for i, w := range want[0] {
		if !strings.HasPrefix(log.rows[0][i], w) {
			t.Errorf("override log column %s = %q, want %q", log.head[i], log.rows[0][i], w)
		}
	}
	if n := len(parseCSV(t, e.Must("credit", "limit", "A001", "--overrides", "--format", "csv")).rows); n != 0 {
		t.Errorf("approved order: %d overrides recorded, want 0", n)
	}
	d := parseCSV(t, e.Must("credit", "limit", "D004", "--overrides", "--format", "csv"))
	if len(d.rows) != 1 || d.rows[0][1] != "2026-11-20" || d.rows[0][4] != "hold" || d.rows[0][6] != "" {
		t.Errorf("D004 override log %v", d.rows)
	}
}

// TestCheckGolden pins the printed decision in every format and language.
func TestCheckGolden(t *testing.T) {
	e := fixture(t)
	for _, tc := range []struct {
		name string
		code int
		args []string
	}{
		{"check_reject.txt", 4, []string{"C003", "50000"}},
		{"check_reject.csv", 4, []string{"C003", "50000", "--format", "csv"}},
		{"check_reject.json", 4, []string{"C003", "50000", "--format", "json"}},
		{"check_reject_zh.txt", 4, []string{"C003", "50000", "--lang", "zh"}},
		{"check_approve.txt", 0, []string{"A001", "10000"}},
		{"check_hold_no_line.txt", 3, []string{"D004", "100"}},
		{"check_override.txt", 0, []string{"B002", "1000", "--override", "--reason", "long-standing customer"}},
	} {
		out, _ := e.Exits(tc.code, append([]string{"credit", "check"}, tc.args...)...)
		golden(t, tc.name, out)
	}
}

// TestPaymentOfAnotherCustomersOrder: a payment naming another customer's
// order is refused and nothing is written, so it never pays the wrong ledger.
func TestPaymentOfAnotherCustomersOrder(t *testing.T) {
	e := fixture(t)
	before := e.Must("credit", "aging", "--format", "csv")
	_, errOut := e.Exits(1, "payment", "add", "B002", "100", "--order", "A-1")
	if !strings.Contains(errOut, "A-1") {
		t.Errorf("stderr %q", errOut)
	}
	bad := writeFile(t, t.TempDir()+"/pay.csv", "payment_id,customer,order_id,date,amount\nPX-1,B002,A-1,2026-11-20,100.00\n")
	e.Run("import", "payments", bad)
	if n := len(parseCSV(t, e.Must("payment", "list", "--customer", "B002", "--format", "csv")).rows); n != 2 {
		t.Errorf("B002 has %d payments, want the 2 of the fixture", n)
	}
	if after := e.Must("credit", "aging", "--format", "csv"); after != before {
		t.Errorf("aging changed:\n%s\n%s", before, after)
	}
}

// TestCheckConfigFile: the rules' settings come from the config file too,
// the environment winning over it.
func TestCheckConfigFile(t *testing.T) {
	e := fixture(t)
	writeFile(t, e.ConfigHome+"/crm/config.yaml", "credit:\n  block_days: 90\n  min_rating: AAA\n")
	out, _ := e.Exits(3, "credit", "check", "C003", "1", "--format", "json")
	if got := parseJSON[checkJSON](t, out); !reflect.DeepEqual(got.codes(), []string{"overdue", "rating_below_min"}) {
		t.Errorf("rules %v", got.codes())
	}
	t.Setenv("CRM_CREDIT_BLOCK_DAYS", "30")
	e.Exits(4, "credit", "check", "C003", "1")
	t.Setenv("CRM_CREDIT_MIN_RATING", "")
	e.Exits(3, "credit", "check", "A001", "1") // AA below AAA from the file
}

// TestReasonMustBeTyped: a reason from the environment or the config file
// does not make an override or a limit change.
func TestReasonMustBeTyped(t *testing.T) {
	e := fixture(t)
	t.Setenv("CRM_CREDIT_CHECK_REASON", "from env")
	t.Setenv("CRM_CREDIT_LIMIT_REASON", "from env")
	t.Setenv("CRM_CREDIT_REASON", "from env")
	e.Exits(2, "credit", "check", "C003", "10", "--override")
	e.Exits(2, "credit", "limit", "C003", "70000")
	if n := len(parseCSV(t, e.Must("credit", "limit", "C003", "--format", "csv")).rows); n != 1 {
		t.Errorf("%d history rows, want 1", n)
	}
}
