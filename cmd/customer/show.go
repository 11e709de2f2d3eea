package customer

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/crm-course/crm/internal/views"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `customer show`.
type ShowOptions struct {
	F   *cmdutil.Factory
	Ref string
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "show REF",
		Short: "Show every field of a customer, its contacts and counts of its records",
		Long: `Show every field of a customer, its contacts by decision layer, and how many
orders, payments and complaints hang off it.

JSON prints one object with the fields, "contacts" and "counts"; CSV prints the
fields and counts as one row (use 'crm contact list REF' for the contacts).` + cmdutil.ExitStatusHelp("An unknown REF is exit 1 and lists close matches."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o := &ShowOptions{F: f, Ref: args[0]}
			if runF != nil {
				return runF(o)
			}
			return showRun(o)
		},
	}
}

func showRun(o *ShowOptions) error {
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	g := o.F.Globals
	p, err := st.ProfileAt(o.F.Context(), o.Ref, g.AsOf)
	if err != nil {
		return err
	}
	c, counts, contacts := p.Customer, p.Counts, p.Contacts
	rec := customerRecord(c)
	addWish(rec, p.Wish)
	countFields := []output.Field{
		{Key: "contacts", En: "Contacts", Zh: "联系人数", Value: counts.Contacts},
		{Key: "orders", En: "Orders", Zh: "订单数", Value: counts.Orders},
		{Key: "payments", En: "Payments", Zh: "付款数", Value: counts.Payments},
		{Key: "complaints", En: "Complaints", Zh: "投诉数", Value: counts.Complaints},
		{Key: "open_complaints", En: "Open complaints", Zh: "未结投诉", Value: counts.OpenComplaints},
		{Key: "credit_changes", En: "Credit limit changes", Zh: "信用额度变更", Value: counts.CreditChanges},
		{Key: "interactions", En: "Interactions", Zh: "联系记录数", Value: counts.Interactions},
		{Key: "open_tasks", En: "Open tasks", Zh: "未完成待办", Value: counts.OpenTasks},
		{Key: "open_deals", En: "Open deals", Zh: "跟进中机会", Value: counts.OpenDeals},
	}
	w := o.F.IO.Out
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		cobj := output.Object{}
		for _, f := range countFields {
			cobj.Keys = append(cobj.Keys, f.Key)
			cobj.Values = append(cobj.Values, f.Value)
		}
		obj.Keys = append(obj.Keys, "contacts", "counts")
		obj.Values = append(obj.Values, views.ContactsResult(contacts, false).Objects(), cobj)
		return output.WriteJSON(w, obj)
	case output.CSV:
		rec.Fields = append(rec.Fields, countFields...)
		return output.WriteRecord(w, g.Output(), rec)
	}
	rec.Fields = append(rec.Fields, countFields...)
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	title := "Contacts"
	if crm.IsZh(g.Lang) {
		title = "联系人"
	}
	if len(contacts) == 0 {
		fmt.Fprintf(w, "\n%s: -\n", title)
		return nil
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	return output.Write(w, g.Output(), views.ContactsResult(contacts, false))
}

// showOne prints a customer record after add or edit; note runs first (stderr).
func showOne(f *cmdutil.Factory, c *crm.Customer, note func()) error {
	return showRecord(f, customerRecord(c), note)
}

func showRecord(f *cmdutil.Factory, rec *output.Record, note func()) error {
	if f.IO.ErrTTY || f.Globals.Format == output.Table {
		note()
	}
	return output.WriteRecord(f.IO.Out, f.Globals.Output(), rec)
}

// addWish adds the customer's own wish in effect (SPEC §13; nil: none) to
// rec: the contact cadence ("30d", "none"; empty: the tier's), the channel
// and the date it was recorded for.
func addWish(rec *output.Record, w *crm.CustomerWish) {
	var every, channel, since any
	if w != nil {
		if w.ContactSet {
			every = crm.FormatCadence(w.ContactEvery)
		}
		if w.Channel != "" {
			channel = output.Label{Value: w.Channel, Zh: crm.ChannelLabel(w.Channel, "zh")}
		}
		since = w.Since
	}
	rec.Add("contact_every", "Wish: contact every", "意愿联系频率", every)
	rec.Add("channel", "Wish: channel", "意愿联系方式", channel)
	rec.Add("wish_since", "Wish since", "意愿起始日", since)
}

func customerRecord(c *crm.Customer) *output.Record {
	r := &output.Record{}
	r.Add("id", "Id", "编号(id)", c.ID)
	r.Add("code", "Code", "客户编号", c.Code)
	r.Add("name", "Name", "客户名称", c.Name)
	r.Add("type", "Type", "类型", views.TypeLabel(c.Type))
	r.Add("owner", "Owner", "负责人", c.Owner)
	r.Add("phone", "Phone", "电话", c.Phone)
	r.Add("email", "Email", "邮箱", c.Email)
	r.Add("fax", "Fax", "传真", c.Fax)
	r.Add("address", "Address", "地址", c.Address)
	r.Add("city", "City", "城市", c.City)
	r.Add("region", "Region", "地区", c.Region)
	r.Add("country", "Country", "国家", c.Country)
	r.Add("industry", "Industry", "行业", c.Industry)
	r.Add("source", "Source", "客户来源", c.Source)
	r.Add("bank_account", "Bank account", "开户银行账号", c.BankAccount)
	r.Add("tax_id", "Tax id", "税号", c.TaxID)
	r.Add("terms_days", "Terms (days)", "账期(天)", c.TermsDays)
	r.Add("note", "Note", "备注", c.Note)
	r.Add("created_at", "Created", "创建时间", c.CreatedAt)
	r.Add("updated_at", "Updated", "更新时间", c.UpdatedAt)
	return r
}
