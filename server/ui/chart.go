package ui

import (
	"fmt"
	"slices"
	"strings"
)

// chart is the outcome by region as a horizontal bar chart, drawn by the server as SVG.
// It reads without colour: each part of a bar has its own pattern (solid, hatched,
// dotted), and each region's numbers are written above its bar.
type chart struct {
	Width, Height int
	Rows          []chartRow
	Summary       string // the whole chart in words, for screen readers
}

type chartRow struct {
	Y              int // top of the row
	Region, Counts string
	Parts          []chartPart
}

// chartPart is one segment of a bar; Kind picks its pattern: sent, failed, other.
type chartPart struct {
	Kind string
	X, W int
	Y    int
}

const (
	chartWidth = 360 // small enough for the text to stay legible on a phone
	chartRowH  = 70
)

type regionTally struct {
	region              string
	sent, failed, other int
}

// regionChart counts the outcomes by region (a contact of two regions counts in both)
// and lays out the bars, scaled to the largest region.
func regionChart(rows []reportRow) chart {
	var tallies []*regionTally
	find := func(region string) *regionTally {
		for _, t := range tallies {
			if t.region == region {
				return t
			}
		}
		t := &regionTally{region: region}
		tallies = append(tallies, t)
		return t
	}
	for _, r := range rows {
		for _, g := range r.Regions {
			t := find(g)
			switch r.Outcome {
			case "sent":
				t.sent++
			case "failed":
				t.failed++
			default:
				t.other++
			}
		}
	}
	slices.SortFunc(tallies, func(a, b *regionTally) int { return strings.Compare(foldKey(a.region), foldKey(b.region)) })
	largest := 1
	for _, t := range tallies {
		largest = max(largest, t.sent+t.failed+t.other)
	}
	c := chart{Width: chartWidth, Height: max(len(tallies)*chartRowH, 1)}
	var summary []string
	for i, t := range tallies {
		row := chartRow{Y: i * chartRowH, Region: t.region, Counts: fmt.Sprintf("%s, %s, %s",
			plural(t.sent, "envoyé", "envoyés"), plural(t.failed, "échec", "échecs"), plural(t.other, "autre", "autres"))}
		x := 0
		for _, part := range []struct {
			kind string
			n    int
		}{{"sent", t.sent}, {"failed", t.failed}, {"other", t.other}} {
			if part.n == 0 {
				continue
			}
			w := max(part.n*(chartWidth-2)/largest, 3)
			row.Parts = append(row.Parts, chartPart{Kind: part.kind, X: x, W: w, Y: row.Y + 42})
			x += w
		}
		c.Rows = append(c.Rows, row)
		summary = append(summary, row.Region+"\u00a0: "+row.Counts)
	}
	c.Summary = strings.Join(summary, "\u202f; ")
	return c
}
