package cmdutil

import (
	"fmt"
	"sort"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// SegmentScheme resolves a segment scheme name (rfm --segments): classic8,
// or rfm.schemes.NAME from the config; "" is classic8. An unknown name is a
// usage error listing the known ones.
func SegmentScheme(f *Factory, name string) (crm.SegmentScheme, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, crm.Classic8Name) {
		return crm.Classic8(), nil
	}
	var raw any
	if f.Setting != nil {
		raw = f.Setting("rfm.schemes." + strings.ToLower(name))
	}
	if raw == nil {
		known := append([]string{crm.Classic8Name}, schemeNames(f)...)
		return crm.SegmentScheme{}, FlagErrorf("--segments %q: no such scheme (known: %s; define others under rfm.schemes in the config file)",
			name, strings.Join(known, ", "))
	}
	s, err := crm.ParseSegmentScheme(strings.ToLower(name), raw)
	if err != nil {
		return s, &FlagError{Err: fmt.Errorf("config: %w", err)}
	}
	return s, nil
}

// DefaultSegmentScheme is the scheme the rfm commands use without
// --segments: the setting rfm.segments, else classic8.
func DefaultSegmentScheme(f *Factory) (crm.SegmentScheme, error) {
	var name string
	if f != nil && f.Setting != nil {
		if v := f.Setting("rfm.segments"); v != nil {
			name = strings.TrimSpace(fmt.Sprint(v))
		}
	}
	return SegmentScheme(f, name)
}

// schemeNames lists the custom schemes of the config file.
func schemeNames(f *Factory) []string {
	if f.Setting == nil {
		return nil
	}
	m, ok := f.Setting("rfm.schemes").(map[string]any)
	if !ok {
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
