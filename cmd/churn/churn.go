// Package churn implements `crm churn`, `crm churn explain` and `crm churn
// winback` (SPEC §11). The rules are internal/crm/churn.go; this package
// resolves the settings, gathers what the rules take from tiers, credit and
// complaints, and prints.
package churn

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the churn noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := newListCmd(f, nil)
	cmd.AddCommand(newExplainCmd(f, nil), newWinbackCmd(f, nil))
	return cmd
}

// Policy resolves the churn.* settings into a crm.ChurnPolicy; a bad value
// is a usage error naming its key.
func Policy(f *cmdutil.Factory) (crm.ChurnPolicy, error) {
	p := crm.DefaultChurnPolicy()
	get := func(key string) string {
		if f == nil || f.Setting == nil {
			return ""
		}
		v := f.Setting(key)
		if v == nil {
			return ""
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	num := func(key string, dst *int, lo, hi int) error {
		s := get(key)
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return cmdutil.FlagErrorf("setting %s = %q: must be a whole number from %d to %d", key, s, lo, hi)
		}
		*dst = n
		return nil
	}
	factor := func(key string, dst *crm.Frac) error {
		s := get(key)
		if s == "" {
			return nil
		}
		q, ok := parseFactor(s)
		if !ok {
			return cmdutil.FlagErrorf("setting %s = %q: must be a number above 0 and at most 100, with at most 4 decimals (1.5)", key, s)
		}
		*dst = q
		return nil
	}
	for _, e := range []error{
		num("churn.gaps", &p.Gaps, 1, 100),
		num("churn.default_gap_days", &p.DefaultGapDays, 1, 36500),
		factor("churn.overdue_factor", &p.OverdueFactor),
		factor("churn.lapse_factor", &p.LapseFactor),
		num("churn.lapse_days", &p.LapseDays, 1, 36500),
		num("churn.decline_pct", &p.DeclinePct, 0, 100),
	} {
		if e != nil {
			return p, e
		}
	}
	return p, nil
}

// parseFactor reads a positive decimal ("1.5", "3") exactly.
func parseFactor(s string) (crm.Frac, bool) {
	whole, dec, _ := strings.Cut(s, ".")
	if whole == "" || len(dec) > 4 || len(whole) > 3 {
		return crm.Frac{}, false
	}
	den := int64(1)
	var num int64
	for _, c := range whole + dec {
		if c < '0' || c > '9' {
			return crm.Frac{}, false
		}
		num = num*10 + int64(c-'0')
	}
	for range dec {
		den *= 10
	}
	if num <= 0 || num > 100*den {
		return crm.Frac{}, false
	}
	return crm.NewFrac(num, den), true
}

// tLabel is T with one decimal, an exact number.
func tNumber(t12 int64) output.Number { return output.Number(crm.Twelfths(t12).Format(1)) }

func statusLabel(s crm.ChurnStatus) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func groupLabel(g crm.ChurnGroup) output.Label {
	return output.Label{Value: string(g), Zh: g.Label("zh")}
}

// note writes a line to stderr when the output is a table.
func note(f *cmdutil.Factory, format string, args ...any) {
	if f.Globals.Format == output.Table || f.Globals.Format == "" {
		fmt.Fprintf(f.IO.ErrOut, format+"\n", args...)
	}
}
