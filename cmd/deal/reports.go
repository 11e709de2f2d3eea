package deal

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// The report verbs of `crm deal` (SPEC §9.5–§9.8): pipeline, forecast,
// report, hot, lost. The rules are in internal/crm (deal_report*.go,
// deal_hot.go, deal_lost.go, deal_followup.go); these files parse flags and
// print.

// reportCmds returns the report verbs, for the deal noun's AddCommand.
func reportCmds(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{newPipelineCmd(f, nil), newForecastCmd(f, nil), newReportCmd(f, nil), newHotCmd(f, nil),
		newLostCmd(f, nil)}
}

// levelLabel is a level as a label: "H" everywhere, "H 级" in Chinese tables.
func levelLabel(l crm.Level) any {
	if l == "" {
		return nil
	}
	if v, ok := levelLabels[l]; ok {
		return v
	}
	return output.Label{Value: string(l), Zh: string(l) + " 级"}
}

// levelLabels are the labels of the levels, made once (a table of hot
// prospects has thousands of them).
var levelLabels = func() map[crm.Level]any {
	m := map[crm.Level]any{}
	for _, l := range append([]crm.Level{crm.LevelO}, crm.Levels...) {
		m[l] = output.Label{Value: string(l), Zh: string(l) + " 级"}
	}
	return m
}()

// pct is a percentage cell with one decimal, half up; empty when undefined.
func pct(q crm.Frac) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(q.Percent(1))
}

// mean is a mean cell with one decimal, half up; empty when undefined.
func mean(q crm.Frac) any {
	if !q.Defined() {
		return nil
	}
	return output.Number(q.Format(1))
}

// median is a median cell (may end in .5); empty for none.
func median(xs []int) any {
	s := crm.MedianText(xs)
	if s == "" {
		return nil
	}
	return output.Number(s)
}

// date is a date cell, empty for none.
func date(d crm.Date) any {
	if d == crm.NoDate {
		return nil
	}
	return d
}

// text is a text cell, trimmed; empty for "".
func text(s string) any {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return s
}

// window reads --since/--window as the analysis window up to as-of.
func window(f *cmdutil.Factory, since, win string) (crm.AnalysisWindow, error) {
	w, err := crm.NewAnalysisWindow(f.Globals.AsOf, since, win)
	if err != nil {
		return w, &cmdutil.FlagError{Err: err}
	}
	return w, nil
}

// explainTo writes --explain lines to stdout after the table (table format only).
func explainTo(f *cmdutil.Factory, title string, lines []string) {
	if f.Globals.Format != output.Table {
		return
	}
	fmt.Fprintf(f.IO.Out, "\n%s\n", title)
	for _, l := range lines {
		fmt.Fprintln(f.IO.Out, l)
	}
}

var totalLabel = output.Label{Value: "total", Zh: "合计"}
