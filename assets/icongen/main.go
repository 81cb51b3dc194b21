// Command icongen draws NeedleDesk's app icon: a soft teal rounded square
// with a white droplet and a 3x3 grid of needle dots, drawn on a 512x512
// grid and rendered at any size. Run once for each file:
//
//	go run ./assets/icongen assets/icon.png
//	go run ./assets/icongen assets/icon-64.png 64
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"
)

const size = 512

type vec struct{ x, y float64 }

func (a vec) sub(b vec) vec       { return vec{a.x - b.x, a.y - b.y} }
func (a vec) dot(b vec) float64   { return a.x*b.x + a.y*b.y }
func (a vec) len() float64        { return math.Hypot(a.x, a.y) }
func (a vec) scale(s float64) vec { return vec{a.x * s, a.y * s} }

// inRoundedSquare reports whether p lies inside the rounded background.
func inRoundedSquare(p vec) bool {
	const margin, radius = 24.0, 112.0
	lo, hi := margin+radius, size-margin-radius
	qx := math.Max(math.Max(lo-p.x, p.x-hi), 0)
	qy := math.Max(math.Max(lo-p.y, p.y-hi), 0)
	if p.x < margin || p.x > size-margin || p.y < margin || p.y > size-margin {
		return false
	}
	return math.Hypot(qx, qy) <= radius
}

// inDrop reports whether p lies inside a teardrop with its point at apex and
// its round end a circle of radius r around c.
func inDrop(p, apex, c vec, r float64) bool {
	if p.sub(c).len() <= r {
		return true
	}
	axis := c.sub(apex)
	l := axis.len()
	u := axis.scale(1 / l)
	d := p.sub(apex)
	along := d.dot(u)
	if along < 0 || along > (l*l-r*r)/l {
		return false
	}
	sinA := r / l
	tanA := sinA / math.Sqrt(1-sinA*sinA)
	perp := math.Abs(d.x*u.y - d.y*u.x)
	return perp <= along*tanA
}

func lerp(a, b uint8, t float64) float64 { return float64(a) + (float64(b)-float64(a))*t }

func main() {
	out, px := "icon.png", size
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if len(os.Args) > 2 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 16 || n > size {
			fmt.Fprintf(os.Stderr, "icongen: the size must be a number of pixels from 16 to %d, not %q\n", size, os.Args[2])
			os.Exit(2)
		}
		px = n
	}
	k := float64(size) / float64(px)              // from the output's pixels to the drawing's grid
	top := color.NRGBA{0x5e, 0xc4, 0xb6, 0xff}    // soft teal
	bottom := color.NRGBA{0x2a, 0x8f, 0x8c, 0xff} // deeper teal
	dotCol := color.NRGBA{0x3f, 0xa8, 0xa0, 0xff}

	apex, centre, r := vec{256, 92}, vec{256, 300}, 120.0
	var dots []vec // a 3x3 grid, like the tip of a needling cartridge
	for _, dy := range []float64{-34, 0, 34} {
		for _, dx := range []float64{-34, 0, 34} {
			dots = append(dots, vec{256 + dx, 312 + dy})
		}
	}
	const dotR = 9.0

	img := image.NewNRGBA(image.Rect(0, 0, px, px))
	ss := 4 * int(math.Ceil(k)) // samples per pixel and axis: as fine at every size
	for y := 0; y < px; y++ {
		t := float64(y) / float64(px)
		bg := [3]float64{lerp(top.R, bottom.R, t), lerp(top.G, bottom.G, t), lerp(top.B, bottom.B, t)}
		for x := 0; x < px; x++ {
			var a, rr, gg, bb float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					p := vec{(float64(x) + (float64(sx)+0.5)/float64(ss)) * k, (float64(y) + (float64(sy)+0.5)/float64(ss)) * k}
					if !inRoundedSquare(p) {
						continue
					}
					c := bg
					if inDrop(p, apex, centre, r) {
						c = [3]float64{255, 255, 255}
						for _, d := range dots {
							if p.sub(d).len() <= dotR {
								c = [3]float64{float64(dotCol.R), float64(dotCol.G), float64(dotCol.B)}
							}
						}
					}
					a++
					rr += c[0]
					gg += c[1]
					bb += c[2]
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				uint8(math.Round(rr / a)), uint8(math.Round(gg / a)), uint8(math.Round(bb / a)),
				uint8(math.Round(a / float64(ss*ss) * 255)),
			})
		}
	}
	f, err := os.Create(out)
	if err != nil {
		panic(err)
	}
	if err := png.Encode(f, img); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
