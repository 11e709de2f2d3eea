package crm

// ComplaintService stores complaints and their events (implemented in
// internal/sqlite/complaints.go).
type ComplaintService interface {
}
