package crm

import "testing"

func TestIsZhAndPick(t *testing.T) {
	for lang, want := range map[string]bool{"zh": true, "zh-CN": true, "ZH_cn.UTF-8": true, "en": false, "": false, "xzh": false} {
		if got := IsZh(lang); got != want {
			t.Errorf("IsZh(%q) = %v", lang, got)
		}
		pick := Pick(lang, "yes", "是")
		if (pick == "是") != want {
			t.Errorf("Pick(%q) = %q", lang, pick)
		}
	}
}
