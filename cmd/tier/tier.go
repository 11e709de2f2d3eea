// Package tier implements `crm tier` (the list) and `crm tier
// summary|explain|pin|unpin|pins|save|snapshots|changes`.
package tier

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Model holds the flags that decide the tiers: method, shares and window.
type Model struct {
	Method        string
	A, B, Gold    string
	Since, Window string
}

func (m *Model) addFlags(fl *pflag.FlagSet, window bool) {
	fl.StringVar(&m.Method, "method", crm.TierByValue, "value (A up to a of the revenue, the 80/20 rule) or count (A the first a of the customers)")
	fl.StringVar(&m.A, "a", "", "A's share: of revenue with --method value (default 0.80), of customers with count (default 0.20)")
	fl.StringVar(&m.B, "b", "", "A+B's share: of revenue with --method value (default 0.95), of customers with count (default 0.50)")
	fl.StringVar(&m.Gold, "gold", "0.05", "share of the ranked customers flagged gold (金牌), from the top")
	if window {
		fl.StringVar(&m.Since, "since", "", "count orders dated on or after this day (default: all history)")
		fl.StringVar(&m.Window, "window", "", "count the last N days/weeks/months/years up to --as-of: 90d, 12w, 6m, 1y")
	}
}

// Options turns the flags into tier options, as usage errors.
func (m *Model) Options() (crm.TierOptions, error) {
	o := crm.DefaultTierOptions()
	method, err := crm.ParseTierMethod(m.Method)
	if err != nil {
		return o, &cmdutil.FlagError{Err: fmt.Errorf("--method: %w", err)}
	}
	o.Method = method
	share := func(name, v string, dst *int) error {
		if strings.TrimSpace(v) == "" {
			return nil
		}
		bp, err := crm.ParseBasisPoints(v)
		if err != nil {
			return cmdutil.FlagErrorf("--%s: %v", name, err)
		}
		*dst = bp
		return nil
	}
	a, b := &o.A, &o.B
	if method == crm.TierByCount {
		a, b = &o.CountA, &o.CountB
	}
	if err := share("a", m.A, a); err != nil {
		return o, err
	}
	if err := share("b", m.B, b); err != nil {
		return o, err
	}
	if err := share("gold", m.Gold, &o.Gold); err != nil {
		return o, err
	}
	if *a > *b {
		return o, cmdutil.FlagErrorf("--a %s is greater than --b %s", bp(*a), bp(*b))
	}
	return o, nil
}

// Params describes the options for people and snapshots: "value a=0.80 b=0.95 gold=0.05".
func Params(o crm.TierOptions, w crm.AnalysisWindow) string {
	a, b := o.A, o.B
	if o.Method == crm.TierByCount {
		a, b = o.CountA, o.CountB
	}
	s := fmt.Sprintf("%s a=%s b=%s gold=%s", o.Method, bp(a), bp(b), bp(o.Gold))
	if w.Since != crm.NoDate {
		s += " since=" + w.Since.String()
	}
	return s
}

// bp writes basis points as a share: 8000 → "0.80", 9550 → "0.955".
func bp(v int) string {
	s := crm.NewFrac(int64(v), 10000).Format(4)
	for strings.HasSuffix(s, "0") && len(s) > strings.Index(s, ".")+3 {
		s = s[:len(s)-1]
	}
	return s
}

// window is the analysis window ending on asOf, as a usage error.
func (m *Model) window(asOf crm.Date) (crm.AnalysisWindow, error) {
	w, err := crm.NewAnalysisWindow(asOf, m.Since, m.Window)
	if err != nil {
		return w, &cmdutil.FlagError{Err: err}
	}
	return w, nil
}

// TierLabel is a tier as an output label: "A" in CSV and JSON, "A key" or
// "A 关键客户" in tables; no tier is "" ("-" in tables).
func TierLabel(t string) output.Label {
	if t == "" {
		return output.Label{Value: "", En: "-", Zh: "-"}
	}
	return output.Label{Value: t, En: t + " " + crm.TierLabel(t, "en"), Zh: t + " " + crm.TierLabel(t, "zh")}
}

// ListOptions are the inputs of `crm tier`.
type ListOptions struct {
	F *cmdutil.Factory
	Model
	Tier  string
	Limit int
}

// NewCmd returns the tier noun; run alone it lists the tiers.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := newListCmd(f, nil, "tier")
	cmd.AddCommand(newListCmd(f, nil, "list"), newSummaryCmd(f, nil), newPinCmd(f, nil), newUnpinCmd(f, nil), newPinsCmd(f),
		newSaveCmd(f, nil), newSnapshotsCmd(f), newChangesCmd(f, nil), newExplainCmd(f, nil))
	return cmd
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error, use string) *cobra.Command {
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:   use,
		Short: "A/B/C customer tiers (80/20), gold customers and pins",
		Example: `  crm tier --as-of 1998-07-01 --limit 20
  crm tier --method count --a 0.1 --tier A --format csv
  crm tier summary --lang zh
  crm tier pin 00042 A --reason "strategic account, board decision"
  crm tier save && crm tier changes --from 2026-06-30`,
		Long: `A/B/C tiers (the README's "RFM, segments and A/B/C tiers"). Ranked customers
are those with a positive net monetary in the window (orders minus returns),
by monetary descending, ties by customer id. With --method value (default, the
80/20 rule) S is their total and "before" the sum over the customers ranked
ahead: tier A if before < a·S, else B if before < b·S, else C (a = 0.80,
b = 0.95). With --method count the first ceil(a·n) are A and up to ceil(b·n) B
(a = 0.20, b = 0.50). The first ceil(gold·n) are also gold (金牌, gold = 0.05).
Shares take 0.8 or 80%.

A tier pinned by hand ('crm tier pin', with a reason) overrides the computed
one and is marked pinned; it counts from its date (the --as-of of the pin).

Columns: customer_code, name, monetary, share (of S), cumulative_share (up to
and including this customer), tier, gold, pinned — in rank order, then pinned
customers without a positive monetary. Shares are exact decimals with 6
places; monetary is a decimal string in JSON. In tables, tiers read "A key" /
"A 关键客户" (--lang zh); CSV and JSON carry A, B, C.

Subcommands: summary (customers and revenue per tier, the Pareto curve),
explain (one customer's row with its numbers, and what would lift it one
tier), pin / unpin / pins, save / snapshots (keep the tiers of a date),
changes (who moved up or down between two dates).` + cmdutil.ExitStatusHelp("Bad --method, --a, --b, --gold, --tier or window flags are exit 2."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Tier != "" {
				t, err := crm.ParseTier(o.Tier)
				if err != nil {
					return &cmdutil.FlagError{Err: fmt.Errorf("--tier: %w", err)}
				}
				o.Tier = t
			}
			if err := cmdutil.CheckLimit(o.Limit); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	if use == "list" {
		cmd.Aliases = []string{"ls"}
		cmd.Short = "List the A/B/C tiers (the same as 'crm tier')"
	}
	fl := cmd.Flags()
	o.addFlags(fl, true)
	fl.StringVar(&o.Tier, "tier", "", "only customers of this tier (A, B or C)")
	fl.IntVar(&o.Limit, "limit", 0, "at most this many rows (0 = all)")
	return cmd
}

// compute resolves the flags and computes the tiers as of asOf.
func (m *Model) compute(f *cmdutil.Factory, asOf crm.Date) ([]crm.TierRow, crm.TierSummary, crm.TierOptions, crm.AnalysisWindow, error) {
	opts, err := m.Options()
	if err != nil {
		return nil, crm.TierSummary{}, opts, crm.AnalysisWindow{}, err
	}
	w, err := m.window(asOf)
	if err != nil {
		return nil, crm.TierSummary{}, opts, w, err
	}
	st, err := f.Store()
	if err != nil {
		return nil, crm.TierSummary{}, opts, w, err
	}
	rows, sum, err := crm.TiersAt(f.Context(), st, w, opts)
	return rows, sum, opts, w, err
}

func listRun(o *ListOptions) error {
	f := o.F
	opts, err := o.Options()
	if err != nil {
		return err
	}
	w, err := o.window(f.Globals.AsOf)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	// The rows are made as they are written (ListListing), not held.
	l, sum, err := crm.TierListAt(f.Context(), st, w, opts)
	if err != nil {
		return err
	}
	if sum.Ranked == 0 {
		fmt.Fprintf(f.IO.ErrOut, "warning: no customer has a positive net monetary in the window (%s)\n", w)
	} else if f.IO.ErrTTY {
		fmt.Fprintf(f.IO.ErrOut, "%d ranked customers over %s (%s), S = %s: A %d, B %d, C %d; %d gold, %d pinned\n",
			sum.Ranked, w, Params(opts, w), sum.Total.Grouped(), sum.Tiers[0].Customers, sum.Tiers[1].Customers,
			sum.Tiers[2].Customers, sum.GoldCustomers, sum.Pinned)
	}
	return output.Write(f.IO.Out, f.Globals.Output(), ListListing(l, o.Tier, o.Limit))
}

// ListColumns are the columns of `crm tier`.
var ListColumns = []output.Column{
	output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
	output.NumCol("monetary", "Monetary", "消费金额"), output.NumCol("share", "Share", "占比"),
	output.NumCol("cumulative_share", "Cumulative", "累计占比"), output.Col("tier", "Tier", "客户等级"),
	output.Col("gold", "Gold", "金牌"), output.Col("pinned", "Pinned", "手动指定"),
}

// errEnough stops a listing at its limit.
var errEnough = errors.New("enough rows")

// ListListing is the tier listing of l's rows (only those of tier when it
// is not "", at most limit when it is not 0), made as they are written
// (output.Result.Stream).
func ListListing(l *crm.TierList, tier string, limit int) *output.Result {
	// Labels boxed once: a Label put in an interface is a copy on the heap.
	labels := map[string]any{crm.TierA: TierLabel(crm.TierA), crm.TierB: TierLabel(crm.TierB), crm.TierC: TierLabel(crm.TierC)}
	fill := func(row []any, x *crm.TierRow) {
		row[0], row[1], row[2] = x.Code, x.Name, x.Monetary
		row[3], row[4] = share(x.Share), share(x.CumShare)
		row[5], row[6], row[7] = labels[x.Tier], x.Gold, x.Pinned
	}
	r := &output.Result{Columns: ListColumns, Stream: func(yield func([]any) error) error {
		row := make([]any, len(ListColumns))
		n := 0
		err := l.Each(func(x *crm.TierRow) error {
			if tier != "" && x.Tier != tier {
				return nil
			}
			if limit > 0 && n == limit {
				return errEnough
			}
			n++
			fill(row, x)
			return yield(row)
		})
		if err == errEnough {
			return nil
		}
		return err
	}}
	if tier == "" && limit <= 0 {
		// Every row: CSV may make parts of them side by side.
		r.Len = l.Len()
		r.Parts = func(from, to int, yield func([]any) error) error {
			row := make([]any, len(ListColumns))
			return l.EachRange(from, to, func(x *crm.TierRow) error {
				fill(row, x)
				return yield(row)
			})
		}
	}
	return r
}

// share is an exact share with 6 decimals; nil (empty, JSON null) when undefined.
func share(q crm.Frac) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(decimal(q, 6))
}

// pow10 are the scales decimal uses.
var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// decimal is q.Format(dec) — num/den rounded half away from zero — computed
// in int64 when that cannot overflow (always, for shares of amounts below
// 46 billion in cents), without the big.Int arithmetic of Format: a listing
// formats two shares per customer.
func decimal(q crm.Frac, dec int) string {
	if dec < 0 || dec >= len(pow10) || q.Num < 0 || q.Den <= 0 || q.Num > (math.MaxInt64/2-q.Den)/pow10[dec] {
		return q.Format(dec)
	}
	v := (2*q.Num*pow10[dec] + q.Den) / (2 * q.Den)
	var buf [24]byte
	b := strconv.AppendInt(buf[:0], v/pow10[dec], 10)
	if dec > 0 {
		b = append(b, '.')
		frac := strconv.AppendInt(buf[20:20], v%pow10[dec]+pow10[dec], 10) // leading 1 keeps the zeros
		b = append(b, frac[1:]...)
	}
	return string(b)
}
