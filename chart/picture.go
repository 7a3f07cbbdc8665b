package chart

import (
	"fmt"
	"math"
	"strings"

	"hyperagents/engine"
)

// Picture draws an agent's policy where a domain has a natural picture: the digits domains' weights
// as 8×8 heat maps (one per output; red pushes toward the output, blue away), the maze's walls,
// start, goal and the agent's trajectories from every start (train solid, validation and test
// dashed). ok is false for domains without one.
func Picture(d engine.Domain, a *engine.Agent) (svg string, ok bool) {
	switch dd := d.(type) {
	case *engine.Maze:
		return MazePicture(dd, &a.Task), true
	}
	if len(d.Features()) == 64 && strings.HasPrefix(d.Features()[0], "px_") {
		return DigitWeights(d.Info().Shape, a.Task.Weights), true
	}
	return "", false
}

// DigitWeights draws the weights of each output as an 8×8 heat map, on one shared colour scale.
func DigitWeights(shape engine.Shape, w []float64) string {
	const cell, gap, top = 18, 18, 34
	n := len(shape.Outputs)
	side := 8 * cell
	width := max(n*side+(n+1)*gap, 420) // room for the caption under a single map
	height := top + side + 44
	scale := 1e-9
	for _, v := range w {
		scale = math.Max(scale, math.Abs(v))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11" role="img">`, width, height, width, height)
	fmt.Fprintf(&b, `<title>Weights per pixel (8×8), red positive, blue negative, largest |w| %s</title>`, trimFloat(scale))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, width, height)
	for o, name := range shape.Outputs {
		x0 := gap + o*(side+gap)
		fmt.Fprintf(&b, `<text x="%d" y="22" text-anchor="middle" font-weight="600">%s</text>`, x0+side/2, esc(name))
		for p := range 64 {
			v := w[o*64+p]
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %s</title></rect>`,
				x0+(p%8)*cell, top+(p/8)*cell, cell, cell, diverging(v/scale), esc(fmt.Sprintf("px_%d_%d", p/8, p%8)), trimFloat(v))
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>`, x0, top, side, side)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#555">red: weight pushes toward the output; blue: away; ±%s at full colour</text>`,
		gap, top+side+26, trimFloat(scale))
	b.WriteString(`</svg>`)
	return b.String()
}

// diverging maps t in [−1, 1] to blue–white–red.
func diverging(t float64) string {
	t = math.Max(-1, math.Min(1, t))
	c := func(a, z float64) int { return int(math.Round(a + (z-a)*math.Abs(t))) }
	if t >= 0 {
		return fmt.Sprintf("#%02x%02x%02x", c(255, 178), c(255, 24), c(255, 43))
	}
	return fmt.Sprintf("#%02x%02x%02x", c(255, 33), c(255, 102), c(255, 172))
}

// MazePicture draws the maze, its goal, and the controller's path from every start pose.
func MazePicture(m *engine.Maze, p *engine.TaskPolicy) string {
	var b strings.Builder
	px, w := mazeFrame(&b, m, "", "The maze: walls, goal, and the agent's paths (train solid, validation and test dashed)")
	colors := []string{"#b8582f", "#5b4a9e", "#1a7d79"}
	names := []string{"train", "validation", "test"}
	for split := range 3 {
		for i, st := range m.Starts(split) {
			var path []engine.Point
			f, _ := m.Episode(p, st, &path)
			pts := make([]string, len(path))
			for j, q := range path {
				x, y := px(q)
				pts[j] = fmt.Sprintf("%.1f,%.1f", x, y)
			}
			// The train path draws itself (CSS animation on .maze-train): when the picture is
			// replaced because a better agent appeared, the new path is traced anew.
			dash := ` class="maze-train" pathLength="1000"`
			if split > 0 {
				dash = ` stroke-dasharray="4 3"`
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s data-split="%s"><title>%s start %d: fitness %.3f</title></polyline>`,
				strings.Join(pts, " "), colors[split], dash, names[split], names[split], i+1, f)
			sx, sy := px(st.At)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, sx, sy, colors[split])
		}
	}
	for i, n := range names {
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="3" fill="%s"/><text x="%d" y="%d" fill="#333">%s</text>`,
			mazePad+i*110, w+8, colors[i], mazePad+i*110+16, w+13, n)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// MazeScatter draws where the archive's agents ended their train episode: one dot per agent (at
// most limit, evenly spaced over the archive when there are more), coloured by when the agent was
// born (light early, dark late), over the walls and the goal. It shows where the stepping stones
// went: a deceptive maze gathers early agents against the wall nearest the goal.
func MazeScatter(m *engine.Maze, agents []*engine.Agent, limit int) string {
	step := max(1, (len(agents)+limit-1)/max(1, limit))
	shown := (len(agents) + step - 1) / step
	var b strings.Builder
	px, w := mazeFrame(&b, m, "maze-scatter", fmt.Sprintf("Where %d of the archive's %d agents ended their train episode, light early to dark late", shown, len(agents)))
	start := m.Starts(0)[0]
	b.WriteString(`<g class="ends">`)
	for i := 0; i < len(agents); i += step {
		_, end := m.Episode(&agents[i].Task, start, nil)
		x, y := px(end)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.6" fill="%s" fill-opacity="0.7"/>`, x, y, sequential(float64(i)/float64(max(1, len(agents)-1))))
	}
	b.WriteString(`</g>`)
	sx, sy := px(start.At)
	fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="none" stroke="#b8582f" stroke-width="2"><title>train start</title></circle>`, sx, sy)
	fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#555">%d agents: light born early, dark born late; ring: the train start</text>`, mazePad, w+13, shown)
	b.WriteString(`</svg>`)
	return b.String()
}

// The maze's drawing: 100 × 100 maze units on mazeSize pixels, with a margin.
const mazeSize, mazePad = 360, 20

// mazeFrame starts a maze drawing (an SVG with the given id, if any, and title): the background,
// the walls and the goal. It returns the maze-to-pixel mapping and the drawing's width; the
// caller closes the SVG.
func mazeFrame(b *strings.Builder, m *engine.Maze, id, title string) (px func(engine.Point) (float64, float64), w int) {
	k := float64(mazeSize) / 100
	px = func(pt engine.Point) (float64, float64) { return mazePad + pt.X*k, mazePad + (100-pt.Y)*k }
	w = mazeSize + 2*mazePad
	idAttr := ""
	if id != "" {
		idAttr = ` id="` + esc(id) + `"`
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" font-family="system-ui, sans-serif" font-size="11" role="img"%s>`, w, w+24, w, w+24, idAttr)
	fmt.Fprintf(b, `<title>%s</title><rect width="%d" height="%d" fill="#fff"/>`, esc(title), w, w+24)
	for _, s := range m.Walls() {
		x1, y1 := px(s.A)
		x2, y2 := px(s.B)
		fmt.Fprintf(b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="3" stroke-linecap="round"/>`, x1, y1, x2, y2)
	}
	gx, gy := px(m.Goal())
	fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="7" fill="#2a9d4b"><title>goal</title></circle>`, gx, gy)
	return px, w
}
