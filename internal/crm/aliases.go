package crm

// The words of the domain: one alias table per enum that files and people
// spell in many ways (severity, channel, contact role). The Parse* function
// of each is the only reader, for flags and the importer alike.

import (
	"strings"
	"sync"
	"unicode"
)

// aliasKey folds a spelling for the alias tables: trimmed, lower case, without
// spaces, '_', '-' or '.' ("E-Mail" → "email", "decision maker" →
// "decisionmaker").
func aliasKey(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || r == '_' || r == '-' || r == '.' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// aliasTable maps the folded spellings of each value (its name, its Chinese
// label, the other words in words) to it. The map is built on first use:
// folding every table's words at package init cost every crm command
// ~0.05 ms of start-up (TestAliasTables builds them all).
func aliasTable[T ~string](vals []T, zh map[T]string, words map[T][]string) func() map[string]T {
	f := sync.OnceValue(func() map[string]T { return buildAliases(vals, zh, words) })
	aliasTables = append(aliasTables, func() { f() })
	return f
}

// aliasTables builds every table (TestAliasTables: a word of two values
// panics there, not on a user's first command).
var aliasTables []func()

func buildAliases[T ~string](vals []T, zh map[T]string, words map[T][]string) map[string]T {
	m := map[string]T{}
	add := func(w string, v T) {
		k := aliasKey(w)
		if old, dup := m[k]; dup && old != v {
			panic("crm: alias " + w + " of both " + string(old) + " and " + string(v))
		}
		m[k] = v
	}
	for _, v := range vals {
		add(string(v), v)
		add(zh[v], v)
		for _, w := range words[v] {
			add(w, v)
		}
	}
	delete(m, "")
	return m
}

// severityAliases: low, normal, high, extreme, their labels and the words
// complaint files use (critical, 严重, …).
var severityAliases = aliasTable(Severities, complaintSeverityZh, map[Severity][]string{
	SeverityLow:     {"minor", "轻微"},
	SeverityNormal:  {"medium", "moderate", "中", "一般"},
	SeverityHigh:    {"major", "严重"},
	SeverityExtreme: {"critical", "urgent", "极高", "特别严重", "紧急"},
})

// channelAliases: phone, email, visit, web, other, their labels and common
// synonyms.
var channelAliases = aliasTable(ComplaintChannels, complaintChannelZh, map[ComplaintChannel][]string{
	ChannelPhone: {"telephone", "tel", "call", "hotline", "热线", "电话投诉"},
	ChannelEmail: {"mail", "电子邮件", "邮箱"},
	ChannelWeb:   {"website", "online", "internet", "web form", "app", "网上", "网络", "在线"},
	ChannelVisit: {"in person", "walk-in", "store", "上门", "到访", "现场"},
})

// roleAliases: the four layers of key people, their labels with and without
// 层, and the English words for them.
var roleAliases = aliasTable(Roles, roleZh, map[Role][]string{
	RoleImage:          {"形象", "figurehead"},
	RoleDecision:       {"决策", "decision maker", "decider"},
	RoleImplementation: {"实施", "implementer", "implementor"},
	RoleUser:           {"使用", "end user", "users"},
})

// interactionTypeAliases: the interaction types (SPEC §8.1), their labels and
// the words call logs use (phone, 电话, 上门, 微信, 备忘, …).
var interactionTypeAliases = aliasTable(InteractionTypes, interactionTypeZh, map[InteractionType][]string{
	InteractionCall:    {"phone", "phone call", "telephone", "tel", "打电话", "通话", "来电", "去电"},
	InteractionVisit:   {"面访", "上门", "到访", "走访", "来访", "visit in person"},
	InteractionMeeting: {"meet", "开会", "会谈", "洽谈"},
	InteractionEmail:   {"mail", "e-mail", "电子邮件", "邮箱"},
	InteractionLetter:  {"post", "信件", "函件", "书信"},
	InteractionMessage: {"sms", "text", "text message", "wechat", "im", "微信", "消息", "短消息"},
	InteractionEvent:   {"交流会", "答谢会", "seminar", "party", "展会"},
	InteractionNote:    {"memo", "comment", "备忘", "记录"},
})

// directionAliases: outbound, inbound, their labels and short words.
var directionAliases = aliasTable(Directions, directionZh, map[Direction][]string{
	DirectionOutbound: {"out", "outgoing", "主动", "去电", "拜访客户"},
	DirectionInbound:  {"in", "incoming", "客户来访", "来电", "被动"},
})

// outcomeAliases: reached, no_answer and their labels.
var outcomeAliases = aliasTable(Outcomes, outcomeZh, map[InteractionOutcome][]string{
	OutcomeReached:  {"ok", "done", "answered", "沟通", "接通", "已接通", "成功"},
	OutcomeNoAnswer: {"no answer", "noanswer", "failed", "missed", "unreached", "busy", "无人接听", "没接通", "失败"},
})

// purposeAliases: the purposes and their labels.
var purposeAliases = aliasTable(Purposes, purposeZh, map[Purpose][]string{
	PurposeGeneral:    {"normal", "other", "日常", "其他"},
	PurposeAfterSale:  {"aftersales", "after sales", "followup", "售后", "回访"},
	PurposeCollection: {"dunning", "payment", "收款", "催收"},
	PurposeWinback:    {"win back", "win-back", "挽留", "流失挽回"},
	PurposeCare:       {"customer care", "关怀", "问候"},
})

// noticeLevelAliases: the notice levels of a collection interaction (§6).
var noticeLevelAliases = aliasTable(InteractionNoticeLevels, noticeLevelZh, map[NoticeLevel][]string{
	NoticeFirst:  {"first", "reminder", "first reminder", "1", "第一次催款"},
	NoticeSecond: {"second", "second notice", "2", "第二次催款"},
	NoticeFinal:  {"final", "final notice", "3", "最后催款", "最后通牒"},
})

// taskStatusAliases: open, done, canceled and their labels.
var taskStatusAliases = aliasTable(TaskStatuses, taskStatusZh, map[TaskStatus][]string{
	TaskOpen:     {"todo", "pending", "待办", "进行中", "待处理"},
	TaskDone:     {"completed", "complete", "closed", "finished", "完成", "已办"},
	TaskCanceled: {"cancelled", "cancel", "取消", "作废"},
})

// priorityAliases: low, normal, high and their labels.
var priorityAliases = aliasTable(Priorities, priorityZh, map[Priority][]string{
	PriorityLow:    {"l", "minor", "不急"},
	PriorityNormal: {"n", "medium", "default", "中", "一般"},
	PriorityHigh:   {"h", "urgent", "important", "紧急", "重要"},
})

// dealStatusAliases: open, dormant, won, lost, their labels and the stages
// import files use (Prospecting, Engaging, Closed Won, 冷冻 …).
var dealStatusAliases = aliasTable(DealStatuses, dealStatusZh, map[DealStatus][]string{
	DealOpen:    {"prospecting", "engaging", "qualified", "proposal", "negotiation", "in progress", "active", "跟进", "进行中"},
	DealDormant: {"frozen", "on hold", "paused", "冷冻中", "暂停"},
	DealWon:     {"closed won", "win", "signed", "o", "赢单", "已成交"},
	DealLost:    {"closed lost", "lose", "f", "输单", "丢单", "已战败"},
})
