package engine

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
)

// Point is a position in the maze.
type Point struct{ X, Y float64 }

// Segment is a wall.
type Segment struct{ A, B Point }

// Pose is where an episode starts: a position and a heading in radians (0 = east, π/2 = north).
type Pose struct {
	At      Point
	Heading float64
}

// Simulated is a control domain: a task policy drives an agent through episodes from the start
// poses of each split (train, validation, test).
type Simulated interface {
	Domain
	// Starts are the start poses of split s (0 train, 1 validation, 2 test).
	Starts(s int) []Pose
	// Episode runs p from start and returns its fitness and where it ended. If path is not nil,
	// every position (the start first) is appended to it.
	Episode(p *TaskPolicy, start Pose, path *[]Point) (fitness float64, end Point)
}

// Maze constants: the arena, the goal, the robot and its sensors.
const (
	mazeSize      = 100.0
	mazeSteps     = 150
	mazeMaxSpeed  = 2.5  // distance per step at full speed
	mazeMaxTurn   = 0.35 // radians per step at full turn
	mazeRange     = 40.0 // rangefinder reach
	mazeArrive    = 4.0  // the robot stops within this distance of the goal
	mazeJitterXY  = 5.0  // validation and test starts: ± this around the train start
	mazeJitterDir = 0.5  // … and ± this many radians of heading
	mazeHeldOut   = 3    // episodes per validation and test split
)

// sqrtHalf is cos(π/4) = sin(π/4), the rangefinders' diagonal.
const sqrtHalf = 0.7071067811865476

var mazeFeatures = []string{
	"range_right", "range_front_right", "range_front", "range_front_left", "range_left",
	"goal_front", "goal_left", "goal_back", "goal_right", "bias",
}

// rangeDirs are the rangefinders' directions relative to the heading, as (cos, sin) of −90°,
// −45°, 0°, 45° and 90°.
var rangeDirs = [5][2]float64{{0, -1}, {sqrtHalf, -sqrtHalf}, {1, 0}, {sqrtHalf, sqrtHalf}, {0, 1}}

// Maze is a deceptive navigation task: a robot with five rangefinders and a four-way goal radar
// drives for 150 steps; a cup of walls right under the goal traps robots that head straight for
// it, and the way in is round the far side.
type Maze struct {
	name   string
	walls  []Segment
	goal   Point
	starts [3][]Pose
}

// NewMaze builds the maze; the split seed draws the validation and test starts.
func NewMaze(splitSeed uint64) *Maze {
	m := &Maze{name: "maze", goal: Point{50, 85}}
	if splitSeed != DefaultSplitSeed {
		m.name += "@" + strconv.FormatUint(splitSeed, 10)
	}
	s := mazeSize
	m.walls = []Segment{
		{Point{0, 0}, Point{s, 0}}, {Point{s, 0}, Point{s, s}}, {Point{s, s}, Point{0, s}}, {Point{0, s}, Point{0, 0}},
		{Point{30, 30}, Point{30, 60}}, // the cup's left side
		{Point{70, 30}, Point{70, 60}}, // its right side
		{Point{0, 60}, Point{88, 60}},  // the roof under the goal; the way up is the gap at the right
	}
	start := Pose{At: Point{15, 10}, Heading: math.Pi / 2}
	m.starts[0] = []Pose{start}
	h := fnv.New64a()
	h.Write([]byte("hyperagents/split/maze"))
	rng := rand.New(rand.NewPCG(splitSeed, h.Sum64()))
	for sp := 1; sp <= 2; sp++ {
		for range mazeHeldOut {
			m.starts[sp] = append(m.starts[sp], Pose{
				At: Point{
					start.At.X + float64((2*rng.Float64()-1)*mazeJitterXY),
					start.At.Y + float64((2*rng.Float64()-1)*mazeJitterXY),
				},
				Heading: start.Heading + float64((2*rng.Float64()-1)*mazeJitterDir),
			})
		}
	}
	return m
}

// Name implements [Domain].
func (m *Maze) Name() string { return m.name }

// Info implements [Domain].
func (m *Maze) Info() DomainInfo {
	return DomainInfo{
		Name: m.name, Family: "maze", Kind: KindSimulated,
		Description: "Drive a robot to the goal of a deceptive maze. Each step a linear controller maps ten " +
			"sensor readings (five rangefinders, a four-way goal radar, a bias) to a turn and a speed; after " +
			"150 steps fitness is 1 − the final distance to the goal / the start distance (0 if farther), and " +
			"the robot stops on arrival. A cup of walls right under the goal traps robots that head straight " +
			"for it at about 0.6; the way in is round the far right, which first leads away from the goal. " +
			"Solved means fitness above 0.9.",
		Source: "Simulated: after the deceptive mazes of Lehman & Stanley, \"Abandoning Objectives: Evolution " +
			"through the Search for Novelty Alone\" (2011); geometry of this project's own.",
		Shape: Shape{Task: TaskControl, Outputs: []string{"turn", "speed"}, Inputs: len(mazeFeatures)},
		Parameters: fmt.Sprintf("arena %g×%g, %d steps, goal at (%g, %g); train: 1 start at (15, 10) facing north; "+
			"validation and test: %d starts each within ±%g and ±%g rad of it (split seed)",
			mazeSize, mazeSize, mazeSteps, m.goal.X, m.goal.Y, mazeHeldOut, mazeJitterXY, mazeJitterDir),
		Selection: SelectSeed,
	}
}

// Features implements [Domain].
func (m *Maze) Features() []string { return mazeFeatures }

// Bounds implements [Domain]: weights in [−2, 2]; no thresholds.
func (m *Maze) Bounds() Bounds { return Bounds{Weight: [2]float64{-2, 2}} }

// Seed implements [Domain]: every weight 0, so the robot stands still (fitness 0).
func (m *Maze) Seed() Agent {
	return zeroAgent(m.Info().Shape, "Initial agent: every weight 0, so the robot does not move (fitness 0).")
}

// Walls are the maze's walls, the arena's border first.
func (m *Maze) Walls() []Segment { return m.walls }

// Goal is where the robot should end.
func (m *Maze) Goal() Point { return m.goal }

// Starts implements [Simulated].
func (m *Maze) Starts(s int) []Pose { return m.starts[s] }

// sense reads the ten sensors at pos facing (hx, hy).
func (m *Maze) sense(pos Point, hx, hy float64, out *[10]float64) {
	for i, d := range rangeDirs {
		dx := float64(hx*d[0]) - float64(hy*d[1])
		dy := float64(hy*d[0]) + float64(hx*d[1])
		dist := m.cast(pos, dx, dy)
		out[i] = 1 - dist/mazeRange
	}
	gx, gy := m.goal.X-pos.X, m.goal.Y-pos.Y
	f := float64(gx*hx) + float64(gy*hy) // ahead
	l := float64(gy*hx) - float64(gx*hy) // to the left
	out[5], out[6], out[7], out[8] = 0, 0, 0, 0
	switch {
	case f > 0 && math.Abs(l) <= f:
		out[5] = 1
	case l > 0 && math.Abs(f) < l:
		out[6] = 1
	case f <= 0 && math.Abs(l) <= -f:
		out[7] = 1
	default:
		out[8] = 1
	}
	out[9] = 1
}

// cast returns the distance along the unit direction (dx, dy) from p to the nearest wall, at most
// mazeRange.
func (m *Maze) cast(p Point, dx, dy float64) float64 {
	best := mazeRange
	for _, w := range m.walls {
		ex, ey := w.B.X-w.A.X, w.B.Y-w.A.Y
		den := float64(dx*ey) - float64(dy*ex)
		if den == 0 {
			continue
		}
		ax, ay := w.A.X-p.X, w.A.Y-p.Y
		t := (float64(ax*ey) - float64(ay*ex)) / den // along the ray
		u := (float64(ax*dy) - float64(ay*dx)) / den // along the wall
		if t >= 0 && t < best && u >= 0 && u <= 1 {
			best = t
		}
	}
	return best
}

// blocked reports whether moving from a to b crosses a wall.
func (m *Maze) blocked(a, b Point) bool {
	dx, dy := b.X-a.X, b.Y-a.Y
	for _, w := range m.walls {
		ex, ey := w.B.X-w.A.X, w.B.Y-w.A.Y
		den := float64(dx*ey) - float64(dy*ex)
		if den == 0 {
			continue
		}
		ax, ay := w.A.X-a.X, w.A.Y-a.Y
		t := (float64(ax*ey) - float64(ay*ex)) / den
		u := (float64(ax*dy) - float64(ay*dx)) / den
		if t >= 0 && t <= 1 && u >= 0 && u <= 1 {
			return true
		}
	}
	return false
}

// Episode implements [Simulated].
func (m *Maze) Episode(p *TaskPolicy, start Pose, path *[]Point) (float64, Point) {
	pos, theta := start.At, start.Heading
	d0 := dist(pos, m.goal)
	if path != nil {
		*path = append(*path, pos)
	}
	var x [10]float64
	w := p.Weights
	nf := len(mazeFeatures)
	for range mazeSteps {
		if dist(pos, m.goal) < mazeArrive {
			break
		}
		hx, hy := math.Cos(theta), math.Sin(theta)
		m.sense(pos, hx, hy, &x)
		var out [2]float64
		for o := range out {
			s := 0.0
			for j, v := range x {
				s += float64(w[o*nf+j] * v)
			}
			out[o] = min(max(s, -1), 1)
		}
		theta += float64(out[0] * mazeMaxTurn)
		if theta > math.Pi {
			theta -= 2 * math.Pi
		} else if theta < -math.Pi {
			theta += 2 * math.Pi
		}
		speed := float64(out[1] * mazeMaxSpeed)
		next := Point{pos.X + float64(speed*math.Cos(theta)), pos.Y + float64(speed*math.Sin(theta))}
		if !m.blocked(pos, next) {
			pos = next
		}
		if path != nil {
			*path = append(*path, pos)
		}
	}
	return max(0, 1-dist(pos, m.goal)/d0), pos
}

func dist(a, b Point) float64 {
	dx, dy := a.X-b.X, a.Y-b.Y
	return math.Sqrt(float64(dx*dx) + float64(dy*dy))
}

// mazeEval evaluates controllers by running their episodes.
type mazeEval struct {
	m *Maze
}

// eval runs p on every split: fitness is the train episode's, validation and test the mean of
// theirs.
func (e mazeEval) eval(p *TaskPolicy) Evaluation {
	var score [3]float64
	var end Point
	for s := range 3 {
		sum := 0.0
		for i, st := range e.m.starts[s] {
			f, at := e.m.Episode(p, st, nil)
			sum += f
			if s == 0 && i == 0 {
				end = at
			}
		}
		score[s] = sum / float64(len(e.m.starts[s]))
	}
	ev := Evaluation{Fitness: score[0], TrainAccuracy: score[0], ValAccuracy: score[1], TestAccuracy: score[2]}
	ev.Summary = "The train episode ends " + strconv.FormatFloat(dist(end, e.m.goal), 'f', 1, 64) + " from the goal."
	return ev
}
