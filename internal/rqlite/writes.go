package rqlite

// The write methods: each runs internal/sqlite's on the snapshot, and again
// on a fresh snapshot when another writer beat it (Store.retry). Arguments
// a method fills in (ids, timestamps) are copied for each attempt, so an
// attempt that lost starts from what the caller gave.

import (
	"context"
	"errors"

	"github.com/crm-course/crm/internal/crm"
)

// again runs op with a fresh copy of *in each time and, once op succeeds,
// copies the result back.
func again[T any](s *Store, ctx context.Context, in *T, op func(*T) error) error {
	if in == nil {
		return s.retry(ctx, func() error { return op(nil) })
	}
	var out T
	err := s.retry(ctx, func() error {
		out = *in
		return op(&out)
	})
	if err == nil {
		*in = out
	}
	return err
}

func (s *Store) Create(ctx context.Context, c *crm.Customer) error {
	return again(s, ctx, c, func(c *crm.Customer) error { return s.DB.Create(ctx, c) })
}

func (s *Store) Update(ctx context.Context, c *crm.Customer) error {
	return again(s, ctx, c, func(c *crm.Customer) error { return s.DB.Update(ctx, c) })
}

func (s *Store) Delete(ctx context.Context, id int64, force bool) (n crm.CustomerCounts, err error) {
	err = s.retry(ctx, func() (err error) { n, err = s.DB.Delete(ctx, id, force); return })
	return
}

func (s *Store) AddContact(ctx context.Context, k *crm.Contact) error {
	return again(s, ctx, k, func(k *crm.Contact) error { return s.DB.AddContact(ctx, k) })
}

func (s *Store) UpdateContact(ctx context.Context, k *crm.Contact) error {
	return again(s, ctx, k, func(k *crm.Contact) error { return s.DB.UpdateContact(ctx, k) })
}

func (s *Store) DeleteContact(ctx context.Context, id int64) error {
	return s.retry(ctx, func() error { return s.DB.DeleteContact(ctx, id) })
}

func (s *Store) AddOrder(ctx context.Context, o *crm.Order) error {
	return again(s, ctx, o, func(o *crm.Order) error { return s.DB.AddOrder(ctx, o) })
}

func (s *Store) DeleteOrder(ctx context.Context, id string) error {
	return s.retry(ctx, func() error { return s.DB.DeleteOrder(ctx, id) })
}

func (s *Store) AddOrderChecked(ctx context.Context, o *crm.Order, r crm.CreditRules, overrideReason string) (c crm.OrderCheck, err error) {
	err = again(s, ctx, o, func(o *crm.Order) (err error) { c, err = s.DB.AddOrderChecked(ctx, o, r, overrideReason); return })
	return
}

func (s *Store) AddPayment(ctx context.Context, p *crm.Payment) error {
	return again(s, ctx, p, func(p *crm.Payment) error { return s.DB.AddPayment(ctx, p) })
}

func (s *Store) DeletePayment(ctx context.Context, id string) error {
	return s.retry(ctx, func() error { return s.DB.DeletePayment(ctx, id) })
}

func (s *Store) PinTier(ctx context.Context, p crm.TierPinRecord) (r *crm.TierPinRecord, err error) {
	err = s.retry(ctx, func() (err error) { r, err = s.DB.PinTier(ctx, p); return })
	return
}

func (s *Store) UnpinTier(ctx context.Context, customerID int64) (r *crm.TierPinRecord, err error) {
	err = s.retry(ctx, func() (err error) { r, err = s.DB.UnpinTier(ctx, customerID); return })
	return
}

func (s *Store) SaveTierSnapshot(ctx context.Context, info crm.TierSnapshotInfo, rows []crm.TierSnapshotRow) (replaced bool, err error) {
	err = s.retry(ctx, func() (err error) { replaced, err = s.DB.SaveTierSnapshot(ctx, info, rows); return })
	return
}

func (s *Store) SetCreditLimit(ctx context.Context, req crm.CreditLimitRequest) (c *crm.CreditLimitChange, err error) {
	err = s.retry(ctx, func() (err error) { c, err = s.DB.SetCreditLimit(ctx, req); return })
	return
}

func (s *Store) AddCreditOverride(ctx context.Context, o *crm.CreditOverride) error {
	return again(s, ctx, o, func(o *crm.CreditOverride) error { return s.DB.AddCreditOverride(ctx, o) })
}

func (s *Store) AddComplaint(ctx context.Context, c crm.Complaint) (out crm.Complaint, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.AddComplaint(ctx, c); return })
	return
}

func (s *Store) StepComplaint(ctx context.Context, id int64, step func(crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error)) (out crm.Complaint, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.StepComplaint(ctx, id, step); return })
	return
}

func (s *Store) LogInteraction(ctx context.Context, r crm.LogRequest) (out crm.LogResult, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.LogInteraction(ctx, r); return })
	return
}

func (s *Store) DeleteInteraction(ctx context.Context, id int64) (out crm.Interaction, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.DeleteInteraction(ctx, id); return })
	return
}

func (s *Store) AddTask(ctx context.Context, t crm.Task, contact string, date crm.Date) (out crm.Task, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.AddTask(ctx, t, contact, date); return })
	return
}

func (s *Store) StepTask(ctx context.Context, id int64, step crm.TaskStepFunc, log *crm.Interaction) (out crm.TaskStepResult, err error) {
	err = again(s, ctx, log, func(log *crm.Interaction) (err error) { out, err = s.DB.StepTask(ctx, id, step, log); return })
	return
}

func (s *Store) AddDeal(ctx context.Context, draft crm.DealDraft, refs crm.DealRefs) (out crm.Deal, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.AddDeal(ctx, draft, refs); return })
	return
}

func (s *Store) StepDeal(ctx context.Context, id int64, refs crm.DealRefs,
	step func(crm.Deal, crm.DealFound) (crm.Deal, []crm.DealEvent, error)) (out crm.Deal, ev []crm.DealEvent, err error) {
	err = s.retry(ctx, func() (err error) { out, ev, err = s.DB.StepDeal(ctx, id, refs, step); return })
	return
}

func (s *Store) SetCustomerWish(ctx context.Context, customerID int64, w crm.CustomerWish) error {
	return s.retry(ctx, func() error { return s.DB.SetCustomerWish(ctx, customerID, w) })
}

func (s *Store) EditCustomer(ctx context.Context, c *crm.Customer, ch *crm.WishChange) (w *crm.CustomerWish, err error) {
	err = again(s, ctx, c, func(c *crm.Customer) (err error) { w, err = s.DB.EditCustomer(ctx, c, ch); return })
	return
}

func (s *Store) SnoozeAgenda(ctx context.Context, a crm.AgendaSnooze) (out crm.AgendaSnooze, err error) {
	err = s.retry(ctx, func() (err error) { out, err = s.DB.SnoozeAgenda(ctx, a); return })
	return
}

func (s *Store) Wipe(ctx context.Context) error {
	return s.retry(ctx, func() error { return s.DB.Wipe(ctx) })
}

// BeginImport starts an import on the snapshot; Done(true) sends it in one
// guarded request. The store cannot run an import again (its rows come from
// the caller once): beaten by another writer, Done fails with ECONFLICT,
// nothing applied, the snapshot brought up to date, and `crm import` runs
// the whole import again from its file (cmd/importcmd, importAttempts).
func (s *Store) BeginImport(ctx context.Context, o crm.ImportOptions) (crm.ImportSession, error) {
	is, err := s.DB.BeginImport(ctx, o)
	if err != nil {
		return nil, s.describe(err)
	}
	return &importSession{ImportSession: is, s: s}, nil
}

type importSession struct {
	crm.ImportSession
	s *Store
}

func (i *importSession) Done(commit bool) error {
	err := i.ImportSession.Done(commit)
	if errors.Is(err, errConflict) {
		// Leave the snapshot current for the next try.
		i.s.refresh(context.Background())
		return &changedError{cluster: i.s.client.Name(), attempts: 1}
	}
	return i.s.describe(err)
}
