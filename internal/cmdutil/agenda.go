package cmdutil

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// AgendaQuery selects agenda lines (SPEC §10).
type AgendaQuery struct {
	CustomerID int64 // 0: every customer
	Days       int   // --days N: lines of † rules due in (D, D + N] too
	Explain    bool  // fill AgendaLine.Explain
	// Tier, when not nil, gives the customer's tier row over all history
	// up to the as-of date (default options, pins in effect then), which the
	// caller computes anyway (crm brief): one customer's agenda then does
	// not rank the whole book again. It is called after the customer's own
	// reads, so they run while the caller ranks.
	Tier func() (crm.TierRow, bool, error)
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
	list, err := PlanAgenda(f, st, q, nil)
	if err != nil {
		return nil, err
	}
	m := list.Maker()
	lines := make([]crm.AgendaLine, list.Len())
	for i := range lines {
		lines[i] = m.Line(i)
	}
	return lines, nil
}

// PlanAgenda is Agenda's lines planned (crm.PlanAgenda), those keep keeps
// (nil: every line): a big book's agenda is made line by line as it is
// written.
func PlanAgenda(f *Factory, st Store, q AgendaQuery, keep func(*crm.AgendaLine) bool) (*crm.AgendaList, error) {
	p, err := AgendaPolicy(f)
	if err != nil {
		return nil, err
	}
	p.Days, p.Explain = q.Days, q.Explain
	var in crm.AgendaInput
	if q.CustomerID != 0 {
		in, err = agendaInputsFor(f, st, p, q.CustomerID, q.Tier)
	} else {
		in, err = AgendaInputs(f, st, p)
	}
	if err != nil {
		return nil, err
	}
	if id := q.CustomerID; id != 0 {
		all := keep
		keep = func(l *crm.AgendaLine) bool { return l.CustomerID == id && (all == nil || all(l)) }
	}
	return crm.PlanAgenda(in, p, keep), nil
}

// AgendaInputs gathers what the rules read at f's as-of date: churn (with
// tiers, credit and complaints), tasks, deals, receivables, touches, wishes
// and snoozes.
func AgendaInputs(f *Factory, st Store, p crm.AgendaPolicy) (crm.AgendaInput, error) {
	asOf := f.Globals.AsOf
	in := crm.AgendaInput{AsOf: asOf}
	limit := asOf.AddDays(p.Days)
	// Churn with the receivables (the orders and payments: most of the
	// work, on two connections) beside the other reads.
	var b *ChurnBook
	var ledgers []crm.AgendaLedger
	churned := make(chan error, 1)
	go func() {
		var err error
		b, err = LoadChurnWith(f, st, p.Churn, false, false, func(a *crm.CreditAccount, l *crm.Ledger) {
			if len(a.Orders) == 0 {
				return
			}
			lf := crm.LedgerFacts(a.CustomerID, l)
			if lf.Overdue > 0 || (lf.NextDue != crm.NoDate && lf.NextDue < limit) {
				ledgers = append(ledgers, lf)
			}
		})
		churned <- err
	}()
	touches, collection, err := agendaReads(f, st, &in)
	if cerr := <-churned; cerr != nil {
		return in, cerr
	}
	if err != nil {
		return in, err
	}
	in.Ledgers = ledgers
	in.AddChurnRows(b.EachNumbers, b.Book.Buyers)
	in.Complaints = b.Complaints
	if b.Receivables {
		in.Collection = collection
	}
	// The tier, and the first and latest sale (amount > 0) from the orders
	// churn read.
	t := b.Table
	for i := range touches {
		c := &touches[i]
		if j, ok := t.Find(c.CustomerID); ok {
			c.SetTier(t.Tier(j))
			if s := t.Summary(j); s.N > 0 {
				c.FirstOrder, c.LastSale = s.First, s.Last
			}
		}
	}
	in.Customers = touches
	return in, nil
}

// agendaReads are AgendaInputs' reads besides churn's: the touches, tasks,
// open deals, collection touches, wishes and snoozes.
func agendaReads(f *Factory, st Store, in *crm.AgendaInput) ([]crm.AgendaCustomer, []crm.CollectionTouch, error) {
	ctx, asOf := f.Context(), f.Globals.AsOf
	touches, err := st.AgendaTouches(ctx, asOf, false)
	if err != nil {
		return nil, nil, err
	}
	if in.Tasks, err = st.Tasks(ctx, crm.TaskFilter{AsOf: asOf, Brief: true}); err != nil {
		return nil, nil, err
	}
	if in.Deals, err = st.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true, Names: true}); err != nil {
		return nil, nil, err
	}
	if err := fillDormant(f, st, in.Deals); err != nil {
		return nil, nil, err
	}
	collection, err := st.CollectionTouches(ctx, 0, asOf)
	if err != nil {
		return nil, nil, err
	}
	if in.Wishes, err = st.CustomerWishes(ctx, asOf); err != nil {
		return nil, nil, err
	}
	if in.Snoozes, err = st.AgendaSnoozes(ctx, asOf); err != nil {
		return nil, nil, err
	}
	return touches, collection, nil
}

// tierOf is one customer's tier row over w (crm.TiersAt's row, default
// options, pins in effect on w.AsOf) through the cheapest read of the book.
func tierOf(f *Factory, st Store, id int64, w crm.AnalysisWindow, pins []crm.TierPinRecord) (crm.TierRow, bool, error) {
	in, err := st.RFMStanding(f.Context(), w)
	if err != nil {
		return crm.TierRow{}, false, err
	}
	opts := crm.DefaultTierOptions()
	opts.Pins = crm.PinsAt(pins, w.AsOf)
	return crm.TierRowAmong(in, opts, id)
}

// AgendaInputsFor gathers what the rules read for one customer only: its
// account, orders, complaints, tasks, deals and touches, and from the book
// only what its rules compare with (its tier, the book gap B when its T is
// padded, tier A a year before when its sales fell). crm.Agenda over it
// gives the customer's lines of the whole agenda (checked by a test).
func AgendaInputsFor(f *Factory, st Store, p crm.AgendaPolicy, id int64) (crm.AgendaInput, error) {
	return agendaInputsFor(f, st, p, id, nil)
}

// agendaInputsFor is AgendaInputsFor, taking the customer's tier now from
// tierNow when not nil (AgendaQuery.Tier).
func agendaInputsFor(f *Factory, st Store, p crm.AgendaPolicy, id int64, tierNow func() (crm.TierRow, bool, error)) (crm.AgendaInput, error) {
	ctx := f.Context()
	asOf := f.Globals.AsOf
	in := crm.AgendaInput{AsOf: asOf}
	t, err := st.AgendaTouchesOf(ctx, id, asOf)
	if err != nil {
		return in, err
	}
	pins, err := st.TierPins(ctx)
	if err != nil {
		return in, err
	}
	acct, err := st.CreditAccount(ctx, id, asOf)
	if err != nil {
		return in, err
	}
	var orders []crm.ChurnOrder
	for _, o := range acct.Orders {
		if o.Date <= asOf {
			orders = append(orders, crm.ChurnOrder{Date: o.Date, Amount: o.Amount})
		}
	}
	slices.SortStableFunc(orders, func(a, b crm.ChurnOrder) int { return cmp.Compare(a.Date, b.Date) })
	for _, o := range orders {
		if o.Amount > 0 {
			if t.FirstOrder == crm.NoDate {
				t.FirstOrder = o.Date
			}
			t.LastSale = o.Date
		}
	}
	if in.Complaints, err = st.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, CustomerID: id, Brief: true}); err != nil {
		return in, err
	}
	receivables, err := st.ChurnReceivables(ctx, asOf)
	if err != nil {
		return in, err
	}
	// The tier now: the caller's, or ranked here.
	if tierNow == nil {
		tierNow = func() (crm.TierRow, bool, error) {
			return tierOf(f, st, id, crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}, pins)
		}
	}
	now, ok, err := tierNow()
	if err != nil {
		return in, err
	}
	cust := crm.AgendaCustomerOf(t)
	if ok {
		cust.SetTier(now.Tier, now.Gold)
	}
	in.Customers = []crm.AgendaCustomer{cust}
	// Churn: the facts of the bad group, tier A a year before only when the
	// sales fell (the other condition of declining), B only when T is padded.
	cx := crm.ChurnContext{Tiers: map[int64]crm.TierRow{}, WasA: map[int64]bool{}, Facts: map[int64]crm.ChurnFacts{}}
	if ok {
		cx.Tiers[id] = now
	}
	var fx crm.ChurnFacts
	l := acct.Ledger(asOf)
	if receivables && len(l.Invoices) > 0 {
		blockDays, err := CreditBlockDays(f)
		if err != nil {
			return in, err
		}
		fx.Blocked = blockDays >= 0 && l.MaxDaysOverdue > blockDays
		fx.RatingC = crm.RateGrade(l, crm.NoDate, asOf) == crm.RatingC
	}
	for _, c := range in.Complaints {
		if c.Type == crm.ComplaintMalicious {
			fx.Malicious = true
		}
	}
	cx.Facts[id] = fx
	r1, r0 := crm.NetIn(orders, asOf-365, asOf), crm.NetIn(orders, asOf-730, asOf-365)
	if crm.Declining(true, r1, r0, p.Churn.DeclinePct) {
		then, ok, err := tierOf(f, st, id, crm.AnalysisWindow{Since: asOf - 729, AsOf: asOf - 365}, pins)
		if err != nil {
			return in, err
		}
		cx.WasA[id] = ok && then.Tier == crm.TierA
	}
	ci := crm.ChurnInput{CustomerID: id, Code: t.Code, Name: t.Name, Orders: orders}
	row, has, err := crm.ChurnOf(ci, asOf, p.Churn, cx, func() (int64, error) {
		b, err := st.ChurnBook(ctx, asOf, p.Churn)
		return b.B12, err
	})
	if err != nil {
		return in, err
	}
	if has {
		in.AddChurn(&row)
	}
	if in.Tasks, err = st.Tasks(ctx, crm.TaskFilter{AsOf: asOf, CustomerID: id}); err != nil {
		return in, err
	}
	if in.Deals, err = st.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, CustomerID: id,
		LastTouch: true, Tasks: true, Names: true}); err != nil {
		return in, err
	}
	if err := fillDormant(f, st, in.Deals); err != nil {
		return in, err
	}
	if receivables {
		lf := crm.LedgerFacts(id, l)
		if lf.Overdue > 0 || (lf.NextDue != crm.NoDate && lf.NextDue < asOf.AddDays(p.Days)) {
			in.Ledgers = []crm.AgendaLedger{lf}
		}
		if in.Collection, err = st.CollectionTouches(ctx, id, asOf); err != nil {
			return in, err
		}
	}
	wishes, err := st.CustomerWishes(ctx, asOf)
	if err != nil {
		return in, err
	}
	if w, ok := wishes[id]; ok {
		in.Wishes = map[int64]crm.CustomerWish{id: w}
	}
	if in.Snoozes, err = st.AgendaSnoozes(ctx, asOf); err != nil {
		return in, err
	}
	return in, nil
}

// fillDormant sets the wake date of the dormant deals (report rows do not
// carry it).
func fillDormant(f *Factory, st Store, deals []crm.DealReportRow) error {
	var until map[int64]crm.Date
	for i := range deals {
		d := &deals[i].Deal
		if d.Status != crm.DealDormant || d.DormantUntil != crm.NoDate {
			continue
		}
		if until == nil {
			var err error
			if until, err = st.DormantUntil(f.Context()); err != nil {
				return err
			}
		}
		if u, ok := until[d.ID]; ok {
			d.DormantUntil = u
		}
	}
	return nil
}
