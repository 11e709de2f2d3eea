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

// Order is the comparison a --sort stands for: by (the chosen key's
// comparison), reversed for -KEY, then ties by tie (the unique key: a code,
// an id), always ascending. by is nil when the chosen key is the tie-break
// key itself: then tie is the key, and -KEY reverses it too. (A by that
// returns 0 for the tie key instead would leave -code ascending: every pair
// ties and the tie-break is ascending.)
func Order[T any](s Sort, by, tie func(a, b T) int) func(a, b T) int {
	if by == nil {
		by = tie
	}
	return func(a, b T) int {
		c := by(a, b)
		if s.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return tie(a, b)
	}
}

// CheckLimit refuses a negative --limit (0 means no limit).
func CheckLimit(n int) error {
	if n < 0 {
		return FlagErrorf("--limit %d: must be 0 (no limit) or more", n)
	}
	return nil
}
