package deal

import (
	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
)

// StepOptions are the inputs every step shares.
type StepOptions struct {
	F    *cmdutil.Factory
	ID   int64
	Date crm.Date
	// DateSet is true when --date was given.
	DateSet bool
}

func (o *StepOptions) parse(f *cmdutil.Factory, args []string, date string) error {
	o.F = f
	var err error
	if o.ID, err = parseID(args[0]); err != nil {
		return err
	}
	o.DateSet = date != ""
	o.Date, err = stepDate(f, date)
	return err
}

// runStep resolves the policy, runs step on deal o.ID in one transaction and
// prints the deal; msg is the confirmation line (stderr).
func runStep(o *StepOptions, refs crm.DealRefs,
	step func(crm.Deal, crm.DealFound, crm.DealPolicy) (crm.Deal, []crm.DealEvent, error),
	msg func(d crm.Deal) string) error {
	p, err := cmdutil.DealPolicy(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	d, _, err := st.StepDeal(o.F.Context(), o.ID, refs, func(d crm.Deal, found crm.DealFound) (crm.Deal, []crm.DealEvent, error) {
		return step(d, found, p)
	})
	if err != nil {
		return err
	}
	asOf := max(o.Date, d.LastDate)
	return printDeal(o.F, d, p, asOf, msg(d))
}
