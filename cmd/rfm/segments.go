package rfm

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// SegmentsOptions are the inputs of `rfm segments`.
type SegmentsOptions struct {
	F *cmdutil.Factory
	Model
	Lint bool
}

func newSegmentsCmd(f *cmdutil.Factory, runF func(*SegmentsOptions) error) *cobra.Command {
	o := &SegmentsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "segments",
		Short: "Customers, revenue and mean scores per segment; --lint checks a scheme",
		Example: `  crm rfm segments --as-of 1998-07-01 --lang zh
  crm rfm segments --segments simple --lint`,
		Long: `One row per segment of the scheme, empty ones included, in the scheme's order:
segment, customers, customer_share (of the N scored customers), revenue (their
net monetary), revenue_share (of the total net monetary of all scored
customers; empty when that total is not positive), and the mean R, F and M
scores in the segment. Shares are exact decimals with 4 places, means with 2.
Tables end with a total line.

--lint checks the scheme instead (no database needed) against --bins score
levels: rules that can never match because earlier rules take all their cells
(shadowed) or because their ranges hold no score from 1 to --bins, and the
R×F×M cells that no rule covers (they get the fallback segment). It prints one
row per finding: kind, rule, key, cells, message. classic8 covers every cell.` +
			cmdutil.ExitStatusHelp("--lint exits 1 when it finds anything (like other linters) and 0 when the scheme is clean; an unknown scheme is exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.checkBins(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return segmentsRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	cmd.Flags().BoolVar(&o.Lint, "lint", false, "check the scheme for rules that never match and uncovered cells")
	return cmd
}

func segmentsRun(o *SegmentsOptions) error {
	f := o.F
	w, scheme, err := o.prepare(f, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	if o.Lint {
		return lintRun(f, scheme, o.Bins)
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	res, _, err := Score(f, st, w, o.Bins, scheme)
	if err != nil {
		return err
	}
	note(f, "%d customers scored over %s, %d bins, %s; means %s", res.N, w, res.Bins, scheme.Name, means(res))
	r, err := SegmentsResult(res, scheme)
	if err != nil {
		return err
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}

// SegmentsResult is the per-segment summary.
func SegmentsResult(res *crm.RFMResult, scheme crm.SegmentScheme) (*output.Result, error) {
	r := &output.Result{Columns: []output.Column{
		output.Col("segment", "Segment", "客户分群"), output.NumCol("customers", "Customers", "客户数"),
		output.NumCol("customer_share", "Share", "客户占比"), output.NumCol("revenue", "Revenue", "销售额"),
		output.NumCol("revenue_share", "Revenue share", "销售额占比"),
		output.NumCol("mean_r", "Mean R", "平均 R"), output.NumCol("mean_f", "Mean F", "平均 F"), output.NumCol("mean_m", "Mean M", "平均 M"),
	}}
	stats, err := res.SegmentSummary(scheme)
	if err != nil {
		return nil, err
	}
	var sum crm.Sum
	for _, s := range stats {
		r.Rows = append(r.Rows, []any{segLabel(scheme, s.Key), s.Customers, frac(s.CustomerShare, 4), s.Revenue,
			frac(s.RevenueShare, 4), frac(s.MeanR, 2), frac(s.MeanF, 2), frac(s.MeanM, 2)})
		sum.Add(s.Revenue)
	}
	total, err := sum.Total("the revenue of all scored customers")
	if err != nil {
		return nil, err
	}
	r.Footer = []any{totalLabel, res.N, frac(crm.NewFrac(int64(res.N), int64(res.N)), 4), total, "",
		frac(res.Means[0], 2), frac(res.Means[1], 2), frac(res.Means[2], 2)}
	return r, nil
}

func lintRun(f *cmdutil.Factory, scheme crm.SegmentScheme, bins int) error {
	findings := crm.LintScheme(scheme, bins)
	r := &output.Result{Columns: []output.Column{
		output.Col("kind", "Kind", "问题"), output.NumCol("rule", "Rule", "规则"), output.Col("key", "Key", "分群"),
		output.NumCol("cells", "Cells", "格数"), output.Col("message", "Message", "说明"),
	}}
	kinds := map[string]string{crm.LintShadowed: "被遮蔽", crm.LintOutOfRange: "超出范围", crm.LintUncovered: "未覆盖"}
	for _, x := range findings {
		var rule any
		if x.Rule > 0 {
			rule = x.Rule
		}
		r.Rows = append(r.Rows, []any{output.Label{Value: x.Kind, Zh: kinds[x.Kind]}, rule, x.Key, len(x.Cells), x.Message})
	}
	if len(findings) == 0 {
		what := fmt.Sprintf("%d rules", len(scheme.Rules))
		if scheme.IsClassic8() {
			what = "classic8 compares scores with their means"
		}
		fmt.Fprintf(f.IO.ErrOut, "Scheme %s is clean with %d bins: every rule can match and every cell is covered (%s).\n", scheme.Name, bins, what)
		if f.Globals.Format == output.Table {
			return nil
		}
		return output.Write(f.IO.Out, f.Globals.Output(), r)
	}
	if err := output.Write(f.IO.Out, f.Globals.Output(), r); err != nil {
		return err
	}
	kindsSeen := map[string]int{}
	for _, x := range findings {
		kindsSeen[x.Kind]++
	}
	var parts []string
	for _, k := range []string{crm.LintShadowed, crm.LintOutOfRange, crm.LintUncovered} {
		if n := kindsSeen[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ReplaceAll(k, "_", " ")))
		}
	}
	fmt.Fprintf(f.IO.ErrOut, "Scheme %s with %d bins: %s.\n", scheme.Name, bins, strings.Join(parts, ", "))
	return &cmdutil.ExitError{Code: 1}
}
