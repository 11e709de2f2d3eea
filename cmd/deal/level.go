package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// LevelOptions are the inputs of `deal level`.
type LevelOptions struct {
	StepOptions
	Level, Reason string
}

func newLevelCmd(f *cmdutil.Factory, runF func(*LevelOptions) error) *cobra.Command {
	var date string
	o := &LevelOptions{}
	cmd := &cobra.Command{
		Use:   "level ID LEVEL [--reason T]",
		Short: "Move an open deal to another prospect level (升级/降级): H, A, B or C",
		Example: `  crm deal level 12 A --reason "试驾后确认预算"
  crm deal level 12 H --date 2026-11-03`,
		Long: `Move an open deal to level H, A, B or C (a level other than its current one;
skipping levels is fine). level_since becomes the step's date, previous_level
the level it had, and the expected close (unless set explicitly) level_since +
the level's window. A dormant deal is woken with 'deal wake'; O and F are 'deal
win' and 'deal lose'.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(2, "ID", "LEVEL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			o.Level = args[1]
			if runF != nil {
				return runF(o)
			}
			return levelRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why the level changes (optional)")
	addDateFlag(cmd, &date)
	return cmd
}

func levelRun(o *LevelOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		return d.SetLevel(o.Date, o.Level, o.Reason)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d: level %s → %s on %s", d.ID, d.PreviousLevel, d.Level, d.LevelSince)
	})
}
