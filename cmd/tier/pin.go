package tier

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// PinOptions are the inputs of `tier pin`.
type PinOptions struct {
	F      *cmdutil.Factory
	Ref    string
	Tier   string
	Reason string
}

func newPinCmd(f *cmdutil.Factory, runF func(*PinOptions) error) *cobra.Command {
	o := &PinOptions{F: f}
	cmd := &cobra.Command{
		Use:   "pin CUSTOMER TIER --reason TEXT",
		Short: "Set a customer's tier by hand (A, B or C), with a reason",
		Example: `  crm tier pin 00042 A --reason "strategic account, board decision"
  crm tier pin 00042 关键客户 --reason "集团重点客户" --as-of 2026-01-01`,
		Long: `Pin CUSTOMER to TIER (A, B or C; also key/normal/small or 关键/普通/小客户). The pin
overrides the computed tier in every tier answer as of its date (the --as-of
date, default today) or later, and is shown as pinned; the gold flag stays
computed. Pinning again replaces the pin. --reason is required.

Prints the pin (customer_code, name, tier, reason, pinned_on, created_at).` +
			cmdutil.ExitStatusHelp("A missing --reason or a bad TIER is exit 2; an unknown customer is exit 1."),
		Args: cmdutil.ExactArgs(2, "CUSTOMER", "TIER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			t, err := crm.ParseTier(args[1])
			if err != nil {
				return &cmdutil.FlagError{Err: err}
			}
			o.Tier = t
			o.Reason = strings.TrimSpace(o.Reason)
			if o.Reason == "" {
				return cmdutil.FlagErrorf("--reason is required: say why this customer's tier is set by hand")
			}
			if runF != nil {
				return runF(o)
			}
			return pinRun(o)
		},
	}
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why the tier is set by hand (required)")
	return cmd
}

func pinRun(o *PinOptions) error {
	f := o.F
	st, err := f.Store()
	if err != nil {
		return err
	}
	ctx := f.Context()
	c, err := st.Resolve(ctx, o.Ref)
	if err != nil {
		return err
	}
	prev, err := st.PinTier(ctx, crm.TierPinRecord{CustomerID: c.ID, Tier: o.Tier, Reason: o.Reason, On: f.Globals.AsOf})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Pinned %s (%s) to tier %s (%s) from %s", c.Code, c.Name, o.Tier, crm.TierLabel(o.Tier, f.Globals.Lang), f.Globals.AsOf)
	if prev != nil {
		msg += fmt.Sprintf("; it was pinned to %s from %s: %s", prev.Tier, prev.On, prev.Reason)
	}
	fmt.Fprintln(f.IO.ErrOut, msg)
	pins, err := st.TierPins(ctx)
	if err != nil {
		return err
	}
	for _, p := range pins {
		if p.CustomerID == c.ID {
			return output.Write(f.IO.Out, f.Globals.Output(), PinsResult([]crm.TierPinRecord{p}))
		}
	}
	return nil
}

// UnpinOptions are the inputs of `tier unpin`.
type UnpinOptions struct {
	F   *cmdutil.Factory
	Ref string
}

func newUnpinCmd(f *cmdutil.Factory, runF func(*UnpinOptions) error) *cobra.Command {
	o := &UnpinOptions{F: f}
	return &cobra.Command{
		Use:   "unpin CUSTOMER",
		Short: "Remove a customer's tier pin (the computed tier applies again)",
		Long: `Remove the pin of CUSTOMER; its computed tier applies again, for every date.
Prints what was removed to stderr.` + cmdutil.ExitStatusHelp("An unknown customer, or one without a pin, is exit 1."),
		Args: cmdutil.ExactArgs(1, "CUSTOMER"),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ref = args[0]
			if runF != nil {
				return runF(o)
			}
			st, err := f.Store()
			if err != nil {
				return err
			}
			c, err := st.Resolve(f.Context(), o.Ref)
			if err != nil {
				return err
			}
			prev, err := st.UnpinTier(f.Context(), c.ID)
			if crm.ErrorCode(err) == crm.ENOTFOUND {
				return crm.Errorf(crm.ENOTFOUND, "customer %s (%s) has no tier pin", c.Code, c.Name)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "Unpinned %s (%s); it was pinned to %s from %s: %s\n", c.Code, c.Name, prev.Tier, prev.On, prev.Reason)
			return nil
		},
	}
}

func newPinsCmd(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "pins",
		Short: "List the tier pins",
		Long: `List the tiers set by hand: customer_code, name, tier, reason, pinned_on (the
first date the pin applies to) and created_at, by customer code.` + cmdutil.ExitStatusHelp(""),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.Store()
			if err != nil {
				return err
			}
			pins, err := st.TierPins(f.Context())
			if err != nil {
				return err
			}
			return output.Write(f.IO.Out, f.Globals.Output(), PinsResult(pins))
		},
	}
}

// PinsResult lists pins.
func PinsResult(pins []crm.TierPinRecord) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.Col("customer_code", "Customer", "客户编号"), output.Col("name", "Name", "客户名称"),
		output.Col("tier", "Tier", "客户等级"), output.Col("reason", "Reason", "原因"),
		output.Col("pinned_on", "Since", "生效日期"), output.Col("created_at", "Created", "创建时间"),
	}}
	for _, p := range pins {
		r.Rows = append(r.Rows, []any{p.Code, p.Name, TierLabel(p.Tier), p.Reason, p.On, p.CreatedAt})
	}
	return r
}
