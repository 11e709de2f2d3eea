package complaint

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// LogOptions are the inputs of `complaint log`.
type LogOptions struct {
	F        *cmdutil.Factory
	Ref      string
	Date     crm.Date
	Channel  crm.ComplaintChannel
	Category string
	Severity crm.Severity
	Text     string
}

func newLogCmd(f *cmdutil.Factory, runF func(*LogOptions) error) *cobra.Command {
	var date, channel, severity, text string
	o := &LogOptions{F: f}
	cmd := &cobra.Command{
		Use:   "log REF --category C --text T",
		Short: "Log a customer's complaint; prints its id and type",
		Example: `  crm complaint log C0001 --category 交货延迟 --text "第二批货晚到一周" --severity high --channel phone
  crm complaint log 00042 --category "damaged goods" --text - < email.txt
  crm complaint log C0001 --category 产品质量 --text "…" --date 2026-10-05   # replaying last month's case`,
		Long: `Log a complaint of customer REF (code, id or id:N) and print it with its new id.

Its type is key (关键) when the customer is tier A on the complaint's date (computed
from the orders up to that date with the default 80/20 rule, as 'crm tier --as-of'
does, or pinned) or the severity is extreme, else general (一般); 'complaint
classify' changes it with a reason.

On a terminal the RMLSP reminder is printed (stderr): calm the customer before
handling the complaint. A warning goes to stderr when this complaint makes its
category systemic (complaints from complaint.systemic_customers customers within
complaint.systemic_days days).

--text - reads the description from stdin. --date defaults to today; a date in
the future is refused. Categories are compared in lower case with single spaces.` +
			cmdutil.ExitStatusHelp("An unknown REF is exit 1; a missing or empty --category or --text is exit 2."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			var err error
			if o.Date, err = stepDate(f, date); err != nil {
				return err
			}
			if o.Category, err = required("category", o.Category); err != nil {
				return err
			}
			if text, err = readText(f, "text", text); err != nil {
				return err
			}
			if o.Text, err = required("text", text); err != nil {
				return err
			}
			if o.Channel, err = crm.ParseComplaintChannel(channel); err != nil {
				return cmdutil.FlagErrorf("--channel: %v", err)
			}
			if o.Severity, err = crm.ParseSeverity(severity); err != nil {
				return cmdutil.FlagErrorf("--severity: %v", err)
			}
			if runF != nil {
				return runF(o)
			}
			return logRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Category, "category", "", "what the complaint is about, e.g. 交货延迟 or \"late delivery\" (required)")
	fl.StringVar(&text, "text", "", "the customer's complaint in their words; - reads stdin (required)")
	fl.StringVar(&severity, "severity", "normal", "low, normal, high or extreme (an extreme one is key)")
	fl.StringVar(&channel, "channel", "other", "how it came in: phone, email, visit, web or other")
	fl.StringVar(&date, "date", "", "the day it came in (default today)")
	return cmd
}

func logRun(o *LogOptions) error {
	f := o.F
	s, err := loadSettings(f)
	if err != nil {
		return err
	}
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	cust, err := st.Resolve(ctx, o.Ref)
	if err != nil {
		return err
	}
	c, err := st.AddComplaint(ctx, crm.Complaint{CustomerID: cust.ID, CustomerCode: cust.Code, Date: o.Date,
		Channel: o.Channel, Category: o.Category, Severity: o.Severity, Text: o.Text})
	if err != nil {
		return err
	}
	lang := f.Globals.Lang
	w := f.IO.ErrOut
	why := ""
	switch {
	case c.Type == crm.ComplaintKey && c.Severity == crm.SeverityExtreme:
		why = " (severity extreme)"
	case c.Type == crm.ComplaintKey:
		why = " (customer is tier A)"
	}
	fmt.Fprintf(w, "Logged complaint %d for %s (%s): type %s%s\n", c.ID, cust.Code, cust.Name, c.Type.Label(lang), why)
	if f.IO.ErrTTY {
		fmt.Fprintf(w, "\n%s\n%s: %s\n\n", strings.TrimRight(crm.RMLSPReminder(lang), "\n"),
			c.Type.Label(lang), c.Type.Description(lang))
	}
	lites, err := st.ComplaintLites(ctx, c.Category, c.Date.AddDays(1-s.systemicDays), c.Date.AddDays(s.systemicDays-1))
	if err != nil {
		return err
	}
	if ok, cl := crm.MakesSystemic(lites, c.Lite(), s.systemicCustomers, s.systemicDays); ok {
		fmt.Fprint(w, systemicWarning(cl, s, lang))
	}
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), complaintRecord(c, s, false))
}

// systemicWarning is the stderr warning of a complaint that makes its category systemic.
func systemicWarning(cl crm.SystemicCluster, s settings, lang string) string {
	codes := make([]string, len(cl.Customers))
	for i, c := range cl.Customers {
		codes[i] = c.Code
	}
	if crm.IsZh(lang) {
		return fmt.Sprintf("警告:类别“%s”已成为普遍性投诉:%d 天内有 %d 个客户投诉(%s)。\n"+
			"请进行普遍性判断:对关键客户和典型客户开展专题调查;如属普遍现象,应修正企业政策。\n",
			cl.Category, s.systemicDays, len(codes), strings.Join(codes, ", "))
	}
	return fmt.Sprintf("Warning: category %q is now systemic: %d customers complained within %d days (%s).\n"+
		"Ask whether the problem is general: survey key and typical customers, and if it is, change the policy.\n",
		cl.Category, len(codes), s.systemicDays, strings.Join(codes, ", "))
}
