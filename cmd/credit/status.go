package credit

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// StatusOptions are the inputs of `credit status`.
type StatusOptions struct {
	F     *cmdutil.Factory
	Ref   string
	Sort  cmdutil.Sort
	Limit int
}

var statusSortKeys = []string{"code", "name", "limit", "outstanding", "overdue", "days", "available", "utilisation", "rating"}

func newStatusCmd(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	o := &StatusOptions{F: f}
	var sortFlag string
	cmd := &cobra.Command{
		Use:   "status [REF]",
		Short: "Credit limit, outstanding, overdue, available, utilisation and rating per customer",
		Example: `  crm credit status --sort -utilisation --limit 10
  crm credit status C0001
  crm credit status --as-of 2026-06-30 --format csv`,
		Long: `Show each customer's credit position at --as-of: the limit in force, outstanding
(invoices − payments − returns), overdue, the longest days overdue, available
(limit − outstanding), utilisation (outstanding ÷ limit, in percent) and the
credit rating. Without REF every customer with a credit line or any order or
payment up to --as-of is listed, with a total line in tables; with REF one
customer is shown with its open invoices.

--sort takes code, name, limit, outstanding, overdue, days, available,
utilisation or rating (by points: worst first); prefix - for descending.
Customers without a credit line come last when sorting by limit, available or
utilisation.` + cmdutil.ExitStatusHelp("An unknown REF is exit 1."),
		Args: cmdutil.RangeArgs(0, 1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := cmdutil.ParseSort(sortFlag, statusSortKeys...)
			if err != nil {
				return err
			}
			o.Sort = s
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			if len(args) == 1 {
				o.Ref = args[0]
			}
			if runF != nil {
				return runF(o)
			}
			if o.Ref != "" {
				return statusOneRun(o)
			}
			return statusAllRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sortFlag, "sort", "code", "sort by "+strings.Join(statusSortKeys, ", ")+"; prefix - for descending")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many customers (0 = all)")
	return cmd
}

// statusRow is one customer's credit position.
type statusRow struct {
	code, name    string
	hasLimit      bool
	limit         crm.Money
	outstanding   crm.Money
	overdue       crm.Money
	days          int
	rating        crm.RatingResult
	creditBalance crm.Money
	openInvoices  []crm.LedgerInvoice
}

func newStatusRow(a *crm.CreditAccount, asOf crm.Date, keepInvoices bool) statusRow {
	l := a.Ledger(asOf)
	s := statusRow{code: a.Code, name: a.Name, hasLimit: a.HasLimit, limit: a.Limit, outstanding: l.Outstanding,
		overdue: l.Overdue, days: l.MaxDaysOverdue, rating: crm.Rate(l, crm.NoDate, asOf), creditBalance: l.CreditBalance}
	if keepInvoices {
		s.openInvoices = l.OpenInvoices()
	}
	return s
}

func (s *statusRow) available() any {
	if !s.hasLimit {
		return nil
	}
	return s.limit - s.outstanding
}

// utilCmp compares outstanding ÷ limit without floats (limits > 0).
func (s *statusRow) utilCmp(o *statusRow) int {
	return cmpInt(int64(s.outstanding)*int64(o.limit), int64(o.outstanding)*int64(s.limit))
}

func statusColumns() []output.Column {
	return []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.NumCol("limit", "Limit", "信用额度"), output.NumCol("outstanding", "Outstanding", "未结金额"),
		output.NumCol("overdue", "Overdue", "逾期金额"), output.NumCol("max_days_overdue", "Days overdue", "最长逾期天数"),
		output.NumCol("available", "Available", "可用额度"), output.NumCol("utilisation", "Used %", "额度使用率%"),
		output.Col("rating", "Rating", "信用等级"),
	}
}

func (s *statusRow) cells(f *cmdutil.Factory) []any {
	return []any{s.code, s.name, limitCell(f, s.hasLimit, s.limit), s.outstanding, s.overdue, s.days,
		s.available(), utilisation(s.hasLimit, s.limit, s.outstanding), gradeLabel(s.rating.Grade)}
}

func statusAllRun(o *StatusOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	rows := []statusRow{}
	err = st.EachCreditAccount(f.Context(), asOf, func(a *crm.CreditAccount) error {
		if a.Active(asOf) {
			rows = append(rows, newStatusRow(a, asOf, false))
		}
		return nil
	})
	if err != nil {
		return err
	}
	noLine := func(s statusRow) bool {
		switch o.Sort.Key {
		case "limit", "available":
			return !s.hasLimit
		case "utilisation":
			return !s.hasLimit || s.limit <= 0
		}
		return false
	}
	sortRows(rows, o.Sort, func(s statusRow) string { return s.code }, func(a, b statusRow) int {
		switch o.Sort.Key {
		case "name":
			return strings.Compare(a.name, b.name)
		case "limit":
			return cmpInt(a.limit, b.limit)
		case "outstanding":
			return cmpInt(a.outstanding, b.outstanding)
		case "overdue":
			return cmpInt(a.overdue, b.overdue)
		case "days":
			return cmpInt(a.days, b.days)
		case "available":
			return cmpInt(a.limit-a.outstanding, b.limit-b.outstanding)
		case "utilisation":
			return a.utilCmp(&b)
		case "rating":
			return cmpInt(a.rating.Points, b.rating.Points)
		}
		return 0
	}, noLine)
	if o.Limit > 0 && len(rows) > o.Limit {
		rows = rows[:o.Limit]
	}
	r := &output.Result{Columns: statusColumns(), Rows: [][]any{}}
	var lim, out, over, avail crm.Sum
	for i := range rows {
		s := &rows[i]
		r.Rows = append(r.Rows, s.cells(f))
		out.Add(s.outstanding)
		over.Add(s.overdue)
		if s.hasLimit {
			lim.Add(s.limit)
			avail.Add(s.limit)
			avail.Sub(s.outstanding)
		}
	}
	if len(rows) > 1 {
		foot := []any{fmt.Sprintf(crm.Pick(f.Globals.Lang, "%d customers", "共 %d 个客户"), len(rows)), ""}
		for _, t := range []struct {
			s    crm.Sum
			what string
		}{{lim, "limit"}, {out, "outstanding"}, {over, "overdue"}, {avail, "available"}} {
			m, err := t.s.Total("credit status: the total " + t.what)
			if err != nil {
				return err
			}
			if foot = append(foot, m); t.what == "overdue" {
				foot = append(foot, "")
			}
		}
		r.Footer = foot
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}

func statusOneRun(o *StatusOptions) error {
	f := o.F
	_, c, a, err := loadAccount(f, o.Ref)
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	s := newStatusRow(a, asOf, true)
	rec := &output.Record{}
	for i, col := range statusColumns() {
		rec.Add(col.Key, col.En, col.Zh, s.cells(f)[i])
	}
	rec.Fields = append(rec.Fields[:2], append([]output.Field{{Key: "as_of", En: "As of", Zh: "截至日期", Value: asOf}}, rec.Fields[2:]...)...)
	rec.Add("rating_points", "Rating points", "信用评分", s.rating.Points)
	rec.Add("credit_balance", "Unapplied credit", "未核销预收", s.creditBalance)
	rec.Add("terms_days", "Terms (days)", "账期(天)", c.TermsDays)
	inv := invoicesResult(s.openInvoices)
	w, g := f.IO.Out, f.Globals
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		obj.Keys = append(obj.Keys, "open_invoices")
		obj.Values = append(obj.Values, inv.Objects())
		return output.WriteJSON(w, obj)
	case output.CSV:
		return output.WriteRecord(w, g.Output(), rec)
	}
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if len(s.openInvoices) == 0 {
		fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "Open invoices: none", "未结发票：无"))
		return nil
	}
	fmt.Fprintln(w, crm.Pick(f.Globals.Lang, "Open invoices:", "未结发票："))
	return output.Write(w, g.Output(), inv)
}

func invoicesResult(invs []crm.LedgerInvoice) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("order_id", "Invoice", "发票号"), output.Col("date", "Date", "开票日期"), output.Col("due_date", "Due", "到期日"),
		output.NumCol("amount", "Amount", "发票金额"), output.NumCol("open", "Open", "未付金额"),
		output.NumCol("days_overdue", "Days overdue", "逾期天数"),
	}, Rows: [][]any{}}
	// One customer's invoices: their sums are within crm.MaxTotal (checked
	// when the account is loaded), so plain addition cannot wrap.
	var amt, open crm.Money
	for _, inv := range invs {
		r.Rows = append(r.Rows, []any{inv.ID, inv.Date, inv.Due, inv.Amount, inv.Open, inv.DaysOverdue})
		amt += inv.Amount
		open += inv.Open
	}
	if len(invs) > 1 {
		r.Footer = []any{"", "", "", amt, open}
	}
	return r
}
