package customer

import (
	"strconv"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// fieldHelp documents the customer's field flags, shared by add and edit.
var fieldHelp = map[string]string{
	"code":         "customer code, unique text (leading zeros kept)",
	"name":         "customer name",
	"type":         "company or person",
	"owner":        "salesperson who owns the account",
	"phone":        "phone number",
	"email":        "email address",
	"fax":          "fax number",
	"address":      "street address",
	"city":         "city",
	"region":       "region or province",
	"country":      "country",
	"industry":     "industry",
	"source":       "where the customer came from (referral, web, fair …)",
	"bank-account": "bank account for payments",
	"tax-id":       "tax id",
	"terms-days":   "payment terms in days",
	"note":         "free note",
}

// addFieldFlags registers one string flag per customer field (name only when withName).
func addFieldFlags(cmd *cobra.Command, vals map[string]*string, withName bool) {
	for _, f := range crm.CustomerFields {
		if f == "name" && !withName {
			continue
		}
		v := new(string)
		vals[f] = v
		def := ""
		if f == "terms-days" && !withName {
			def = strconv.Itoa(crm.DefaultTermsDays)
		}
		if f == "type" && !withName {
			def = string(crm.Company)
		}
		cmd.Flags().StringVar(v, f, def, fieldHelp[f])
	}
	cmd.RegisterFlagCompletionFunc("type", cobra.FixedCompletions([]string{"company", "person"}, cobra.ShellCompDirectiveNoFileComp))
}

// applyFields copies the given flag values onto c; changed tells which were given.
func applyFields(c *crm.Customer, vals map[string]*string, changed func(string) bool) error {
	for _, f := range crm.CustomerFields {
		v, ok := vals[f]
		if !ok || !changed(f) {
			continue
		}
		switch f {
		case "type":
			t, err := crm.ParseCustomerType(*v)
			if err != nil {
				return err
			}
			c.Type = t
		case "terms-days":
			n, err := strconv.Atoi(*v)
			if err != nil {
				return cmdutil.FlagErrorf("--terms-days %q: not a whole number of days", *v)
			}
			c.TermsDays = n
		default:
			*c.Field(f) = *v
		}
	}
	return nil
}
