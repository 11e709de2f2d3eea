// Package complaint implements `crm complaint`: logging complaints, the
// course's four-step handling with the day-3 follow-up, and the views over
// them (list, show, due, systemic, stats). The rules are in
// internal/crm/complaint.go; this package parses flags and prints.
package complaint

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

// NewCmd returns the complaint noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "complaint",
		Aliases: []string{"complaints"},
		Short:   "Log complaints and handle them: classify, four steps, day-3 follow-up, systemic check",
		Long: `Complaint handling as the course teaches it (处理大客户抱怨):

  1. calm the customer first (RMLSP: Regret, Manners, Listen, Sympathize, Promise);
     'complaint log' prints the reminder on a terminal;
  2. classify: key (关键), general (一般), false (虚假), malicious (恶意). A new complaint
     is key when the customer is tier A or the severity is extreme, else general;
     'complaint classify' changes it, with a reason;
  3. handle it in four steps: investigation ('complaint investigate'), then
     responsibility, communication and compensation ('complaint resolve');
  4. follow up on day 3 ('complaint followup'): satisfaction 3-5 closes it, 1-2
     reopens it for another round; 'complaint reopen' reopens by hand;
  5. ask whether it is systemic ('complaint systemic'): the same category from
     several customers within a few days.

Statuses: open → investigating → resolved → closed. 'complaint due' lists the
follow-up calls and resolutions that are due; 'complaint stats' sums it all up.

Settings (config file or CRM_COMPLAINT_… environment variables):
  complaint.followup_days       follow-up due this many days after resolving (3)
  complaint.systemic_customers  distinct customers that make a category systemic (3)
  complaint.systemic_days       … within this many days (30)
  complaint.target_key_days     resolution target of key complaints, days (1)
  complaint.target_general_days resolution target of the other types, days (3)`,
	}
	cmd.AddCommand(newLogCmd(f, nil), newClassifyCmd(f, nil), newInvestigateCmd(f, nil), newResolveCmd(f, nil),
		newFollowUpCmd(f, nil), newReopenCmd(f, nil), newCloseCmd(f, nil),
		newListCmd(f, nil), newShowCmd(f, nil), newDueCmd(f, nil), newSystemicCmd(f, nil), newStatsCmd(f, nil))
	return cmd
}

// ---- arguments and flags -------------------------------------------------

// parseID reads a complaint id argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("complaint id %q: must be a positive number (see 'crm complaint list')", s)
	}
	return id, nil
}

// stepDate reads --date: default today; a date after today is refused (a
// step is recorded when it happened, so a class can replay last month's case,
// but not ahead of time).
func stepDate(f *cmdutil.Factory, v string) (crm.Date, error) {
	today := f.Today()
	if strings.TrimSpace(v) == "" {
		return today, nil
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

// required refuses an empty text flag.
func required(name, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", cmdutil.FlagErrorf("--%s is required and must not be empty", name)
	}
	return v, nil
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

// ---- settings ------------------------------------------------------------

// settings are the complaint.* configuration keys.
type settings struct {
	followupDays      int
	systemicCustomers int
	systemicDays      int
	targets           map[crm.ComplaintType]int
}

func loadSettings(f *cmdutil.Factory) (settings, error) {
	c, err := cmdutil.ComplaintSettings(f)
	return settings{followupDays: c.FollowUpDays, systemicCustomers: c.SystemicCustomers, systemicDays: c.SystemicDays,
		targets: c.Targets}, err
}

// dueDate is when c's next step is due (crm's Complaint.Next), NoDate when
// nothing is.
func (s settings) dueDate(c crm.Complaint) crm.Date {
	_, due, _ := c.Next(crm.DueOptions{FollowUpDays: s.followupDays, Targets: s.targets})
	return due
}

// ---- labels and values ---------------------------------------------------

func typeLabel(t crm.ComplaintType) output.Label {
	return output.Label{Value: string(t), Zh: t.Label("zh")}
}

func statusLabel(s crm.ComplaintStatus) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func severityLabel(s crm.Severity) output.Label {
	return output.Label{Value: string(s), Zh: s.Label("zh")}
}

func channelLabel(c crm.ComplaintChannel) output.Label {
	return output.Label{Value: string(c), Zh: c.Label("zh")}
}

func respLabel(r crm.Responsibility) any {
	if r == "" {
		return nil
	}
	return output.Label{Value: string(r), Zh: r.Label("zh")}
}

func eventLabel(k crm.ComplaintEventKind) output.Label {
	return output.Label{Value: string(k), Zh: k.Label("zh")}
}

// nextStep names what the handler does next with c (crm's Complaint.Next).
func nextStep(c crm.Complaint) any {
	step, _, ok := c.Next(crm.DueOptions{})
	if !ok {
		return nil
	}
	return output.Label{Value: string(step), Zh: step.Label("zh")}
}

// money is a compensation cell: empty until one was decided.
func money(c crm.Complaint) any {
	if !c.HasCompensation {
		return nil
	}
	return c.Compensation
}

func satisfaction(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// list is a list value: "a; b" in tables and CSV, an array in JSON.
type list []string

func (l list) String() string { return strings.Join(l, "; ") }

// MarshalJSON writes an array ([] when empty).
func (l list) MarshalJSON() ([]byte, error) {
	if l == nil {
		l = list{}
	}
	return marshalStrings(l)
}

// ids is a list of complaint ids: "1 2 3" in tables and CSV, an array in JSON.
type ids []int64

func (l ids) String() string {
	parts := make([]string, len(l))
	for i, id := range l {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, " ")
}

// MarshalJSON writes an array of numbers.
func (l ids) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

func marshalStrings(l []string) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range l {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(s))
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

// ---- the complaint record ------------------------------------------------

// complaintRecord is one complaint field by field (log, steps, show).
func complaintRecord(c crm.Complaint, s settings, full bool) *output.Record {
	r := &output.Record{}
	r.Add("id", "Id", "投诉编号", c.ID)
	r.Add("customer_code", "Customer", "客户编号", c.CustomerCode)
	r.Add("date", "Date", "日期", c.Date)
	if full {
		r.Add("channel", "Channel", "渠道", channelLabel(c.Channel))
	}
	r.Add("category", "Category", "类别", c.Category)
	r.Add("severity", "Severity", "严重程度", severityLabel(c.Severity))
	r.Add("type", "Type", "类型", typeLabel(c.Type))
	r.Add("status", "Status", "状态", statusLabel(c.Status))
	r.Add("reopens", "Reopens", "重新处理次数", c.Reopens)
	if full {
		r.Add("text", "Complaint", "投诉内容", c.Text)
		r.Add("finding", "Finding", "情况调查", c.Finding)
		r.Add("responsibility", "Responsibility", "责任划分", respLabel(c.Responsibility))
		r.Add("communicated", "Communicated", "客户沟通", c.Communicated)
		r.Add("compensation", "Compensation", "客户补偿", money(c))
		r.Add("resolved_on", "Resolved", "解决日期", c.ResolvedOn)
		r.Add("closed_on", "Closed", "关闭日期", c.ClosedOn)
		r.Add("satisfaction", "Satisfaction", "满意度", satisfaction(c.Satisfaction))
	}
	r.Add("next_step", "Next step", "下一步", nextStep(c))
	r.Add("due_date", "Due", "到期日", s.dueDate(c))
	return r
}

// printStep prints the complaint after a step: a line to stderr, the record to stdout.
func printStep(f *cmdutil.Factory, c crm.Complaint, s settings, msg string) error {
	fmt.Fprintln(f.IO.ErrOut, msg)
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), complaintRecord(c, s, false))
}

// transition is the status change of c's latest step: "open → investigating".
func transition(c crm.Complaint) string {
	if len(c.Events) == 0 {
		return string(c.Status)
	}
	e := c.Events[len(c.Events)-1]
	if e.FromStatus == e.ToStatus || e.FromStatus == "" {
		return string(e.ToStatus)
	}
	return string(e.FromStatus) + " → " + string(e.ToStatus)
}
