package demo

import (
	"fmt"

	"github.com/crm-course/crm/internal/crm"
)

// Complaints returns the demo's complaints, anchored at today, at every stage
// of the course's process (SPEC §7), for the demo customers C0001…C0053:
//   - open: one logged today, one general complaint past its 3-day target;
//   - investigating: a key complaint past its 1-day target, a malicious one;
//   - resolved: one whose day-3 follow-up is due today, one two days late,
//     one resolved yesterday (not due yet);
//   - closed: first time right; closed after a reopen; a false complaint
//     with no compensation; one closed without a follow-up (unreachable);
//   - reopened: an unhappy follow-up (satisfaction 2) sent it back;
//   - a systemic cluster: 包装破损 from three customers within 30 days.
//
// Each carries its whole history as events (built with the domain's step
// functions) and an external id DEMO-001…, so ImportSession.PutComplaint
// stores it as it is.
func Complaints(today crm.Date) []crm.ImportedComplaint {
	day := func(ago int) crm.Date { return today.AddDays(-ago) }
	yuan := func(n int64) *crm.Money { m := crm.Money(n * 100); return &m }
	var out []crm.ImportedComplaint
	type step func(crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error)
	add := func(code string, ago int, ch crm.ComplaintChannel, cat string, sev crm.Severity, typ crm.ComplaintType,
		text string, steps ...step) {
		c, _, err := crm.LogComplaint(crm.Complaint{CustomerID: 1, CustomerCode: code, Date: day(ago), Channel: ch,
			Category: cat, Severity: sev, Type: typ, Text: text}, false)
		if err != nil {
			panic(fmt.Sprintf("demo complaint of %s: %v", code, err))
		}
		for _, s := range steps {
			if c, _, err = s(c); err != nil {
				panic(fmt.Sprintf("demo complaint of %s: %v", code, err))
			}
		}
		c.CustomerID = 0
		out = append(out, crm.ImportedComplaint{Complaint: c, ExternalID: fmt.Sprintf("DEMO-%03d", len(out)+1)})
	}
	investigate := func(ago int, finding string) step {
		return func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.Investigate(day(ago), finding)
		}
	}
	resolve := func(ago int, r crm.Responsibility, said string, comp *crm.Money) step {
		return func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.Resolve(day(ago), r, said, comp)
		}
	}
	classify := func(ago int, t crm.ComplaintType, reason string) step {
		return func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.Classify(day(ago), t, reason)
		}
	}
	followUp := func(ago, score int, note string) step {
		return func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.FollowUp(day(ago), score, note)
		}
	}
	closeIt := func(ago int, reason string) step {
		return func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) { return c.Close(day(ago), reason) }
	}

	// Open.
	add("C0003", 0, crm.ChannelPhone, "交货延迟", crm.SeverityNormal, crm.ComplaintGeneral,
		"第二批货比合同约定晚到一周,影响了门店上新。")
	add("C0036", 5, crm.ChannelEmail, "invoice error", crm.SeverityLow, crm.ComplaintGeneral,
		"Invoice INV-00412 charges the list price instead of the agreed discount.")
	// Investigating.
	add("C0001", 2, crm.ChannelVisit, "产品质量", crm.SeverityHigh, crm.ComplaintKey,
		"采购总监来访:上月到货的一批电源模块有 3% 开机失效,要求整批更换。",
		investigate(1, "质检复测:同一批次 2.8% 失效,供应商电容批次问题。"))
	add("C0021", 9, crm.ChannelWeb, "售后服务", crm.SeverityNormal, crm.ComplaintGeneral,
		"网上发帖称我司维修人员多次爽约,帖子被大量转发。",
		classify(8, crm.ComplaintMalicious, "发帖账号为竞争对手员工,所述维修单号不存在"),
		investigate(7, "维修记录中无此客户的预约;已保存证据,法务跟进。"))
	// Resolved: follow-up due today, two days late, not yet due.
	add("C0002", 6, crm.ChannelPhone, "交货延迟", crm.SeverityHigh, crm.ComplaintGeneral,
		"紧急订单未按承诺的 48 小时发货。",
		investigate(5, "仓库排班失误,订单被误放入普通队列。"),
		resolve(3, crm.ResponsibilityUs, "致电道歉,说明原因,承诺今后紧急订单专人跟进。", yuan(500)))
	add("C0038", 9, crm.ChannelEmail, "damaged goods", crm.SeverityNormal, crm.ComplaintGeneral,
		"Two cartons of glassware arrived broken.",
		investigate(8, "Carrier photos show the pallet was dropped at the depot."),
		resolve(5, crm.ResponsibilityThirdParty, "Apologised, shipped replacements, claim filed with the carrier.", yuan(0)))
	add("C0005", 2, crm.ChannelPhone, "产品质量", crm.SeverityNormal, crm.ComplaintGeneral,
		"新到的龙井茶叶包装内有受潮结块。",
		investigate(2, "该批次仓储湿度超标。"),
		resolve(1, crm.ResponsibilityUs, "上门致歉并换货,赠送一盒新茶。", yuan(200)))
	// Closed, first time right.
	add("C0004", 40, crm.ChannelEmail, "发票错误", crm.SeverityLow, crm.ComplaintGeneral,
		"增值税发票抬头写错。",
		investigate(39, "开票员录入错误。"),
		resolve(38, crm.ResponsibilityUs, "当天重开发票并快递寄出。", yuan(0)),
		followUp(35, 5, "客户对处理速度很满意。"))
	// Reopened by an unhappy follow-up, resolved again, closed.
	add("C0009", 30, crm.ChannelPhone, "售后服务", crm.SeverityHigh, crm.ComplaintGeneral,
		"车间设备维修后两天又出同样故障。",
		investigate(29, "维修只更换了保险丝,没有查出电机过热的原因。"),
		resolve(27, crm.ResponsibilityUs, "道歉并再次上门维修。", yuan(0)),
		followUp(24, 2, "客户仍不满意:停工损失没有人提。"),
		investigate(23, "电机轴承磨损导致过热,需更换电机。"),
		resolve(21, crm.ResponsibilityUs, "更换电机,补偿停工损失,指定专人回访。", yuan(3000)),
		followUp(18, 4, "设备运行正常,客户认可补偿。"))
	// Reopened and still being handled.
	add("C0017", 12, crm.ChannelVisit, "清关延误", crm.SeverityHigh, crm.ComplaintKey,
		"船用配件延误导致客户的船期推迟。",
		investigate(11, "海关查验延误 5 天。"),
		resolve(9, crm.ResponsibilityThirdParty, "解释海关原因,提供查验记录。", yuan(0)),
		followUp(6, 2, "客户认为我们应提前预警,情绪很大。"))
	// A false complaint: no compensation, but calm the customer and advise.
	add("C0041", 20, crm.ChannelPhone, "product quality", crm.SeverityNormal, crm.ComplaintGeneral,
		"The coffee grinder stopped working after a week.",
		classify(19, crm.ComplaintFalse, "the grinder was used for spices, against the manual"),
		investigate(18, "Motor burnt by grinding spices; warranty excludes misuse."),
		resolve(17, crm.ResponsibilityCustomer, "Explained the cause kindly, sent the care guide, offered a paid repair.", yuan(0)),
		followUp(14, 3, "Accepted the explanation."))
	// Closed without a follow-up score.
	add("C0047", 25, crm.ChannelEmail, "invoice error", crm.SeverityLow, crm.ComplaintGeneral,
		"Statement shows a payment twice.",
		investigate(24, "Duplicate line in the statement export."),
		resolve(23, crm.ResponsibilityUs, "Sent a corrected statement.", yuan(0)),
		closeIt(15, "customer not reachable for the follow-up after three calls"))
	// A systemic cluster: one category, three customers, within 30 days.
	add("C0010", 20, crm.ChannelPhone, "包装破损", crm.SeverityNormal, crm.ComplaintGeneral,
		"汽车零部件外箱压坏,两件变形。",
		investigate(19, "新换的纸箱供应商,箱体强度不足。"),
		resolve(18, crm.ResponsibilityUs, "补发零件并道歉。", yuan(800)),
		followUp(15, 4, ""))
	add("C0012", 12, crm.ChannelEmail, "包装破损", crm.SeverityNormal, crm.ComplaintGeneral,
		"精密零件包装内泡沫不足,表面划伤。",
		investigate(11, "同一纸箱供应商的新包装。"))
	add("C0016", 6, crm.ChannelPhone, "包装破损", crm.SeverityHigh, crm.ComplaintGeneral,
		"整托货物外包装破损,部分货物受潮。")
	return out
}
