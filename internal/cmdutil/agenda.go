package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// AgendaQuery selects agenda lines (SPEC §10).
type AgendaQuery struct {
	CustomerID int64 // 0: every customer
	Days       int   // --days N: lines of † rules due in (D, D + N] too
	Explain    bool  // fill AgendaLine.Explain
}

func init() {
	Settings = append(Settings,
		Setting{"churn.agenda_tiers", strings.Join(crm.DefaultAgendaTiers, ","), "today: tiers whose overdue customers get a churn.overdue line"},
		Setting{"winback.retry_days", strconv.Itoa(crm.DefaultWinbackRetryDays), "today: a lapsed key customer comes back on the agenda this many days after a touch"},
	)
}

// AgendaPolicy resolves every setting the agenda's rules use.
func AgendaPolicy(f *Factory) (crm.AgendaPolicy, error) {
	p := crm.AgendaPolicy{Lang: f.Globals.Lang, RetryDays: crm.DefaultWinbackRetryDays, AgendaTiers: crm.DefaultAgendaTiers}
	var err error
	if p.Deal, err = DealPolicy(f); err != nil {
		return p, err
	}
	if p.Churn, err = ChurnPolicy(f); err != nil {
		return p, err
	}
	if p.Service, err = ServicePolicy(f); err != nil {
		return p, err
	}
	cs, err := ComplaintSettings(f)
	if err != nil {
		return p, err
	}
	p.Complaints = cs.DueOptions()
	if f.Setting != nil {
		if v := f.Setting("churn.agenda_tiers"); v != nil {
			p.AgendaTiers = nil
			for _, s := range settingList(v) {
				t, err := crm.ParseTier(s)
				if err != nil {
					return p, FlagErrorf("setting churn.agenda_tiers: %v", err)
				}
				p.AgendaTiers = append(p.AgendaTiers, t)
			}
		}
		if v := f.Setting("winback.retry_days"); v != nil {
			s := strings.TrimSpace(fmt.Sprint(v))
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 3650 {
				return p, FlagErrorf("setting winback.retry_days = %q: must be a whole number from 1 to 3650", s)
			}
			p.RetryDays = n
		}
	}
	return p, nil
}

// Agenda computes the agenda at f's as-of date (in f's language), ordered as
// SPEC §10.1; q.CustomerID keeps one customer's lines.
func Agenda(f *Factory, st Store, q AgendaQuery) ([]crm.AgendaLine, error) {
	p, err := AgendaPolicy(f)
	if err != nil {
		return nil, err
	}
	p.Days, p.Explain = q.Days, q.Explain
	in, err := AgendaInputs(f, st, p)
	if err != nil {
		return nil, err
	}
	lines := crm.Agenda(in, p)
	if q.CustomerID != 0 {
		out := lines[:0]
		for _, l := range lines {
			if l.CustomerID == q.CustomerID {
				out = append(out, l)
			}
		}
		lines = out
	}
	return lines, nil
}

// AgendaInputs gathers what the rules read at f's as-of date: churn (with
// tiers, credit and complaints), tasks, deals, receivables, touches, wishes
// and snoozes.
func AgendaInputs(f *Factory, st Store, p crm.AgendaPolicy) (crm.AgendaInput, error) {
	ctx := f.Context()
	asOf := f.Globals.AsOf
	in := crm.AgendaInput{AsOf: asOf}
	limit := asOf.AddDays(p.Days)
	b, err := LoadChurnWith(f, st, p.Churn, false, func(a *crm.CreditAccount, l *crm.Ledger) {
		if len(a.Orders) == 0 {
			return
		}
		lf := crm.LedgerFacts(a.CustomerID, l)
		if lf.Overdue > 0 || (lf.NextDue != crm.NoDate && lf.NextDue < limit) {
			in.Ledgers = append(in.Ledgers, lf)
		}
	})
	if err != nil {
		return in, err
	}
	in.Churn, in.Complaints = b.Rows, b.Complaints
	touches, err := st.AgendaTouches(ctx, asOf, false)
	if err != nil {
		return in, err
	}
	// The first and latest sale from the orders churn read (amount > 0).
	sales := make(map[int64][2]crm.Date, len(b.Input))
	for i := range b.Input {
		first, last := crm.NoDate, crm.NoDate
		for _, o := range b.Input[i].Orders {
			if o.Amount > 0 {
				if first == crm.NoDate {
					first = o.Date
				}
				last = o.Date
			}
		}
		if first != crm.NoDate {
			sales[b.Input[i].CustomerID] = [2]crm.Date{first, last}
		}
	}
	in.Customers = make(map[int64]crm.AgendaCustomer, len(touches))
	in.Touches = make(map[int64]crm.CustomerTouches, len(touches))
	for _, t := range touches {
		c := crm.AgendaCustomer{ID: t.CustomerID, Code: t.Code, Name: t.Name, Owner: t.Owner}
		if tr, ok := b.Tiers[t.CustomerID]; ok {
			c.Tier, c.Gold = tr.Tier, tr.Gold
		}
		in.Customers[t.CustomerID] = c
		if x, ok := sales[t.CustomerID]; ok {
			t.FirstOrder, t.LastSale = x[0], x[1]
		}
		in.Touches[t.CustomerID] = t
	}
	if in.Tasks, err = st.Tasks(ctx, crm.TaskFilter{AsOf: asOf}); err != nil {
		return in, err
	}
	if in.Deals, err = st.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true, Names: true}); err != nil {
		return in, err
	}
	var until map[int64]crm.Date
	for i := range in.Deals {
		d := &in.Deals[i].Deal
		if d.Status != crm.DealDormant || d.DormantUntil != crm.NoDate {
			continue
		}
		if until == nil {
			if until, err = st.DormantUntil(ctx); err != nil {
				return in, err
			}
		}
		if u, ok := until[d.ID]; ok {
			d.DormantUntil = u
		}
	}
	if b.Receivables {
		if in.Collection, err = st.CollectionTouches(ctx, asOf); err != nil {
			return in, err
		}
	}
	if in.Wishes, err = st.CustomerWishes(ctx, asOf); err != nil {
		return in, err
	}
	if in.Snoozes, err = st.AgendaSnoozes(ctx, asOf); err != nil {
		return in, err
	}
	return in, nil
}
