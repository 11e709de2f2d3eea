package sqlite

import (
	"database/sql"
	"errors"
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/crm-course/crm/internal/crm"
)

// complaintImport is the complaint state of one import session. It lives
// beside the session (keyed weakly by it) and goes when the session does.
type complaintImport struct {
	tierA    *tierACache // customers computed tier A by date; nil until needed
	pins     map[int64]*crm.TierPinRecord
	inserted map[string]bool // external ids inserted by this session
	insRow   *sql.Stmt       // prepared in the session's transaction (closed with it)
	insEvent *sql.Stmt
}

var complaintImports = struct {
	sync.Mutex
	m map[weak.Pointer[importSession]]*complaintImport
}{m: map[weak.Pointer[importSession]]*complaintImport{}}

func (s *importSession) complaintState() *complaintImport {
	k := weak.Make(s)
	complaintImports.Lock()
	defer complaintImports.Unlock()
	st := complaintImports.m[k]
	if st == nil {
		st = &complaintImport{inserted: map[string]bool{}}
		complaintImports.m[k] = st
		runtime.AddCleanup(s, func(k weak.Pointer[importSession]) {
			complaintImports.Lock()
			delete(complaintImports.m, k)
			complaintImports.Unlock()
		}, k)
	}
	return st
}

// PutComplaint imports one complaint (SPEC §7; the rules of the other imports):
//   - the customer is found by code (CustomerCode), or created with
//     --create-customers (named CustomerName, else the code);
//   - without events it is logged with crm.LogComplaint: type key when the
//     customer is tier A (as the database stood when the session first needed
//     it) or the severity extreme, else general; with events the history is
//     replayed and refused if it breaks the rules;
//   - a channel crm does not know (CFPB's Referral, Postal mail, Fax …) is
//     imported as other;
//   - an ExternalID already in the database: same customer, date, channel,
//     category, severity and text → unchanged; other values → the complaint's
//     own fields (and its logged event) are updated, its handling is kept; a
//     complaint of another customer, or an id seen earlier in this file with
//     other values, is a row error.
func (s *importSession) PutComplaint(ic *crm.ImportedComplaint, line int) error {
	if err := s.sync(); err != nil { // (only orders are written by the writer goroutine)
		return err
	}
	ext := strings.TrimSpace(ic.ExternalID)
	if ext == "" {
		return crm.Errorf(crm.EDATA, "complaint without an id")
	}
	code := strings.TrimSpace(ic.CustomerCode)
	customerID, err := s.customer(code, ic.CustomerName)
	if err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	st := s.complaintState()
	c := ic.Complaint
	c.ID, c.CustomerID, c.CustomerCode = 0, customerID, code
	c.Channel = crm.ImportChannel(string(c.Channel))
	built, err := s.buildComplaint(st, c)
	if err != nil {
		return err
	}
	var old struct {
		id, customer                                    int64
		date, channel, category, severity, text, second string
		events                                          int
	}
	err = s.tx.QueryRowContext(s.ctx, `SELECT c.id, c.customer_id, c.date, c.channel, c.category, c.severity, c.text,
		(SELECT count(*) FROM complaint_events e WHERE e.complaint_id = c.id),
		coalesce((SELECT e.date FROM complaint_events e WHERE e.complaint_id = c.id AND e.seq = 2), '')
		FROM complaints c WHERE c.external_id = ?`, ext).
		Scan(&old.id, &old.customer, &old.date, &old.channel, &old.category, &old.severity, &old.text, &old.events, &old.second)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.insertImported(st, &built, ext); err != nil {
			return err
		}
		st.inserted[ext] = true
		ic.ID = built.ID
		s.sum.Imported++
		return nil
	}
	if err != nil {
		return err
	}
	ic.ID = old.id
	if old.customer != built.CustomerID {
		return crm.Errorf(crm.EDATA, "complaint %q is complaint %d of another customer in the database", ext, old.id)
	}
	if old.date == built.Date.String() && old.channel == string(built.Channel) && old.category == built.Category &&
		old.severity == string(built.Severity) && old.text == built.Text {
		s.sum.Unchanged++
		return nil
	}
	if st.inserted[ext] {
		return crm.Errorf(crm.EDATA, "complaint %q appears earlier in this file with other values", ext)
	}
	if old.second != "" && built.Date.String() > old.second {
		return crm.Errorf(crm.EDATA, "complaint %q: date %s is after its first handling step on %s", ext, built.Date, old.second)
	}
	last := "last_date"
	if old.events == 1 {
		last = "?5"
	}
	if _, err := s.tx.ExecContext(s.ctx, `UPDATE complaints SET date = ?5, channel = ?1, category = ?2, severity = ?3,
		text = ?4, last_date = `+last+` WHERE id = ?6`,
		string(built.Channel), built.Category, string(built.Severity), built.Text, built.Date.String(), old.id); err != nil {
		return err
	}
	if _, err := s.tx.ExecContext(s.ctx, `UPDATE complaint_events SET date = ?, note = ? WHERE complaint_id = ? AND seq = 1`,
		built.Date.String(), built.Text, old.id); err != nil {
		return err
	}
	s.sum.Updated++
	return nil
}

// buildComplaint validates c: logged as new, or its events replayed.
func (s *importSession) buildComplaint(st *complaintImport, c crm.Complaint) (crm.Complaint, error) {
	if len(c.Events) == 0 {
		if st.tierA == nil {
			var err error
			if st.pins, err = tierPinsByID(s.ctx, s.tx); err != nil {
				return c, err
			}
			st.tierA = &tierACache{}
		}
		tierA, err := crm.TierAAsOf(st.pins[c.CustomerID], c.Date, func() (bool, error) {
			set, err := st.tierA.at(s.ctx, s.tx, c.Date)
			return set[c.CustomerID], err
		})
		if err != nil {
			return c, err
		}
		c.Type = ""
		built, _, err := crm.LogComplaint(c, tierA)
		return built, err
	}
	events := c.Events
	first := events[0]
	if first.Kind != crm.ComplaintEventLogged {
		return c, crm.Errorf(crm.EDATA, "complaint history must start with its logging, not %s", first.Kind)
	}
	base := c
	base.Events = nil
	base.Type = first.ToType
	if first.Date != crm.NoDate {
		base.Date = first.Date
	}
	built, _, err := crm.LogComplaint(base, false)
	if err != nil {
		return c, err
	}
	for _, e := range events[1:] {
		if built, err = built.Apply(e); err != nil {
			return c, err
		}
	}
	return built, nil
}

func (s *importSession) insertImported(st *complaintImport, c *crm.Complaint, ext string) error {
	var err error
	if st.insRow == nil {
		if st.insRow, err = s.tx.PrepareContext(s.ctx, complaintInsertSQL); err != nil {
			return err
		}
		if st.insEvent, err = s.tx.PrepareContext(s.ctx, eventInsertSQL); err != nil {
			return err
		}
	}
	res, err := st.insRow.ExecContext(s.ctx, complaintArgs(ext, c, s.now)...)
	if err != nil {
		return err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	for i := range c.Events {
		if _, err := st.insEvent.ExecContext(s.ctx, eventArgs(c.ID, &c.Events[i], s.now)...); err != nil {
			return err
		}
	}
	return nil
}
