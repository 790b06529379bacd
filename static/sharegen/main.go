// Command sharegen draws static/img/share.png, the picture shown when a page of the site is
// shared (Open Graph and Twitter cards): a signpost on the site's own colours, 1200×630, no
// text (the card shows the page's title beside it) and nothing from another source.
//
//	go generate ./static   (or: go run ./static/sharegen static/img/share.png)
//
// Only the standard library: shapes are polygons, filled with 4×4 supersampling so their
// slanted edges are smooth.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
)

const (
	width, height = 1200, 630
	samples       = 4 // per axis, per pixel
)

var (
	background = color.RGBA{0x0d, 0x3b, 0x52, 0xff} // --brand
	ground     = color.RGBA{0x15, 0x57, 0x7a, 0xff} // --brand-2
	white      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	mist       = color.RGBA{0xee, 0xf3, 0xf6, 0xff} // --mist
	alert      = color.RGBA{0xa4, 0x23, 0x1b, 0xff} // --alert: the line to call
	shadow     = color.RGBA{0x08, 0x2a, 0x3b, 0xff}
)

type point struct{ x, y float64 }

// shape is a convex polygon, clockwise or not, and its colour.
type shape struct {
	pts []point
	c   color.RGBA
}

func (s shape) contains(x, y float64) bool {
	sign := 0.0
	for i, a := range s.pts {
		b := s.pts[(i+1)%len(s.pts)]
		cross := (b.x-a.x)*(y-a.y) - (b.y-a.y)*(x-a.x)
		if cross == 0 {
			continue
		}
		if sign == 0 {
			sign = cross
		} else if (cross > 0) != (sign > 0) {
			return false
		}
	}
	return true
}

func rect(x0, y0, x1, y1 float64, c color.RGBA) shape {
	return shape{[]point{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, c}
}

// arrow is a sign board from x0 to x1 (the tip), y0 to y1, pointing right when x1 > x0.
func arrow(x0, x1, y0, y1 float64, c color.RGBA) shape {
	tip := 40.0
	if x1 < x0 {
		tip = -tip
	}
	mid := (y0 + y1) / 2
	return shape{[]point{{x0, y0}, {x1 - tip, y0}, {x1, mid}, {x1 - tip, y1}, {x0, y1}}, c}
}

func scene() []shape {
	const post = 600.0
	return []shape{
		rect(0, 560, width, height, ground),
		// Post and foot, with a shadow on the ground.
		rect(post-110, 560, post+130, 572, shadow),
		rect(post-14, 96, post+14, 560, white),
		rect(post-90, 540, post+90, 562, white),
		// Three boards: two ways to go, and the one to take in red.
		arrow(post+14, post+330, 130, 200, white),
		arrow(post-14, post-330, 240, 310, mist),
		arrow(post+14, post+270, 350, 420, alert),
		// A small cap on the post.
		rect(post-22, 84, post+22, 100, white),
	}
}

func main() {
	out := "static/img/share.png"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := draw(out); err != nil {
		fmt.Fprintln(os.Stderr, "sharegen:", err)
		os.Exit(1)
	}
}

func draw(out string) error {
	shapes := scene()
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for py := range height {
		for px := range width {
			var r, g, b float64
			for sy := range samples {
				for sx := range samples {
					x := float64(px) + (float64(sx)+0.5)/samples
					y := float64(py) + (float64(sy)+0.5)/samples
					c := background
					for _, s := range shapes {
						if s.contains(x, y) {
							c = s.c
						}
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
				}
			}
			n := float64(samples * samples)
			img.SetRGBA(px, py, color.RGBA{uint8(r/n + .5), uint8(g/n + .5), uint8(b/n + .5), 0xff})
		}
	}
	f, err := os.Create(out) // #nosec G304 G703 -- the developer's own -o path
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		_ = f.Close() // the Encode error is the one to report
		return err
	}
	return f.Close()
}
