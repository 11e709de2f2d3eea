package importer

import (
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

func readDeals(t *testing.T, csv string) ([]DealRec, []*RowError) {
	t.Helper()
	r, err := NewReader(strings.NewReader(csv), Options{Kind: Deals, File: "deals.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var out []DealRec
	var bad []*RowError
	if _, err := r.Deals(func(d *DealRec) error { out = append(out, *d); return nil },
		func(e *RowError) error { bad = append(bad, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out, bad
}

func TestDealsHeaderAliases(t *testing.T) {
	// The real export's header.
	got, bad := readDeals(t, "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"+
		"1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,10/20/2016,3/1/2017,1054\n"+
		"X2,Anna,GTX Basic,,Engaging,11/3/2016,,\n"+
		"X3,Anna,GTX Basic,Isdom,Prospecting,,,\n"+
		"X4,Anna,MG Special,Isdom,Lost,11/4/2016,3/18/2017,0\n"+
		"X5,Anna,MG Special,Isdom,Engaging,11/4/2016,,\n")
	if len(got) != 3 || len(bad) != 2 {
		t.Fatalf("got %d deals, %d rejected, want 3 and 2", len(got), len(bad))
	}
	w := got[0]
	if w.ExternalID != "1C1I7A6R" || w.Customer != "Cancity" || w.Owner != "Moses Frase" || w.Title != "GTX Plus Basic" ||
		w.Status != crm.DealWon || w.Date.String() != "2016-10-20" || w.Closed.String() != "2017-03-01" || w.WonAmount != 105400 {
		t.Errorf("won row: %+v", w)
	}
	if got[1].Status != crm.DealLost || len(got[1].Reasons) != 0 || got[2].Status != crm.DealOpen {
		t.Errorf("lost/open rows: %+v %+v", got[1], got[2])
	}
	if bad[0].Column != "account" || bad[1].Column != "engage_date" {
		t.Errorf("rejects: %v / %v", bad[0], bad[1])
	}
	// The course's Chinese words.
	got, bad = readDeals(t, "机会编号,所属客户,机会标题,机会状态,潜客级别,创建日期,关闭日期,预计金额,负责人,信息来源,战败原因,竞争对手,机会描述,项目背景,机会备注\n"+
		"D1,00042,二期设备,战败,A,2026-10-01,2026-11-01,1000,张伟,展会,价格偏高、促销政策,丰田,两条线,扩产,急\n"+
		"D2,00042,三期,跟进中,H级,2026-10-01,,5000,张伟,,,,,,\n"+
		"D3,00042,四期,成交,B,2026-10-01,,5000,张伟,,,,,,\n")
	if len(got) != 2 || len(bad) != 1 || bad[0].Column != "关闭日期" {
		t.Fatalf("zh: %d deals %v", len(got), bad)
	}
	if d := got[0]; d.Status != crm.DealLost || d.Level != "A" || strings.Join(d.Reasons, "|") != "价格偏高|促销政策" ||
		d.Competitor != "丰田" || d.Description != "两条线" || d.Background != "扩产" || d.Note != "急" || d.Source != "展会" {
		t.Errorf("zh row: %+v", d)
	}
	if got[1].Level != "H级" || got[1].Status != crm.DealOpen {
		t.Errorf("zh open row: %+v", got[1])
	}
}

// TestRealSalesPipeline reads the real pipeline (CRM_DATA_DIR): the rows
// kept by status, and the rejected ones (no account; Prospecting rows
// without an engage_date).
func TestRealSalesPipeline(t *testing.T) {
	r := openReader(t, dataFile(t, "deals/sales_pipeline.csv"), Options{Kind: Deals})
	by := map[crm.DealStatus]int{}
	rejected := map[string]int{}
	st, err := r.Deals(func(d *DealRec) error { by[d.Status]++; return nil },
		func(e *RowError) error { rejected[e.Column]++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 8800 || by[crm.DealWon] != 4238 || by[crm.DealLost] != 2473 || by[crm.DealOpen] != 501 {
		t.Errorf("rows %d, by status %v", st.Rows, by)
	}
	if rejected["account"] != 1425 || rejected["engage_date"] != 163 {
		t.Errorf("rejected by column: %v", rejected)
	}
}
