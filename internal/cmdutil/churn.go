package cmdutil

// The churn computation (SPEC §11) with what its rules take from tiers,
// credit and complaints: shared by crm churn, crm today and crm brief.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// ChurnPolicy resolves the churn.* settings into a crm.ChurnPolicy; a bad value
// is a usage error naming its key.
func ChurnPolicy(f *Factory) (crm.ChurnPolicy, error) {
	p := crm.DefaultChurnPolicy()
	get := func(key string) string {
		if f == nil || f.Setting == nil {
			return ""
		}
		v := f.Setting(key)
		if v == nil {
			return ""
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	num := func(key string, dst *int, lo, hi int) error {
		s := get(key)
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return FlagErrorf("setting %s = %q: must be a whole number from %d to %d", key, s, lo, hi)
		}
		*dst = n
		return nil
	}
	factor := func(key string, dst *crm.Frac) error {
		s := get(key)
		if s == "" {
			return nil
		}
		q, ok := parseFactor(s)
		if !ok {
			return FlagErrorf("setting %s = %q: must be a number above 0 and at most 100, with at most 4 decimals (1.5)", key, s)
		}
		*dst = q
		return nil
	}
	for _, e := range []error{
		num("churn.gaps", &p.Gaps, 1, 100),
		num("churn.default_gap_days", &p.DefaultGapDays, 1, 36500),
		factor("churn.overdue_factor", &p.OverdueFactor),
		factor("churn.lapse_factor", &p.LapseFactor),
		num("churn.lapse_days", &p.LapseDays, 1, 36500),
		num("churn.decline_pct", &p.DeclinePct, 0, 100),
	} {
		if e != nil {
			return p, e
		}
	}
	return p, nil
}

// parseFactor reads a positive decimal ("1.5", "3") exactly.
func parseFactor(s string) (crm.Frac, bool) {
	whole, dec, _ := strings.Cut(s, ".")
	if whole == "" || len(dec) > 4 || len(whole) > 3 {
		return crm.Frac{}, false
	}
	den := int64(1)
	var num int64
	for _, c := range whole + dec {
		if c < '0' || c > '9' {
			return crm.Frac{}, false
		}
		num = num*10 + int64(c-'0')
	}
	for range dec {
		den *= 10
	}
	if num <= 0 || num > 100*den {
		return crm.Frac{}, false
	}
	return crm.NewFrac(num, den), true
}

// ChurnBook is one churn computation at the as-of date with what the rules took
// from the other modules.
type ChurnBook struct {
	AsOf   crm.Date
	Policy crm.ChurnPolicy
	Book   crm.ChurnBook
	// Table makes every customer's row (in code order: Table.Order) and
	// holds its tier at D.
	Table *crm.ChurnTable
	// Receivables: the book records payments or credit lines; without them
	// (a sales export such as CDNOW) every order would look unpaid, and the
	// credit tests of the bad group are left out.
	Receivables bool
	Complaints  []crm.Complaint
	// OverdueAt is each customer's overdue amount at its last purchase day
	// (filled when winback asks).
	OverdueAt map[int64]crm.Money
}

// Each calls fn with the row of every buyer in code order (a row fn must
// not keep: it is reused), and returns fn's first error.
func (b *ChurnBook) Each(fn func(r *crm.ChurnRow) error) error {
	var r crm.ChurnRow
	for _, i := range b.Table.Order() {
		if b.Table.Row(int(i), &r) {
			if err := fn(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

// EachNumbers is Each without codes and names, in id order: a book loaded
// without texts (LoadChurnWith) has only these.
func (b *ChurnBook) EachNumbers(fn func(r *crm.ChurnRow) error) error {
	var r crm.ChurnRow
	for i := range b.Table.Len() {
		if b.Table.RowNumbers(i, &r) {
			if err := fn(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

// LoadChurn computes the churn of every buyer at f's as-of date. atLast asks for
// the ledgers at each buyer's last purchase day too (winback's signals).
func LoadChurn(f *Factory, st Store, p crm.ChurnPolicy, atLast bool) (*ChurnBook, error) {
	return LoadChurnWith(f, st, p, atLast, true, nil)
}

// LoadChurnWith is LoadChurn that also hands each customer's ledger at the
// as-of date to eachLedger (when the book records receivables), so a caller
// that needs them too (the agenda) reads the receivables once; texts false
// keeps no codes and names (nor their order: EachNumbers, not Each), for a
// caller that has them (the agenda, from its customers: 30 MB at 1,000,000). The account
// and the ledger are valid only during the call (their memory is reused).
//
// Each customer's orders are read once, as they stream, into a compact
// summary (crm.ChurnTableBuilder): nothing grows with the orders, and the
// rows are made when asked.
func LoadChurnWith(f *Factory, st Store, p crm.ChurnPolicy, atLast, texts bool, eachLedger func(*crm.CreditAccount, *crm.Ledger)) (*ChurnBook, error) {
	ctx := f.Context()
	asOf := f.Globals.AsOf
	blockDays, err := CreditBlockDays(f)
	if err != nil {
		return nil, err
	}
	receivables, err := st.ChurnReceivables(ctx, asOf)
	if err != nil {
		return nil, err
	}
	customers, err := st.CustomerCount(ctx)
	if err != nil {
		return nil, err
	}
	tb := crm.NewChurnTableBuilder(asOf, p, customers, texts)
	var overdueAt map[int64]crm.Money
	if atLast {
		overdueAt = map[int64]crm.Money{}
	}
	var byCode []int64
	if receivables {
		// The bad group's credit facts (and the ledgers at dₙ, and
		// eachLedger's) from every account: the accounts' pass gives the
		// orders too.
		var led, ledAt crm.Ledger // one ledger's memory for every customer
		var orders []crm.ChurnOrder
		err = st.EachCreditAccount(ctx, asOf, func(a *crm.CreditAccount) error {
			orders = orders[:0]
			last := crm.NoDate           // dₙ: the latest order with amount > 0 dated ≤ asOf
			for _, o := range a.Orders { // in date order (orders_customer)
				if o.Date <= asOf {
					orders = append(orders, crm.ChurnOrder{Date: o.Date, Amount: o.Amount})
					if o.Amount > 0 {
						last = o.Date
					}
				}
			}
			if err := tb.Add(a.CustomerID, a.Code, a.Name, orders); err != nil {
				return err
			}
			l := a.LedgerInto(&led, asOf)
			if eachLedger != nil {
				eachLedger(a, l)
			}
			if len(l.Invoices) == 0 {
				return nil
			}
			var fx crm.ChurnFacts
			fx.Blocked = blockDays >= 0 && l.MaxDaysOverdue > blockDays
			fx.RatingC = crm.RateGrade(l, crm.NoDate, asOf) == crm.RatingC
			tb.SetFacts(fx)
			if atLast && last != crm.NoDate {
				if o := a.LedgerInto(&ledAt, last).Overdue; o > 0 {
					overdueAt[a.CustomerID] = o
				}
			}
			return nil
		})
		if err == nil && texts {
			byCode, err = st.CustomerIDsByCode(ctx)
		}
	} else {
		byCode, err = st.EachChurnInput(ctx, asOf, func(c *crm.ChurnInput) error {
			return tb.Add(c.CustomerID, c.Code, c.Name, c.Orders)
		})
	}
	if err != nil {
		return nil, err
	}
	// Tiers at D (gold too) and tier A over the 12 months ending D − 365,
	// from the orders just read (crm.TiersAt's answer without reading the
	// book twice more).
	pins, err := st.TierPins(ctx)
	if err != nil {
		return nil, err
	}
	if !texts {
		byCode = nil // a table without texts takes no code order
	}
	t, err := tb.Finish(byCode, pins)
	if err != nil {
		return nil, err
	}
	b := &ChurnBook{AsOf: asOf, Policy: p, Book: t.Book, Table: t, Receivables: receivables, OverdueAt: overdueAt}
	b.Complaints, err = st.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, Brief: true})
	if err != nil {
		return nil, err
	}
	for _, c := range b.Complaints {
		if c.Type == crm.ComplaintMalicious {
			t.AddFacts(c.CustomerID, crm.ChurnFacts{Malicious: true})
		}
	}
	return b, nil
}
