package crm

// AnalysisService reads what RFM scoring and tiers need (implemented in
// internal/sqlite/analysis.go).
type AnalysisService interface {
}
