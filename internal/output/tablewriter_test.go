package output

import (
	"bytes"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// tablewriter is the reference of crm's tables: the format is tablewriter's
// light box style, and boxTable must draw exactly what tablewriterTable
// draws (TestBoxTable). It stays out of the binary: linking it cost every
// command ~0.5 ms of package init (twwidth's width cache), a tenth of
// crm --version.

// tablewriterTable renders through tablewriter as crm drew tables with it:
// widths measured in one pass, streaming, no auto-format or wrapping, East
// Asian width off, trailing spaces trimmed.
func tablewriterTable(aligns []Align, header []string, rows [][]string, footer []string) string {
	twAligns := make([]tw.Align, len(aligns))
	for i, a := range aligns {
		twAligns[i] = tw.AlignLeft
		if a == Right {
			twAligns[i] = tw.AlignRight
		}
	}
	var all [][]string
	if header != nil {
		all = append(all, header)
	}
	if footer != nil {
		all = append(all, footer)
	}
	var b bytes.Buffer
	t := tablewriter.NewTable(&b,
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithFooterAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight), Streaming: true})),
		tablewriter.WithStreaming(tw.StreamConfig{Enable: true}),
		tablewriter.WithWidths(tw.CellWidth{PerColumn: twMeasure(all, rows)}),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: twAligns}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: twAligns}),
		tablewriter.WithFooterAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: twAligns}),
	)
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(t.Start())
	if header != nil {
		t.Header(toAny(header)...)
	}
	for _, r := range rows {
		must(t.Append(r))
	}
	if footer != nil {
		t.Footer(toAny(footer)...)
	}
	must(t.Close())
	var out bytes.Buffer
	lines := bytes.Split(b.Bytes(), []byte("\n"))
	for i, l := range lines {
		if i == len(lines)-1 && len(l) == 0 {
			break
		}
		out.Write(bytes.TrimRight(l, " "))
		out.WriteByte('\n')
	}
	return out.String()
}

// twMeasure returns each column's width (display width + padding) over all
// lines, measured by tablewriter.
func twMeasure(lines ...[][]string) tw.Mapper[int, int] {
	twwidth.SetEastAsian(false)
	widths := tw.NewMapper[int, int]()
	for _, block := range lines {
		for _, cells := range block {
			for i, c := range cells {
				if w := twwidth.Width(c) + 2; w > widths.Get(i) {
					widths.Set(i, w)
				}
			}
		}
	}
	return widths
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
