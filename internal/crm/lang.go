package crm

import "strings"

// IsZh reports whether lang asks for Chinese ("zh", "zh-CN", "zh_CN.UTF-8", …).
// It is the one language rule: labels, headers and messages all choose by it.
func IsZh(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }

// Pick is zh when lang asks for Chinese, else en.
func Pick(lang, en, zh string) string {
	if IsZh(lang) {
		return zh
	}
	return en
}
