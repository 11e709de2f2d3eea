package customer

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/spf13/cobra"
)

// EditOptions are the inputs of `customer edit`: the customer REF, the
// value of each field flag given on the command line, by flag name (only
// those change; "" clears a field), and the change to the customer's own
// wish (SPEC §13), if --contact-every or --channel was given.
type EditOptions struct {
	F       *cmdutil.Factory
	Ref     string
	Changed map[string]string
	// Wish: --contact-every / --channel (CustomerID and Date are filled by
	// editRun); nil when neither was given.
	Wish *crm.WishChange
}

func newEditCmd(f *cmdutil.Factory, runF func(*EditOptions) error) *cobra.Command {
	o := &EditOptions{F: f}
	vals := map[string]*string{}
	var contactEvery, channel string
	cmd := &cobra.Command{
		Use:   "edit REF --FIELD VALUE …",
		Short: "Change some fields of a customer (only the given ones change)",
		Example: `  crm customer edit 00042 --phone 021-5555-0199 --terms-days 45
  crm customer edit 00042 --contact-every 30d --channel phone`,
		Long: `Change the given fields of a customer; the others stay as they are. --FIELD "" clears a field.

The customer's own wish (SPEC §13: how often and how they want to hear from
us) is recorded dated --as-of, in the same transaction as the fields:
  --contact-every 30d|4w|2m   replaces the tier's contact cadence (policy.<row>.contact_every)
  --contact-every none        no contact on a schedule
  --contact-every tier        no wish of its own: the tier's cadence again
  --channel phone|email|visit|message|letter   the suggested way (none: no wish)
Each wish is kept (append-only): answers --as-of an earlier day see the wish of that day.` +
			cmdutil.ExitStatusHelp("A bad --contact-every or --channel is exit 2; an unknown REF is exit 1."),
		Args: cmdutil.ExactArgs(1, "REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			o.Changed = map[string]string{}
			for name, v := range vals {
				if cmd.Flags().Changed(name) {
					o.Changed[name] = *v
				}
			}
			wish, err := parseWish(cmd.Flags().Changed("contact-every"), contactEvery, cmd.Flags().Changed("channel"), channel)
			if err != nil {
				return err
			}
			o.Wish = wish
			if len(o.Changed) == 0 && o.Wish == nil {
				return cmdutil.FlagErrorf("nothing to change: give at least one --FIELD VALUE, --contact-every or --channel")
			}
			if runF != nil {
				return runF(o)
			}
			return editRun(o)
		},
	}
	addFieldFlags(cmd, vals, true)
	cmd.Flags().StringVar(&contactEvery, "contact-every", "", "the customer's own contact cadence: 30d, 4w, 2m, none, or tier (the tier's)")
	cmd.Flags().StringVar(&channel, "channel", "", "the customer's preferred channel: "+joinChannels()+", or none")
	cmd.RegisterFlagCompletionFunc("channel", cobra.FixedCompletions(append(append([]string(nil), crm.Channels...), "none"), cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func joinChannels() string { return strings.Join(crm.Channels, ", ") }

// parseWish reads --contact-every and --channel (each only when given).
func parseWish(contactGiven bool, contact string, channelGiven bool, channel string) (*crm.WishChange, error) {
	if !contactGiven && !channelGiven {
		return nil, nil
	}
	ch := &crm.WishChange{}
	if contactGiven {
		days, set, err := crm.ParseWishCadence(contact)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--contact-every: %v", err)
		}
		ch.Contact, ch.ContactSet, ch.ContactEvery = true, set, days
	}
	if channelGiven {
		c, err := crm.ParseWishChannel(channel)
		if err != nil {
			return nil, cmdutil.FlagErrorf("--channel: %v", err)
		}
		ch.Channel, ch.ChannelTo = true, c
	}
	return ch, nil
}

func editRun(o *EditOptions) error {
	f := o.F
	st, c, err := f.Customer(o.Ref)
	if err != nil {
		return err
	}
	given := map[string]*string{}
	for name, v := range o.Changed {
		given[name] = &v
	}
	if err := applyFields(c, given, func(string) bool { return true }); err != nil {
		return err
	}
	edit := c
	if len(o.Changed) == 0 {
		edit = nil // the wish alone: the customer's row stays as it is
	}
	var wish *crm.CustomerWish
	if o.Wish == nil {
		err = st.Update(f.Context(), c)
	} else {
		ch := *o.Wish
		ch.CustomerID, ch.Date = c.ID, f.Globals.AsOf
		wish, err = st.EditCustomer(f.Context(), edit, &ch)
	}
	if err != nil {
		return err
	}
	rec := customerRecord(c)
	if o.Wish != nil {
		addWish(rec, wish)
	}
	return showRecord(f, rec, func() { fmt.Fprintf(f.IO.ErrOut, "Updated customer %s\n", c.Code) })
}
