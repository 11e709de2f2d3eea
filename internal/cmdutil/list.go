package cmdutil

import "strings"

// Sort is a parsed --sort value: a key and a direction.
type Sort struct {
	Key  string
	Desc bool
}

// ParseSort reads a --sort value: one of keys, prefixed - for descending
// (spaces around it are ignored). Another key is a usage error listing keys.
func ParseSort(v string, keys ...string) (Sort, error) {
	key, desc := strings.CutPrefix(strings.TrimSpace(v), "-")
	if err := OneOf("sort", key, keys...); err != nil {
		return Sort{}, err
	}
	return Sort{Key: key, Desc: desc}, nil
}

// CheckLimit refuses a negative --limit (0 means no limit).
func CheckLimit(n int) error {
	if n < 0 {
		return FlagErrorf("--limit %d: must be 0 (no limit) or more", n)
	}
	return nil
}
