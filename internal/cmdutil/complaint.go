package cmdutil

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/crm-course/crm/internal/crm"
)

// ComplaintSettings are the complaint.* settings (SPEC §7), resolved once per
// command: the follow-up days, the systemic thresholds and the resolution
// targets by type.
type ComplaintSettings struct {
	FollowupDays      int
	SystemicCustomers int
	SystemicDays      int
	Targets           map[crm.ComplaintType]int
}

// DueOptions are the settings of Complaint.Next and ComplaintDue.
func (s ComplaintSettings) DueOptions() crm.DueOptions {
	return crm.DueOptions{FollowUpDays: s.FollowupDays, Targets: s.Targets}
}

// LoadComplaintSettings reads the complaint.* settings; a bad value is a
// usage error naming its key.
func LoadComplaintSettings(f *Factory) (ComplaintSettings, error) {
	s := ComplaintSettings{}
	var err error
	get := func(key string, def, min int) int {
		if err != nil || f == nil || f.Setting == nil {
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
	s.FollowupDays = get("complaint.followup_days", crm.DefaultFollowUpDays, 1)
	s.SystemicCustomers = get("complaint.systemic_customers", crm.DefaultSystemicCustomers, 1)
	s.SystemicDays = get("complaint.systemic_days", crm.DefaultSystemicDays, 1)
	key := get("complaint.target_key_days", crm.DefaultResolutionTargets[crm.ComplaintKey], 0)
	general := get("complaint.target_general_days", crm.DefaultResolutionTargets[crm.ComplaintGeneral], 0)
	// False and malicious complaints go through the general process.
	s.Targets = map[crm.ComplaintType]int{crm.ComplaintKey: key, crm.ComplaintGeneral: general,
		crm.ComplaintFalse: general, crm.ComplaintMalicious: general}
	return s, err
}
