package deal

import (
	"fmt"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `deal show`.
type ShowOptions struct {
	F  *cmdutil.Factory
	ID int64
}

func newShowCmd(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a deal as it stood at --as-of, and its timeline",
		Example: `  crm deal show 12
  crm deal show 12 --as-of 2026-10-15
  crm deal show 12 --format json | jq '.events[] | {date, step, level}'`,
		Long: `Show a deal field by field as it stood at the end of --as-of (default today),
and its timeline: every step up to that day with its date, the level it moved
to, the field edited and its new value, the won amount, the lost reasons and
competitor, and the reason or note.

JSON prints one object with the fields and "events"; CSV prints the timeline,
one row per step (the deal itself is a row of 'deal list').` +
			cmdutil.ExitStatusHelp("An unknown ID, or a deal added after --as-of, is exit 1."),
		Args: cmdutil.ExactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID(args[0])
			if err != nil {
				return err
			}
			o := &ShowOptions{F: f, ID: id}
			if runF != nil {
				return runF(o)
			}
			return showRun(o)
		},
	}
}

func showRun(o *ShowOptions) error {
	p, err := cmdutil.DealPolicy(o.F)
	if err != nil {
		return err
	}
	st, err := o.F.Store()
	if err != nil {
		return err
	}
	ctx := o.F.Context()
	row, evs, err := st.Deal(ctx, o.ID)
	if err != nil {
		return err
	}
	g := o.F.Globals
	d, ok := crm.DealAt(row, evs, g.AsOf)
	if !ok {
		return crm.Errorf(crm.ENOTFOUND, "deal %d was added on %s, after --as-of %s", row.ID, row.Created, g.AsOf)
	}
	var upTo []crm.DealEvent
	for _, e := range evs {
		if e.Date <= g.AsOf {
			upTo = append(upTo, e)
		}
	}
	contact, err := st.DealContactName(ctx, d.ContactID)
	if err != nil {
		return err
	}
	rec := dealRecord(d, p, g.AsOf, contact, true)
	timeline := eventsResult(d.ID, upTo, p, g.Lang)
	w := o.F.IO.Out
	switch g.Format {
	case output.JSON:
		obj := rec.Object()
		obj.Keys = append(obj.Keys, "events")
		obj.Values = append(obj.Values, timeline.Objects())
		return output.WriteJSON(w, obj)
	case output.CSV:
		return output.Write(w, g.Output(), timeline)
	}
	if err := output.WriteRecord(w, g.Output(), rec); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s:\n", crm.Pick(g.Lang, "Timeline", "跟进经过"))
	return output.Write(w, g.Output(), timeline)
}

// eventsResult is a deal's timeline.
func eventsResult(id int64, evs []crm.DealEvent, p crm.DealPolicy, lang string) *output.Result {
	r := &output.Result{Columns: []output.Column{
		output.NumCol("deal_id", "Id", "机会编号"), output.NumCol("seq", "#", "序号"),
		output.Col("date", "Date", "日期"), output.Col("step", "Step", "步骤"),
		output.Col("level", "Level", "潜客级别"), output.Col("field", "Field", "字段"),
		output.Col("value", "Value", "新值"), output.NumCol("amount", "Amount", "金额"),
		output.Col("until", "Until", "冷冻至"), output.Col("reasons", "Reasons", "战败原因"),
		output.Col("competitor", "Competitor", "竞争对手"), output.Col("reason", "Reason", "理由"),
		output.Col("note", "Note", "备注"),
	}}
	r.Rows = [][]any{}
	for _, e := range evs {
		var amount, until any
		if e.Kind == crm.DealFrozen {
			until = e.Until
		}
		switch e.Kind {
		case crm.DealAdded, crm.DealWonEv:
			amount = e.Amount
		}
		value := e.Value // added: the title
		r.Rows = append(r.Rows, []any{id, e.Seq, e.Date, eventLabel(e.Kind), levelCell(e.Level), e.Field, value,
			amount, until, reasonList(e.Reasons, p), e.Competitor, e.Reason, e.Note})
	}
	return r
}
