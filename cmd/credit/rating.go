package credit

import (
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// RatingOptions are the inputs of `credit rating`.
type RatingOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Explain bool
	Sort    cmdutil.Sort
	Limit   int
}

// ratingFactors are the scorecard's factors in order (crm.Rate).
var ratingFactors = []struct{ key, en, zh string }{
	{"timeliness", "Timeliness", "付款及时性"},
	{"overdue_share", "Overdue share", "逾期占比"},
	{"longest_overdue", "Longest overdue", "最长逾期"},
	{"relationship", "Relationship", "合作时长"},
}

func newRatingCmd(f *cmdutil.Factory, runF func(*RatingOptions) error) *cobra.Command {
	o := &RatingOptions{F: f}
	var sortFlag string
	cmd := &cobra.Command{
		Use:   "rating [REF]",
		Short: "Credit rating AAA, AA, A, B or C from payment behaviour, with each factor's points",
		Example: `  crm credit rating
  crm credit rating C0001 --explain
  crm credit rating --sort rating --limit 10      # the worst ten`,
		Long: `Rate customers on the scorecard of the README's "Credit" section (0–100 points):

  timeliness       average days late on paid or due invoices, by amount   max 45
  overdue share    overdue ÷ (overdue + invoices not yet due)            max 20
  longest overdue  days overdue of the oldest open overdue invoice       max 20
  relationship     days since the first invoice                          max 15

  AAA ≥ 95, AA ≥ 80, A ≥ 60, B ≥ 40, C below. No payment history yet: A.

Without REF every customer with a credit line or any order or payment up to
--as-of is listed with each factor's points. --explain adds what each factor
measured; with REF it prints one line per factor.

--sort takes code, name or rating (by points, worst first); prefix - for
descending.` + cmdutil.ExitStatusHelp("An unknown REF is exit 1."),
		Args: cmdutil.RangeArgs(0, 1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := cmdutil.ParseSort(sortFlag, "code", "name", "rating")
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
			if o.Ref != "" && o.Explain {
				return ratingExplainRun(o)
			}
			return ratingListRun(o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.Explain, "explain", false, "show what each factor measured")
	fl.StringVar(&sortFlag, "sort", "code", "sort by code, name or rating; prefix - for descending")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many customers (0 = all)")
	return cmd
}

type ratedCustomer struct {
	code, name string
	res        crm.RatingResult
}

func ratingColumns(explain bool) []output.Column {
	cols := []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("rating", "Rating", "信用等级"), output.NumCol("points", "Points", "总分"),
	}
	for _, fc := range ratingFactors {
		if explain {
			cols = append(cols, output.Col(fc.key+"_measure", fc.en+" (measure)", fc.zh+"（指标）"))
		}
		cols = append(cols, output.NumCol(fc.key, fc.en, fc.zh))
	}
	return cols
}

func ratingCells(f *cmdutil.Factory, rc ratedCustomer, explain bool) []any {
	row := []any{rc.code, rc.name, output.Label{Value: rc.res.Grade, En: rc.res.Grade, Zh: rc.res.Grade + " " + crm.RatingLabel(rc.res.Grade, "zh")}, rc.res.Points}
	for _, fac := range rc.res.Factors {
		if explain {
			v := fac.Value
			if crm.IsZh(f.Globals.Lang) && human(f) {
				v = fac.ValueZh
			}
			row = append(row, v)
		}
		row = append(row, fac.Points)
	}
	return row
}

func ratingListRun(o *RatingOptions) error {
	f := o.F
	asOf := f.Globals.AsOf
	var list []ratedCustomer
	if o.Ref != "" {
		_, c, a, err := loadAccount(f, o.Ref)
		if err != nil {
			return err
		}
		list = append(list, ratedCustomer{c.Code, c.Name, crm.Rate(a.Ledger(asOf), crm.NoDate, asOf)})
	} else {
		st, err := f.Store()
		if err != nil {
			return err
		}
		err = st.EachCreditAccount(f.Context(), asOf, func(a *crm.CreditAccount) error {
			if a.Active(asOf) {
				list = append(list, ratedCustomer{a.Code, a.Name, crm.Rate(a.Ledger(asOf), crm.NoDate, asOf)})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	sortRows(list, o.Sort, func(r ratedCustomer) string { return r.code }, func(a, b ratedCustomer) int {
		switch o.Sort.Key {
		case "name":
			return strings.Compare(a.name, b.name)
		case "rating":
			return cmpInt(a.res.Points, b.res.Points)
		}
		return 0
	}, nil)
	if o.Limit > 0 && len(list) > o.Limit {
		list = list[:o.Limit]
	}
	r := &output.Result{Columns: ratingColumns(o.Explain), Rows: make([][]any, 0, len(list))}
	for _, rc := range list {
		r.Rows = append(r.Rows, ratingCells(f, rc, o.Explain))
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}

// ratingExplainRun prints one customer's scorecard, one line per factor.
func ratingExplainRun(o *RatingOptions) error {
	f := o.F
	_, c, a, err := loadAccount(f, o.Ref)
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	res := crm.Rate(a.Ledger(asOf), crm.NoDate, asOf)
	zh := crm.IsZh(f.Globals.Lang) && human(f)
	r := &output.Result{Columns: []output.Column{
		output.Col("factor", "Factor", "评分项"), output.Col("measure", "Measure", "指标"),
		output.NumCol("points", "Points", "得分"), output.NumCol("max", "Max", "满分"),
	}, Rows: [][]any{}}
	for _, fac := range res.Factors {
		v := fac.Value
		if zh {
			v = fac.ValueZh
		}
		r.Rows = append(r.Rows, []any{output.Label{Value: fac.Name, En: fac.En, Zh: fac.Zh}, v, fac.Points, fac.Max})
	}
	w, g := f.IO.Out, f.Globals
	switch g.Format {
	case output.JSON:
		obj := output.Object{
			Keys:   []string{"customer_code", "name", "as_of", "rating", "points", "max", "no_history", "factors"},
			Values: []any{c.Code, c.Name, asOf, res.Grade, res.Points, res.Max, res.NoHistory, r.Objects()},
		}
		return output.WriteJSON(w, obj)
	case output.CSV:
		return output.Write(w, g.Output(), r)
	}
	title(f, c.Code+" "+c.Name+" — credit rating as of "+asOf.String(), c.Code+" "+c.Name+" — 信用评级（截至 "+asOf.String()+"）")
	grade := res.Grade + crm.Pick(f.Globals.Lang, " (", "（") + crm.RatingLabel(res.Grade, g.Lang) + crm.Pick(f.Globals.Lang, ")", "）")
	r.Footer = []any{crm.Pick(f.Globals.Lang, "Total", "合计"), grade, res.Points, res.Max}
	return output.Write(w, g.Output(), r)
}
