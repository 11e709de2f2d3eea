package crm

import (
	"slices"
	"testing"
)

func TestDecideOrder(t *testing.T) {
	day := func(s string) Date { return crD(t, s) }
	// Limit 1,000.00; an invoice of 600.00 on 11-01 due 12-01 (terms 30).
	acct := func() *CreditAccount {
		return &CreditAccount{CustomerID: 7, Code: "C7", TermsDays: 30, Limit: 100000, HasLimit: true,
			Orders: []LedgerOrder{crOrder(t, "A", "2026-11-01", "600")}}
	}
	tests := []struct {
		name      string
		acct      func() *CreditAccount
		date      string
		amount    Money
		rules     CreditRules
		override  string
		weighed   bool
		outcome   Outcome
		write     bool
		wantRules []string
	}{
		{"fits", acct, "2026-11-20", 40000, CreditRules{}, "", true, OutcomeApprove, true, nil},
		{"over the limit", acct, "2026-11-20", 40001, CreditRules{}, "", true, OutcomeReject, false, []string{ReasonOverLimit}},
		{"overridden", acct, "2026-11-20", 40001, CreditRules{}, " CFO ", true, OutcomeReject, true, []string{ReasonOverLimit}},
		{"before the invoice: all room", acct, "2026-10-31", 100000, CreditRules{}, "", true, OutcomeApprove, true, nil},
		{"overdue on its date", acct, "2026-12-05", 1, CreditRules{}, "", true, OutcomeHold, false, []string{ReasonOverdue}},
		{"blocked", acct, "2027-02-01", 1, CreditRules{}, "", true, OutcomeReject, false, []string{ReasonBlockedOverdue, ReasonOverdue}},
		{"block rule off", acct, "2027-02-01", 1, CreditRules{BlockDays: -1}, "", true, OutcomeHold, false, []string{ReasonOverdue}},
		{"no credit line", func() *CreditAccount { a := acct(); a.HasLimit = false; return a }, "2026-11-20", 1, CreditRules{}, "", true,
			OutcomeHold, false, []string{ReasonNoCreditLine}},
		{"rating below the minimum", acct, "2026-11-20", 1, CreditRules{MinRating: "AAA"}, "", true, OutcomeHold, false,
			[]string{ReasonRatingBelowMin}},
		{"a return is never weighed", acct, "2027-02-01", -5000, CreditRules{}, "", false, "", true, nil},
		{"nor an order of 0", acct, "2027-02-01", 0, CreditRules{}, "", false, "", true, nil},
		{"an approved order needs no override", acct, "2026-11-20", 1, CreditRules{}, "CFO", true, OutcomeApprove, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Order{ID: "N1", Date: day(tt.date), Amount: tt.amount, Due: NoDate}
			c, err := DecideOrder(tt.acct(), o, tt.rules, tt.override)
			if err != nil {
				t.Fatal(err)
			}
			if c.Weighed != tt.weighed || c.Decision.Outcome != tt.outcome || c.Write != tt.write {
				t.Fatalf("weighed %v outcome %q write %v, want %v %q %v", c.Weighed, c.Decision.Outcome, c.Write, tt.weighed, tt.outcome, tt.write)
			}
			var codes []string
			for _, r := range c.Decision.Reasons {
				codes = append(codes, r.Code)
			}
			if !slices.Equal(codes, tt.wantRules) {
				t.Errorf("reasons %v, want %v", codes, tt.wantRules)
			}
			overridden := tt.write && tt.outcome != "" && tt.outcome != OutcomeApprove
			if (c.Override != nil) != overridden {
				t.Fatalf("override %+v", c.Override)
			}
			if ov := c.Override; ov != nil {
				if ov.CustomerID != 7 || ov.Date != o.Date || ov.Amount != tt.amount || ov.Decision != tt.outcome ||
					ov.Reason != "CFO" || ov.Limit == nil || *ov.Limit != 100000 || ov.Outstanding != 60000 || !slices.Equal(ov.Rules, tt.wantRules) {
					t.Errorf("override entry %+v", ov)
				}
			}
		})
	}
}

func TestCreditRefusalError(t *testing.T) {
	a := &CreditAccount{CustomerID: 1, Code: "C1", TermsDays: 30, Limit: 100000, HasLimit: true,
		Orders: []LedgerOrder{crOrder(t, "A", "2026-11-01", "600")}}
	d, err := a.Check(crD(t, "2026-11-23"), 60000, CreditRules{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id, want string
	}{
		{"INV-7", "credit check: reject (order INV-7 of 600.00 for C1 on 2026-11-23): outstanding 600.00 + order 600.00 = 1,200.00 exceeds the credit limit 1,000.00 by 200.00"},
		{"", "credit check: reject (order 600.00 for C1 on 2026-11-23): outstanding 600.00 + order 600.00 = 1,200.00 exceeds the credit limit 1,000.00 by 200.00"},
	} {
		r := &CreditRefusal{OrderID: tt.id, Customer: "C1", Date: crD(t, "2026-11-23"), Decision: d}
		if got := r.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant %q", got, tt.want)
		}
		if r.ExitCode() != 4 {
			t.Errorf("exit %d", r.ExitCode())
		}
	}
	held := &CreditRefusal{Decision: CreditDecision{Outcome: OutcomeHold}}
	if held.ExitCode() != 3 {
		t.Errorf("hold exit %d", held.ExitCode())
	}
}
