package sqlite

import (
	"context"

	"github.com/crm-course/crm/internal/crm"
)

// CustomerWishes implements crm.PolicyService. (Placeholder until the
// customer wishes are stored: nobody has one.)
func (d *DB) CustomerWishes(ctx context.Context, asOf crm.Date) (map[int64]crm.CustomerWish, error) {
	return map[int64]crm.CustomerWish{}, nil
}

// SetCustomerWish implements crm.PolicyService.
func (d *DB) SetCustomerWish(ctx context.Context, customerID int64, w crm.CustomerWish) error {
	return crm.Errorf(crm.EINVALID, "customer wishes are not stored yet")
}
