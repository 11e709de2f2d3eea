package churn

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `crm churn`.
type ListOptions struct {
	F        *cmdutil.Factory
	Statuses []crm.ChurnStatus
	Groups   []crm.ChurnGroup
	Tiers    []string // A, B, C, none
	Customer string
	Sort     string
	Desc     bool
	Limit    int
}

// SortKeys are the accepted --sort keys of `crm churn`.
var SortKeys = []string{"code", "name", "n", "t", "last", "r", "status", "since", "next", "group"}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions, crm.ChurnPolicy) error) *cobra.Command {
	o := &ListOptions{F: f}
	var status, group, tier, sortFlag string
	cmd := &cobra.Command{
		Use:   "churn",
		Short: "Churn by each customer's own rhythm: active, due, overdue, lapsed (客户流失)",
		Example: `  crm churn --as-of 1998-07-01 --status lapsed --group key
  crm churn explain 00042
  crm churn winback --include overdue --lang zh`,
		Long: `One row per buyer (a customer with a purchase day ≤ --as-of): n (purchase
days: distinct dates of orders with amount > 0), T (the typical gap: the median
of the last churn.gaps (6) gaps when there are three or more, else the gaps
padded to three with the book gap B, the median T of the customers with three
or more gaps), last_order, r (days since it), status, since (its first day),
next_expected (last_order + ⌊T⌋ + 1), declining, group.

  active   活跃      r ≤ T
  due      待复购    r > T
  overdue  复购逾期  r > 1.5 T                        (churn.overdue_factor)
  lapsed   已流失    r > 3 T or r > 365               (churn.lapse_factor, churn.lapse_days)

declining: tier A over the 12 months ending as-of − 365, and the net amount of
the last 365 days below churn.decline_pct (50) % of the 365 before. group:
bad 劣质客户 (credit rating C, an invoice more than credit.block_days overdue,
or a malicious complaint; the credit tests apply when the book records payments
or credit lines), else key 关键客户 / normal 普通客户 / small 小客户 by tier.

--status, --group and --tier (A, B, C, none) take one value or a comma list;
--sort code (default), name, n, t, last, r, status, since, next, group (prefix -
for descending; ties by code). Tables print the count per status on stderr.` +
			cmdutil.ExitStatusHelp("A bad --status, --group, --tier, --sort, --limit or churn.* setting is exit 2; an unknown --customer is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := cmdutil.ParseSort(sortFlag, SortKeys...)
			if err != nil {
				return err
			}
			o.Sort, o.Desc = s.Key, s.Desc
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			if o.Statuses, err = parseList(status, "status", crm.ParseChurnStatus); err != nil {
				return err
			}
			if o.Groups, err = parseList(group, "group", crm.ParseChurnGroup); err != nil {
				return err
			}
			if o.Tiers, err = parseList(tier, "tier", parseTier); err != nil {
				return err
			}
			p, err := cmdutil.ChurnPolicy(f)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(o, p)
			}
			return listRun(o, p)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only these statuses: active, due, overdue, lapsed")
	fl.StringVar(&group, "group", "", "only these groups: bad, key, normal, small")
	fl.StringVar(&tier, "tier", "", "only these tiers: A, B, C, none")
	fl.StringVar(&o.Customer, "customer", "", "only this customer (REF)")
	fl.StringVar(&sortFlag, "sort", "code", "sort by "+strings.Join(SortKeys, ", ")+"; prefix - for descending")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many rows (0 = all)")
	return cmd
}

// parseList reads a comma list with parse, as a usage error naming the flag.
func parseList[T any](v, flag string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, s := range strings.Split(v, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		x, err := parse(s)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--%s: %v", flag, err)
		}
		out = append(out, x)
	}
	return out, nil
}

func parseTier(s string) (string, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	switch t {
	case "A", "B", "C":
		return t, nil
	case "NONE", "-":
		return "", nil
	}
	return "", crm.Errorf(crm.EINVALID, "tier %q: want A, B, C or none", s)
}

// keep reports whether the options select r.
func (o *ListOptions) keep(r *crm.ChurnRow, only int64) bool {
	return (only == 0 || r.CustomerID == only) &&
		(len(o.Statuses) == 0 || slices.Contains(o.Statuses, r.Status)) &&
		(len(o.Groups) == 0 || slices.Contains(o.Groups, r.Group)) &&
		(len(o.Tiers) == 0 || slices.Contains(o.Tiers, r.Tier))
}

// resolveOnly resolves --customer (0: none).
func resolveOnly(f *cmdutil.Factory, st cmdutil.Store, ref string) (int64, error) {
	if ref == "" {
		return 0, nil
	}
	c, err := st.Resolve(f.Context(), ref)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

func listRun(o *ListOptions, p crm.ChurnPolicy) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	only, err := resolveOnly(f, st, o.Customer)
	if err != nil {
		return err
	}
	b, err := cmdutil.LoadChurn(f, st, p, false)
	if err != nil {
		return err
	}
	// The rows selected, as indexes of the table in code order: the rows
	// are made again as they are written, never held. Each half of the
	// customers is selected on its own goroutine (a row is made from its
	// summary: 0.7 s of one core at 1,000,000 customers).
	t := b.Table
	order := t.Order()
	type selected struct {
		idx    []int32
		counts map[crm.ChurnStatus]int
	}
	sel := func(part []int32) selected {
		s := selected{idx: make([]int32, 0, len(part)), counts: map[crm.ChurnStatus]int{}}
		var r crm.ChurnRow
		for k, i := range part {
			if k%churnAhead == 0 {
				t.Touch(part[k:min(k+churnAhead, len(part))], false)
			}
			if t.RowNumbers(int(i), &r) && o.keep(&r, only) {
				s.idx = append(s.idx, i)
				s.counts[r.Status]++
			}
		}
		return s
	}
	var second selected
	done := make(chan struct{})
	go func() {
		second = sel(order[len(order)/2:])
		close(done)
	}()
	first := sel(order[:len(order)/2])
	<-done
	idx := append(first.idx, second.idx...)
	counts := first.counts
	for st, n := range second.counts {
		counts[st] += n
	}
	sortRows(t, idx, o.Sort, o.Desc)
	if o.Limit > 0 && len(idx) > o.Limit {
		idx = idx[:o.Limit]
	}
	parts := make([]string, 0, 4)
	for _, s := range crm.ChurnStatuses {
		parts = append(parts, s.Label(f.Globals.Lang)+" "+itoa(counts[s]))
	}
	if crm.IsZh(f.Globals.Lang) {
		note(f, "截至 %s：%s；账簿间隔 B = %s 天（%d 位客户有三个以上间隔）", b.AsOf, strings.Join(parts, "，"), b.Book.B().Format(2), b.Book.OwnCount)
	} else {
		note(f, "as of %s: %s; book gap B = %s days (%d customers with three gaps or more)", b.AsOf, strings.Join(parts, ", "), b.Book.B().Format(2), b.Book.OwnCount)
	}
	rowAt := func(k int, r *crm.ChurnRow) {
		if k%churnAhead == 0 {
			t.Touch(idx[k:min(k+churnAhead, len(idx))], true)
		}
		t.Row(int(idx[k]), r)
	}
	return output.Write(f.IO.Out, f.Globals.Output(), ListResult(len(idx), rowAt))
}

// churnAhead is how many rows the listing fetches at a time
// (crm.ChurnTable.Touch); blocks of rows start at multiples of it.
const churnAhead = 64

func itoa(n int) string { return strconv.Itoa(n) }

// sortRows orders idx (indexes of t in code order) by key; ties keep code
// order. The keys are taken once per row (a row is made from its summary).
func sortRows(t *crm.ChurnTable, idx []int32, key string, desc bool) {
	if key == "" || key == "code" {
		if desc {
			slices.Reverse(idx)
		}
		return
	}
	var r crm.ChurnRow
	type keyed struct {
		n int64
		s string
		i int32
	}
	ks := make([]keyed, len(idx))
	for k, i := range idx {
		t.RowNumbers(int(i), &r)
		x := keyed{i: i}
		switch key {
		case "name":
			x.s = t.Name(int(i)) // the table's memory: no copy
		case "n":
			x.n = int64(r.N)
		case "t":
			x.n = r.T12
		case "last":
			x.n = int64(r.Last)
		case "r":
			x.n = int64(r.R)
		case "status":
			x.n = int64(slices.Index(crm.ChurnStatuses, r.Status))
		case "since":
			x.n = int64(r.Since)
		case "next":
			x.n = int64(r.Days.Due)
		case "group":
			x.n = int64(slices.Index(crm.ChurnGroups, r.Group))
		}
		ks[k] = x
	}
	by := func(a, b keyed) int {
		if c := cmp.Compare(a.n, b.n); c != 0 {
			return c
		}
		return strings.Compare(a.s, b.s)
	}
	if desc {
		slices.SortStableFunc(ks, func(a, b keyed) int { return by(b, a) })
	} else {
		slices.SortStableFunc(ks, by)
	}
	for k := range ks {
		idx[k] = ks[k].i
	}
}

// ListColumns are the columns of `crm churn`.
var ListColumns = []output.Column{
	output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
	output.NumCol("n", "Purchase days", "购买天数"), output.NumCol("t", "T (days)", "典型间隔(天)"),
	output.Col("last_order", "Last order", "最近购买"), output.NumCol("r", "Days since", "距今(天)"),
	output.Col("status", "Status", "状态"), output.Col("since", "Since", "起始日"),
	output.Col("next_expected", "Next expected", "预计下次购买"), output.Col("declining", "Declining", "销售下滑"),
	output.Col("group", "Group", "客户类别"),
}

// ListResult is the listing of `crm churn`: each row each hands over,
// written as it comes (output.Result.Stream; a table collects them).
func ListResult(n int, rowAt func(k int, r *crm.ChurnRow)) *output.Result {
	// The labels boxed once: a value put in an interface is a copy on the
	// heap; the other cells point into the row.
	statuses, groups := map[crm.ChurnStatus]any{}, map[crm.ChurnGroup]any{}
	for _, st := range crm.ChurnStatuses {
		statuses[st] = statusLabel(st)
	}
	for _, g := range crm.ChurnGroups {
		groups[g] = groupLabel(g)
	}
	// Rows k in [from, to): all in turn (Stream), or CSV blocks made side by
	// side (Parts), each with its own row and T cells.
	return output.PartsResult(ListColumns, n, func(from, to int, yield func([]any) error) error {
		ts := map[int64]any{} // the T of up to 4096 values, boxed once
		tCell := func(t12 int64) any {
			if v, ok := ts[t12]; ok {
				return v
			}
			v := any(tNumber(t12))
			if len(ts) < 4096 {
				ts[t12] = v
			}
			return v
		}
		row := make([]any, len(ListColumns))
		var r crm.ChurnRow
		for k := from; k < to; k++ {
			rowAt(k, &r)
			var since any
			if r.Since != crm.NoDate {
				since = &r.Since
			}
			row[0], row[1], row[2], row[3], row[4], row[5] = &r.Code, &r.Name, &r.N, tCell(r.T12), &r.Last, &r.R
			row[6] = statuses[r.Status]
			row[7], row[8], row[9] = since, &r.Days.Due, r.Declining
			row[10] = groups[r.Group]
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	})
}
