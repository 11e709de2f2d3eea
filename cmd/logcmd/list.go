package logcmd

import (
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `log list`.
type ListOptions struct {
	F        *cmdutil.Factory
	Customer string // REF
	Contact  string // id or exact name (of --customer)
	Filter   crm.InteractionFilter
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	var from, to, types, sort, deal string
	o := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List interactions, oldest first (dated up to --as-of)",
		Example: `  crm log list --customer C0001
  crm log list --from 2026-11-01 --type call,visit --format csv
  crm log list --sort -date --limit 20`,
		Long: `List interactions dated from --from to --to (default --as-of): later ones are
left out. --customer REF, --contact (an id, or an exact name with --customer),
--deal ID and --type (comma separated: call, visit, meeting, email, letter,
message, event, note) narrow it down. --sort date (default), customer or type,
- in front for descending; --limit N.

CSV and JSON columns: id, date, time, customer_code, customer_name, contact,
deal_id, type, direction, outcome, purpose, notice_level, minutes, touch,
subject, text. touch is visit (面访), touch (有效接触) or none. Tables cut the
subject and the text.` + cmdutil.ExitStatusHelp("An unknown --customer or --contact is exit 1."),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if o.Filter.From, o.Filter.To, err = cmdutil.ParsePeriod(from, to, f.Globals.AsOf, false); err != nil {
				return err
			}
			for _, s := range strings.Split(types, ",") {
				if strings.TrimSpace(s) == "" {
					continue
				}
				t, err := crm.ParseInteractionType(s)
				if err != nil {
					return cmdutil.FlagErrorf("--%v", err)
				}
				o.Filter.Types = append(o.Filter.Types, t)
			}
			if sort != "" {
				s, err := cmdutil.ParseSort(sort, "date", "customer", "type")
				if err != nil {
					return err
				}
				o.Filter.Sort, o.Filter.Desc = s.Key, s.Desc
			}
			if deal != "" {
				if o.Filter.DealID, err = parseID("--deal", deal); err != nil {
					return err
				}
			}
			if err := cmdutil.CheckLimit(o.Filter.Limit); err != nil {
				return err
			}
			if o.Contact != "" && o.Customer == "" {
				if _, err := parseID("--contact", o.Contact); err != nil {
					return cmdutil.FlagErrorf("--contact %q: a name needs --customer REF; or give the contact's id", o.Contact)
				}
			}
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Customer, "customer", "", "only this customer's (REF)")
	fl.StringVar(&o.Contact, "contact", "", "only with this contact (id, or exact name with --customer)")
	fl.StringVar(&deal, "deal", "", "only those linked to this deal (id)")
	fl.StringVar(&from, "from", "", "first day (default: the beginning)")
	fl.StringVar(&to, "to", "", "last day (default --as-of)")
	fl.StringVar(&types, "type", "", "only these types (comma separated)")
	fl.StringVar(&sort, "sort", "", "date (default), customer or type; -KEY descending")
	fl.IntVar(&o.Filter.Limit, "limit", 0, "at most this many (0 = all)")
	return cmd
}

func listRun(o *ListOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	if o.Customer != "" {
		c, err := st.Resolve(ctx, o.Customer)
		if err != nil {
			return err
		}
		o.Filter.CustomerID = c.ID
		if o.Contact != "" {
			ks, err := st.ListContacts(ctx, c.ID)
			if err != nil {
				return err
			}
			for _, k := range ks {
				if k.Name == strings.TrimSpace(o.Contact) {
					o.Filter.ContactID = k.ID
					break
				}
			}
		}
	}
	if o.Contact != "" && o.Filter.ContactID == 0 {
		id, err := parseID("--contact", o.Contact)
		if err != nil {
			return crm.Errorf(crm.ENOTFOUND, "no contact %q of %s", o.Contact, o.Customer)
		}
		if _, err := st.GetContact(ctx, id); err != nil {
			return err
		}
		o.Filter.ContactID = id
	}
	is, err := st.Interactions(ctx, o.Filter)
	if err != nil {
		return err
	}
	table := f.Globals.Format == output.Table
	r := &output.Result{Columns: listColumns, Rows: make([][]any, 0, len(is))}
	for _, i := range is {
		r.Rows = append(r.Rows, listRow(i, table))
	}
	return output.Write(f.IO.Out, f.Globals.Output(), r)
}
