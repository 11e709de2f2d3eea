package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// DealPolicy resolves the deal settings (deal.levels.L.window_days |
// cadence_days | probability for H, A, B, C; deal.hot_levels;
// deal.misjudge_days; deal.lost_reasons; funnel.producing_days) into one
// crm.DealPolicy, from crm's defaults and the configuration. A bad value is a
// usage error naming its key. Every deal command (steps and reports) calls it
// once.
func DealPolicy(f *Factory) (crm.DealPolicy, error) {
	p := crm.DefaultDealPolicy()
	get := func(key string) any {
		if f == nil || f.Setting == nil {
			return nil
		}
		return f.Setting(key)
	}
	num := func(key string, def, min, max int) (int, error) {
		v := get(key)
		if v == nil {
			return def, nil
		}
		s := strings.TrimSpace(fmt.Sprint(v))
		n, err := strconv.Atoi(s)
		if err != nil || n < min || n > max {
			return def, FlagErrorf("setting %s = %q: must be a whole number from %d to %d", key, s, min, max)
		}
		return n, nil
	}
	levels := make(map[crm.Level]crm.LevelRule, len(crm.Levels))
	for _, l := range crm.Levels {
		r := crm.DefaultLevelRules[l]
		k := "deal.levels." + string(l) + "."
		var err error
		if r.WindowDays, err = num(k+"window_days", r.WindowDays, 1, 3650); err != nil {
			return p, err
		}
		if r.CadenceDays, err = num(k+"cadence_days", r.CadenceDays, 1, 3650); err != nil {
			return p, err
		}
		if r.Probability, err = num(k+"probability", r.Probability, 0, 100); err != nil {
			return p, err
		}
		levels[l] = r
	}
	p.Levels = levels
	var err error
	if p.MisjudgeDays, err = num("deal.misjudge_days", p.MisjudgeDays, 0, 36500); err != nil {
		return p, err
	}
	if p.ProducingDays, err = num("funnel.producing_days", p.ProducingDays, 1, 36500); err != nil {
		return p, err
	}
	if v := get("deal.hot_levels"); v != nil {
		var hot []crm.Level
		for _, s := range settingList(v) {
			l, err := crm.ParseLevel(s)
			if err != nil {
				return p, FlagErrorf("setting deal.hot_levels: %v", err)
			}
			hot = append(hot, l)
		}
		if len(hot) == 0 {
			return p, FlagErrorf("setting deal.hot_levels: empty (give levels such as H,A)")
		}
		p.HotLevels = hot
	}
	if v := get("deal.lost_reasons"); v != nil {
		rs, err := lostReasons(v)
		if err != nil {
			return p, err
		}
		p.LostReasons = rs
	}
	return p, nil
}

// settingList reads a list setting: a YAML list or "a,b" text.
func settingList(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, strings.TrimSpace(fmt.Sprint(e)))
		}
	default:
		for _, s := range strings.Split(fmt.Sprint(v), ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// lostReasons reads deal.lost_reasons: a list of {key, en, zh} (or of keys,
// or "key,key" text); "other" is always kept at the end.
func lostReasons(v any) ([]crm.LostReason, error) {
	var out []crm.LostReason
	seen := map[string]bool{}
	add := func(r crm.LostReason) error {
		r.Key = strings.ToLower(strings.TrimSpace(r.Key))
		if r.Key == "" || strings.ContainsAny(r.Key, ", ") {
			return FlagErrorf("setting deal.lost_reasons: key %q: must be one word without commas or spaces", r.Key)
		}
		if seen[r.Key] {
			return FlagErrorf("setting deal.lost_reasons: key %q appears twice", r.Key)
		}
		seen[r.Key] = true
		if r.En == "" {
			r.En = r.Key
			for _, d := range crm.DefaultLostReasons {
				if d.Key == r.Key {
					r.En, r.Zh = d.En, d.Zh
				}
			}
		}
		out = append(out, r)
		return nil
	}
	if list, ok := v.([]any); ok {
		for _, e := range list {
			var r crm.LostReason
			switch x := e.(type) {
			case map[string]any:
				r.Key, r.En, r.Zh = str(x["key"]), str(x["en"]), str(x["zh"])
			default:
				r.Key = fmt.Sprint(e)
			}
			if err := add(r); err != nil {
				return nil, err
			}
		}
	} else {
		for _, k := range settingList(v) {
			if err := add(crm.LostReason{Key: k}); err != nil {
				return nil, err
			}
		}
	}
	if len(out) == 0 {
		return nil, FlagErrorf("setting deal.lost_reasons: empty")
	}
	if !seen["other"] {
		out = append(out, crm.DefaultLostReasons[len(crm.DefaultLostReasons)-1])
	}
	return out, nil
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}
