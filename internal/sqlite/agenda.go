package sqlite

import (
	"context"

	"github.com/crm-course/crm/internal/crm"
)

// AgendaTouches implements crm.AgendaService.
func (d *DB) AgendaTouches(ctx context.Context, asOf crm.Date) ([]crm.CustomerTouches, error) {
	return nil, nil
}

// CollectionTouches implements crm.AgendaService.
func (d *DB) CollectionTouches(ctx context.Context, asOf crm.Date) ([]crm.CollectionTouch, error) {
	return nil, nil
}

// AgendaSnoozes implements crm.AgendaService.
func (d *DB) AgendaSnoozes(ctx context.Context, asOf crm.Date) ([]crm.AgendaSnooze, error) {
	return nil, nil
}

// SnoozeAgenda implements crm.AgendaService.
func (d *DB) SnoozeAgenda(ctx context.Context, s crm.AgendaSnooze) (crm.AgendaSnooze, error) {
	return s, crm.Errorf(crm.EINVALID, "snoozes are not stored yet")
}
