// Package chart draws the staff's daily chart as a PNG: questions per day
// by what the bot did with them, and the share handed to staff. Plain data
// in, PNG bytes out: it knows no Slack and no SQL.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The PNG's size in pixels: wide enough for 30 labelled days, and a ratio
// Slack shows whole in an image block.
const (
	Width  = 1000
	Height = 600
	dpi    = 96
)

// MaxDays bounds a chart: beyond it the bars are too thin to read.
const MaxDays = 92

// Day is one day's figures. Handed counts the questions of that day
// handed to staff; it may exceed the questions when older ones are handed.
type Day struct {
	Date      time.Time
	Answered  int
	Suggested int
	Fallback  int
	Handed    int
}

// Questions is the day's questions, all decisions together.
func (d Day) Questions() int { return d.Answered + d.Suggested + d.Fallback }

// Labels are the chart's words; the zero value takes French ones.
type Labels struct {
	Title, Share                  string
	Answered, Suggested, Fallback string
	Handed                        string
}

func (l Labels) withDefaults() Labels {
	def := Labels{Title: "Questions par jour", Share: "Part transmise à l'équipe (%)",
		Answered: "répondues", Suggested: "suggestions", Fallback: "sans réponse", Handed: "transmises"}
	for _, f := range []struct {
		v *string
		d string
	}{{&l.Title, def.Title}, {&l.Share, def.Share},
		{&l.Answered, def.Answered}, {&l.Suggested, def.Suggested}, {&l.Fallback, def.Fallback}, {&l.Handed, def.Handed}} {
		if *f.v == "" {
			*f.v = f.d
		}
	}
	return l
}

// Colours of the decisions: answered green, suggested amber, fallback red,
// the share handed a dark blue line.
var (
	green = color.RGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}
	amber = color.RGBA{R: 0xf0, G: 0xa2, B: 0x02, A: 0xff}
	red   = color.RGBA{R: 0xc9, G: 0x19, B: 0x1e, A: 0xff}
	blue  = color.RGBA{R: 0x00, G: 0x00, B: 0x91, A: 0xff}
)

// Render draws days (oldest first, one per day) as a PNG of Width×Height:
// stacked bars of the questions by decision above, the share of each
// day's questions handed to staff below.
func Render(days []Day, labels Labels) ([]byte, error) {
	switch {
	case len(days) == 0:
		return nil, errors.New("chart: no days to draw")
	case len(days) > MaxDays:
		return nil, fmt.Errorf("chart: %d days, at most %d", len(days), MaxDays)
	}
	for _, d := range days {
		if d.Answered < 0 || d.Suggested < 0 || d.Fallback < 0 || d.Handed < 0 {
			return nil, fmt.Errorf("chart: negative count on %s", d.Date.Format("2006-01-02"))
		}
	}
	l := labels.withDefaults()
	top, err := decisions(days, l)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	bottom, err := share(days, l)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	img := vgimg.NewWith(vgimg.UseWH(Width*vg.Inch/dpi, Height*vg.Inch/dpi), vgimg.UseDPI(dpi),
		vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: 8, PadBottom: 8, PadLeft: 8, PadRight: 16, PadY: 12}
	plots := [][]*plot.Plot{{top}, {bottom}}
	canvases := plot.Align(plots, tiles, dc)
	// The bars get two thirds of the height: they are what staff read first.
	lower, upper := &canvases[1][0], &canvases[0][0]
	third := (upper.Max.Y - lower.Min.Y) / 3
	lower.Max.Y = lower.Min.Y + third - tiles.PadY/2
	upper.Min.Y = lower.Min.Y + third + tiles.PadY/2
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// decisions is the stacked bars: answered, then suggested, then fallback.
func decisions(days []Day, l Labels) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = l.Title
	p.Y.Min = 0
	width := vg.Length(float64(Width*vg.Inch/dpi) * 0.6 / float64(len(days)))
	var below *plotter.BarChart
	for _, s := range []struct {
		name  string
		col   color.Color
		count func(Day) int
	}{
		{l.Answered, green, func(d Day) int { return d.Answered }},
		{l.Suggested, amber, func(d Day) int { return d.Suggested }},
		{l.Fallback, red, func(d Day) int { return d.Fallback }},
	} {
		vs := make(plotter.Values, len(days))
		for i, d := range days {
			vs[i] = float64(s.count(d))
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, err
		}
		bars.Color = s.col
		bars.LineStyle.Width = 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(s.name, bars)
	}
	most := 0
	for _, d := range days {
		most = max(most, d.Questions())
	}
	// An empty month still gets an axis to 1 rather than a degenerate one;
	// the room above the tallest bar is the legend's.
	p.Y.Max = float64(max(most, 1)) * 1.4
	p.Legend.Top = true
	p.Legend.Left = true
	p.NominalX(dayNames(days)...)
	p.X.Min, p.X.Max = -0.5, float64(len(days))-0.5
	p.Add(plotter.NewGrid())
	return p, nil
}

// share is the percentage of each day's questions handed to staff; a day
// without questions shows 0.
func share(days []Day, l Labels) (*plot.Plot, error) {
	p := plot.New()
	p.Y.Label.Text = l.Share
	p.Y.Min, p.Y.Max = 0, 100
	pts := make(plotter.XYs, len(days))
	for i, d := range days {
		pts[i].X = float64(i)
		if q := d.Questions(); q > 0 {
			pts[i].Y = min(100, 100*float64(d.Handed)/float64(q))
		}
	}
	line, dots, err := plotter.NewLinePoints(pts)
	if err != nil {
		return nil, err
	}
	line.Color, dots.Color = blue, blue
	line.Width = vg.Points(2)
	dots.Shape = draw.CircleGlyph{}
	p.Add(plotter.NewGrid(), line, dots)
	p.Legend.Add(l.Handed, line, dots)
	p.Legend.Top = true
	p.Legend.Left = true
	p.NominalX(dayNames(days)...)
	p.X.Min, p.X.Max = -0.5, float64(len(days))-0.5
	return p, nil
}

// dayNames labels the days "02/11"; with many days, one in two or three
// keeps the labels apart.
func dayNames(days []Day) []string {
	every := (len(days) + 14) / 15
	names := make([]string, len(days))
	for i, d := range days {
		if i%every == 0 {
			names[i] = d.Date.Format("02/01")
		}
	}
	return names
}
