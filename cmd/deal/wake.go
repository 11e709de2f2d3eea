package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// WakeOptions are the inputs of `deal wake`.
type WakeOptions struct {
	StepOptions
	Level string
}

func newWakeCmd(f *cmdutil.Factory, runF func(*WakeOptions) error) *cobra.Command {
	var date string
	o := &WakeOptions{}
	cmd := &cobra.Command{
		Use:     "wake ID [--level L]",
		Short:   "Take a dormant (frozen) deal up again",
		Example: `  crm deal wake 12 --level B`,
		Long: `Take a dormant deal up again (dormant → open) at --level (default the level it
had when frozen); level_since becomes the step's date.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return wakeRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Level, "level", "", "level H, A, B or C (default the level before freezing)")
	addDateFlag(cmd, &date)
	return cmd
}

func wakeRun(o *WakeOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		return d.Wake(o.Date, o.Level)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d woken (dormant → open) at level %s", d.ID, d.Level)
	})
}
