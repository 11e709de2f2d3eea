package complaint

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// ClassifyOptions are the inputs of `complaint classify`.
type ClassifyOptions struct {
	StepOptions
	Type   crm.ComplaintType
	Reason string
}

func newClassifyCmd(f *cmdutil.Factory, runF func(*ClassifyOptions) error) *cobra.Command {
	var date, typ string
	o := &ClassifyOptions{}
	cmd := &cobra.Command{
		Use:   "classify ID --type key|general|false|malicious --reason T",
		Short: "Classify a complaint (分类处理): key, general, false or malicious",
		Example: `  crm complaint classify 12 --type false --reason "the grinder was used for spices, against the manual"
  crm complaint classify 14 --type key --reason "客户是区域旗舰店,影响面大"`,
		Long: `Change a complaint's type, with a reason (分类处理):
  key (关键)       a key customer or one in an extreme state: crisis PR
  general (一般)   the four steps: investigation, responsibility, communication, compensation
  false (虚假)     caused by the customer, not by us: no compensation, but calm and advise
  malicious (恶意) unfair competition or deliberate harm: respond firmly; no compensation
Allowed while the complaint is open or investigating (reopen a resolved one first).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			t, err := required("type", typ)
			if err != nil {
				return err
			}
			if o.Type, err = crm.ParseComplaintType(t); err != nil {
				return cmdutil.FlagErrorf("--type: %v", err)
			}
			if o.Reason, err = required("reason", o.Reason); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return classifyRun(o)
		},
	}
	cmd.Flags().StringVar(&typ, "type", "", "key, general, false or malicious (required)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why (required)")
	addDateFlag(cmd, &date)
	return cmd
}

func classifyRun(o *ClassifyOptions) error {
	return runStep(&o.StepOptions, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Classify(o.Date, o.Type, o.Reason)
	}, func(c crm.Complaint, s settings) string {
		e := c.Events[len(c.Events)-1]
		lang := o.F.Globals.Lang
		return fmt.Sprintf("Complaint %d classified %s (was %s): %s", c.ID, e.ToType.Label(lang), e.FromType.Label(lang),
			c.Type.Description(lang))
	})
}
