package crm

import (
	"slices"
	"strconv"
	"strings"
)

// Parsing and labels of the deal words (SPEC §9.2–§9.4).

var dealStatusZh = map[DealStatus]string{
	DealOpen: "跟进中", DealDormant: "冷冻", DealWon: "成交", DealLost: "战败",
}

var dealEventZh = map[DealEventKind]string{
	DealAdded: "新建", DealLeveled: "调级", DealEdited: "修改", DealFrozen: "冷冻", DealWoken: "唤醒",
	DealWonEv: "成交", DealLostEv: "战败", DealReopened: "重新跟进",
}

// Label is the status's name in lang ("en" or "zh": 跟进中, 冷冻, 成交, 战败).
func (s DealStatus) Label(lang string) string { return complaintLabel(s, lang, dealStatusZh) }

// Label is the event kind's name in lang.
func (k DealEventKind) Label(lang string) string { return complaintLabel(k, lang, dealEventZh) }

// Valid reports whether s is a known deal status.
func (s DealStatus) Valid() bool { return slices.Contains(DealStatuses, s) }

// Closed reports whether s is won or lost.
func (s DealStatus) Closed() bool { return s == DealWon || s == DealLost }

// Valid reports whether l is a level a deal can hold (H, A, B, C).
func (l Level) Valid() bool { return slices.Contains(Levels, l) }

// ParseLevel accepts H, A, B or C in any case (also "H级"); O and F are not
// levels a deal holds (win or lose it instead).
func ParseLevel(s string) (Level, error) {
	k := strings.ToUpper(strings.TrimSpace(s))
	k = strings.TrimSuffix(strings.TrimSuffix(k, "级"), "客户")
	if l := Level(k); l.Valid() {
		return l, nil
	}
	switch k {
	case "O":
		return "", Errorf(EINVALID, "level %q: O is a won deal; use 'deal win'", s)
	case "F":
		return "", Errorf(EINVALID, "level %q: F is a lost deal; use 'deal lose'", s)
	}
	return "", Errorf(EINVALID, "level %q: must be H, A, B or C", s)
}

// ParseDealStatus accepts open, dormant, won, lost, their Chinese labels and
// the words of dealStatusAliases (frozen, closed won, 冷冻 …).
func ParseDealStatus(s string) (DealStatus, error) {
	if v, ok := dealStatusAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", Errorf(EINVALID, "status %q: must be %s", s, complaintWant(DealStatuses))
}

// ParseProbability reads a probability 0–100 (a trailing % is allowed).
func ParseProbability(s string) (int, error) {
	t := strings.TrimSuffix(strings.TrimSpace(s), "%")
	n, err := strconv.Atoi(strings.TrimSpace(t))
	if err != nil || n < 0 || n > 100 {
		return 0, Errorf(EINVALID, "probability %q: must be a whole number 0 to 100", s)
	}
	return n, nil
}

// Reason looks a lost reason up by key, English or Chinese label (any case).
func (p DealPolicy) Reason(s string) (LostReason, bool) {
	k := aliasKey(s)
	for _, r := range p.LostReasons {
		if aliasKey(r.Key) == k || aliasKey(r.En) == k || (r.Zh != "" && strings.TrimSpace(s) == r.Zh) {
			return r, true
		}
	}
	return LostReason{}, false
}

// ReasonKeys lists the keys of the policy's lost reasons.
func (p DealPolicy) ReasonKeys() []string {
	out := make([]string, len(p.LostReasons))
	for i, r := range p.LostReasons {
		out[i] = r.Key
	}
	return out
}

// Rule is the level's tracking standard (the default table when p has none).
func (p DealPolicy) Rule(l Level) LevelRule {
	if r, ok := p.Levels[l]; ok {
		return r
	}
	return DefaultLevelRules[l]
}

// ReasonLabel is a reason key's label in lang (the key when unknown).
func (p DealPolicy) ReasonLabel(key, lang string) string {
	for _, r := range p.LostReasons {
		if r.Key == key {
			if IsZh(lang) && r.Zh != "" {
				return r.Zh
			}
			return r.En
		}
	}
	return key
}
