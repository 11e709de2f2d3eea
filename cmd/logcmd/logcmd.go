// Package logcmd implements `crm log`: recording calls, visits, meetings,
// email, letters, messages, events and notes (联系记录, SPEC §8.1), with the
// next step in the same command, and listing and removing them. The rules
// are in internal/crm/interaction.go; this package parses flags and prints.
package logcmd

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the log noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Record calls, visits, meetings and notes with customers (联系记录); list and remove them",
		Long: `Every contact with a customer, recorded as it happened (与客户的每一次交往都要有详细的记录):

  crm log call|visit|meeting|email|letter|message|event|note REF --subject … [--text …]

A touch (有效接触) is an interaction that is not a note and reached the customer:
a call with --outcome no_answer (未接通) is logged but is no touch, so it never
resets a follow-up rhythm. A visit (面访) is a touch of type visit or meeting.

The next step goes in the same command: --next TEXT --next-due DATE adds a task
(待办) linked to the same customer, contact and deal; --done TASK closes a task on
the interaction's date. Either everything is recorded or nothing.

'log list' lists them, 'log rm ID' removes one.`,
	}
	for _, t := range crm.InteractionTypes {
		cmd.AddCommand(newRecordCmd(f, t, nil))
	}
	cmd.AddCommand(newListCmd(f, nil), newRmCmd(f, nil))
	return cmd
}

// parseID reads an id argument or flag.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("%s %q: must be a positive number", what, s)
	}
	return id, nil
}

// readText returns v, or all of stdin when v is "-".
func readText(f *cmdutil.Factory, name, v string) (string, error) {
	if v != "-" {
		return v, nil
	}
	b, err := io.ReadAll(f.IO.In)
	if err != nil {
		return "", fmt.Errorf("--%s -: reading stdin: %w", name, err)
	}
	return string(b), nil
}

func label[T ~string](v T, zh string) any {
	if v == "" {
		return nil
	}
	return output.Label{Value: string(v), Zh: zh}
}

// touchLabel says what an interaction counts as: visit, touch or none.
func touchLabel(i crm.Interaction) output.Label {
	switch crm.Touch(i.Type, i.Outcome) {
	case crm.TouchVisit:
		return output.Label{Value: "visit", Zh: "面访"}
	case crm.TouchTouch:
		return output.Label{Value: "touch", Zh: "有效接触"}
	}
	return output.Label{Value: "none", Zh: "无"}
}

func noticeLabel(n crm.NoticeLevel) any {
	if n == "" {
		return nil
	}
	return output.Label{Value: string(n), Zh: n.Label("zh")}
}

func minutes(i crm.Interaction) any {
	if !i.HasMinutes {
		return nil
	}
	return i.Minutes
}

func idOrNil(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func textOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Record is one interaction field by field (log TYPE prints it).
func Record(i crm.Interaction) *output.Record {
	r := &output.Record{}
	r.Add("id", "Id", "记录编号", i.ID)
	r.Add("date", "Date", "日期", i.Date)
	r.Add("time", "Time", "时间", textOrNil(i.Time))
	r.Add("customer_code", "Customer", "客户编号", i.CustomerCode)
	r.Add("customer_name", "Name", "客户名称", i.CustomerName)
	r.Add("contact", "Contact", "联系人", textOrNil(i.ContactName))
	r.Add("deal_id", "Deal", "机会", idOrNil(i.DealID))
	r.Add("type", "Type", "方式", label(i.Type, i.Type.Label("zh")))
	r.Add("direction", "Direction", "方向", label(i.Direction, i.Direction.Label("zh")))
	r.Add("outcome", "Outcome", "结果", label(i.Outcome, i.Outcome.Label("zh")))
	r.Add("purpose", "Purpose", "目的", label(i.Purpose, i.Purpose.Label("zh")))
	r.Add("notice_level", "Notice", "催款级别", noticeLabel(i.NoticeLevel))
	r.Add("minutes", "Minutes", "时长(分钟)", minutes(i))
	r.Add("touch", "Counts as", "计为", touchLabel(i))
	r.Add("subject", "Subject", "主题", i.Subject)
	r.Add("text", "Text", "内容", i.Text)
	return r
}

// listColumns are the columns of log list, in table and CSV alike.
var listColumns = []output.Column{
	output.NumCol("id", "Id", "记录编号"), output.Col("date", "Date", "日期"), output.Col("time", "Time", "时间"),
	output.Col("customer_code", "Customer", "客户编号"), output.Col("customer_name", "Name", "客户名称"),
	output.Col("contact", "Contact", "联系人"), output.NumCol("deal_id", "Deal", "机会"),
	output.Col("type", "Type", "方式"), output.Col("direction", "Direction", "方向"),
	output.Col("outcome", "Outcome", "结果"), output.Col("purpose", "Purpose", "目的"),
	output.Col("notice_level", "Notice", "催款级别"), output.NumCol("minutes", "Min", "分钟"),
	output.Col("touch", "Counts as", "计为"), output.Col("subject", "Subject", "主题"), output.Col("text", "Text", "内容"),
}

func listRow(i crm.Interaction, table bool) []any {
	subject, text := i.Subject, i.Text
	if table {
		subject, text = cut(subject, 30), cut(text, 40)
	}
	return []any{i.ID, i.Date, textOrNil(i.Time), i.CustomerCode, i.CustomerName, textOrNil(i.ContactName), idOrNil(i.DealID),
		label(i.Type, i.Type.Label("zh")), label(i.Direction, i.Direction.Label("zh")),
		label(i.Outcome, i.Outcome.Label("zh")), label(i.Purpose, i.Purpose.Label("zh")), noticeLabel(i.NoticeLevel),
		minutes(i), touchLabel(i), subject, text}
}

// cut shortens s to n characters on one line, with "…" when cut.
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
