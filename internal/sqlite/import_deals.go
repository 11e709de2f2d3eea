package sqlite

import (
	"database/sql"
	"errors"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/crm-course/crm/internal/crm"
)

// dealImport is the deal state of one import session (prepared statements
// in its transaction), kept beside the session as complaintImport is.
type dealImport struct {
	insRow, insEvent, find *sql.Stmt
}

var dealImports = struct {
	sync.Mutex
	m map[weak.Pointer[importSession]]*dealImport
}{m: map[weak.Pointer[importSession]]*dealImport{}}

func (s *importSession) dealState() (*dealImport, error) {
	k := weak.Make(s)
	dealImports.Lock()
	defer dealImports.Unlock()
	st := dealImports.m[k]
	if st != nil {
		return st, nil
	}
	st = &dealImport{}
	var err error
	if st.insRow, err = s.tx.PrepareContext(s.ctx, dealInsertSQL); err != nil {
		return nil, err
	}
	if st.insEvent, err = s.tx.PrepareContext(s.ctx, dealEventInsertSQL); err != nil {
		return nil, err
	}
	if st.find, err = s.tx.PrepareContext(s.ctx, "SELECT id, customer_id FROM deals WHERE external_id = ?"); err != nil {
		return nil, err
	}
	dealImports.m[k] = st
	runtime.AddCleanup(s, func(k weak.Pointer[importSession]) {
		dealImports.Lock()
		delete(dealImports.m, k)
		dealImports.Unlock()
	}, k)
	return st, nil
}

// PutDeal imports one deal (SPEC §9.2; the rules of the other imports):
//   - the customer is found by code, or created with --create-customers
//     (named CustomerName, else the code);
//   - the history is crm.ImportDeal's (added on the created date, then won or
//     lost on the close date), or the Events given (the demo), replayed;
//   - idempotent by ExternalID: a deal whose stored events begin with the
//     file's history is unchanged (later steps by hand are kept); one whose
//     stored events are the beginning of the file's history gets the rest
//     appended (a deal that closed since the last export: updated); any
//     other difference, or another customer, is a row error. The amount of
//     the add is not compared (the file's amount is the expected amount of
//     an open deal, the won amount of a won one): a re-import keeps it.
func (s *importSession) PutDeal(in *crm.ImportedDeal, line int) error {
	if err := s.sync(); err != nil {
		return err
	}
	ext := strings.TrimSpace(in.ExternalID)
	if ext == "" {
		return crm.Errorf(crm.EDATA, "deal without an id")
	}
	code := strings.TrimSpace(in.CustomerCode)
	customerID, err := s.customer(code, in.CustomerName)
	if err != nil {
		return err
	}
	if err := s.createPending(true); err != nil {
		return err
	}
	st, err := s.dealState()
	if err != nil {
		return err
	}
	draft := in.DealImport
	draft.ID, draft.CustomerID, draft.ExternalID = 0, customerID, ext
	var built crm.Deal
	var evs []crm.DealEvent
	if len(in.Events) > 0 {
		evs = slices.Clone(in.Events)
		if evs[0].Kind != crm.DealAdded {
			return crm.Errorf(crm.EDATA, "deal %q: its history must start with its adding, not %s", ext, evs[0].Kind)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Date < evs[i-1].Date {
				return crm.Errorf(crm.EDATA, "deal %q: step %d is dated before the one before it", ext, i+1)
			}
		}
		built = crm.ReplayDeal(crm.Deal{CustomerID: draft.CustomerID, ExternalID: ext}, evs)
	} else {
		p := crm.DefaultDealPolicy()
		if in.Policy != nil {
			p = *in.Policy
		}
		if built, evs, err = crm.ImportDeal(p, draft); err != nil {
			return err
		}
	}
	var oldID, oldCustomer int64
	err = st.find.QueryRowContext(s.ctx, ext).Scan(&oldID, &oldCustomer)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := st.insRow.ExecContext(s.ctx, dealArgs(ext, &built, s.now)...)
		if err != nil {
			return err
		}
		if built.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for i := range evs {
			evs[i].Seq = i + 1
			if _, err := st.insEvent.ExecContext(s.ctx, dealEventArgs(built.ID, &evs[i], s.now)...); err != nil {
				return err
			}
		}
		if err := writeDealSpells(s.ctx, s.tx, built.ID, evs, built.LastDate); err != nil {
			return err
		}
		in.ID = built.ID
		s.sum.Imported++
		return nil
	}
	if err != nil {
		return err
	}
	in.ID = oldID
	if oldCustomer != draft.CustomerID {
		return crm.Errorf(crm.EDATA, "deal %q is deal %d of another customer in the database", ext, oldID)
	}
	stored, err := dealEvents(s.ctx, s.tx, "deal_id = ?", oldID)
	if err != nil {
		return err
	}
	have := stored[oldID]
	n := min(len(have), len(evs))
	for i := 0; i < n; i++ {
		if !sameEvent(have[i], evs[i]) {
			return crm.Errorf(crm.EDATA, "deal %q (deal %d): the file's history differs from the stored one at step %d (%s on %s); change it with the deal commands",
				ext, oldID, i+1, have[i].Kind, have[i].Date)
		}
	}
	if len(evs) <= len(have) {
		s.sum.Unchanged++
		return nil
	}
	for i := len(have); i < len(evs); i++ {
		evs[i].Seq = i + 1
		if _, err := st.insEvent.ExecContext(s.ctx, dealEventArgs(oldID, &evs[i], s.now)...); err != nil {
			return err
		}
	}
	row, _, err := loadDealRow(s.ctx, s.tx, oldID)
	if err != nil {
		return err
	}
	all := append(have, evs[len(have):]...)
	next := crm.ReplayDeal(crm.Deal{ID: oldID, CustomerID: row.CustomerID, ExternalID: ext,
		CustomerCode: row.CustomerCode, CustomerName: row.CustomerName}, all)
	if err := updateDeal(s.ctx, s.tx, &next); err != nil {
		return err
	}
	if err := writeDealSpells(s.ctx, s.tx, oldID, all, next.LastDate); err != nil {
		return err
	}
	s.sum.Updated++
	return nil
}

// sameEvent compares two events as stored (not their seq).
func sameEvent(a, b crm.DealEvent) bool {
	if strings.Join(a.Reasons, ",") != strings.Join(b.Reasons, ",") {
		return false
	}
	a.Seq, b.Seq, a.Reasons, b.Reasons = 0, 0, nil, nil
	// The amount of an add is not compared: a file's amount column is the
	// expected amount of an open deal and the won amount of a won one, so a
	// deal exported open and then won would differ there.
	if a.Kind != crm.DealWonEv {
		a.Amount = 0
	}
	if b.Kind != crm.DealWonEv {
		b.Amount = 0
	}
	return reflect.DeepEqual(a, b)
}
