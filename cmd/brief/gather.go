package brief

import (
	"cmp"
	"runtime/debug"
	"slices"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
)

// settings are every rule's settings the brief follows, resolved before the
// book is opened (a bad one is a usage error naming its key).
type settings struct {
	churn      crm.ChurnPolicy
	service    crm.ServicePolicy
	deal       crm.DealPolicy
	complaint  cmdutil.ComplaintConfig
	blockDays  int
	minRating  string
	scheme     crm.SegmentScheme
	tierOpts   crm.TierOptions
	lostWindow int // deals lost in the last this many days
}

func loadSettings(f *cmdutil.Factory) (s settings, err error) {
	if s.churn, err = cmdutil.ChurnPolicy(f); err != nil {
		return s, err
	}
	if s.service, err = cmdutil.ServicePolicy(f); err != nil {
		return s, err
	}
	if s.deal, err = cmdutil.DealPolicy(f); err != nil {
		return s, err
	}
	if s.complaint, err = cmdutil.ComplaintSettings(f); err != nil {
		return s, err
	}
	if s.blockDays, err = cmdutil.CreditBlockDays(f); err != nil {
		return s, err
	}
	if s.minRating, err = cmdutil.CreditMinRating(f); err != nil {
		return s, err
	}
	if s.scheme, err = cmdutil.DefaultSegmentScheme(f); err != nil {
		return s, err
	}
	// The tiers of churn, complaints and the agenda: the default options
	// over all history, pins applied (cmdutil.LoadChurn, crm.CustomerTiers).
	s.tierOpts = crm.DefaultTierOptions()
	s.lostWindow = 365
	return s, nil
}

// data is everything the brief prints, for one customer at one date.
type data struct {
	asOf     crm.Date
	set      settings
	customer *crm.Customer
	// Contacts in layer order, each one's last touch, the coverage of a
	// company (person: nil).
	contacts []crm.Contact
	touches  map[int64]crm.DealTouch
	coverage *crm.Coverage

	tier    *crm.TierRow // nil: no tier
	funnel  crm.FunnelPosition
	service crm.TierService
	wish    crm.CustomerWish
	rfm     *crm.RFMRow // nil: not scored (no purchase)
	rfmN    int         // customers scored
	churn   *crm.ChurnRow

	sales crm.BriefSales

	ledger  *crm.Ledger
	account *crm.CreditAccount
	rating  crm.RatingResult
	notice  crm.NoticeLevel
	check   *crm.CreditDecision // nil: no order, no median to weigh

	openComplaints []crm.Complaint
	lastClosed     []crm.Complaint // the latest 3 closed
	complaintStats crm.ComplaintStatsRow
	systemic       []crm.SystemicCluster

	openDeals []crm.DealReportRow
	lostDeals []crm.LostRow

	interactions []crm.Interaction
	tasks        []crm.Task
	agenda       []crm.AgendaLine
	topics       []crm.SensitiveTopic
}

// standing is the customer's tier and RFM row among the whole book.
type standing struct {
	tier *crm.TierRow
	rfm  *crm.RFMRow
	n    int
	err  error
}

// bookStanding is the customer's RFM scores and segment among every
// customer's (ScoreRFM's row: RFMRowAmong, all history as of asOf, SPEC §3–§4) and its tier
// (SPEC §5: TierRowOf, ComputeTiers' row for one customer in one pass), over
// the cheapest read of the book (RFMStanding).
func bookStanding(f *cmdutil.Factory, st cmdutil.Store, s settings, id int64, asOf crm.Date) standing {
	// The standing and the scoring of a hundred thousand customers
	// allocate some 10 MB that live until the end of this short command: a
	// collection in between (the heap doubles several times) only marks
	// them again.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	ctx := f.Context()
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}
	in, err := st.RFMStanding(ctx, w)
	if err != nil {
		return standing{err: err}
	}
	// The tier ranks beside the scores (two sorts of every customer).
	var out standing
	tiered := make(chan error, 1)
	go func() {
		pins, err := st.TierPins(ctx)
		if err != nil {
			tiered <- err
			return
		}
		opts := s.tierOpts
		opts.Pins = crm.PinsAt(pins, asOf)
		row, ok, err := crm.TierRowAmong(in, opts, id)
		if ok {
			out.tier = &row
		}
		tiered <- err
	}()
	row, n, scored, err := crm.RFMRowAmong(in, asOf, crm.DefaultRFMBins, id, s.scheme)
	if terr := <-tiered; terr != nil {
		return standing{err: terr}
	}
	if err != nil {
		return standing{err: err}
	}
	out.n = n
	if scored {
		out.rfm = &row
	}
	return out
}

func gather(o *Options) (*data, error) {
	f := o.F
	s, err := loadSettings(f)
	if err != nil {
		return nil, err
	}
	st, err := f.Store()
	if err != nil {
		return nil, err
	}
	ctx := f.Context()
	asOf := f.Globals.AsOf
	p, err := st.Profile(ctx, o.Ref)
	if err != nil {
		return nil, err
	}
	c := p.Customer
	d := &data{asOf: asOf, set: s, customer: c, contacts: p.Contacts}

	// The book-wide part (every customer's tier and scores) runs beside the
	// customer's own reads.
	book := make(chan standing, 1)
	go func() { book <- bookStanding(f, st, s, c.ID, asOf) }()
	// Every read is done before the command returns (and the book closes).
	// The agenda takes the customer's tier from the same read (bookOf).
	waitBook := true
	var bk standing
	bookOf := func() standing {
		if waitBook {
			bk, waitBook = <-book, false
		}
		return bk
	}
	defer bookOf()

	// Orders and payments (one read): sales, churn and credit.
	if d.account, err = st.CreditAccount(ctx, c.ID, asOf); err != nil {
		return nil, err
	}
	var orders []crm.ChurnOrder
	for _, x := range d.account.Orders {
		if x.Date <= asOf {
			orders = append(orders, crm.ChurnOrder{Date: x.Date, Amount: x.Amount})
		}
	}
	slices.SortStableFunc(orders, func(a, b crm.ChurnOrder) int { return cmp.Compare(a.Date, b.Date) })
	d.sales = crm.SalesAt(orders, asOf)

	// Churn: the book gap B only when the customer's T is padded with it.
	in := crm.ChurnInput{CustomerID: c.ID, Code: c.Code, Name: c.Name, Orders: orders}
	padded := false
	if _, _, err := crm.ChurnOf(in, asOf, s.churn, crm.ChurnContext{}, func() (int64, error) { padded = true; return 0, nil }); err != nil {
		return nil, err
	}
	type gap struct {
		b12 int64
		err error
	}
	bookGap := make(chan gap, 1)
	waitGap := padded
	defer func() {
		if waitGap {
			<-bookGap
		}
	}()
	if padded {
		go func() {
			b, err := st.ChurnBook(ctx, asOf, s.churn)
			bookGap <- gap{b12: b.B12, err: err}
		}()
	}

	// Credit.
	d.ledger = d.account.Ledger(asOf)
	d.rating = crm.Rate(d.ledger, crm.NoDate, asOf)
	d.notice = crm.NoticeLevelFor(d.ledger.MaxDaysOverdue)
	if d.sales.HasMedian {
		dec, err := crm.CheckCredit(crm.CreditCheckInput{
			Limit: d.account.Limit, HasLimit: d.account.HasLimit, Outstanding: d.ledger.Outstanding,
			Overdue: d.ledger.Overdue, MaxDaysOverdue: d.ledger.MaxDaysOverdue, Rating: d.rating.Grade,
			MinRating: s.minRating, BlockDays: s.blockDays, Amount: d.sales.Median,
		})
		if err != nil {
			return nil, err
		}
		d.check = &dec
	}

	// Contacts: last touches and coverage (of a company, as contact coverage).
	if d.touches, err = st.ContactTouches(ctx, c.ID, asOf); err != nil {
		return nil, err
	}
	if c.Type != crm.Person {
		cv := crm.CoverageOf(c.Code, c.Name, p.Contacts)
		d.coverage = &cv
	}

	// Complaints as they stood at the as-of date.
	cs, err := st.Complaints(ctx, crm.ComplaintFilter{AsOf: asOf, CustomerID: c.ID})
	if err != nil {
		return nil, err
	}
	if err := d.complaints(f, st, cs); err != nil {
		return nil, err
	}

	// Deals: open or dormant at D, and lost in the last 365 days.
	if d.openDeals, err = st.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, CustomerID: c.ID,
		Touches: true, Tasks: true, Names: true}); err != nil {
		return nil, err
	}
	lw := crm.AnalysisWindow{Since: asOf.AddDays(1 - s.lostWindow), AsOf: asOf}
	lost, err := st.DealReport(ctx, crm.DealReportQuery{AsOf: asOf, Which: crm.DealsLost, Since: lw.Since, CustomerID: c.ID,
		Orders: true, Touches: true})
	if err != nil {
		return nil, err
	}
	d.lostDeals = crm.DealLosses(lost, s.deal, lw)
	slices.Reverse(d.lostDeals) // the latest first

	// The last interactions, the open tasks, the agenda.
	if o.Interactions > 0 {
		if d.interactions, err = st.Interactions(ctx, crm.InteractionFilter{CustomerID: c.ID, From: crm.NoDate, To: asOf,
			Desc: true, Limit: o.Interactions}); err != nil {
			return nil, err
		}
	}
	if d.tasks, err = st.Tasks(ctx, crm.TaskFilter{AsOf: asOf, CustomerID: c.ID}); err != nil {
		return nil, err
	}
	agenda := o.Agenda
	if agenda == nil {
		agenda = cmdutil.Agenda
	}
	// The agenda's tier is the brief's: both default options, pins at D.
	if d.agenda, err = agenda(f, st, cmdutil.AgendaQuery{CustomerID: c.ID, Tier: func() (crm.TierRow, bool, error) {
		b := bookOf()
		if b.err != nil || b.tier == nil {
			return crm.TierRow{}, false, b.err
		}
		return *b.tier, true, nil
	}}); err != nil {
		return nil, err
	}
	wishes, err := st.CustomerWishes(ctx, asOf)
	if err != nil {
		return nil, err
	}
	d.wish = wishes[c.ID]

	// The book's part: tier, RFM, then what follows from them.
	b := bookOf()
	if b.err != nil {
		return nil, b.err
	}
	d.tier, d.rfm, d.rfmN = b.tier, b.rfm, b.n
	tier, gold := "", false
	if d.tier != nil {
		tier, gold = d.tier.Tier, d.tier.Gold
	}
	d.service = s.service.Effective(tier, gold, d.wish)
	d.funnel = crm.FunnelPositionAt(crm.FunnelInput{CustomerID: c.ID, LastOrder: d.sales.Last, OpenDeal: len(d.openDeals) > 0},
		asOf, s.deal.ProducingDays)
	cx := crm.ChurnContext{}
	if d.tier != nil {
		cx.Tiers = map[int64]crm.TierRow{c.ID: *d.tier}
	}
	row, ok, err := crm.ChurnOf(in, asOf, s.churn, cx, func() (int64, error) {
		g := <-bookGap
		waitGap = false
		return g.b12, g.err
	})
	if err != nil {
		return nil, err
	}
	if ok {
		d.churn = &row
	}

	// Sensitive topics, from the sections above.
	si := crm.SensitiveInput{Complaints: d.openComplaints, Overdue: d.ledger.OverdueInvoices(), Policy: s.deal, ChurnSince: crm.NoDate}
	for _, r := range d.openDeals {
		si.Open = append(si.Open, r.Deal)
	}
	for _, l := range d.lostDeals {
		si.Lost = append(si.Lost, l.AtLoss)
	}
	if d.churn != nil {
		si.Churn, si.ChurnSince = d.churn.Status, d.churn.Since
	}
	d.topics = crm.SensitiveTopics(si)
	return d, nil
}

// complaints fills the complaints section: the open ones by id, the latest 3
// closed, the stats (first-time-right) and the systemic clusters the
// customer is part of (of its complaints' categories, up to the as-of date).
func (d *data) complaints(f *cmdutil.Factory, st cmdutil.Store, cs []crm.Complaint) error {
	var closed []crm.Complaint
	cats := map[string]bool{}
	for _, c := range cs {
		cats[c.Category] = true
		if c.Status == crm.ComplaintClosed {
			closed = append(closed, c)
		} else {
			d.openComplaints = append(d.openComplaints, c)
		}
	}
	slices.SortFunc(closed, func(a, b crm.Complaint) int {
		return cmp.Or(cmp.Compare(b.ClosedOn, a.ClosedOn), cmp.Compare(b.ID, a.ID))
	})
	d.lastClosed = closed[:min(3, len(closed))]
	if rows, err := crm.ComplaintStats(cs, ""); err != nil {
		return err
	} else if len(rows) == 1 {
		d.complaintStats = rows[0]
	}
	keys := make([]string, 0, len(cats))
	for k := range cats {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	id := d.customer.ID
	for _, cat := range keys {
		lites, err := st.ComplaintLites(f.Context(), cat, crm.NoDate, d.asOf)
		if err != nil {
			return err
		}
		for _, cl := range crm.SystemicClusters(lites, d.set.complaint.SystemicCustomers, d.set.complaint.SystemicDays, d.asOf) {
			if slices.ContainsFunc(cl.Customers, func(c crm.SystemicCustomer) bool { return c.ID == id }) {
				d.systemic = append(d.systemic, cl)
			}
		}
	}
	return nil
}
