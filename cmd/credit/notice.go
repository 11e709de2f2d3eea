package credit

import (
	"fmt"
	"io"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NoticeOptions are the inputs of `credit notice`.
type NoticeOptions struct {
	F            *cmdutil.Factory
	Ref          string
	ShowTemplate bool
	// Record logs the notice as an interaction (purpose collection) of type Via.
	Record bool
	Via    crm.InteractionType
}

func newNoticeCmd(f *cmdutil.Factory, runF func(*NoticeOptions) error) *cobra.Command {
	o := &NoticeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "notice REF",
		Short: "Print a collection notice (收款通知书) for REF, in English or Chinese (--lang)",
		Example: `  crm credit notice C0001 --lang zh > 收款通知书.txt
  crm credit notice --show-template --lang zh > notice_zh.tmpl   # a template to edit`,
		Long: `Print the collection notice REF is due at --as-of (see 'credit notices'): the
overdue invoices, the total, and a date to pay by (10 days after the notice for
a first reminder, 7 for a second notice, 5 for a final notice). --lang zh prints
the Chinese letter, --lang en the English one.

The letter comes from a built-in template unless the config file names one:
credit.notice_template_en / credit.notice_template_zh hold either a file path
("~/" is your home folder; relative paths are relative to the current folder)
or, when the value contains "{{", the template text itself. Templates are Go
text/template; --show-template prints the one in use as a starting point. They
see .CustomerCode, .CustomerName, .AsOf, .PayBy, .Level, .Invoices (each .ID,
.Date, .Due, .Amount, .Open, .DaysOverdue), .TotalOverdue, .Outstanding,
.MaxDaysOverdue, .Currency and .Sender (.Company, .Address, .Contact, .Phone,
.Email) and the functions money, date, zhdate, endate, inc and label.
The sender comes from credit.sender.company, .address, .contact, .phone and
.email, the currency sign from credit.currency.

--format json prints the notice's data and the letter as one object.

--record also logs the notice as an interaction (SPEC §8.1): a letter (or --via
email) with purpose collection (催款) and the notice's level, dated --as-of,
the letter as its text ('crm log list --type letter'), in one transaction.` +
			cmdutil.ExitStatusHelp("An unknown REF, nothing overdue, or a template that cannot be read or fails is exit 1."),
		Args: func(cmd *cobra.Command, args []string) error {
			if o.ShowTemplate {
				return cmdutil.NoArgs(cmd, args)
			}
			return cmdutil.ExactArgs(1, "REF")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Ref = args[0]
			}
			if o.Record {
				via, err := crm.ParseInteractionType(string(o.Via))
				if err != nil || (via != crm.InteractionLetter && via != crm.InteractionEmail) {
					return cmdutil.FlagErrorf("--via %q: must be letter or email", o.Via)
				}
				o.Via = via
				if today := f.Today(); f.Globals.AsOf > today {
					return cmdutil.FlagErrorf("--record: --as-of %s is in the future (today is %s)", f.Globals.AsOf, today)
				}
			} else if cmd.Flags().Changed("via") {
				return cmdutil.FlagErrorf("--via goes with --record")
			}
			if runF != nil {
				return runF(o)
			}
			return noticeRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.ShowTemplate, "show-template", false, "print the template the letter is made from (for --lang) and stop")
	cmd.Flags().BoolVar(&o.Record, "record", false, "log the notice as an interaction (purpose collection, its notice level, dated --as-of)")
	o.Via = crm.InteractionLetter
	cmd.Flags().StringVar((*string)(&o.Via), "via", "letter", "with --record: letter or email")
	return cmd
}

func noticeRun(o *NoticeOptions) error {
	f := o.F
	lang := f.Globals.Lang
	tmpl, _, err := noticeTemplate(f, lang)
	if err != nil {
		return err
	}
	if o.ShowTemplate {
		if tmpl == "" {
			if tmpl, err = crm.NoticeTemplate(lang); err != nil {
				return err
			}
		}
		_, err := io.WriteString(f.IO.Out, tmpl)
		return err
	}
	st, c, a, err := loadAccount(f, o.Ref)
	if err != nil {
		return err
	}
	sender := crm.NoticeSender{
		Company: settingString(f, "credit.sender.company"), Address: settingString(f, "credit.sender.address"),
		Contact: settingString(f, "credit.sender.contact"), Phone: settingString(f, "credit.sender.phone"),
		Email: settingString(f, "credit.sender.email"),
	}
	data := crm.NewNoticeData(a.Ledger(f.Globals.AsOf), c.Code, c.Name, sender)
	data.Currency = settingString(f, "credit.currency")
	letter, err := crm.RenderNotice(tmpl, lang, data)
	if err != nil {
		if crm.ErrorCode(err) == crm.EINVALID {
			// Nothing overdue or a broken template: bad data, not bad usage.
			return crm.Errorf(crm.EDATA, "%v", err)
		}
		return err
	}
	if o.Record {
		res, err := st.LogInteraction(f.Context(), crm.LogRequest{Interaction: crm.Interaction{
			CustomerID: c.ID, Date: data.AsOf, Type: o.Via, Purpose: crm.PurposeCollection, NoticeLevel: data.Level,
			Subject: crm.Pick(lang, "Collection notice: ", "收款通知书:") + data.Level.Label(lang), Text: letter}})
		if err != nil {
			return err
		}
		fmt.Fprintln(f.IO.ErrOut, crm.Pick(lang,
			fmt.Sprintf("Recorded the notice as %s %d (collection, %s) on %s", o.Via, res.Interaction.ID, data.Level, data.AsOf),
			fmt.Sprintf("已记录催款%s %d(%s),%s", o.Via.Label(lang), res.Interaction.ID, data.Level.Label(lang), data.AsOf)))
	}
	w, g := f.IO.Out, f.Globals
	switch g.Format {
	case output.JSON, output.CSV:
		rec := &output.Record{}
		rec.Add("customer_code", "", "", c.Code)
		rec.Add("name", "", "", c.Name)
		rec.Add("as_of", "", "", data.AsOf)
		rec.Add("level", "", "", string(data.Level))
		rec.Add("max_days_overdue", "", "", data.MaxDaysOverdue)
		rec.Add("overdue", "", "", data.TotalOverdue)
		rec.Add("outstanding", "", "", data.Outstanding)
		rec.Add("pay_by", "", "", data.PayBy)
		rec.Add("lang", "", "", lang)
		if g.Format == output.CSV {
			rec.Add("letter", "", "", letter)
			return output.WriteRecord(w, g.Output(), rec)
		}
		inv := invoicesResult(nil)
		for _, x := range data.Invoices {
			inv.Rows = append(inv.Rows, []any{x.ID, x.Date, x.Due, x.Amount, x.Open, x.DaysOverdue})
		}
		obj := rec.Object()
		obj.Keys = append(obj.Keys, "invoices", "letter")
		obj.Values = append(obj.Values, inv.Objects(), letter)
		return output.WriteJSON(w, obj)
	}
	_, err = fmt.Fprint(w, letter)
	return err
}
