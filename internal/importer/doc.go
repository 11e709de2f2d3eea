// Package importer turns CSV files into validated plain records for
// `crm import customers|contacts|orders|payments|complaints FILE`. It knows
// nothing of SQL: the storage layer writes what it hands over, in one
// transaction.
//
// # Use
//
//	r, err := importer.NewReader(f, importer.Options{Kind: importer.Orders, File: name, Lines: lines})
//	// r.Header(), r.Fields() for --dry-run reports
//	rw := importer.NewRejectWriter(out, r.Header())   // with --rejects OUT
//	st, err := r.Orders(store, rw.Write)              // reject nil: the first bad row is the error
//	rw.Flush()
//
// # Input
//
// UTF-8 with or without a BOM (a UTF-16 file with a BOM is decoded too);
// --encoding gbk or gb18030 for Chinese Excel exports (a UTF-8 BOM wins over
// the flag). A header that is not valid UTF-8 is an error suggesting
// --encoding gbk; an invalid byte sequence in a data row is a bad row naming
// its line and column. CRLF or LF; quoted fields may hold delimiters, quotes
// and line breaks. The delimiter is ',' unless given; with none given, a
// header line without a comma but with tabs or semicolons selects those.
// Blank rows (only empty cells) are skipped and not counted.
//
// A file with no header row is an error (EDATA). A header with no data rows is
// a valid, empty import: Stats{} and no error.
//
// # Columns
//
// Columns are found by header name, ignoring case, spaces, underscores,
// hyphens, dots and a trailing unit in brackets ("金额（元）"), with the
// common aliases of each field (fields.go: CustomerID / customer_id / 客户编号
// → customer, InvoiceNo / order_id / 订单号 → order_id, …). Options.Map
// (--map FIELD=COLUMN) overrides; one column may serve two fields
// (payment_id=invoiceNumber and order_id=invoiceNumber). Columns nobody
// asked for are ignored. A missing required column is an EDATA error that
// lists the header found.
//
// # Rows
//
// Line numbers are the physical line a row starts on (line 1 is the header,
// quoted line breaks and blank lines counted). A row is bad when it has
// fewer fields than the header (up to its last named column), more
// non-empty fields than the header, bad text, or a value that does not parse
// or validate; the RowError names file, line, column (as written in the
// header), value and reason:
//
//	orders.csv:1042: amount "12,5x": not a number
//
// Without a reject func the first bad row stops the read and is the error
// (a *RowError, which unwraps to a crm EDATA error). With one, each bad row
// goes to it and the read goes on; if it returns an error the read stops
// with that error. fn may return Reject(field, value, reason) (or
// RepeatedID) to reject the row it was given instead of stopping; any other
// error from fn stops the read.
//
// Values: money as crm.ParseMoney (more than two decimals is an error);
// quantity × unit price as crm.LineAmount (rounded half away from zero to the
// cent); dates as crm.ParseDateTime with --date-format (a time of day is
// kept in OrderRec.Time). With "auto", the default, a file's slash dates
// N/N/YYYY are all month first or all day first, as the file shows
// (dateorder.go): the first date that reads only one way (1/13/2026,
// 13/1/2026) decides for every date column of every row, the rows before it
// whose dates read both ways being held back until then (bounded); a date
// that reads only the other way is an error naming both lines, and so is a
// file whose dates all read as two different days (3/4/2026) — give
// --date-format. Dates that read the same both ways (5/5/2026) need neither.
// Customer references and ids are trimmed and kept as text (leading zeros are
// data); an integer written by a spreadsheet as a float ("17850.0") is the
// integer ("17850").
//
// # Orders and identity
//
// Rows with an order id are keyed by it. Rows without one get a generated
// key, deterministic and readable:
//
//	~CUSTOMER~YYYYMMDD~CENTS~N    e.g. ~00001~19970101~1177~1
//
// where N numbers the rows of the file with that same customer, date and
// amount (1, 2, …), so true repeats inside a file stay separate orders and
// importing the same file again produces the same keys. Payments without a
// payment id use the same form; complaints without an id use
// ~CUSTOMER~YYYYMMDD~N. An id starting with "~" in a file is refused.
//
// Without --lines each row is one order and goes to fn at once. Memory stays
// flat however long a file with order ids is, so the reader keeps no set of
// ids: it rejects a row that repeats the previous row's id with a different
// customer, date, time, amount or due date ("… use --lines"), and passes an
// identical repeat on (it is the same order again, like a re-import). The
// storage layer sees every id and must apply the same rule to repeats that
// are not adjacent: same data, no change; different data, return
// RepeatedID("order_id", id, firstLine) from fn.
//
// With --lines every row needs an order id; rows with the same id (adjacent
// or not) make one order whose amount is Σ round(quantity × unit price) (or
// Σ amount when the file has no quantity and unit price), whose date and
// time are its earliest line's, and whose Line is its first line's. A line
// whose customer differs from the order's first good line is rejected
// (`order "X" belongs to customer "A" (line N)`); a rejected line is left
// out and the order is made of its good lines (an order with none is not
// emitted). Orders go to fn after the whole file is read, in order of first
// appearance; a Rejection from fn then reports the order's first line and
// carries no Record.
//
// # Records
//
// The *OrderRec and *PaymentRec given to fn are reused: copy the struct to
// keep it (its strings stay valid). Customer, contact and complaint records
// are fresh each time. CustomerRec.Set holds the fields the row gives a
// value for: an empty cell means "leave as is".
package importer
