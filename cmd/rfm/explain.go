package rfm

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ExplainOptions are the inputs of `rfm explain`.
type ExplainOptions struct {
	F *cmdutil.Factory
	Model
	Ref string
}

func newExplainCmd(f *cmdutil.Factory, runF func(*ExplainOptions) error) *cobra.Command {
	o := &ExplainOptions{F: f}
	cmd := &cobra.Command{
		Use:   "explain CUSTOMER",
		Short: "Show how a customer got its R, F and M scores and its segment",
		Example: `  crm rfm explain 00042 --as-of 1998-07-01
  crm rfm explain 00042 --as-of 1998-07-01 --format json | jq .dimensions[2].move_up`,
		Long: `Everything behind one customer's scores, so that they can be recomputed by hand:

  - the raw values (days since the last order, orders, net amount);
  - per dimension: how many of the N scored customers are strictly worse
    ("below"), the rank among them (1 = best; ties share a rank), the formula
    1 + floor(bins × below / N) with the numbers in, the mean score μ and the
    high/low test of classic8 (high when score > μ);
  - the cut points: for each score, which values of below give it and the
    range of raw values its customers have;
  - the segment and the rule behind it;
  - what would lift each score by one level, with everything else unchanged:
    "buy again within 30 days", "2 more orders", "spend 120.00 more".

Formats: table prints sections of fields and a cut-point table per dimension;
JSON one object with a "dimensions" array (each with "cuts" and "move_up");
CSV one row per dimension, the cut points in one column written
"score:min..max" (raw values: days, orders, amount) from score 1 up, separated by ";" ("-" for a score no customer
has). Money is a decimal string in JSON and CSV.` +
			cmdutil.ExitStatusHelp("An unknown customer, or one without a purchase in the window (not scored), is exit 1."),
		Args: cmdutil.ExactArgs(1, "CUSTOMER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			if err := o.checkBins(); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return explainRun(o)
		},
	}
	o.addFlags(cmd.Flags(), true)
	return cmd
}

func explainRun(o *ExplainOptions) error {
	f := o.F
	w, scheme, err := o.prepare(f, f.Globals.AsOf, true)
	if err != nil {
		return err
	}
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	res, _, err := Score(f, st, w, o.Bins, scheme)
	if err != nil {
		return err
	}
	ex, err := res.Explain(c.ID)
	if err != nil {
		return err
	}
	g := f.Globals
	switch g.Format {
	case output.JSON:
		return output.WriteJSON(f.IO.Out, explainObject(ex, w, scheme))
	case output.CSV:
		return output.Write(f.IO.Out, g.Output(), explainCSV(ex, w, scheme))
	}
	return explainTable(f.IO.Out, g.Lang, ex, w, scheme)
}

// rawValue is a dimension's raw value for output: money for monetary.
func rawValue(d crm.RFMDim, v int64) any {
	if d == crm.RFMMonetary {
		return crm.Money(v)
	}
	return v
}

// rawText is a raw value for people: "12 days", "3 orders", "1,234.50".
func rawText(d crm.RFMDim, v int64, lang string) string {
	switch d {
	case crm.RFMRecency:
		return crm.Pick(lang, plural(v, "day", "days"), fmt.Sprintf("%d 天", v))
	case crm.RFMFrequency:
		return crm.Pick(lang, plural(v, "order", "orders"), fmt.Sprintf("%d 单", v))
	}
	return crm.Money(v).Grouped()
}

// rawString is a raw value as in CSV: money as a plain decimal.
func rawString(d crm.RFMDim, v int64) string {
	if d == crm.RFMMonetary {
		return crm.Money(v).String()
	}
	return strconv.FormatInt(v, 10)
}

// rawHuman is a raw value as in tables: money grouped.
func rawHuman(d crm.RFMDim, v int64) string {
	if d == crm.RFMMonetary {
		return crm.Money(v).Grouped()
	}
	return strconv.FormatInt(v, 10)
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

// whyText explains the segment in lang.
func whyText(ex *crm.RFMExplanation, scheme crm.SegmentScheme, lang string) string {
	if lang != "zh" {
		return ex.RuleText
	}
	if scheme.IsClassic8() {
		hl := func(h bool) string {
			if h {
				return "高"
			}
			return "低"
		}
		return fmt.Sprintf("R %s、F %s、M %s（得分高于均值为高）→ %s",
			hl(ex.Dims[0].High), hl(ex.Dims[1].High), hl(ex.Dims[2].High), ex.Segment.Label("zh"))
	}
	if ex.Rule > 0 {
		ru := scheme.Rules[ex.Rule-1]
		return fmt.Sprintf("第 %d 条规则（%s：r %s，f %s，m %s）是第一条匹配 %s 的规则",
			ex.Rule, ru.Key, ru.R, ru.F, ru.M, ex.Row.RFMCode)
	}
	return fmt.Sprintf("没有规则匹配 %s：归入 %s", ex.Row.RFMCode, ex.Segment.Label("zh"))
}

// cutsText writes the cut points "1:700..301;2:300..120;…" (raw values).
func cutsText(d crm.RFMDim, cuts []crm.RFMCut) string {
	parts := make([]string, len(cuts))
	for i, c := range cuts {
		if c.Count == 0 {
			parts[i] = fmt.Sprintf("%d:-", c.Score)
			continue
		}
		parts[i] = fmt.Sprintf("%d:%s..%s", c.Score, rawString(d, c.Min), rawString(d, c.Max))
	}
	return strings.Join(parts, ";")
}

func sinceValue(w crm.AnalysisWindow) any {
	if w.Since == crm.NoDate {
		return nil
	}
	return w.Since
}

func explainObject(ex *crm.RFMExplanation, w crm.AnalysisWindow, scheme crm.SegmentScheme) output.Object {
	row := ex.Row
	var rule any
	if !scheme.IsClassic8() {
		rule = ex.Rule
	}
	o := output.Object{
		Keys: []string{"customer_code", "name", "as_of", "since", "customers", "bins", "last_order",
			"recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_code", "rfm_total",
			"segment", "scheme", "rule", "why", "dimensions"},
		Values: []any{row.Code, row.Name, ex.AsOf, sinceValue(w), ex.N, ex.Bins, row.Last,
			row.RecencyDays, row.Frequency, row.Monetary, row.R, row.F, row.M, row.RFMCode, row.Total,
			ex.Segment.Key, scheme.Name, rule, ex.RuleText, nil},
	}
	dims := make([]output.Object, 3)
	for i, e := range ex.Dims {
		cuts := make([]output.Object, len(e.Cuts))
		for j, c := range e.Cuts {
			var lo, hi any
			if c.Count > 0 {
				lo, hi = rawValue(e.Dim, c.Min), rawValue(e.Dim, c.Max)
			}
			cuts[j] = output.Object{
				Keys:   []string{"score", "below_min", "below_max", "customers", "min", "max"},
				Values: []any{c.Score, c.BelowMin, c.BelowMax, c.Count, lo, hi},
			}
		}
		u := e.Up
		var target, delta, newScore, by any
		if !u.AtTop && !u.Unreachable {
			target, delta, newScore = rawValue(e.Dim, u.Target), rawValue(e.Dim, u.Delta), u.NewScore
			if e.Dim == crm.RFMRecency {
				by = u.By
			}
		}
		up := output.Object{
			Keys:   []string{"at_top", "unreachable", "target", "delta", "new_score", "by", "advice"},
			Values: []any{u.AtTop, u.Unreachable, target, delta, newScore, by, u.Advice(e.Dim, "en")},
		}
		dims[i] = output.Object{
			Keys: []string{"dimension", "value", "score", "below", "ties", "rank", "formula", "mean", "score_sum", "high", "test", "move_up", "cuts"},
			Values: []any{e.Dim.Name(), rawValue(e.Dim, e.Raw), e.Score, e.Below, e.Ties, e.Rank, e.Formula,
				output.Number(e.Mean.Format(4)), e.Mean.Num, e.High, e.Test, up, cuts},
		}
	}
	o.Values[len(o.Values)-1] = dims
	return o
}

// ExplainCSVColumns are the columns of `rfm explain --format csv`.
var ExplainCSVColumns = []output.Column{
	output.Col("customer_code", "", ""), output.Col("name", "", ""), output.Col("as_of", "", ""), output.Col("since", "", ""),
	output.Col("customers", "", ""), output.Col("bins", "", ""), output.Col("rfm_code", "", ""), output.Col("rfm_total", "", ""),
	output.Col("segment", "", ""), output.Col("dimension", "", ""), output.Col("value", "", ""), output.Col("score", "", ""),
	output.Col("below", "", ""), output.Col("ties", "", ""), output.Col("rank", "", ""), output.Col("formula", "", ""),
	output.Col("mean", "", ""), output.Col("high", "", ""), output.Col("move_up_target", "", ""),
	output.Col("move_up_score", "", ""), output.Col("move_up", "", ""), output.Col("cuts", "", ""),
}

func explainCSV(ex *crm.RFMExplanation, w crm.AnalysisWindow, scheme crm.SegmentScheme) *output.Result {
	r := &output.Result{Columns: ExplainCSVColumns}
	row := ex.Row
	for _, e := range ex.Dims {
		var target, newScore any
		if !e.Up.AtTop && !e.Up.Unreachable {
			target, newScore = rawValue(e.Dim, e.Up.Target), e.Up.NewScore
		}
		r.Rows = append(r.Rows, []any{row.Code, row.Name, ex.AsOf, sinceValue(w), ex.N, ex.Bins, row.RFMCode, row.Total,
			ex.Segment.Key, e.Dim.Name(), rawValue(e.Dim, e.Raw), e.Score, e.Below, e.Ties, e.Rank, e.Formula,
			output.Number(e.Mean.Format(4)), e.High, target, newScore, e.Up.Advice(e.Dim, "en"), cutsText(e.Dim, e.Cuts)})
	}
	return r
}

func explainTable(out io.Writer, lang string, ex *crm.RFMExplanation, w crm.AnalysisWindow, scheme crm.SegmentScheme) error {
	row := ex.Row
	o := output.Options{Format: output.Table, Lang: lang}
	head := &output.Record{}
	head.Add("customer_code", "Customer", "客户编号", row.Code)
	head.Add("name", "Name", "客户名称", row.Name)
	head.Add("as_of", "As of", "截至日期", ex.AsOf)
	head.Add("window", "Window", "分析区间", windowText(w, lang))
	head.Add("customers", "Scored customers (N)", "参与评分客户数 (N)", ex.N)
	head.Add("bins", "Bins (B)", "分档数 (B)", ex.Bins)
	head.Add("last_order", "Last order", "最近一单", row.Last)
	head.Add("rfm_code", "RFM code", "RFM 代码", row.RFMCode)
	head.Add("rfm_total", "RFM total", "RFM 总分", row.Total)
	head.Add("segment", "Segment", "客户分群", segLabel(scheme, ex.Segment.Key))
	head.Add("scheme", "Scheme", "分群方案", scheme.Name)
	head.Add("why", "Why", "分群依据", whyText(ex, scheme, lang))
	if err := output.WriteRecord(out, o, head); err != nil {
		return err
	}
	for _, e := range ex.Dims {
		fmt.Fprintf(out, "\n%s (%s)\n", title(e.Dim.Label(lang)), e.Dim.Letter())
		rec := &output.Record{}
		value := rawText(e.Dim, e.Raw, lang)
		if e.Dim == crm.RFMRecency {
			value += crm.Pick(lang, " (last order "+row.Last.String()+")", "（最近一单 "+row.Last.String()+"）")
		}
		rec.Add("value", "Value", "数值", value)
		rank := fmt.Sprintf("%d of %d (1 = best", e.Rank, ex.N)
		if crm.IsZh(lang) {
			rank = fmt.Sprintf("%d / %d（1 为最好", e.Rank, ex.N)
		}
		if e.Ties > 0 {
			rank += crm.Pick(lang, fmt.Sprintf("; tied with %d others)", e.Ties), fmt.Sprintf("；与另外 %d 位并列）", e.Ties))
		} else {
			rank += crm.Pick(lang, ")", "）")
		}
		rec.Add("rank", "Rank", "排名", rank)
		rec.Add("below", "Below (strictly worse)", "比其差的客户数", e.Below)
		rec.Add("formula", "Score = 1 + floor(B × below / N)", "得分 = 1 + floor(B × below / N)", e.Formula)
		rec.Add("mean", "Mean score μ"+e.Dim.Letter(), "平均分 μ"+e.Dim.Letter(),
			fmt.Sprintf("%s = %d / %d %s", e.Mean.Format(4), e.Mean.Num, e.Mean.Den, crm.Pick(lang, "(sum of scores / N)", "（得分之和 / N）")))
		test := e.Test
		if crm.IsZh(lang) {
			test = strings.Replace(strings.Replace(test, ": high", "：高", 1), ": low", "：低", 1)
		}
		rec.Add("test", "High or low (score > μ)", "高低（得分 > μ 为高）", test)
		rec.Add("move_up", "To move up", "如何提高", e.Up.Advice(e.Dim, lang))
		if err := output.WriteRecord(out, o, rec); err != nil {
			return err
		}
		if err := output.Write(out, o, cutsResult(e)); err != nil {
			return err
		}
	}
	return nil
}

// title capitalises the first letter of an English word.
func title(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func windowText(w crm.AnalysisWindow, lang string) string {
	if lang != "zh" {
		return w.String()
	}
	if w.Since == crm.NoDate {
		return "截至 " + w.AsOf.String() + " 的全部历史"
	}
	return w.Since.String() + " 至 " + w.AsOf.String()
}

// cutsResult is the cut-point table of one dimension, best score first.
func cutsResult(e crm.RFMDimExplanation) *output.Result {
	unit := map[crm.RFMDim][2]string{crm.RFMRecency: {"days", "天"}, crm.RFMFrequency: {"orders", "单"}, crm.RFMMonetary: {"amount", "金额"}}[e.Dim]
	r := &output.Result{Columns: []output.Column{
		output.NumCol("score", "Score", "得分"), output.Col("below", "Below", "below 范围"),
		output.NumCol("customers", "Customers", "客户数"), output.Col("values", "Values ("+unit[0]+")", "取值（"+unit[1]+"）"),
		output.Col("you", "This customer", "本客户"),
	}}
	for i := len(e.Cuts) - 1; i >= 0; i-- {
		c := e.Cuts[i]
		below := "-"
		if c.BelowMin <= c.BelowMax {
			below = fmt.Sprintf("%d–%d", c.BelowMin, c.BelowMax)
		}
		values := "-"
		if c.Count > 0 {
			lo, hi := c.Min, c.Max
			values = rawHuman(e.Dim, lo) + " – " + rawHuman(e.Dim, hi)
			if lo == hi {
				values = rawHuman(e.Dim, lo)
			}
		}
		you := ""
		if c.Score == e.Score {
			you = "◀"
		}
		r.Rows = append(r.Rows, []any{c.Score, below, c.Count, values, you})
	}
	return r
}
