// Package deal implements `crm deal`: deals (opportunities, 机会) with the
// course's prospect levels H/A/B/C (潜客级别), each step an append-only event
// (SPEC §9). The rules are in internal/crm/deal_steps.go; this package
// parses flags and prints.
package deal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the deal noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "deal",
		Aliases: []string{"deals", "opportunity", "opp"},
		Short:   "Deals (opportunities, 机会) with prospect levels H/A/B/C: add, level, freeze, win, lose …",
		Long: `Deals are the sales opportunities worked with a customer (机会), as in the
course's CRM manual: title 机会标题, description 机会描述, customer 所属客户,
status 机会状态, note 机会备注, background 项目背景, prospect level 潜客级别,
amount 预计金额, expected close 预计成交日期, owner 负责人, source 信息来源.

Levels (潜客判定和跟踪标准) and their defaults:
  H  expected to buy within 7 days,  follow up every 2 days,  weighted 80 %
  A  within 15 days,                 every 4 days,            50 %
  B  within 30 days,                 every 7 days,            30 %
  C  within 90 days,                 every 15 days,           10 %
Statuses: open 跟进中, dormant 冷冻, won 成交 (O), lost 战败 (F).

Steps: add → level (升级/降级) … → win or lose; freeze/wake a deal put on ice;
reopen a won or lost one. Every step is an event with its date (--date, default
--as-of); 'deal show' prints the timeline and every answer replays at any --as-of.

Settings (config file or CRM_DEAL_… environment variables):
  deal.levels.H.window_days|cadence_days|probability (and A, B, C)
  deal.hot_levels (H,A)  deal.misjudge_days (90)  deal.lost_reasons
  funnel.producing_days (365)`,
	}
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newShowCmd(f, nil), newEditCmd(f, nil),
		newLevelCmd(f, nil), newFreezeCmd(f, nil), newWakeCmd(f, nil), newWinCmd(f, nil), newLoseCmd(f, nil),
		newReopenCmd(f, nil))
	cmd.AddCommand(reportCmds(f)...)
	return cmd
}

// ---- arguments and flags ---------------------------------------------------

// parseID reads a deal id argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("deal id %q: must be a positive number (see 'crm deal list')", s)
	}
	return id, nil
}

// stepDate reads --date: default --as-of (today unless given); a date after
// today is refused (a step is recorded when it happened).
func stepDate(f *cmdutil.Factory, v string) (crm.Date, error) {
	today := f.Today()
	if strings.TrimSpace(v) == "" {
		d := f.Globals.AsOf
		if d == crm.NoDate {
			d = today
		}
		return d, nil
	}
	d, err := cmdutil.ParseDateFlag("date", v)
	if err != nil {
		return crm.NoDate, err
	}
	if d > today {
		return crm.NoDate, cmdutil.FlagErrorf("--date %s is in the future (today is %s)", d, today)
	}
	return d, nil
}

func addDateFlag(cmd *cobra.Command, date *string) {
	cmd.Flags().StringVar(date, "date", "", "the day this step happened (default --as-of, i.e. today; not before the deal's latest step)")
}

// stepHelp is the end of every step's long help.
const stepHelp = `

--date records when the step happened (default --as-of, else today), so a class
can replay last month's deals; it may not be before the deal's latest step nor
after today. The step and the deal's new state are written in one transaction.`

var stepExit = cmdutil.ExitStatusHelp("An unknown ID (or contact, order) or a step the deal's status does not allow is exit 1;\n  a bad or missing value, or a date before the deal's latest step, is exit 2. Nothing is written on error.")

// ---- labels and the record -------------------------------------------------

func statusLabel(s crm.DealStatus) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func eventLabel(k crm.DealEventKind) output.Label {
	return output.Label{Value: string(k), Zh: k.Label("zh")}
}

func levelCell(l crm.Level) any {
	if l == "" {
		return nil
	}
	return string(l)
}

func idCell(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// probability is the effective percent of an open or dormant deal (the
// override or the level's); nil for closed deals.
func probability(d crm.Deal, p crm.DealPolicy) any {
	if d.Status.Closed() {
		return nil
	}
	return d.ProbabilityAt(p)
}

func weighted(d crm.Deal, p crm.DealPolicy) any {
	if d.Status != crm.DealOpen {
		return nil
	}
	return d.Weighted(p)
}

func wonAmount(d crm.Deal) any {
	if d.Status != crm.DealWon {
		return nil
	}
	return d.WonAmount
}

// reasonList is lost reason keys with their Chinese labels (deal.lost_reasons).
func reasonList(keys []string, p crm.DealPolicy) output.Labels {
	out := make(output.Labels, len(keys))
	for i, k := range keys {
		out[i] = output.Label{Value: k, Zh: p.ReasonLabel(k, "zh")}
	}
	return out
}

// dealRecord is one deal field by field (add, steps, show); full adds the texts.
func dealRecord(d crm.Deal, p crm.DealPolicy, asOf crm.Date, contact string, full bool) *output.Record {
	r := &output.Record{}
	r.Add("id", "Id", "机会编号", d.ID)
	r.Add("customer_code", "Customer", "客户编号", d.CustomerCode)
	r.Add("customer_name", "Name", "所属客户", d.CustomerName)
	r.Add("title", "Title", "机会标题", d.Title)
	r.Add("status", "Status", "机会状态", statusLabel(d.Status))
	r.Add("level", "Level", "潜客级别", levelCell(d.Level))
	r.Add("previous_level", "Previous level", "原有级别", levelCell(d.PreviousLevel))
	r.Add("level_since", "Level since", "定级日期", d.LevelSince)
	r.Add("max_level", "Max level", "最高级别", levelCell(d.MaxLevel))
	r.Add("amount", "Amount", "预计金额", d.Amount)
	r.Add("probability", "Probability %", "成交概率%", probability(d, p))
	r.Add("weighted", "Weighted", "加权金额", weighted(d, p))
	var expected any
	if !d.Status.Closed() {
		expected = d.ExpectedCloseAt(p)
	}
	r.Add("expected_close", "Expected close", "预计成交日期", expected)
	r.Add("owner", "Owner", "负责人", d.Owner)
	r.Add("source", "Source", "信息来源", d.Source)
	if full {
		r.Add("contact_id", "Contact id", "联系人编号", idCell(d.ContactID))
		r.Add("contact", "Contact", "联系人", contact)
	}
	r.Add("created", "Created", "创建日期", d.Created)
	r.Add("days_open", "Days open", "跟进天数", d.DaysOpen(asOf))
	r.Add("dormant_until", "Dormant until", "冷冻至", d.DormantUntil)
	r.Add("closed_on", "Closed", "关闭日期", d.ClosedOn)
	r.Add("won_amount", "Won amount", "成交金额", wonAmount(d))
	if full {
		r.Add("order_id", "Order id", "订单编号", idCell(d.OrderID))
	}
	r.Add("reasons", "Lost reasons", "战败原因", reasonList(d.Reasons, p))
	r.Add("competitor", "Competitor", "竞争对手", d.Competitor)
	r.Add("competitor_product", "Competitor product", "竞品", d.CompetitorProduct)
	r.Add("reopens", "Reopens", "重新跟进次数", d.Reopens)
	if full {
		r.Add("external_id", "External id", "外部编号", d.ExternalID)
		r.Add("description", "Description", "机会描述", d.Description)
		r.Add("background", "Background", "项目背景", d.Background)
		r.Add("note", "Note", "机会备注", d.Note)
	}
	return r
}

// printDeal prints the deal after a step: a line to stderr, the record to stdout.
func printDeal(f *cmdutil.Factory, d crm.Deal, p crm.DealPolicy, asOf crm.Date, msg string) error {
	fmt.Fprintln(f.IO.ErrOut, msg)
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), dealRecord(d, p, asOf, "", false))
}
