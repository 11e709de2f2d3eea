// Package demo implements `crm demo`.
package demo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/demo"
	"github.com/crm-course/crm/internal/fileio"
	"github.com/spf13/cobra"
)

// NewCmd returns `crm demo`.
func NewCmd(f *cmdutil.Factory) *cobra.Command { return newDemoCmd(f, nil) }

// Options are the inputs of `crm demo`.
type Options struct {
	F     *cmdutil.Factory
	Force bool
}

func newDemoCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{F: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Fill the database with a realistic sample book to try crm on",
		Long: `Fill the database (the default one, or --db) with a realistic sample: 53 customers
with Chinese and English names, contacts on every decision layer, two years of
orders, returns and payments (some late, some still open) ending at --as-of
(default today). It refuses a database that already has data unless --force,
which replaces everything in it. The book is made in a temporary file beside
the database and put in place at the end, all at once: a demo stopped at any
moment (Ctrl-C, even kill -9) leaves the database as it was.` + cmdutil.ExitStatusHelp("A database with data and no --force is exit 1."),
		Example: `  crm demo
  crm demo --db /tmp/class.db --as-of 2026-09-01`,
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(o)
			}
			return demoRun(o)
		},
	}
	cmd.Flags().BoolVar(&o.Force, "force", false, "replace the data of a database that is not empty")
	return cmd
}

// demoRun builds the demo book in a temporary file beside the database,
// then puts it in place in one step: linked at the database's name where
// there is no file yet, else copied over the database's contents in one
// transaction (Store.Replace). A demo stopped at any moment, even by
// kill -9, leaves the database as it was (absent, empty, or the data --force
// was to replace) or the whole demo book; the temporary file left by a kill
// is removed by the next crm that writes beside it.
func demoRun(o *Options) error {
	f := o.F
	ctx := f.Context()
	target := f.Globals.DBPath
	var st cmdutil.Store
	if _, err := os.Stat(target); err == nil {
		if st, err = f.Store(); err != nil {
			return err
		}
		empty, err := st.Empty(ctx)
		if err != nil {
			return err
		}
		if !empty && !o.Force {
			return crm.Errorf(crm.ECONFLICT, "database %s already has data; use --force to replace it with the demo, or --db to choose another file", target)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return crm.Errorf(crm.EINTERNAL, "database %s: %v", target, err)
	}
	book := demo.Generate(f.Globals.AsOf)
	book.Complaints = demo.Complaints(f.Globals.AsOf)
	book.Deals = demo.Deals(f.Globals.AsOf)
	book.LinkDeals()
	credit := demo.Credit(book, f.Globals.AsOf) // before load: it may add overdue invoices
	if err := buildBeside(f, target, st, func(tmp cmdutil.Store) error { return fill(f, tmp, book, credit) }); err != nil {
		return err
	}
	w := f.IO.ErrOut
	fmt.Fprintf(w, "Loaded the demo into %s: %d customers, %d contacts, %d orders, %d payments, %d complaints, %d interactions, %d tasks, %d deals (up to %s).\n\n",
		target, len(book.Customers), len(book.Contacts), len(book.Orders), len(book.Payments), len(book.Complaints),
		len(book.Interactions), len(book.Tasks), len(book.Deals), f.Globals.AsOf)
	fmt.Fprint(w, `Try next (with 'go install .' the binary is crm; before that, use 'go run .' for crm):
  crm today                         # what to do today, and why (今日待办)
  crm today --summary --days 7
  crm customer list --search 上海
  crm customer show C0001
  crm contact coverage
  crm order list --customer C0001
  crm payment list --from `+f.Globals.AsOf.AddDays(-30).String()+`
  crm customer list --format csv | head
  crm credit status
`)
	for _, ex := range credit.Examples() {
		fmt.Fprintln(w, "  "+ex)
	}
	fmt.Fprintln(w, "  crm complaint due")
	fmt.Fprintln(w, "  crm complaint systemic")
	fmt.Fprintln(w, "  crm complaint stats --by category")
	fmt.Fprintln(w, "  crm task list                     # overdue, due today, planned")
	fmt.Fprintln(w, "  crm log list --customer C0001")
	fmt.Fprintln(w, "  crm deal pipeline                 # open deals by level H, A, B, C, weighted")
	fmt.Fprintln(w, "  crm deal hot --lang zh            # 热点客户管理表")
	fmt.Fprintln(w, "  crm deal report --explain         # win rate, cycle time, level conversion")
	fmt.Fprintln(w, "  crm deal lost --by reason         # 战败客户分析表 and 战败准确率")
	fmt.Fprintln(w, "  crm funnel                        # 潜在 / 孵化 / 产出")
	fmt.Fprintln(w, "  crm check")
	return nil
}

// buildBeside builds a book with build in a new temporary file beside
// target, then puts it at target: linked there when st is nil (no file at
// target; one that appeared meanwhile is an error), else copied into st (the
// book at target) by Store.Replace.
func buildBeside(f *cmdutil.Factory, target string, st cmdutil.Store, build func(cmdutil.Store) error) error {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return crm.Errorf(crm.EINTERNAL, "database %s: cannot create its folder: %v", target, err)
	}
	fileio.CleanStale(dir)
	tmp, err := fileio.NewTemp(target)
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "database %s: a temporary file beside it: %v", target, err)
	}
	defer tmp.Remove() // does nothing once linked
	b, err := f.OpenBook(tmp.Name)
	if err != nil {
		return err
	}
	if err := build(b); err != nil {
		b.Close()
		return err
	}
	// Closing the last connection folds the write-ahead log into the file.
	if err := b.Close(); err != nil {
		return crm.Errorf(crm.EINTERNAL, "database %s: closing the new book: %v", target, err)
	}
	if err := f.Context().Err(); err != nil {
		return err
	}
	if st != nil {
		return st.Replace(f.Context(), tmp.Name)
	}
	if err := tmp.Link(); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return crm.Errorf(crm.ECONFLICT, "database %s appeared while the demo was being made; run crm demo again (with --force to replace it)", target)
		}
		return crm.Errorf(crm.EINTERNAL, "database %s: %v", target, err)
	}
	return nil
}

// fill writes the demo book into st (a new, empty book).
func fill(f *cmdutil.Factory, st cmdutil.Store, book *demo.Book, credit *demo.CreditPlan) error {
	ctx := f.Context()
	if err := load(f, st, book); err != nil {
		return err
	}
	if err := credit.SetLimits(ctx, st); err != nil {
		return err
	}
	for _, w := range book.Wishes(f.Globals.AsOf) {
		c, err := st.Resolve(ctx, w.Code)
		if err != nil {
			return err
		}
		if err := st.SetCustomerWish(ctx, c.ID, w.Wish); err != nil {
			return err
		}
	}
	return nil
}

func load(f *cmdutil.Factory, st cmdutil.Store, b *demo.Book) error {
	sess, err := st.BeginImport(f.Context(), crm.ImportOptions{Kind: crm.ImportOrders})
	if err != nil {
		return err
	}
	err = func() error {
		all := map[string]bool{}
		for _, k := range crm.CustomerFields {
			all[k] = true
		}
		for i := range b.Customers {
			if err := sess.PutCustomer(&b.Customers[i], all, 0); err != nil {
				return err
			}
		}
		for i := range b.Contacts {
			if err := sess.PutContact(&b.Contacts[i], 0); err != nil {
				return err
			}
		}
		for i := range b.Orders {
			if err := sess.PutOrder(&b.Orders[i], 0); err != nil {
				return err
			}
		}
		// Orders are written in batches: flush them before payments name them.
		if err := sess.Flush(); err != nil {
			return err
		}
		for i := range b.Payments {
			if err := sess.PutPayment(&b.Payments[i], 0); err != nil {
				return err
			}
		}
		for i := range b.Complaints {
			if err := sess.PutComplaint(&b.Complaints[i], 0); err != nil {
				return err
			}
		}
		for i := range b.Deals {
			if err := sess.PutDeal(&b.Deals[i], 0); err != nil {
				return err
			}
		}
		return b.LoadDay(sess)
	}()
	if err != nil {
		sess.Abort()
		return err
	}
	return sess.Done(true)
}
