package deal

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// LoseOptions are the inputs of `deal lose`.
type LoseOptions struct {
	StepOptions
	Reasons                             []string
	Note, Competitor, CompetitorProduct string
}

func newLoseCmd(f *cmdutil.Factory, runF func(*LoseOptions) error) *cobra.Command {
	var date string
	o := &LoseOptions{}
	cmd := &cobra.Command{
		Use:   "lose ID --reason KEY[,KEY…] [--note T] [--competitor C --competitor-product P]",
		Short: "Close a deal as lost (战败, F) with its reasons",
		Example: `  crm deal lose 12 --reason price,promotion --competitor 丰田 --competitor-product 凯美瑞
  crm deal lose 12 --reason other --note "客户移民"`,
		Long: `Close an open or dormant deal as lost with at least one reason key (the first
is the primary); 'other' needs a --note. --competitor names who won it (and
--competitor-product what they sold). The keys (deal.lost_reasons):
  price, budget, product_fit, stock, terms, promotion, referral, location,
  after_sales, brand, our_service, slow_followup, no_decision_maker,
  unresponsive, no_purchase, other
(their English or Chinese labels are accepted too: 价格偏高, 预算不足 …).` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return loseRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&o.Reasons, "reason", nil, "reason keys, the primary first (required; comma separated or repeated)")
	fl.StringVar(&o.Note, "note", "", "what happened (required with reason other)")
	fl.StringVar(&o.Competitor, "competitor", "", "the competitor that won the deal")
	fl.StringVar(&o.CompetitorProduct, "competitor-product", "", "the competitor's product the customer chose")
	addDateFlag(cmd, &date)
	return cmd
}

func loseRun(o *LoseOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{}, func(d crm.Deal, _ crm.DealFound, p crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		return d.Lose(p, o.Date, o.Reasons, o.Note, o.Competitor, o.CompetitorProduct)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d lost on %s (%s)", d.ID, d.ClosedOn, strings.Join(d.Reasons, ", "))
	})
}
