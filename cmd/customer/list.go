package customer

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `customer list`.
type ListOptions struct {
	F      *cmdutil.Factory
	Filter crm.CustomerFilter
}

func newListCmd(f *cmdutil.Factory, runF func(*ListOptions) error) *cobra.Command {
	o := &ListOptions{F: f}
	var typ, sort, tier string
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List customers",
		Example: `  crm customer list --search 上海
  crm customer list --type person --sort name --limit 20 --format csv`,
		Long: `List customers, filtered and sorted. --search matches a substring of the name,
code, phone, email or city, case-insensitively (Chinese substrings too).` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if typ != "" {
				t, err := crm.ParseCustomerType(typ)
				if err != nil {
					return err
				}
				o.Filter.Type = t
			}
			if tier != "" {
				t, err := crm.ParseTier(tier)
				if err != nil {
					return cmdutil.FlagErrorf("--tier %q: must be A, B or C", tier)
				}
				o.Filter.Tier = t
			}
			s, err := cmdutil.ParseSort(sort, "code", "name", "created", "city", "owner", "type")
			if err != nil {
				return err
			}
			o.Filter.Sort, o.Filter.Desc = s.Key, s.Desc
			if err := cmdutil.CheckLimit(o.Filter.Limit); err != nil {
				return err
			}
			if runF != nil {
				return runF(o)
			}
			return listRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&o.Filter.Search, "search", "s", "", "substring of name, code, phone, email or city")
	fl.StringVar(&typ, "type", "", "only company or person")
	fl.StringVar(&o.Filter.Owner, "owner", "", "only customers of this owner")
	fl.StringVar(&o.Filter.City, "city", "", "only customers in this city")
	fl.StringVar(&tier, "tier", "", "only customers of this A/B/C tier as of --as-of (pins included; see 'crm tier')")
	fl.StringVar(&sort, "sort", "code", "sort by code, name, created, city, owner or type; prefix - for descending")
	fl.IntVar(&o.Filter.Limit, "limit", 0, "at most this many (0 = all)")
	return cmd
}

func listRun(o *ListOptions) error {
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	flt := o.Filter
	if flt.Tier != "" {
		tiers, err := crm.CustomerTiers(o.F.Context(), st, o.F.Globals.AsOf)
		if err != nil {
			return err
		}
		flt.IDs = []int64{}
		for id, t := range tiers {
			if t == flt.Tier {
				flt.IDs = append(flt.IDs, id)
			}
		}
	}
	cs, err := st.List(o.F.Context(), flt)
	if err != nil {
		return err
	}
	return output.Write(o.F.IO.Out, o.F.Globals.Output(), ListResult(cs))
}

// ListResult is the customer listing.
func ListResult(cs []crm.Customer) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("id", "Id", "编号"), output.Col("code", "Code", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("type", "Type", "类型"), output.Col("owner", "Owner", "负责人"), output.Col("phone", "Phone", "电话"),
		output.Col("email", "Email", "邮箱"), output.Col("city", "City", "城市"), output.NumCol("terms_days", "Terms", "账期(天)"),
	}}
	for _, c := range cs {
		r.Rows = append(r.Rows, []any{c.ID, c.Code, c.Name, views.TypeLabel(c.Type), c.Owner, c.Phone, c.Email, c.City, c.TermsDays})
	}
	return r
}
