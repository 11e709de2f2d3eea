package cmdutil

import "github.com/crm-course/crm/internal/crm"

// AgendaQuery selects agenda lines (SPEC §10) for commands other than
// `crm today` (the brief's next steps).
type AgendaQuery struct {
	CustomerID int64 // 0: every customer
	Days       int   // --days N: lines of † rules due in (D, D + N] too
}

// Agenda computes the agenda at f's as-of date (in f's language), ordered as
// SPEC §10.1. (Placeholder: the rules land with `crm today`.)
func Agenda(f *Factory, st Store, q AgendaQuery) ([]crm.AgendaLine, error) {
	return nil, nil
}
