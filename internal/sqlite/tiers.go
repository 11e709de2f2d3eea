package sqlite

// Tier pins and tier snapshots (`crm tier pin|unpin|pins|save|snapshots|changes`).

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// ---------------------------------------------------------------------------
// Tier pins.

// TierPins lists the pins by customer code.
func (d *DB) TierPins(ctx context.Context) ([]crm.TierPinRecord, error) {
	// CROSS JOIN keeps tier_pins the outer loop: the few pins sorted, rather
	// than every customer walked in code order to find them.
	rows, err := d.db.QueryContext(ctx, `SELECT p.customer_id, c.code, c.name, p.tier, p.reason, p.pinned_on, p.created_at
		FROM tier_pins p CROSS JOIN customers c ON c.id = p.customer_id ORDER BY c.code, c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.TierPinRecord{}
	for rows.Next() {
		p, err := scanPin(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

func scanPin(s scanner) (*crm.TierPinRecord, error) {
	var p crm.TierPinRecord
	var on string
	if err := s.Scan(&p.CustomerID, &p.Code, &p.Name, &p.Tier, &p.Reason, &on, &p.CreatedAt); err != nil {
		return nil, err
	}
	d, err := storedDate("tier_pins.pinned_on", on)
	if err != nil {
		return nil, crm.Errorf(crm.EDATA, "tier pin of %s: %v", p.Code, err)
	}
	p.On = d
	return &p, nil
}

func getPin(ctx context.Context, q querier, customerID int64) (*crm.TierPinRecord, error) {
	p, err := scanPin(q.QueryRowContext(ctx, `SELECT p.customer_id, c.code, c.name, p.tier, p.reason, p.pinned_on, p.created_at
		FROM tier_pins p JOIN customers c ON c.id = p.customer_id WHERE p.customer_id = ?`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// PinTier sets or replaces a customer's pin and returns the one it replaced.
func (d *DB) PinTier(ctx context.Context, p crm.TierPinRecord) (*crm.TierPinRecord, error) {
	tier, err := crm.ParseTier(p.Tier)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(p.Reason)
	if reason == "" {
		return nil, crm.Errorf(crm.EINVALID, "a tier pin needs a reason")
	}
	if p.On == crm.NoDate {
		return nil, crm.Errorf(crm.EINVALID, "a tier pin needs a date")
	}
	var prev *crm.TierPinRecord
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if prev, err = getPin(ctx, tx, p.CustomerID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tier_pins (customer_id, tier, reason, pinned_on, created_at) VALUES (?,?,?,?,?)
			ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, reason = excluded.reason,
				pinned_on = excluded.pinned_on, created_at = excluded.created_at`,
			p.CustomerID, tier, reason, p.On.String(), d.now())
		if isForeignKey(err) {
			return crm.Errorf(crm.ENOTFOUND, "no customer with id %d", p.CustomerID)
		}
		return err
	})
	return prev, err
}

// UnpinTier removes a customer's pin and returns it.
func (d *DB) UnpinTier(ctx context.Context, customerID int64) (*crm.TierPinRecord, error) {
	var prev *crm.TierPinRecord
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if prev, err = getPin(ctx, tx, customerID); err != nil {
			return err
		}
		if prev == nil {
			return crm.Errorf(crm.ENOTFOUND, "customer id:%d has no tier pin", customerID)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM tier_pins WHERE customer_id = ?", customerID)
		return err
	})
	return prev, err
}

// ---------------------------------------------------------------------------
// Tier snapshots.

// snapshotBatch is the number of rows per INSERT statement.
const snapshotBatch = 100

// SaveTierSnapshot stores the tiers as of info.AsOf, replacing an earlier save
// at that date.
func (d *DB) SaveTierSnapshot(ctx context.Context, info crm.TierSnapshotInfo, rows []crm.TierSnapshotRow) (bool, error) {
	if info.AsOf == crm.NoDate {
		return false, crm.Errorf(crm.EINVALID, "tier snapshot: no as-of date")
	}
	for _, r := range rows {
		if r.Tier != crm.TierA && r.Tier != crm.TierB && r.Tier != crm.TierC {
			return false, crm.Errorf(crm.EINVALID, "tier snapshot: customer id:%d has tier %q", r.CustomerID, r.Tier)
		}
	}
	asOf := info.AsOf.String()
	replaced := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM tier_saves WHERE as_of = ?", asOf).Scan(&n); err != nil {
			return err
		}
		replaced = n > 0
		if _, err := tx.ExecContext(ctx, "DELETE FROM tier_snapshots WHERE as_of = ?", asOf); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tier_saves WHERE as_of = ?", asOf); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO tier_saves (as_of, method, params, customers, total, saved_at) VALUES (?,?,?,?,?,?)`,
			asOf, info.Method, info.Params, len(rows), int64(info.Total), d.now()); err != nil {
			return err
		}
		var full *sql.Stmt
		defer func() {
			if full != nil {
				full.Close()
			}
		}()
		args := make([]any, 0, 6*snapshotBatch)
		for start := 0; start < len(rows); start += snapshotBatch {
			chunk := rows[start:min(start+snapshotBatch, len(rows))]
			args = args[:0]
			for _, r := range chunk {
				args = append(args, asOf, r.CustomerID, r.Tier, int64(r.Monetary), boolInt(r.Gold), boolInt(r.Pinned))
			}
			var err error
			if len(chunk) == snapshotBatch {
				if full == nil {
					if full, err = tx.PrepareContext(ctx, snapshotInsertSQL(snapshotBatch)); err != nil {
						return err
					}
				}
				_, err = full.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, snapshotInsertSQL(len(chunk)), args...)
			}
			if isForeignKey(err) {
				return crm.Errorf(crm.ENOTFOUND, "tier snapshot: a customer does not exist")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return replaced, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func snapshotInsertSQL(n int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO tier_snapshots (as_of, customer_id, tier, monetary, gold, pinned) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?)")
	}
	return b.String()
}

const saveCols = "as_of, method, params, customers, total, saved_at"

func scanSave(s scanner) (*crm.TierSnapshotInfo, error) {
	var info crm.TierSnapshotInfo
	var asOf string
	var total int64
	if err := s.Scan(&asOf, &info.Method, &info.Params, &info.Customers, &total, &info.SavedAt); err != nil {
		return nil, err
	}
	d, err := storedDate("tier_saves.as_of", asOf)
	if err != nil {
		return nil, err
	}
	info.AsOf, info.Total = d, crm.Money(total)
	return &info, nil
}

// TierSnapshot reads the snapshot saved at asOf (nil, nil, nil when none).
func (d *DB) TierSnapshot(ctx context.Context, asOf crm.Date) (*crm.TierSnapshotInfo, []crm.TierSnapshotRow, error) {
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, d.openError(err)
	}
	defer tx.Rollback()
	info, err := scanSave(tx.QueryRowContext(ctx, "SELECT "+saveCols+" FROM tier_saves WHERE as_of = ?", asOf.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.customer_id, c.code, c.name, s.tier, s.monetary, s.gold, s.pinned
		FROM tier_snapshots s JOIN customers c ON c.id = s.customer_id WHERE s.as_of = ? ORDER BY s.customer_id`, asOf.String())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := make([]crm.TierSnapshotRow, 0, info.Customers)
	for rows.Next() {
		var r crm.TierSnapshotRow
		var mon int64
		if err := rows.Scan(&r.CustomerID, &r.Code, &r.Name, &r.Tier, &mon, &r.Gold, &r.Pinned); err != nil {
			return nil, nil, err
		}
		r.Monetary = crm.Money(mon)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return info, out, nil
}

// TierSnapshots lists the saved snapshots by date.
func (d *DB) TierSnapshots(ctx context.Context) ([]crm.TierSnapshotInfo, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT "+saveCols+" FROM tier_saves ORDER BY as_of")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []crm.TierSnapshotInfo{}
	for rows.Next() {
		info, err := scanSave(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *info)
	}
	return out, rows.Err()
}
