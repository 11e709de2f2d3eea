// Package importcmd implements `crm import customers|contacts|orders|payments FILE`.
package importcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/fileio"
	"github.com/crm-course/crm/internal/importer"
	"github.com/spf13/cobra"
)

// Options are the inputs of `crm import`.
type Options struct {
	F               *cmdutil.Factory
	Kind            importer.Kind
	File            string
	Maps            []string
	Lines           bool
	CreateCustomers bool
	Rejects         string
	DryRun          bool
	Encoding        string
	Delimiter       string
	DateFormat      string
	// Credit, for orders, weighs each new order with the credit check
	// (--credit-check or the setting credit.enforce); nil: no check.
	Credit *crm.CreditRules
}

// kinds the store can import today.
var kinds = []string{"customers", "contacts", "orders", "payments", "complaints", "interactions", "tasks", "deals"}

// NewCmd returns `crm import`.
func NewCmd(f *cmdutil.Factory) *cobra.Command { return newImportCmd(f, nil) }

func newImportCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	o := &Options{F: f}
	var check bool
	cmd := &cobra.Command{
		Use:   "import KIND FILE",
		Short: "Import customers, contacts, orders, payments, complaints, interactions, tasks or deals from a CSV file (- for stdin)",
		Example: `  # CDNOW purchases: one purchase per row, no order ids
  crm import orders ../shared/data/cdnow/cdnow_master.csv --create-customers

  # UCI Online Retail: one row per invoice line; rows without a customer go to the rejects file
  crm import orders ../shared/data/online-retail/online_retail.csv --lines --create-customers --rejects rejects.csv

  # a Chinese Excel export, piped
  # CFPB complaints: the company is the customer, the product the category
  crm import complaints ../shared/data/complaints/cfpb_complaints_sample.csv --create-customers \
      --map customer=Company --map category=Product

  # a B2B pipeline (CRM + Sales Opportunities): accounts become customers
  crm import deals ../shared/data/deals/sales_pipeline.csv --create-customers --rejects rejects.csv

  iconv -f gbk -t utf-8 客户.csv | crm import customers -
  crm import orders 订单.csv --encoding gbk --map amount=含税金额`,
		Long: `Import a CSV file in one transaction: either every row is written or none is.

Columns are found by their header, ignoring case, spaces and underscores, with the
usual aliases (CustomerID, customer_id, 客户编号 → customer; InvoiceNo, order_id,
订单号 → order_id; InvoiceDate, date, 日期 → date; amount, total, 金额 → amount;
Quantity, qty, 数量 → quantity; UnitPrice, price, 单价 → unit_price …).
--map FIELD=Column overrides them (--map FIELD=#N: the Nth column, for a
name the header has twice). Fields:
  orders:    order_id, customer, name, date, amount, quantity, unit_price, due_date
  payments:  payment_id, customer, order_id, date, amount, method
  customers: code, name, type, owner, phone, email, fax, address, city, region,
             country, industry, source, bank_account, tax_id, terms_days, note
  contacts:  customer, name, role, title, phone, email, note
  complaints: external_id, customer, customer_name, date, channel, category,
             severity, text (the issue column when the text is empty)
  interactions: external_id, customer, customer_name, contact, deal, date, type,
             direction, outcome, purpose, notice_level, minutes, subject, text
  tasks:     external_id, customer, customer_name, contact, deal, title, type,
             priority, due, status, done_on, created, every, from, until, note
  deals:     external_id, customer, customer_name, title, status, level, created,
             closed, amount, owner, source, expected_close, probability,
             competitor, competitor_product, reasons, description, background, note
             (CRM exports: opportunity_id, account, sales_agent, deal_stage
             Prospecting/Engaging/Won/Lost, engage_date, close_date, close_value,
             product → title; 所属客户, 机会标题, 机会状态, 潜客级别, 预计金额 …)

By default the first bad row aborts the import (nothing is written) and is named
as FILE:LINE, column and value. With --rejects OUT the good rows are imported and
each bad row goes to OUT with its line number and reason. OUT (mode 0600) changes
only once the import has committed: a file is replaced whole (through a symbolic
link, its target), so a failed, interrupted or killed import leaves it as it was;
"-" or /dev/stdout is standard output, and a device or FIFO is written to, never
replaced.

Importing the same file again changes nothing: orders are keyed by their id;
rows without one by (customer, date, amount, and the row's occurrence among
identical rows of the file). --lines makes one order of all rows with the same
order id, its amount the sum of the rounded quantity × unit price of its lines.

Slash dates (N/N/YYYY) are month first or day first for the whole file, as its
first date that reads only one way shows (1/13/2026, 13/1/2026); a file whose
dates all read as two different days (3/4/2026), or that shows both orders, is
an error: give --date-format M/D/YYYY or D/M/YYYY.

A summary (read, imported, updated, unchanged, rejected) goes to stderr.

On a team's book (--db rqlite://…) an import that another writer beat (nothing
of it applied) runs again from the first row of FILE, up to 3 times in all,
saying so on stderr; rows from a pipe are read once, so then it fails (exit 1)
and says to run it again.

With credit enforcement — the setting credit.enforce: true, or --credit-check —
an orders import weighs every row that enters a new order with the credit check
of 'crm credit check' as of the row's date, in file order: against the book plus
the rows of the file accepted before it, in the import's one transaction (README,
"Credit"). Returns, orders of 0 and rows of orders already stored (unchanged or
corrected) are not weighed. A held or rejected row fails the import (nothing is
written; exit 3 or 4, naming FILE:LINE, the decision and its reasons); with
--rejects OUT it goes to OUT with the decision and reasons, the rest is imported
and the exit status is 0 (the summary counts the rows held and rejected). There
is no --override for an import: a row the check refuses is entered with
'crm order add … --override --reason TEXT', or imported again once the customer's
limit allows it.` +
			cmdutil.ExitStatusHelp("A bad row without --rejects, a missing column or an unreadable file is exit 1; nothing is written.\n"+
				"  With the credit check and no --rejects: 3 a row held, 4 a row rejected (the first refused row; nothing is written)."),
		Args: cmdutil.ExactArgs(2, "KIND", "FILE"),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return kinds, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := importer.ParseKind(args[0])
			if err != nil || !contains(kinds, string(k)) {
				return cmdutil.FlagErrorf("unknown import kind %q: must be one of %s", args[0], strings.Join(kinds, ", "))
			}
			o.Kind, o.File = k, args[1]
			if o.Lines && k != importer.Orders {
				return cmdutil.FlagErrorf("--lines applies to orders only")
			}
			if check && k != importer.Orders {
				return cmdutil.FlagErrorf("--credit-check applies to orders only")
			}
			if k == importer.Orders {
				on, err := cmdutil.CreditEnforce(f, cmd.Flags().Changed("credit-check"), check)
				if err != nil {
					return err
				}
				if on {
					r, err := cmdutil.CreditRules(f)
					if err != nil {
						return err
					}
					o.Credit = &r
				}
			}
			if runF != nil {
				return runF(o)
			}
			return importRun(o)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&o.Maps, "map", nil, "FIELD=Column (or FIELD=#N, the Nth column): read FIELD from this column (repeatable)")
	fl.BoolVar(&o.Lines, "lines", false, "orders: one row per order line (quantity × unit price), grouped by order id")
	fl.BoolVar(&o.CreateCustomers, "create-customers", false, "create unknown customers (code = the file's customer id)")
	fl.StringVar(&o.Rejects, "rejects", "", "import the good rows and write bad ones, with line and reason, to this CSV file (- for stdout)")
	fl.BoolVar(&o.DryRun, "dry-run", false, "check everything and report what would happen; write nothing")
	fl.BoolVar(&check, "credit-check", false, "orders: import only the rows the credit check approves (default: the setting credit.enforce)")
	fl.StringVar(&o.Encoding, "encoding", "", "file encoding: utf-8 (default; a BOM is fine), gbk or gb18030")
	fl.StringVar(&o.Delimiter, "delimiter", "", "field delimiter: , ; tab or | (default: , or detected from the header)")
	fl.StringVar(&o.DateFormat, "date-format", "", "date format (default auto: slash dates are month or day first as the file shows; "+
		"give one when all read both ways): "+strings.Join(crm.DateFormats, ", "))
	return cmd
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// importMemoryLimit is the soft limit of Go's heap during an import: the
// garbage collector then works harder instead of letting the heap double
// (10M orders over 1M customers: peak RSS 259 MB → 187 MB, same time).
const importMemoryLimit = 96 << 20

// importAttempts is how many times an import beaten by another writer
// runs in all (a team's book on a cluster, where the import's final request
// is guarded: ECONFLICT, nothing applied).
const importAttempts = 3

// importRun imports the file. An interrupt (a cancelled context) before the
// commit is reported as such, whatever the read or write it stopped. An
// import that lost a race to another writer (nothing applied) runs again
// from the first row when its input can be read again — a file, or a file
// redirected to standard input — up to importAttempts in all; from a pipe
// it fails, saying so.
func importRun(o *Options) error {
	committed, err := doImport(o)
	for attempt := 2; err != nil && !committed && crm.ErrorCode(err) == crm.ECONFLICT && o.F.Context().Err() == nil; attempt++ {
		if attempt > importAttempts {
			return fmt.Errorf("%w (the import ran %d times, beaten each time)", err, importAttempts)
		}
		if !rewind(o) {
			return fmt.Errorf("%w; its rows came from a pipe and were read once: run the import again", err)
		}
		fmt.Fprintf(o.F.IO.ErrOut, "%s: the book changed while importing (someone else wrote); nothing was imported; importing again (%d of %d)\n",
			displayName(o.File), attempt, importAttempts)
		committed, err = doImport(o)
	}
	if err != nil && !committed {
		if ctxErr := o.F.Context().Err(); ctxErr != nil {
			return ctxErr
		}
		// A row the credit check refused: its exit status (3 hold, 4 reject).
		var ref *crm.CreditRefusal
		if errors.As(err, &ref) {
			return &cmdutil.ExitError{Code: ref.ExitCode(), Err: fmt.Errorf("%w; nothing was imported", err)}
		}
	}
	return err
}

func doImport(o *Options) (committed bool, err error) {
	if os.Getenv("GOMEMLIMIT") == "" && o.Credit == nil {
		// With the credit check the running ledgers of every customer are
		// live (crm.CreditGate: 1,000,000 orders, about 160 MB): a limit
		// below them would have the collector run without end.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	m, err := importer.ParseMap(o.Maps, o.Kind)
	if err != nil {
		return false, err
	}
	opts := importer.Options{Kind: o.Kind, File: o.File, Encoding: o.Encoding, DateFormat: o.DateFormat, Map: m, Lines: o.Lines}
	if o.Delimiter != "" {
		if opts.Delimiter, err = importer.ParseDelimiter(o.Delimiter); err != nil {
			return false, err
		}
	}
	if o.Rejects != "" {
		if err := checkRejectsPath(o.Rejects, o.File, o.F.Globals.DBPath); err != nil {
			return false, err
		}
	}
	ctx := o.F.Context()
	in, size, closeIn, err := openInput(ctx, o)
	if err != nil {
		return false, err
	}
	defer closeIn()
	var prog *progress
	if o.F.IO.ErrTTY && size > 4<<20 {
		prog = newProgress(o.F.IO.Progress(), size)
		in = prog.wrap(in)
	}
	rd, err := importer.NewReader(in, opts)
	if err != nil {
		return false, err
	}
	var rejects *rejectFile
	if o.Rejects != "" {
		if rejects, err = createRejects(ctx, o, rd.Header()); err != nil {
			return false, err
		}
		defer rejects.discard()
	}
	st, err := o.F.Store()
	if err != nil {
		return false, err
	}
	var recent *recentRecords
	if rejects != nil {
		recent = newRecentRecords(recentKept)
	}
	rejectFn := func(e *importer.RowError) error {
		if rejects == nil {
			return e
		}
		if e.Record == nil {
			e.Record = recent.get(e.Line)
		}
		return rejects.w.Write(e)
	}
	sess, err := st.BeginImport(ctx, crm.ImportOptions{
		Kind: crm.ImportKind(o.Kind), CreateCustomers: o.CreateCustomers, ExpectedRows: size / 40, Credit: o.Credit,
		Reject: func(line int, err error) error {
			return rejectFn(&importer.RowError{File: displayName(o.File), Line: line, Reason: err.Error(), Cause: err})
		},
	})
	if err != nil {
		return false, err
	}
	stats, err := readAll(o, rd, sess, rejectFn, recent)
	if prog != nil {
		prog.done()
	}
	if err == nil && rejects != nil {
		// Every rejection is known once the buffered rows are written; the
		// rejected rows are then written out in full before the commit, so
		// that a full disk leaves the database unchanged.
		if err = sess.Flush(); err == nil {
			err = rejects.prepare()
		}
	}
	if err != nil {
		sess.Abort()
		return false, err
	}
	if err := sess.Done(!o.DryRun); err != nil {
		return false, err
	}
	if rejects != nil {
		// OUT changes only now, so it never lists the rejections of an
		// import that did not happen (failed, interrupted or killed).
		if err := rejects.keep(ctx); err != nil {
			if o.DryRun {
				return false, err
			}
			return true, fmt.Errorf("%w; the import itself was committed, and running it again is safe (its rows are then unchanged and the same rows rejected)", err)
		}
	}
	sum := sess.Summary()
	sum.Read = stats.Rows
	sum.Rejected += stats.Rejected
	printSummary(o, sum)
	if layout, line, value := rd.DateOrder(); layout == "D/M/YYYY" {
		// Month first is SPEC's default; day first is worth saying.
		fmt.Fprintf(o.F.IO.ErrOut, "dates read day first (D/M/YYYY), as line %d %q shows\n", line, value)
	}
	return !o.DryRun, nil
}

// readAll streams the file's records into the session. A record the store
// refuses for a reason of its own (unknown customer …) is rejected like a bad row.
func readAll(o *Options, rd *importer.Reader, sess crm.ImportSession, reject func(*importer.RowError) error, recent *recentRecords) (importer.Stats, error) {
	// asRejection turns a row error of the store into a rejection of the row,
	// reported with the field the store names (or the given default).
	asRejection := func(field, value string, err error) error {
		if err == nil || !crm.IsRowError(err) {
			return err
		}
		// A row the store rejected while writing a batch, without
		// --rejects: it names its own line (not the row being read).
		var re *importer.RowError
		if errors.As(err, &re) {
			return err
		}
		var ce *crm.Error
		if errors.As(err, &ce) && ce.Field != "" {
			return importer.Reject(ce.Field, ce.Value, ce.Message)
		}
		return importer.Reject(field, value, err.Error())
	}
	ctx := o.F.Context()
	n := 0
	cancelled := func() error {
		n++
		if n&1023 == 0 {
			return ctx.Err()
		}
		return nil
	}
	switch o.Kind {
	case importer.Orders:
		return rd.Orders(func(r *importer.OrderRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			ord := crm.Order{ID: r.ID, CustomerCode: r.Customer, CustomerName: r.CustomerName, Date: r.Date, Time: r.Time,
				Amount: r.Amount, Due: r.Due, Note: r.Note, Lines: r.Lines}
			if !o.Lines {
				ord.Lines = 0
			}
			recent.add(r.Line, rd.Record())
			return asRejection("customer", r.Customer, sess.PutOrder(&ord, r.Line))
		}, reject)
	case importer.Payments:
		return rd.Payments(func(r *importer.PaymentRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			p := crm.Payment{ID: r.ID, CustomerCode: r.Customer, OrderID: r.OrderID, Date: r.Date, Amount: r.Amount, Method: r.Method}
			return asRejection("customer", r.Customer, sess.PutPayment(&p, r.Line))
		}, reject)
	case importer.Customers:
		return rd.Customers(func(r *importer.CustomerRec) error {
			c := crm.Customer{Code: r.Code, Name: r.Name, Type: crm.CustomerType(r.Type), Owner: r.Owner, Phone: r.Phone,
				Email: r.Email, Fax: r.Fax, Address: r.Address, City: r.City, Region: r.Region, Country: r.Country,
				Industry: r.Industry, Source: r.Source, BankAccount: r.BankAccount, TaxID: r.TaxID, TermsDays: r.TermsDays, Note: r.Note}
			set := map[string]bool{}
			for k, v := range r.Set {
				set[strings.ReplaceAll(k, "_", "-")] = v
			}
			return asRejection("code", r.Code, sess.PutCustomer(&c, set, r.Line))
		}, reject)
	case importer.Complaints:
		return rd.Complaints(func(r *importer.ComplaintRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			c := crm.ImportedComplaint{ExternalID: r.ExternalID, CustomerName: r.CustomerName,
				Complaint: crm.Complaint{CustomerCode: r.Customer, Date: r.Date, Channel: crm.ComplaintChannel(r.Channel),
					Category: r.Category, Severity: crm.Severity(r.Severity), Text: r.Text}}
			return asRejection("customer", r.Customer, sess.PutComplaint(&c, r.Line))
		}, reject)
	case importer.Interactions:
		return rd.Interactions(func(r *importer.InteractionRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			i := crm.ImportedInteraction{CustomerName: r.CustomerName, Contact: r.Contact, Interaction: crm.Interaction{
				ExternalID: r.ExternalID, CustomerCode: r.Customer, DealID: r.DealID, Date: r.Date, Time: r.Time, Type: r.Type,
				Direction: r.Direction, Outcome: r.Outcome, Purpose: r.Purpose, NoticeLevel: r.NoticeLevel,
				Minutes: r.Minutes, HasMinutes: r.HasMinutes, Subject: r.Subject, Text: r.Text}}
			return asRejection("customer", r.Customer, sess.PutInteraction(&i, r.Line))
		}, reject)
	case importer.Tasks:
		return rd.Tasks(func(r *importer.TaskRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			t := crm.ImportedTask{ExternalID: r.ExternalID, CustomerName: r.CustomerName, Contact: r.Contact, Task: crm.Task{
				CustomerCode: r.Customer, DealID: r.DealID, Title: r.Title, Type: r.Type, Priority: r.Priority, Due: r.Due,
				Status: r.Status, DoneOn: r.DoneOn, Created: r.Created, Repeat: r.Repeat, Note: r.Note}}
			return asRejection("customer", r.Customer, sess.PutTask(&t, r.Line))
		}, reject)
	case importer.Deals:
		policy, err := cmdutil.DealPolicy(o.F)
		if err != nil {
			return importer.Stats{}, err
		}
		return rd.Deals(func(r *importer.DealRec) error {
			if err := cancelled(); err != nil {
				return err
			}
			d := crm.ImportedDeal{DealImport: r.DealImport, CustomerCode: r.Customer, CustomerName: r.CustomerName,
				Policy: &policy}
			d.ExternalID = r.ExternalID
			return asRejection("customer", r.Customer, sess.PutDeal(&d, r.Line))
		}, reject)
	case importer.Contacts:
		return rd.Contacts(func(r *importer.ContactRec) error {
			k := crm.Contact{CustomerCode: r.Customer, Name: r.Name, Role: crm.Role(r.Role), Title: r.Title, Phone: r.Phone, Email: r.Email, Note: r.Note}
			return asRejection("customer", r.Customer, sess.PutContact(&k, r.Line))
		}, reject)
	}
	return importer.Stats{}, fmt.Errorf("import %s: not supported", o.Kind)
}

func displayName(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// openInput opens the file to import ("-": standard input). Opening a FIFO
// and reading a terminal or a pipe give way to an interrupt (ctx).
// rewind reports whether the import's input can be read again from its
// first byte (a regular file, named or redirected to standard input),
// rewinding standard input.
func rewind(o *Options) bool {
	if o.File != "-" {
		st, err := os.Stat(o.File)
		return err == nil && st.Mode().IsRegular()
	}
	f, ok := o.F.IO.In.(*os.File)
	if !ok {
		return false
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	_, err := f.Seek(0, io.SeekStart)
	return err == nil
}

func openInput(ctx context.Context, o *Options) (io.Reader, int64, func(), error) {
	if o.File == "-" {
		if f, ok := o.F.IO.In.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				return f, 0, func() {}, nil // a file redirected to stdin: reads never wait
			}
		}
		return fileio.NewReader(ctx, o.F.IO.In), 0, func() {}, nil
	}
	fh, err := fileio.Open(ctx, o.File, os.O_RDONLY)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, nil, ctx.Err()
		}
		return nil, 0, nil, crm.Errorf(crm.EDATA, "%s: %v", o.File, unwrap(err))
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, nil, err
	}
	if st.IsDir() {
		fh.Close()
		return nil, 0, nil, crm.Errorf(crm.EDATA, "%s: is a directory", o.File)
	}
	var in io.Reader = fh
	if !st.Mode().IsRegular() {
		in = fileio.NewReader(ctx, fh) // a FIFO, a device
	}
	return in, st.Size(), func() { fh.Close() }, nil
}

func printSummary(o *Options, s crm.ImportSummary) {
	w := o.F.IO.ErrOut
	prefix := displayName(o.File) + ": "
	verb, create := "imported", "created"
	if o.DryRun {
		prefix = "dry run, database unchanged: " + prefix
		verb, create = "would import", "would create"
	}
	fmt.Fprintf(w, "%sread %s; %s %s, updated %d, unchanged %d, rejected %d",
		prefix, plural(s.Read, "row"), verb, plural(s.Imported, strings.TrimSuffix(string(o.Kind), "s")), s.Updated, s.Unchanged, s.Rejected)
	if s.CustomersCreated > 0 {
		fmt.Fprintf(w, "; %s %s", create, plural(s.CustomersCreated, "customer"))
	}
	if s.CreditHeld+s.CreditRejected > 0 {
		fmt.Fprintf(w, "; credit check: %d held, %d rejected", s.CreditHeld, s.CreditRejected)
	}
	fmt.Fprintln(w)
	if s.Rejected > 0 && o.Rejects != "" {
		where := o.Rejects
		if where == "-" {
			where = "standard output"
		}
		fmt.Fprintf(w, "rejected rows are in %s\n", where)
	}
}

// plural is "1 row", "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// progress draws a bar with rows/s on a terminal's stderr.
type progress struct {
	w          io.Writer
	size, read int64
	rows       int64
	start      time.Time
	last       time.Time
}

func newProgress(w io.Writer, size int64) *progress {
	now := time.Now()
	return &progress{w: w, size: size, start: now, last: now}
}

func (p *progress) wrap(r io.Reader) io.Reader { return &countingReader{r: r, p: p} }

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.read += int64(n)
	for _, ch := range b[:n] {
		if ch == '\n' {
			c.p.rows++
		}
	}
	if now := time.Now(); now.Sub(c.p.last) > 200*time.Millisecond {
		c.p.last = now
		c.p.draw(now)
	}
	return n, err
}

func (p *progress) draw(now time.Time) {
	frac := float64(p.read) / float64(p.size)
	if frac > 1 {
		frac = 1
	}
	const width = 30
	fill := int(frac * width)
	rate := float64(p.rows) / now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d rows  %.0f rows/s ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), frac*100, p.rows, rate)
}

func (p *progress) done() {
	p.draw(time.Now())
	fmt.Fprint(p.w, "\r\033[K")
}

// recentKept is how many rows' columns an import keeps for the rejects
// file: more than the orders the store holds before it settles them (a
// batch being weighed and the batches queued for the writer).
const recentKept = 4096

// recentRecords keeps the columns of the latest rows handed to the store, so
// that a row it refuses later — when its batch is weighed by the credit
// check or written — goes to the rejects file whole, fit to import again.
type recentRecords struct {
	lines []int
	recs  [][]string
	at    map[int]int // line → slot
	next  int
}

func newRecentRecords(n int) *recentRecords {
	return &recentRecords{lines: make([]int, n), recs: make([][]string, n), at: make(map[int]int, n)}
}

func (r *recentRecords) add(line int, rec []string) {
	if r == nil || rec == nil {
		return
	}
	if old := r.lines[r.next]; r.recs[r.next] != nil && r.at[old] == r.next {
		delete(r.at, old)
	}
	r.lines[r.next], r.recs[r.next] = line, rec
	r.at[line] = r.next
	r.next = (r.next + 1) % len(r.lines)
}

func (r *recentRecords) get(line int) []string {
	if r == nil {
		return nil
	}
	if i, ok := r.at[line]; ok {
		return r.recs[i]
	}
	return nil
}
