// Package rfm implements `crm rfm score|explain|segments|grid|moves`.
package rfm

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// NewCmd returns the rfm noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rfm",
		Short: "RFM scores, segments, the R×F grid and segment moves",
		Long: `RFM scores every customer who bought in the analysis window on recency
(days since the last order with a positive amount), frequency (orders
with a positive amount) and monetary (net amount, returns included), each from
1 to --bins (default 5):

    score = 1 + floor(bins × below / N)

where N is the number of scored customers and below the number of them strictly
worse in that dimension (more days; fewer orders; less money). Ties share a
score. Segments compare each score with its mean over the N customers
(classic8, the eight 重要/一般 价值/发展/保持/挽留 segments) or apply your own
rules from the config file. The README's "RFM, segments and A/B/C tiers"
has the whole definition and an exercise.

  crm rfm score --as-of 1998-07-01            every scored customer
  crm rfm explain 00042 --as-of 1998-07-01    how one customer got its scores
  crm rfm segments                            customers and revenue per segment
  crm rfm grid                                the R × F matrix of customers
  crm rfm moves --from 2024-06-30 --to 2024-12-31 --segment important_value
                                              who left a segment (win-back list)

The window: --since DATE (the first day counted) or --window 90d|12w|6m|1y (the
last N days, weeks, months or years up to and including --as-of); by default all
history up to --as-of. Orders dated after --as-of never count.

Custom segment schemes live in the config file under rfm.schemes.NAME: a list
of rules (first match wins) with a key, optional en and zh labels and score
ranges r, f, m ("4-5", "3", "4+", empty for any), and an optional fallback:

    rfm:
      segments: simple            # make it the default of every rfm command
      schemes:
        simple:
          rules:
            - {key: champions, zh: 冠军客户, r: 4-5, f: 4-5, m: 4-5}
            - {key: at_risk, en: at risk, zh: 流失风险, r: 1-2, f: 3+}
          fallback: {key: others, zh: 其他客户}

'crm rfm segments --segments simple --lint' finds rules that can never match
and score cells no rule covers.`,
	}
	cmd.AddCommand(newScoreCmd(f, nil), newExplainCmd(f, nil), newSegmentsCmd(f, nil), newGridCmd(f, nil), newMovesCmd(f, nil))
	return cmd
}

// Model holds the flags every rfm verb shares: the window, bins and scheme.
type Model struct {
	Since, Window string
	Bins          int
	Segments      string
}

func (m *Model) addFlags(fl *pflag.FlagSet, window bool) {
	if window {
		fl.StringVar(&m.Since, "since", "", "count orders dated on or after this day (default: all history)")
		fl.StringVar(&m.Window, "window", "", "count the last N days/weeks/months/years up to --as-of: 90d, 12w, 6m, 1y")
	}
	fl.IntVar(&m.Bins, "bins", crm.DefaultRFMBins, "score levels per dimension, 2 to 10")
	fl.StringVar(&m.Segments, "segments", crm.Classic8Name, "segment scheme: classic8 or a scheme of the config file (rfm.schemes.NAME)")
}

// checkBins validates --bins as a usage error.
func (m *Model) checkBins() error {
	if m.Bins < crm.MinRFMBins || m.Bins > crm.MaxRFMBins {
		return cmdutil.FlagErrorf("--bins %d: must be between %d and %d", m.Bins, crm.MinRFMBins, crm.MaxRFMBins)
	}
	return nil
}

// window is the analysis window ending on asOf, as a usage error.
func (m *Model) window(asOf crm.Date) (crm.AnalysisWindow, error) {
	w, err := crm.NewAnalysisWindow(asOf, m.Since, m.Window)
	if err != nil {
		return w, &cmdutil.FlagError{Err: err}
	}
	return w, nil
}

// Scheme resolves --segments (cmdutil.SegmentScheme).
func Scheme(f *cmdutil.Factory, name string) (crm.SegmentScheme, error) {
	return cmdutil.SegmentScheme(f, name)
}

// prepare validates the shared flags and resolves the window and scheme
// before the database is opened.
func (m *Model) prepare(f *cmdutil.Factory, asOf crm.Date, window bool) (crm.AnalysisWindow, crm.SegmentScheme, error) {
	if err := m.checkBins(); err != nil {
		return crm.AnalysisWindow{}, crm.SegmentScheme{}, err
	}
	w := crm.AnalysisWindow{Since: crm.NoDate, AsOf: asOf}
	if window {
		var err error
		if w, err = m.window(asOf); err != nil {
			return w, crm.SegmentScheme{}, err
		}
	}
	s, err := Scheme(f, m.Segments)
	return w, s, err
}

// Score aggregates, scores and segments every customer over w.
func Score(f *cmdutil.Factory, st cmdutil.Store, w crm.AnalysisWindow, bins int, s crm.SegmentScheme) (*crm.RFMResult, []crm.RFMInput, error) {
	in, err := st.RFMInputs(f.Context(), w)
	if err != nil {
		return nil, nil, err
	}
	res, err := crm.ScoreRFM(in, w.AsOf, bins)
	if err != nil {
		return nil, nil, err
	}
	res.ApplyScheme(s)
	return res, in, nil
}

// segLabel is a segment key of s as an output label.
func segLabel(s crm.SegmentScheme, key string) output.Label {
	return output.Label{Value: key, En: s.Label(key, "en"), Zh: s.Label(key, "zh")}
}

// findSegment matches a segment given by key or by its English or Chinese
// label ("unscored" included).
func findSegment(s crm.SegmentScheme, v string) (string, bool) {
	v = strings.TrimSpace(v)
	for _, g := range s.Segments() {
		if strings.EqualFold(v, g.Key) || strings.EqualFold(v, g.En) || v == g.Zh {
			return g.Key, true
		}
	}
	if strings.EqualFold(v, crm.SegmentUnscored) || v == crm.SegmentLabel(crm.SegmentUnscored, "zh") {
		return crm.SegmentUnscored, true
	}
	return "", false
}

// totalLabel starts the total line of tables.
var totalLabel = output.Label{Value: "total", Zh: "合计"}

// note writes a line to stderr when it is a terminal (a decoration).
func note(f *cmdutil.Factory, format string, args ...any) {
	if f.IO.ErrTTY {
		fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
	}
}

// means writes μR, μF, μM.
func means(res *crm.RFMResult) string {
	return fmt.Sprintf("R %s, F %s, M %s", res.Means[0].Format(4), res.Means[1].Format(4), res.Means[2].Format(4))
}

// frac is an exact ratio as an output number; nil (empty, JSON null) when undefined.
func frac(q crm.Frac, dec int) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(q.Format(dec))
}
