package cmdutil

import (
	"fmt"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// policySettings are the keys of the tier service policy (SPEC §13), one
// group per crm.PolicyRows row, with the defaults of crm.DefaultServicePolicy.
func policySettings() []Setting {
	def := crm.DefaultServicePolicy()
	var out []Setting
	for _, row := range crm.PolicyRows {
		s := def[row]
		who := crm.PolicyRowLabel(row, "en")
		k := "policy." + row + "."
		out = append(out,
			Setting{k + "level", string(s.Level), who + ": relationship level (basic, reactive, accountable, proactive, partner)"},
			Setting{k + "visit_every", crm.FormatCadence(s.VisitEvery), who + ": visit every (e.g. 30d, or none)"},
			Setting{k + "contact_every", crm.FormatCadence(s.ContactEvery), who + ": contact every (e.g. 14d, or none)"},
			Setting{k + "after_sale", crm.FormatCadence(s.AfterSaleDays), who + ": after-sale call this many days after an order (or none)"},
		)
	}
	return out
}

func init() { Settings = append(Settings, policySettings()...) }

// ServicePolicy resolves the policy.* settings into a crm.ServicePolicy; a
// bad value is a usage error naming its key. Every command that follows the
// policy (today, brief, policy show|check) calls it.
func ServicePolicy(f *Factory) (crm.ServicePolicy, error) {
	p := crm.DefaultServicePolicy()
	get := func(key string) (string, bool) {
		if f == nil || f.Setting == nil {
			return "", false
		}
		v := f.Setting(key)
		if v == nil {
			return "", false
		}
		return strings.TrimSpace(fmt.Sprint(v)), true
	}
	for _, row := range crm.PolicyRows {
		s := p[row]
		k := "policy." + row + "."
		if v, ok := get(k + "level"); ok {
			l, err := crm.ParseRelationLevel(v)
			if err != nil {
				return p, FlagErrorf("setting %slevel: %v", k, err)
			}
			s.Level = l
		}
		for _, c := range []struct {
			key string
			dst *int
		}{{"visit_every", &s.VisitEvery}, {"contact_every", &s.ContactEvery}, {"after_sale", &s.AfterSaleDays}} {
			if v, ok := get(k + c.key); ok {
				n, err := crm.ParseCadence(v)
				if err != nil {
					return p, FlagErrorf("setting %s%s: %v", k, c.key, err)
				}
				*c.dst = n
			}
		}
		p[row] = s
	}
	return p, nil
}
