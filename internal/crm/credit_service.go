package crm

// CreditService stores credit limits and reads ledgers (implemented in
// internal/sqlite/credit.go).
type CreditService interface {
}
