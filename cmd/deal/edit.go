package deal

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// EditOptions are the inputs of `deal edit`.
type EditOptions struct {
	StepOptions
	Changes crm.DealChanges
	Contact string // with Changes.ContactSet: id or exact name; "" clears
}

func newEditCmd(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	var date, contact string
	o := &EditOptions{}
	texts := map[string]**string{}
	cmd := &cobra.Command{
		Use:   "edit ID [--amount A] [--expected-close D] [--probability P] [--contact ID|NAME] …",
		Short: "Change a deal's fields (each change is an event)",
		Example: `  crm deal edit 12 --amount 210,000 --expected-close 2026-12-20
  crm deal edit 12 --probability "" --contact ""   # back to the level's default, no contact`,
		Long: `Change fields of an open or dormant deal: amount, expected close, probability,
contact, competitor, competitor product, title, description, background, note,
owner, source. Each field whose value changes is one edited event; an empty
value clears an optional field (--expected-close "" and --probability "" go back
to the level's defaults). Won and lost deals are reopened first.` + stepHelp + stepExit,
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.parse(f, args, date); err != nil {
				return err
			}
			for name, dst := range texts {
				if fl := cmd.Flags().Lookup(name); fl.Changed {
					v := fl.Value.String()
					*dst = &v
				}
			}
			if cmd.Flags().Changed("contact") {
				o.Changes.ContactSet = true
				o.Contact = strings.TrimSpace(contact)
			}
			if runF != nil {
				return runF(o)
			}
			return editRun(o)
		},
	}
	fl := cmd.Flags()
	ch := &o.Changes
	for _, t := range []struct {
		name, help string
		dst        **string
	}{
		{"amount", "expected amount 预计金额", &ch.Amount},
		{"expected-close", "expected close date 预计成交日期 (\"\": the level's default)", &ch.ExpectedClose},
		{"probability", "probability 0-100 (\"\": the level's)", &ch.Probability},
		{"title", "title 机会标题", &ch.Title},
		{"description", "description 机会描述", &ch.Description},
		{"background", "project background 项目背景", &ch.Background},
		{"note", "note 机会备注", &ch.Note},
		{"owner", "owner 负责人", &ch.Owner},
		{"source", "source 信息来源", &ch.Source},
		{"competitor", "competitor", &ch.Competitor},
		{"competitor-product", "the competitor's product", &ch.CompetitorProduct},
	} {
		fl.String(t.name, "", t.help)
		texts[t.name] = t.dst
	}
	fl.StringVar(&contact, "contact", "", "a contact of the customer: id or exact name (\"\": none)")
	addDateFlag(cmd, &date)
	return cmd
}

func editRun(o *EditOptions) error {
	return runStep(&o.StepOptions, crm.DealRefs{Contact: o.Contact}, func(d crm.Deal, found crm.DealFound, _ crm.DealPolicy) (crm.Deal, []crm.DealEvent, error) {
		ch := o.Changes
		ch.Contact = found.Contact
		return d.Edit(o.Date, ch)
	}, func(d crm.Deal) string {
		return fmt.Sprintf("Deal %d edited", d.ID)
	})
}
