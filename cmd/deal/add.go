package deal

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `deal add`.
type AddOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Draft   crm.DealDraft
	Contact string // id or exact name of a contact of the customer
}

func newAddCmd(f *cmdutil.Factory, runF func(*AddOptions) error) *cobra.Command {
	var date, contact string
	o := &AddOptions{F: f}
	d := &o.Draft
	cmd := &cobra.Command{
		Use:   "add REF TITLE [--amount A] [--level L] [--contact ID|NAME] …",
		Short: "Add a deal (机会) for a customer; prints it with its id",
		Example: `  crm deal add C0001 "二期扩产设备" --amount 180,000 --level B --owner 王芳 --source 展会
  crm deal add 00042 "Fleet renewal" --expected-close 2026-12-15 --probability 40 --contact 7`,
		Long: `Add a deal of customer REF (code, id or id:N) titled TITLE (机会标题): status open
(跟进中) at --level (潜客级别, default C). --amount (预计金额) is 0 or more, default
0; --expected-close (预计成交日期) defaults to the level's window after level_since
until set; --probability 0–100 overrides the level's. --contact is a contact of
that customer (its id or exact name). --date is the day it was created (default --as-of).` +
			cmdutil.ExitStatusHelp("An unknown REF or contact is exit 1; a bad value (level, amount, a contact of another\n  customer) is exit 2. Nothing is written on error."),
		Args: cmdutil.ExactArgs(2, "REF", "TITLE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref, d.Title = args[0], args[1]
			var err error
			if d.Date, err = stepDate(f, date); err != nil {
				return err
			}
			o.Contact = strings.TrimSpace(contact)
			if runF != nil {
				return runF(o)
			}
			return addRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.Amount, "amount", "", "expected amount 预计金额 (default 0)")
	fl.StringVar(&d.Level, "level", "", "prospect level H, A, B or C (default C)")
	fl.StringVar(&contact, "contact", "", "the customer's contact for this deal: id or exact name")
	fl.StringVar(&d.Owner, "owner", "", "owner 负责人")
	fl.StringVar(&d.Source, "source", "", "source 信息来源 (trade fair, referral, web …)")
	fl.StringVar(&d.ExpectedClose, "expected-close", "", "expected close date 预计成交日期 (default level_since + the level's window)")
	fl.StringVar(&d.Probability, "probability", "", "probability 0-100 overriding the level's")
	fl.StringVar(&d.Competitor, "competitor", "", "competitor in the running")
	fl.StringVar(&d.CompetitorProduct, "competitor-product", "", "the competitor's product")
	fl.StringVar(&d.Description, "description", "", "description 机会描述")
	fl.StringVar(&d.Background, "background", "", "project background 项目背景")
	fl.StringVar(&d.Note, "note", "", "note 机会备注")
	addDateFlag(cmd, &date)
	return cmd
}

func addRun(o *AddOptions) error {
	p, err := cmdutil.DealPolicy(o.F)
	if err != nil {
		return err
	}
	st, c, err := o.F.Customer(o.Ref)
	if err != nil {
		return err
	}
	o.Draft.CustomerID = c.ID
	d, err := st.AddDeal(o.F.Context(), o.Draft, crm.DealRefs{Contact: o.Contact})
	if err != nil {
		return err
	}
	d.CustomerName = c.Name
	return printDeal(o.F, d, p, d.Created, fmt.Sprintf("Deal %d added for %s at level %s", d.ID, c.Code, d.Level))
}
