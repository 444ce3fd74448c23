package chart

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/chart-example.png")

// example is a month of made-up days: a busy first week, a quiet weekend
// with no question at all, and days when staff took over.
func example() []Day {
	start := time.Date(2021, 11, 10, 0, 0, 0, 0, time.UTC)
	days := make([]Day, 30)
	for i := range days {
		d := Day{Date: start.AddDate(0, 0, i)}
		switch wd := d.Date.Weekday(); {
		case wd == time.Saturday || wd == time.Sunday:
		case i < 7:
			d.Answered, d.Suggested, d.Fallback, d.Handed = 28+i%3, 3, 2, 2
		default:
			d.Answered = 12 + (i*7)%9
			d.Suggested = 2 + i%4
			d.Fallback = 1 + (i*5)%4
			d.Handed = d.Fallback + i%2
		}
		days[i] = d
	}
	return days
}

// The PNG has the announced size, is not one flat colour, and draws the
// decisions' colours; the committed example is what staff see.
func TestRender(t *testing.T) {
	data, err := Render(example(), Labels{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
		t.Errorf("size %dx%d, want %dx%d", b.Dx(), b.Dy(), Width, Height)
	}
	colours := distinct(img)
	if colours < 3 {
		t.Errorf("%d colours: the chart is blank", colours)
	}
	for name, c := range map[string][3]uint8{"answered": {0x2e, 0x8b, 0x57}, "fallback": {0xc9, 0x19, 0x1e}, "handed": {0, 0, 0x91}} {
		if n := pixels(img, c); n < 50 {
			t.Errorf("%s colour on %d pixels, want bars or a line of it", name, n)
		}
	}
	golden := filepath.Join("testdata", "chart-example.png")
	if *update {
		if err := os.WriteFile(golden, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(golden); err != nil {
		t.Errorf("no example committed: run go test ./internal/chart -update (%v)", err)
	}
}

// A month without a question still draws axes, and the same days always
// draw the same bytes (the upload cache compares figures, not images, but
// a chart must not depend on the run).
func TestRenderEmptyAndStable(t *testing.T) {
	days := example()
	for i := range days {
		days[i] = Day{Date: days[i].Date}
	}
	a, err := Render(days, Labels{})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(a))
	if err != nil || distinct(img) < 2 {
		t.Fatalf("empty month: %v, %d colours", err, distinct(img))
	}
	b, _ := Render(days, Labels{})
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same days differ")
	}
}

func TestRenderRefusesBadInput(t *testing.T) {
	cases := map[string][]Day{
		"no days":  nil,
		"negative": {{Date: time.Now(), Answered: -1}},
		"too many": make([]Day, MaxDays+1),
	}
	for name, days := range cases {
		if _, err := Render(days, Labels{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func distinct(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func pixels(img image.Image, c [3]uint8) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c[0] && uint8(g>>8) == c[1] && uint8(bl>>8) == c[2] {
				n++
			}
		}
	}
	return n
}
