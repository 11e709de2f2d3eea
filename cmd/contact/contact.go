// Package contact implements `crm contact add|list|edit|rm|coverage`.
package contact

import (
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
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
	cmd.AddCommand(newAddCmd(f, nil), newListCmd(f, nil), newEditCmd(f, nil), newRmCmd(f, nil), newCoverageCmd(f, nil))
	return cmd
}

// fields are the --FIELD flags of add and edit; changed holds the names
// given on the command line (only those are applied).
type fields struct {
	role, title, phone, email, note, name string
	changed                               map[string]bool
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

// given records which of names were set on the command line.
func (v *fields) given(cmd *cobra.Command, names ...string) {
	v.changed = map[string]bool{}
	for _, name := range names {
		if cmd.Flags().Changed(name) {
			v.changed[name] = true
		}
	}
}

func (v *fields) apply(k *crm.Contact) error {
	changed := func(name string) bool { return v.changed[name] }
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

func contactID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "id:"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cmdutil.FlagErrorf("contact id %q: must be a number (see 'crm contact list')", s)
	}
	return id, nil
}
