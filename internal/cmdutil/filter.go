package cmdutil

import (
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/pflag"
)

// RecordFilter is the flag group --customer, --from, --to and --limit shared
// by the listings of dated records (orders, payments).
type RecordFilter struct {
	Customer, From, To string
	Limit              int
}

// Register adds the flags; what names the records ("orders", "payments").
func (r *RecordFilter) Register(fl *pflag.FlagSet, what string) {
	fl.StringVar(&r.Customer, "customer", "", "only "+what+" of this customer (REF)")
	fl.StringVar(&r.From, "from", "", "only "+what+" on or after this date")
	fl.StringVar(&r.To, "to", "", "only "+what+" on or before this date")
	fl.IntVar(&r.Limit, "limit", 0, "at most this many (0 = all)")
}

// Filter validates the flags and resolves the customer.
func (r *RecordFilter) Filter(f *Factory, st Store) (crm.OrderFilter, error) {
	flt := crm.OrderFilter{From: crm.NoDate, To: crm.NoDate, Limit: r.Limit}
	var err error
	if r.From != "" {
		if flt.From, err = ParseDateFlag("from", r.From); err != nil {
			return flt, err
		}
	}
	if r.To != "" {
		if flt.To, err = ParseDateFlag("to", r.To); err != nil {
			return flt, err
		}
	}
	if !flt.From.IsZero() && !flt.To.IsZero() && flt.To < flt.From {
		return flt, FlagErrorf("--to %s is before --from %s", flt.To, flt.From)
	}
	if err := CheckLimit(r.Limit); err != nil {
		return flt, err
	}
	if r.Customer != "" {
		c, err := st.Resolve(f.Context(), r.Customer)
		if err != nil {
			return flt, err
		}
		flt.CustomerID = c.ID
	}
	return flt, nil
}
