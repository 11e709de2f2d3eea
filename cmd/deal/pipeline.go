package deal

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// PipelineOptions are the inputs of `deal pipeline`.
type PipelineOptions struct {
	F *cmdutil.Factory
}

func newPipelineCmd(f *cmdutil.Factory, runF func(*PipelineOptions) error) *cobra.Command {
	o := &PipelineOptions{F: f}
	return &cobra.Command{
		Use:   "pipeline",
		Short: "Open deals per level H, A, B, C and dormant: count, amount, weighted, age, late follow-ups",
		Example: `  crm deal pipeline
  crm deal pipeline --as-of 2026-10-31 --lang zh`,
		Long: `The deals open or dormant at --as-of, one row per level H, A, B, C (open deals),
one for the dormant ones and the total (empty rows printed):
  count            deals
  amount           their amounts (预计金额)
  weighted         amount × probability ÷ 100, half away from zero (the deal's own
                   probability, else the level's: H 80, A 50, B 30, C 10); open deals only
  median_age_days  median of (as-of − created)
  followup_late    open deals whose follow-up is due (deal.followup: the later of
                   level_since and the last touch, plus the level's cadence, on or
                   before as-of, and no open task of the deal due by then)
  close_passed     deals whose expected close is before as-of` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return pipelineRun(o)
		},
	}
}

func pipelineRun(o *PipelineOptions) error {
	f := o.F
	p, err := cmdutil.DealPolicy(f)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	asOf := f.Globals.AsOf
	acc := crm.NewPipeline(p, asOf)
	if err := st.EachDeal(f.Context(), crm.DealReportQuery{AsOf: asOf, Which: crm.DealsOpen, LastTouch: true, Tasks: true, Brief: true},
		func(r *crm.DealReportRow) error {
			acc.Add(r)
			return nil
		}); err != nil {
		return err
	}
	lines, err := acc.Rows()
	if err != nil {
		return err
	}
	r := &output.Result{Columns: []output.Column{
		output.Col("level", "Level", "潜客级别"), output.NumCol("count", "Count", "机会数"),
		output.NumCol("amount", "Amount", "预计金额"), output.NumCol("weighted", "Weighted", "加权金额"),
		output.NumCol("median_age_days", "Median age (days)", "跟进天数中位数"),
		output.NumCol("followup_late", "Follow-up due", "待跟进"), output.NumCol("close_passed", "Close date passed", "预计成交日已过"),
	}}
	for _, l := range lines {
		var key any
		switch l.Key {
		case "dormant":
			key = output.Label{Value: "dormant", Zh: "冷冻"}
		case "total":
			key = totalLabel
		default:
			key = views.LevelLabel(crm.Level(l.Key))
		}
		r.Rows = append(r.Rows, []any{key, l.Count, l.Amount, l.Weighted, median(l.Ages), l.FollowupLate, l.ClosePassed})
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
