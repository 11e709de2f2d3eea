// Package credit implements `crm credit limit|check|status|aging|rating|statement|notices|notice`.
package credit

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// NewCmd returns the credit noun.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credit",
		Short: "Credit limits, the credit check, receivables aging, ratings, statements and notices",
		Long: `Sell on credit without growing cash risk (README, "Credit"). Orders are invoices due after
the customer's payment terms (or their own due date); payments and returns pay
them down, the named order first, then the oldest due.

  crm credit limit C0001 50000 --reason "annual review"   set a credit line
  crm credit check C0001 12000                             approve / hold / reject (exit 0/3/4)
  crm credit status                                        limits, outstanding, overdue, rating
  crm credit aging                                         open invoices by days overdue
  crm credit rating C0001 --explain                        the AAA…C scorecard, factor by factor
  crm credit statement C0001 --from 2026-01-01             对账单 with running balance
  crm credit notices                                       who is due a collection notice
  crm credit notice C0001 --lang zh                        the letter (收款通知书)

Every answer is as of --as-of (default today): orders and payments dated later
do not count.

Settings (config file or CRM_CREDIT_… environment variables):
  credit.enforce               true: 'order add' and 'import orders' write only what
                               the check approves (hold exit 3, reject 4; default false)
  credit.block_days            reject when an invoice is more than this many days
                               overdue (default 60; "off" turns the rule off)
  credit.min_rating            hold below this rating, AAA … C (default: none)
  credit.notice_template_en    the English letter: a file path, or the template
  credit.notice_template_zh    the Chinese letter: a file path, or the template
  credit.sender.company, .address, .contact, .phone, .email
                               who signs the letters
  credit.currency              printed before amounts in letters (e.g. "¥")`,
	}
	cmd.AddCommand(newLimitCmd(f, nil), newCheckCmd(f, nil), newStatusCmd(f, nil), newAgingCmd(f, nil),
		newRatingCmd(f, nil), newStatementCmd(f, nil), newNoticesCmd(f, nil), newNoticeCmd(f, nil))
	return cmd
}

// loadAccount resolves REF and loads its account as of the global as-of date.
func loadAccount(f *cmdutil.Factory, ref string) (cmdutil.Store, *crm.Customer, *crm.CreditAccount, error) {
	st, err := f.Store()
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := st.Resolve(f.Context(), ref)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := st.CreditAccount(f.Context(), c.ID, f.Globals.AsOf)
	if err != nil {
		return nil, nil, nil, err
	}
	return st, c, a, nil
}

// settingString reads a config key as text ("" when unset).
func settingString(f *cmdutil.Factory, key string) string {
	if f.Setting == nil {
		return ""
	}
	v := f.Setting(key)
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// blockDays reads credit.block_days (cmdutil.CreditBlockDays, shared with
// crm churn's bad group).
func blockDays(f *cmdutil.Factory) (int, error) { return cmdutil.CreditBlockDays(f) }

// minRating reads credit.min_rating ("" = no minimum).
func minRating(f *cmdutil.Factory) (string, error) { return cmdutil.CreditMinRating(f) }

// parseAmount parses a money argument that must not be negative.
func parseAmount(name, s string) (crm.Money, error) {
	m, err := cmdutil.ParseMoneyArg(name, s)
	if err != nil {
		return 0, err
	}
	if m < 0 {
		return 0, cmdutil.FlagErrorf("%s %s: must not be negative", name, m)
	}
	return m, nil
}

// human reports whether values are for people (tables) rather than scripts.
func human(f *cmdutil.Factory) bool { return f.Globals.Format == output.Table }

// limitCell is a limit for output: nil (empty in CSV, null in JSON) or
// "no credit line" in tables when there is none.
func limitCell(f *cmdutil.Factory, has bool, m crm.Money) any {
	if has {
		return m
	}
	if human(f) {
		return output.Label{Value: "", En: "none", Zh: "无"}
	}
	return nil
}

func moneyPtrCell(f *cmdutil.Factory, m *crm.Money) any {
	if m == nil {
		return limitCell(f, false, 0)
	}
	return *m
}

// utilisation is outstanding ÷ limit in percent, one decimal (nil without a positive limit).
func utilisation(has bool, limit, outstanding crm.Money) any {
	if !has || limit <= 0 {
		return nil
	}
	return output.Ratio(int64(outstanding)*100, int64(limit), 1)
}

func outcomeLabel(o crm.Outcome) output.Label {
	return output.Label{Value: string(o), Zh: o.Label("zh")}
}

func gradeLabel(g string) output.Label { return output.Label{Value: g} }

func levelLabel(l crm.NoticeLevel) output.Label {
	return output.Label{Value: string(l), En: l.Label("en"), Zh: l.Label("zh")}
}

func kindLabel(kind string) output.Label {
	return output.Label{Value: kind, Zh: crm.LedgerKindLabel(kind, "zh")}
}

// title prints a caption line above a table (tables only).
func title(f *cmdutil.Factory, en, zh string) {
	fmt.Fprintln(f.IO.Out, crm.Pick(f.Globals.Lang, en, zh))
}

// sortRows orders items as --sort s says (cmdutil.Order): by cmp, the
// comparison of s.Key, reversed for -KEY, ties by customer code (always
// ascending). For the key code, cmp is not used: the code is the key, and
// -code is descending. Items for which missing reports true (no value to
// sort by, such as the utilisation of a customer without a credit line) come
// last either way.
func sortRows[T any](items []T, s cmdutil.Sort, code func(T) string, cmp func(a, b T) int, missing func(T) bool) {
	if s.Key == "code" {
		sortByCode(items, s, code)
		return
	}
	order := cmdutil.Order(s, cmp, func(a, b T) int { return strings.Compare(code(a), code(b)) })
	full := func(a, b T) int {
		if missing != nil {
			if ma, mb := missing(a), missing(b); ma != mb {
				if ma {
					return 1
				}
				return -1
			}
		}
		return order(a, b)
	}
	// Codes are unique, so the order is total and an unstable sort is exact.
	if !slices.IsSortedFunc(items, full) {
		slices.SortFunc(items, full)
	}
}

// sortByCode puts items in the order of their codes (unique; descending for
// s.Desc), sorting the codes alone: comparing them through 650,000 aging
// rows' cells took 1.7 s.
func sortByCode[T any](items []T, s cmdutil.Sort, code func(T) string) {
	type key struct {
		code string
		row  int32
	}
	order := cmdutil.Order(cmdutil.Sort{Key: "code", Desc: s.Desc}, nil, func(a, b key) int { return strings.Compare(a.code, b.code) })
	keys := make([]key, len(items))
	sorted := true
	for i, r := range items {
		keys[i] = key{code(r), int32(i)}
		sorted = sorted && (i == 0 || order(keys[i-1], keys[i]) < 0)
	}
	if sorted {
		return
	}
	slices.SortFunc(keys, order)
	// Item keys[j].row goes to j: follow each cycle of the permutation.
	for i := range keys {
		if keys[i].row < 0 {
			continue
		}
		first := items[i]
		j := i
		for {
			k := int(keys[j].row)
			keys[j].row = -1
			if k == i {
				items[j] = first
				break
			}
			items[j] = items[k]
			j = k
		}
	}
}

func cmpInt[N ~int | ~int64](a, b N) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// noticeTemplate returns the user's template for lang from the config
// (credit.notice_template_LANG): text containing "{{" is the template
// itself, anything else names a file ("~/" is the home folder). "" means the
// built-in letter.
func noticeTemplate(f *cmdutil.Factory, lang string) (string, string, error) {
	key := "credit.notice_template_" + lang
	v := settingString(f, key)
	if v == "" {
		return "", "built-in", nil
	}
	if strings.Contains(v, "{{") {
		return v, "setting " + key, nil
	}
	path := v
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, rest)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", crm.Errorf(crm.EDATA, "setting %s: cannot read the notice template: %v", key, err)
	}
	return string(b), path, nil
}
