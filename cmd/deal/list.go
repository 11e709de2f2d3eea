package deal

import (
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `deal list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Customer string // REF
	Filter   crm.DealFilter
	Sort     cmdutil.Sort
}

var sortKeys = []string{"id", "created", "amount", "weighted", "level", "expected_close", "level_since", "closed_on", "customer"}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	var status, level, sort string
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List deals as they stood at --as-of",
		Example: `  crm deal list --status open --level H,A
  crm deal list --customer C0001 --format csv
  crm deal list --owner 王芳 --sort -amount --limit 10 --as-of 2026-10-31`,
		Long: `List deals as they stood at the end of --as-of (default today): deals added
later are left out, later steps undone.

--status takes open, dormant, won, lost (or 跟进中, 冷冻, 成交, 战败; comma
separated); --level H, A, B, C (comma separated); --customer a REF; --owner an
owner (any case). --sort KEY or -KEY (descending): ` + strings.Join(sortKeys, ", ") + ` (default id).

CSV and JSON columns: id, customer_code, customer_name, title, status, level,
level_since, amount, probability, weighted, expected_close, owner, created,
days_open, closed_on, won_amount. Money is a decimal string in JSON.` +
			cmdutil.ExitStatusHelp("An unknown --customer is exit 1; a bad --status, --level or --sort is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, s := range strings.Split(status, ",") {
				if strings.TrimSpace(s) == "" {
					continue
				}
				v, err := crm.ParseDealStatus(s)
				if err != nil {
					return cmdutil.FlagErrorf("--status: %v", err)
				}
				o.Filter.Statuses = append(o.Filter.Statuses, v)
			}
			for _, s := range strings.Split(level, ",") {
				if strings.TrimSpace(s) == "" {
					continue
				}
				v, err := crm.ParseLevel(s)
				if err != nil {
					return cmdutil.FlagErrorf("--level: %v", err)
				}
				o.Filter.Levels = append(o.Filter.Levels, v)
			}
			if err := cmdutil.CheckLimit(o.Filter.Limit); err != nil {
				return err
			}
			var err error
			if o.Sort, err = cmdutil.ParseSort(sort, sortKeys...); err != nil {
				return err
			}
			o.Filter.AsOf = f.Globals.AsOf
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&status, "status", "", "only these statuses: open, dormant, won, lost (comma separated)")
	fl.StringVar(&level, "level", "", "only these levels: H, A, B, C (comma separated)")
	fl.StringVar(&o.Customer, "customer", "", "only deals of this customer (REF)")
	fl.StringVar(&o.Filter.Owner, "owner", "", "only deals of this owner")
	fl.StringVar(&sort, "sort", "id", "sort key, - for descending: "+strings.Join(sortKeys, ", "))
	fl.IntVar(&o.Filter.Limit, "limit", 0, "at most this many (0 = all)")
	return cmd
}

func listRun(o *ListOptions) error {
	p, err := cmdutil.DealPolicy(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	ctx := o.F.Context()
	if o.Customer != "" {
		c, err := st.Resolve(ctx, o.Customer)
		if err != nil {
			return err
		}
		o.Filter.CustomerID = c.ID
	}
	flt := o.Filter
	if o.Sort.Key != "id" || o.Sort.Desc {
		flt.Limit = 0 // sort all, then cut
	}
	ds, err := st.Deals(ctx, flt)
	if err != nil {
		return err
	}
	sortDeals(ds, o.Sort, p)
	if o.Filter.Limit > 0 && len(ds) > o.Filter.Limit {
		ds = ds[:o.Filter.Limit]
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), listResult(ds, p, o.Filter.AsOf))
}

// sortDeals orders ds as --sort s says (cmdutil.Order): ties by id,
// ascending; the key id is the id itself, so -id is descending.
func sortDeals(ds []crm.Deal, s cmdutil.Sort, p crm.DealPolicy) {
	var by func(a, b crm.Deal) int
	switch s.Key {
	case "created":
		by = func(a, b crm.Deal) int { return int(a.Created - b.Created) }
	case "amount":
		by = func(a, b crm.Deal) int { return cmpInt(int64(a.Amount), int64(b.Amount)) }
	case "weighted":
		by = func(a, b crm.Deal) int { return cmpInt(int64(a.Weighted(p)), int64(b.Weighted(p))) }
	case "level":
		by = func(a, b crm.Deal) int { return a.Level.Rank() - b.Level.Rank() }
	case "expected_close":
		by = func(a, b crm.Deal) int { return int(a.ExpectedCloseAt(p) - b.ExpectedCloseAt(p)) }
	case "level_since":
		by = func(a, b crm.Deal) int { return int(a.LevelSince - b.LevelSince) }
	case "closed_on":
		by = func(a, b crm.Deal) int { return int(a.ClosedOn - b.ClosedOn) }
	case "customer":
		by = func(a, b crm.Deal) int { return strings.Compare(a.CustomerCode, b.CustomerCode) }
	}
	sortStable(ds, cmdutil.Order(s, by, func(a, b crm.Deal) int { return cmpInt(a.ID, b.ID) }))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// listResult is the deal listing.
func listResult(ds []crm.Deal, p crm.DealPolicy, asOf crm.Date) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "机会编号"), output.Col("customer_code", "Customer", "客户编号"),
		output.Col("customer_name", "Name", "所属客户"), output.Col("title", "Title", "机会标题"),
		output.Col("status", "Status", "机会状态"), output.Col("level", "Level", "潜客级别"),
		output.Col("level_since", "Since", "定级日期"), output.NumCol("amount", "Amount", "预计金额"),
		output.NumCol("probability", "P %", "概率%"), output.NumCol("weighted", "Weighted", "加权金额"),
		output.Col("expected_close", "Expected close", "预计成交日期"), output.Col("owner", "Owner", "负责人"),
		output.Col("created", "Created", "创建日期"), output.NumCol("days_open", "Days", "跟进天数"),
		output.Col("closed_on", "Closed", "关闭日期"), output.NumCol("won_amount", "Won", "成交金额"),
	}}
	r.Rows = make([][]any, 0, len(ds))
	for _, d := range ds {
		var expected any
		if !d.Status.Closed() {
			expected = d.ExpectedCloseAt(p)
		}
		r.Rows = append(r.Rows, []any{d.ID, d.CustomerCode, d.CustomerName, d.Title, statusLabel(d.Status),
			levelCell(d.Level), d.LevelSince, d.Amount, probability(d, p), weighted(d, p), expected, d.Owner,
			d.Created, d.DaysOpen(asOf), d.ClosedOn, wonAmount(d)})
	}
	return r
}

func sortStable(ds []crm.Deal, cmp func(a, b crm.Deal) int) { slices.SortStableFunc(ds, cmp) }
