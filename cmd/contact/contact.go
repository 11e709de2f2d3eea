// Package contact implements `crm contact add|list|edit|rm|coverage`.
package contact

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// NewCmd returns the contact noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "contact",
		Aliases: []string{"contacts"},
		Short:   "Contacts at customers, by decision layer",
		Long: `The course teaches four layers of people at a customer: image (形象层),
decision (决策层), implementation (实施层) and user (使用层), and at least three
contacts per company. --role takes the English or the Chinese name.`,
	}
	cmd.AddCommand(newAddCmd(f), newListCmd(f), newEditCmd(f), newRmCmd(f), newCoverageCmd(f))
	return cmd
}

type fields struct {
	role, title, phone, email, note, name string
}

func (v *fields) register(cmd *cobra.Command, withName bool) {
	fl := cmd.Flags()
	fl.StringVar(&v.role, "role", "", "decision layer: image, decision, implementation or user")
	fl.StringVar(&v.title, "title", "", "job title")
	fl.StringVar(&v.phone, "phone", "", "phone number")
	fl.StringVar(&v.email, "email", "", "email address")
	fl.StringVar(&v.note, "note", "", "free note")
	if withName {
		fl.StringVar(&v.name, "name", "", "the contact's name")
	}
	cmd.RegisterFlagCompletionFunc("role", cobra.FixedCompletions([]string{"image", "decision", "implementation", "user"}, cobra.ShellCompDirectiveNoFileComp))
}

func (v *fields) apply(k *crm.Contact, changed func(string) bool) error {
	if changed("role") {
		r, err := crm.ParseRole(v.role)
		if err != nil {
			return err
		}
		k.Role = r
	}
	set := func(name string, dst *string, val string) {
		if changed(name) {
			*dst = val
		}
	}
	set("title", &k.Title, v.title)
	set("phone", &k.Phone, v.phone)
	set("email", &k.Email, v.email)
	set("note", &k.Note, v.note)
	set("name", &k.Name, v.name)
	return nil
}

func newAddCmd(f *cmdutil.Factory) *cobra.Command {
	v := &fields{}
	cmd := &cobra.Command{
		Use:     "add CUSTOMER NAME --role LAYER",
		Short:   "Add a contact at a customer",
		Example: `  crm contact add 00042 "王建国" --role decision --title 总经理 --phone 13800000000`,
		Long:    "Add a contact at a customer; --role is required." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(2, "CUSTOMER", "NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("role") {
				return cmdutil.FlagErrorf("missing --role (image, decision, implementation or user)")
			}
			k := &crm.Contact{Name: args[1]}
			if err := v.apply(k, cmd.Flags().Changed); err != nil {
				return err
			}
			if err := k.Validate(); err != nil {
				return err
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			c, err := st.Resolve(f.Context(), args[0])
			if err != nil {
				return err
			}
			k.CustomerID, k.CustomerCode, k.CustomerName = c.ID, c.Code, c.Name
			if err := st.AddContact(f.Context(), k); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Added contact %d (%s) at %s\n", k.ID, k.Name, c.Code)
			return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult([]crm.Contact{*k}, true))
		},
	}
	v.register(cmd, false)
	return cmd
}

func newListCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "list [CUSTOMER]",
		Aliases: []string{"ls"},
		Short:   "List contacts, of one customer or of all",
		Long:    "List contacts in layer order (image, decision, implementation, user)." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.RangeArgs(0, 1, "CUSTOMER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			var id int64
			if len(args) == 1 {
				c, err := st.Resolve(f.Context(), args[0])
				if err != nil {
					return err
				}
				id = c.ID
			}
			ks, err := st.ListContacts(f.Context(), id)
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult(ks, true))
		},
	}
}

func contactID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "id:"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("contact id %q: must be a number (see 'crm contact list')", s)
	}
	return id, nil
}

func newEditCmd(f *cmdutil.Factory) *cobra.Command {
	v := &fields{}
	var move string
	cmd := &cobra.Command{
		Use:     "edit ID --FIELD VALUE …",
		Short:   "Change some fields of a contact",
		Example: `  crm contact edit 7 --role decision --title 采购总监`,
		Long:    "Change the given fields of a contact; --customer moves it to another customer." + cmdutil.ExitStatusHelp(""),
		Args:    cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := contactID(args[0])
			if err != nil {
				return err
			}
			changed := false
			for _, name := range []string{"role", "title", "phone", "email", "note", "name", "customer"} {
				changed = changed || cmd.Flags().Changed(name)
			}
			if !changed {
				return cmdutil.FlagErrorf("nothing to change: give at least one --FIELD VALUE")
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			k, err := st.GetContact(f.Context(), id)
			if err != nil {
				return err
			}
			if err := v.apply(k, cmd.Flags().Changed); err != nil {
				return err
			}
			if move != "" {
				c, err := st.Resolve(f.Context(), move)
				if err != nil {
					return err
				}
				k.CustomerID, k.CustomerCode, k.CustomerName = c.ID, c.Code, c.Name
			}
			if err := st.UpdateContact(f.Context(), k); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Updated contact %d\n", k.ID)
			return output.Write(f.IO.Out, f.Globals.Output(), views.ContactsResult([]crm.Contact{*k}, true))
		},
	}
	v.register(cmd, true)
	cmd.Flags().StringVar(&move, "customer", "", "move the contact to this customer")
	return cmd
}

func newRmCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "rm ID",
		Short: "Remove a contact",
		Args:  cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := contactID(args[0])
			if err != nil {
				return err
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			if err := st.DeleteContact(f.Context(), id); err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Removed contact %d\n", id)
			return nil
		},
	}
}

func newCoverageCmd(f *cmdutil.Factory) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Companies with a decision layer missing or fewer than three contacts",
		Long: `List companies whose contacts do not cover all four layers (image, decision,
implementation, user) or number fewer than three, with what is missing.
--all lists every company.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			cov, err := st.Coverage(f.Context())
			if err != nil {
				return err
			}
			r := &output.Result{Columns: []output.Column{
				output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
				output.NumCol("contacts", "Contacts", "联系人数"),
				output.NumCol("image", "Image", "形象层"), output.NumCol("decision", "Decision", "决策层"),
				output.NumCol("implementation", "Implementation", "实施层"), output.NumCol("user", "User", "使用层"),
				output.Col("missing", "Missing", "缺少"),
			}}
			for _, c := range cov {
				if c.Complete() && !all {
					continue
				}
				var miss, missZh []string
				for _, m := range c.Missing() {
					miss = append(miss, string(m))
					missZh = append(missZh, m.Label("zh"))
				}
				if c.Contacts < crm.MinContacts {
					miss = append(miss, fmt.Sprintf("%d more contact(s)", crm.MinContacts-c.Contacts))
					missZh = append(missZh, fmt.Sprintf("还需%d位联系人", crm.MinContacts-c.Contacts))
				}
				r.Rows = append(r.Rows, []any{c.CustomerCode, c.CustomerName, c.Contacts,
					c.ByRole[crm.RoleImage], c.ByRole[crm.RoleDecision], c.ByRole[crm.RoleImplementation], c.ByRole[crm.RoleUser],
					output.Label{Value: strings.Join(miss, ";"), En: strings.Join(miss, ", "), Zh: strings.Join(missZh, "、")}})
			}
			return output.Write(f.IO.Out, f.Globals.Output(), r)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every company, covered or not")
	return cmd
}
