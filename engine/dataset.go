package engine

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
)

// FeatureScale is the grid every feature value of the adaptive domains lies on: k/1024 with k in
// [0, 1024]. Weights, thresholds and biases lie on a grid of 2^-13 ([ParamGrid]), so every score
// is an exact multiple of 2^-23 that fits an int32 (at most 127 features × weight 2 × 2^23 <
// 2^31): float and integer arithmetic agree to the bit, in any order, on every platform, and a
// child's scores are its parent's plus the changed weights' columns instead of a full pass.
const FeatureScale = 1024

// paramScale is the grid of weights, thresholds and biases: multiples of 2^-13.
const paramScale = 1 << 13

// ParamGrid is the spacing of the grid weights, thresholds and biases lie on (2^-13).
const ParamGrid = 1.0 / paramScale

// Default split of the tabular domains: train, validation, test shares.
const (
	DefaultSplitSeed = 0
	splitTrain       = 0.5
	splitVal         = 0.25
)

// dataset is a classification domain built from rows: features scaled to [0, 1] with train
// statistics and put on the [FeatureScale] grid, split 50/25/25 per class by a split seed.
type dataset struct {
	info             DomainInfo
	features         []string
	classes          []string
	train, val, test []Example
	bounds           Bounds
	note             string // the initial agent's lineage note
	// The examples by column, made on first use and shared by every run on this value.
	colsOnce sync.Once
	cols     *classColumns
}

// columns returns the examples by column (made once).
func (d *dataset) columns() *classColumns {
	d.colsOnce.Do(func() { d.cols = newClassColumns(d) })
	return d.cols
}

// rawTable is a classification table before scaling and splitting.
type rawTable struct {
	family   string
	features []string
	classes  []string
	x        [][]float64
	y        []int
	// divide, if not zero, scales every feature by 1/divide instead of min–max with train
	// statistics (digits: pixel counts 0–16).
	divide float64
}

// newDataset splits and scales t. info supplies the description and source; name, kind, shape,
// rows and parameters are filled in here.
func newDataset(t rawTable, splitSeed uint64, info DomainInfo) *dataset {
	split := stratifiedSplit(t.family, t.y, len(t.classes), splitSeed)
	nf := len(t.features)
	lo, hi := make([]float64, nf), make([]float64, nf)
	if t.divide == 0 {
		for j := range nf {
			lo[j], hi[j] = math.Inf(1), math.Inf(-1)
			for _, i := range split[0] {
				lo[j], hi[j] = min(lo[j], t.x[i][j]), max(hi[j], t.x[i][j])
			}
		}
	}
	scale := func(i int) []float64 {
		out := make([]float64, nf)
		for j, v := range t.x[i] {
			if t.divide != 0 {
				v /= t.divide
			} else if hi[j] > lo[j] {
				v = (v - lo[j]) / (hi[j] - lo[j])
			} else {
				v = 0
			}
			out[j] = quantizeFeature(v)
		}
		return out
	}
	d := &dataset{features: t.features, classes: t.classes}
	sets := [3]*[]Example{&d.train, &d.val, &d.test}
	width := len(strconv.Itoa(len(t.y) - 1))
	for s, idx := range split {
		for _, i := range idx {
			num := strconv.Itoa(i)
			for len(num) < width {
				num = "0" + num
			}
			*sets[s] = append(*sets[s], Example{
				ID:       t.family + "-" + num,
				Name:     "row " + strconv.Itoa(i) + " (" + t.classes[t.y[i]] + ")",
				Features: scale(i),
				Label:    t.y[i],
			})
		}
	}
	task := TaskBinary
	outputs := []string{t.classes[1]}
	if len(t.classes) > 2 {
		task, outputs = TaskMulticlass, t.classes
	}
	name := t.family
	if splitSeed != DefaultSplitSeed {
		name += "@" + strconv.FormatUint(splitSeed, 10)
	}
	info.Name, info.Family, info.Kind = name, t.family, KindDataset
	info.Shape = Shape{Task: task, Outputs: outputs, Inputs: nf}
	info.Rows = [3]int{len(d.train), len(d.val), len(d.test)}
	how := "min–max scaled with train statistics"
	if t.divide != 0 {
		how = "divided by " + strconv.FormatFloat(t.divide, 'g', -1, 64)
	}
	info.Parameters = fmt.Sprintf("split seed %d, stratified 50/25/25; features %s, clipped to [0, 1], on a 1/%d grid; %d parameters",
		splitSeed, how, FeatureScale, info.Shape.Params())
	d.info = info
	d.bounds = adaptiveBounds(nf)
	d.note = "Initial agent: every weight and threshold 0, so it scores at chance (0)."
	return d
}

// adaptiveBounds are the policy bounds of an adaptive domain with nf features: weights in [−2, 2],
// thresholds and biases in [−nf/2, nf/2] (scores range over ±2·nf).
func adaptiveBounds(nf int) Bounds {
	t := float64(nf) / 2
	return Bounds{Weight: [2]float64{-2, 2}, Threshold: [2]float64{-t, t}}
}

// quantizeFeature clips v to [0, 1] and puts it on the 1/FeatureScale grid.
func quantizeFeature(v float64) float64 {
	v = min(max(v, 0), 1)
	return math.Round(v*FeatureScale) / FeatureScale
}

// stratifiedSplit assigns row indices to train, validation and test: per class, a shuffle drawn
// from the split seed, then the first half to train, the next quarter to validation and the rest
// to test. Each split lists its rows in dataset order.
func stratifiedSplit(family string, y []int, classes int, splitSeed uint64) [3][]int {
	h := fnv.New64a()
	h.Write([]byte("hyperagents/split/" + family))
	rng := rand.New(rand.NewPCG(splitSeed, h.Sum64()))
	var out [3][]int
	for k := range classes {
		var idx []int
		for i, c := range y {
			if c == k {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		n := len(idx)
		nTrain := int(math.Round(float64(n) * splitTrain))
		nVal := int(math.Round(float64(n) * splitVal))
		out[0] = append(out[0], idx[:nTrain]...)
		out[1] = append(out[1], idx[nTrain:nTrain+nVal]...)
		out[2] = append(out[2], idx[nTrain+nVal:]...)
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}

// Name implements [Domain].
func (d *dataset) Name() string { return d.info.Name }

// Info implements [Domain].
func (d *dataset) Info() DomainInfo { return d.info }

// Features implements [Domain].
func (d *dataset) Features() []string { return d.features }

// Bounds implements [Domain].
func (d *dataset) Bounds() Bounds { return d.bounds }

// Classes implements [Labelled].
func (d *dataset) Classes() []string { return d.classes }

// Train implements [Labelled].
func (d *dataset) Train() []Example { return d.train }

// Val implements [Labelled].
func (d *dataset) Val() []Example { return d.val }

// Test implements [Labelled].
func (d *dataset) Test() []Example { return d.test }

// Seed implements [Domain]: the deliberately weak initial agent (every number 0: chance level)
// with the initial meta policy.
func (d *dataset) Seed() Agent { return zeroAgent(d.info.Shape, d.note) }

// zeroAgent is an agent of shape s whose numbers are all 0, with the initial meta policy.
func zeroAgent(s Shape, note string) Agent {
	t := TaskPolicy{Weights: make([]float64, s.Weights())}
	if s.Task == TaskMulticlass {
		t.Biases = make([]float64, len(s.Outputs))
	}
	return Agent{ID: AgentID(0), Task: t, Meta: InitialMeta(), Lineage: []string{note}}
}
