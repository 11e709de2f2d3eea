package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// ComplaintConfig is the complaint.* settings (SPEC §7).
type ComplaintConfig struct {
	FollowUpDays      int
	SystemicCustomers int
	SystemicDays      int
	Targets           map[crm.ComplaintType]int
}

// DueOptions are the settings of the complaints' due dates.
func (c ComplaintConfig) DueOptions() crm.DueOptions {
	return crm.DueOptions{FollowUpDays: c.FollowUpDays, Targets: c.Targets}
}

// ComplaintSettings resolves the complaint.* settings (complaint commands,
// the agenda); a bad value is a usage error naming its key.
func ComplaintSettings(f *Factory) (ComplaintConfig, error) {
	s := ComplaintConfig{}
	var err error
	get := func(key string, def, min int) int {
		if err != nil || f.Setting == nil {
			return def
		}
		v := f.Setting(key)
		if v == nil {
			return def
		}
		str := strings.TrimSpace(fmt.Sprint(v))
		n, e := strconv.Atoi(str)
		if e != nil || n < min {
			err = FlagErrorf("setting %s = %q: must be a whole number of at least %d", key, str, min)
			return def
		}
		return n
	}
	s.FollowUpDays = get("complaint.followup_days", crm.DefaultFollowUpDays, 1)
	s.SystemicCustomers = get("complaint.systemic_customers", crm.DefaultSystemicCustomers, 1)
	s.SystemicDays = get("complaint.systemic_days", crm.DefaultSystemicDays, 1)
	key := get("complaint.target_key_days", crm.DefaultResolutionTargets[crm.ComplaintKey], 0)
	general := get("complaint.target_general_days", crm.DefaultResolutionTargets[crm.ComplaintGeneral], 0)
	// False and malicious complaints go through the general process.
	s.Targets = map[crm.ComplaintType]int{crm.ComplaintKey: key, crm.ComplaintGeneral: general,
		crm.ComplaintFalse: general, crm.ComplaintMalicious: general}
	return s, err
}
