package engine

import (
	"math"
	"strconv"
)

// toParam converts a weight, threshold or bias on the 2^-13 grid to its integer.
func toParam(v float64) int32 { return int32(v * paramScale) }

// quantizeParam puts v on the 2^-13 grid of weights, thresholds and biases.
func quantizeParam(v float64) float64 { return math.Round(v*paramScale) / paramScale }

// maxClasses bounds the classes of a labelled domain the scorer handles.
const maxClasses = 16

// scoreBudget bounds the memory a run spends on cached scores.
const scoreBudget = 64 << 20

// classScorer evaluates task policies of a labelled domain in exact integer arithmetic: features
// are k/1024 and policy numbers m/2^13, so a score is an int32 count of 2^-23 and sums are exact in
// any order. That makes a child's scores its parent's plus the changed weights' columns (the cost
// of a child is the cost of what changed), bit-identical to a full pass, natively and in wasm.
//
// Rows are the train, validation and test examples, in that order. A classScorer belongs to one
// run: it keeps the scores of the agents it evaluated, up to [scoreBudget] bytes (the newest win);
// a parent whose scores were dropped is scored again in full. What it keeps changes only speed,
// never a result.
type classScorer struct {
	*classColumns
	shape   Shape
	nf, k   int // features and score rows per example (1 for binary)
	summary map[uint64]string
	cache   scoreCache
	// The train errors of the parent being mutated (errors fills them once per parent):
	errFor int     // archive index they belong to, -1 for none
	coef   []int16 // binary: per train row, its coefficient in the directed step
	pred   []int8  // multi-class: per train row, the predicted class
}

// classColumns is a labelled domain's examples as the scorer reads them: labels, class counts and,
// per feature, the rows with a nonzero value. It never changes once made, so the runs on one domain
// value share it (see [columnsOf]).
type classColumns struct {
	end    [3]int // end of the train, validation and test rows
	label  []int32
	classN [3][]int // rows per class in each split
	colRow [][]int32
	colVal [][]int32
}

// newClassColumns lays out d's examples by column: train, validation and test rows, in order.
func newClassColumns(d Labelled) *classColumns {
	nf, nClasses := len(d.Features()), len(d.Classes())
	splits := [3][]Example{d.Train(), d.Val(), d.Test()}
	c := &classColumns{colRow: make([][]int32, nf), colVal: make([][]int32, nf)}
	// Count first, so each column is allocated once at its size.
	nonzero := make([]int, nf)
	rows := 0
	for _, xs := range splits {
		rows += len(xs)
		for i := range xs {
			for j, v := range xs[i].Features {
				if int32(v*FeatureScale) != 0 {
					nonzero[j]++
				}
			}
		}
	}
	for j, n := range nonzero {
		c.colRow[j], c.colVal[j] = make([]int32, 0, n), make([]int32, 0, n)
	}
	c.label = make([]int32, 0, rows)
	row := 0
	for s, xs := range splits {
		c.classN[s] = make([]int, nClasses)
		for i := range xs {
			x := &xs[i]
			c.label = append(c.label, int32(x.Label))
			c.classN[s][x.Label]++
			for j, v := range x.Features {
				if q := int32(v * FeatureScale); q != 0 {
					c.colRow[j] = append(c.colRow[j], int32(row))
					c.colVal[j] = append(c.colVal[j], q)
				}
			}
			row++
		}
		c.end[s] = row
	}
	return c
}

// columnsOf returns d's columns: made once per domain value when d keeps them (the shipped tables
// do), made afresh otherwise.
func columnsOf(d Labelled) *classColumns {
	if k, ok := d.(interface{ columns() *classColumns }); ok {
		return k.columns()
	}
	return newClassColumns(d)
}

// newClassScorer is a scorer for one run on d.
func newClassScorer(d Labelled) *classScorer {
	info := d.Info()
	c := &classScorer{classColumns: columnsOf(d), shape: info.Shape, nf: len(d.Features()), summary: map[uint64]string{}}
	c.k = 1
	if c.shape.Task == TaskMulticlass {
		c.k = len(c.shape.Outputs)
	}
	b := d.Bounds()
	if len(d.Classes()) > maxClasses || c.end[0] >= math.MaxInt16 || float64(c.nf)*math.Max(-b.Weight[0], b.Weight[1])*paramScale*FeatureScale >= math.MaxInt32 {
		panic("engine: " + d.Name() + ": too many classes, features or too wide weight bounds for exact int32 scores")
	}
	size := c.end[2] * c.k
	c.cache = newScoreCache(size, max(16, scoreBudget/(4*size)))
	c.errFor = -1
	if c.k == 1 {
		c.coef = make([]int16, c.end[0])
	} else {
		c.pred = make([]int8, c.end[0])
	}
	return c
}

// addColumn adds w times feature j's column to score row o of every example.
func (c *classScorer) addColumn(s []int32, o, j int, w int32) {
	rows, vals := c.colRow[j], c.colVal[j]
	vals = vals[:len(rows)]
	if c.k == 1 {
		for n, i := range rows {
			s[i] += w * vals[n]
		}
		return
	}
	k := c.k
	for n, i := range rows {
		s[int(i)*k+o] += w * vals[n]
	}
}

// full computes every score of p into s.
func (c *classScorer) full(p *TaskPolicy, s []int32) {
	clear(s)
	for o := range c.k {
		for j := range c.nf {
			if w := toParam(p.Weights[o*c.nf+j]); w != 0 {
				c.addColumn(s, o, j, w)
			}
		}
	}
}

// cuts returns p's threshold (binary) or biases (multi-class) on the score grid.
func (c *classScorer) cuts(p *TaskPolicy, buf *[maxClasses]int64) []int64 {
	if c.k == 1 {
		buf[0] = int64(toParam(p.Threshold)) * FeatureScale
		return buf[:1]
	}
	for o, b := range p.Biases {
		buf[o] = int64(toParam(b)) * FeatureScale
	}
	return buf[:c.k]
}

// argmax is the class with the highest score of row i (the first wins ties).
func (c *classScorer) argmax(s []int32, i int, cut []int64) int {
	base := i * c.k
	best, bv := 0, int64(s[base])+cut[0]
	for o := 1; o < c.k; o++ {
		if v := int64(s[base+o]) + cut[o]; v > bv {
			best, bv = o, v
		}
	}
	return best
}

// b2i is 1 for true, 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// stats turns scores into an evaluation: chance-corrected balanced accuracy per split, the train
// errors and a summary line.
func (c *classScorer) stats(p *TaskPolicy, s []int32) Evaluation {
	var cbuf [maxClasses]int64
	cut := c.cuts(p, &cbuf)
	var ev Evaluation
	var acc [3]float64
	start := 0
	for sp := range 3 {
		var correct [maxClasses]int
		if c.k == 1 {
			// conf[label*2 + prediction]: branch-free counting.
			var conf [4]int
			t := cut[0]
			for i := start; i < c.end[sp]; i++ {
				conf[int(c.label[i])*2+b2i(int64(s[i]) >= t)]++
			}
			correct[0], correct[1] = conf[0], conf[3]
			if sp == 0 {
				ev.FalsePos, ev.FalseNeg = conf[1], conf[2]
			}
		} else {
			for i := start; i < c.end[sp]; i++ {
				y := int(c.label[i])
				if c.argmax(s, i, cut) == y {
					correct[y]++
				} else if sp == 0 {
					ev.FalseNeg++
				}
			}
		}
		acc[sp] = chanceCorrected(correct[:len(c.classN[sp])], c.classN[sp])
		start = c.end[sp]
	}
	ev.TrainAccuracy, ev.ValAccuracy, ev.TestAccuracy = acc[0], acc[1], acc[2]
	ev.Fitness = ev.TrainAccuracy
	key := uint64(ev.FalsePos)<<32 | uint64(ev.FalseNeg)
	sum, ok := c.summary[key]
	if !ok {
		sum = c.summaryLine(ev.FalsePos, ev.FalseNeg)
		c.summary[key] = sum
	}
	ev.Summary = sum
	return ev
}

// summaryLine describes the train errors.
func (c *classScorer) summaryLine(fp, fn int) string {
	n := strconv.Itoa(c.end[0])
	if fp == 0 && fn == 0 {
		return "Every one of the " + n + " train rows right."
	}
	if c.k > 1 {
		return strconv.Itoa(fn) + " of " + n + " train rows misclassified."
	}
	return strconv.Itoa(fp) + " false positives and " + strconv.Itoa(fn) + " false negatives on " + n + " train rows."
}

// chanceCorrected is balanced accuracy rescaled so a constant prediction scores 0 and a perfect one
// 1: (Σ recall_k − 1) / (K − 1) over the K classes present. Exact operations only.
func chanceCorrected(correct, total []int) float64 {
	sum, k := 0.0, 0
	for i, n := range total {
		if n > 0 {
			sum += float64(correct[i]) / float64(n)
			k++
		}
	}
	if k < 2 {
		return 0
	}
	return (sum - 1) / float64(k-1)
}

// eval evaluates p from scratch, without the cache.
func (c *classScorer) eval(p *TaskPolicy) Evaluation {
	s := make([]int32, c.end[2]*c.k)
	c.full(p, s)
	return c.stats(p, s)
}

// entry returns the scores of archive entry idx with task policy p, from the cache or computed in
// full (and then kept).
func (c *classScorer) entry(idx int, p *TaskPolicy) *scoreEntry {
	if e := c.cache.get(idx); e != nil {
		return e
	}
	e := c.cache.put(idx)
	c.full(p, e.s)
	return e
}

// child evaluates the child ci of parent entry pe whose task policy differs from parent's in the
// coordinates changed (weights then thresholds or biases), and keeps its scores.
func (c *classScorer) child(pe *scoreEntry, parent, child *TaskPolicy, changed []int, ci int) Evaluation {
	ce := c.cache.put(ci)
	copy(ce.s, pe.s) // ce may be pe recycled: then the copy is a no-op
	nw := c.shape.Weights()
	for _, coord := range changed {
		if coord >= nw {
			continue
		}
		if d := toParam(child.Weights[coord]) - toParam(parent.Weights[coord]); d != 0 {
			c.addColumn(ce.s, coord/c.nf, coord%c.nf, d)
		}
	}
	return c.stats(child, ce.s)
}

// errors fills the train errors of the parent in e under p, once per parent: for a binary domain
// the coefficient of each train row in the directed step (+negatives for a missed positive,
// −positives for a false positive, 0 for a right answer: the step's two class-balanced sums over
// one common denominator); for a multi-class domain the predicted class of each train row. They
// live in one buffer of the scorer: DGM rarely draws a parent twice, so keeping them per agent
// would only cost memory.
func (c *classScorer) errors(e *scoreEntry, p *TaskPolicy) {
	if c.errFor == e.idx {
		return
	}
	c.errFor = e.idx
	var cbuf [maxClasses]int64
	cut := c.cuts(p, &cbuf)
	if c.k == 1 {
		pos, neg := int16(c.classN[0][1]), int16(c.classN[0][0])
		coef := [3]int16{-pos, 0, neg} // index 1 + label − prediction
		t := cut[0]
		s := e.s[:c.end[0]]
		for i, v := range s {
			c.coef[i] = coef[1+int(c.label[i])-b2i(int64(v) >= t)]
		}
		return
	}
	for i := range c.end[0] {
		c.pred[i] = int8(c.argmax(e.s, i, cut))
	}
}

// direction is the signed error-directed step of coordinate coord for the parent in e: the
// perceptron step, balanced by class. For a binary weight j it is the mean of feature j over the
// missed positives weighted by 1/positives minus the same over the false positives weighted by
// 1/negatives; for the threshold, false positives/negatives minus missed positives/positives. For
// class k's weights and bias: toward rows of class k that were missed, away from rows wrongly
// given k, each row weighted by 1 / the size of its true class.
func (c *classScorer) direction(e *scoreEntry, p *TaskPolicy, coord int) float64 {
	c.errors(e, p)
	n := c.classN[0]
	nw := c.shape.Weights()
	train := c.end[0]
	if c.k == 1 {
		den := float64(n[0]) * float64(n[1])
		if den == 0 {
			return 0
		}
		var acc int64
		if coord >= nw {
			for _, k := range c.coef {
				acc += int64(k)
			}
			return -float64(acc) / den // the threshold moves against the weights
		}
		rows, vals := c.colRow[coord], c.colVal[coord]
		vals = vals[:len(rows)]
		coef := c.coef
		for m, i := range rows {
			if int(i) >= train {
				break
			}
			acc += int64(int32(coef[i]) * vals[m])
		}
		return float64(acc) / (den * FeatureScale)
	}
	d := 0.0
	if coord >= nw {
		o := coord - nw
		for i, y := range c.label[:train] {
			if pr := int(c.pred[i]); pr != int(y) {
				if int(y) == o {
					d += 1 / float64(n[y])
				}
				if pr == o {
					d -= 1 / float64(n[y])
				}
			}
		}
		return d
	}
	o, j := coord/c.nf, coord%c.nf
	rows, vals := c.colRow[j], c.colVal[j]
	for m, i := range rows {
		if int(i) >= train {
			break
		}
		y, pr := int(c.label[i]), int(c.pred[i])
		if pr == y {
			continue
		}
		v := float64(vals[m]) / float64(n[y]*FeatureScale)
		if y == o {
			d += v
		}
		if pr == o {
			d -= v
		}
	}
	return d
}

// scoreEntry is the scores of one archived agent.
type scoreEntry struct {
	idx int
	s   []int32
}

// scoreCache keeps the scores of the newest agents, first in first out. What it holds changes
// only speed, never a result.
type scoreCache struct {
	size     int // scores per entry
	capacity int
	byIdx    map[int]*scoreEntry
	ring     []*scoreEntry
	next     int
	slab     []int32
}

func newScoreCache(size, capacity int) scoreCache {
	return scoreCache{size: size, capacity: capacity, byIdx: map[int]*scoreEntry{}}
}

func (c *scoreCache) get(idx int) *scoreEntry { return c.byIdx[idx] }

// slabEntries is how many entries the cache allocates at once.
const slabEntries = 64

// alloc makes a new entry, carving it from a slab shared with the next few.
func (c *scoreCache) alloc() *scoreEntry {
	if len(c.slab) < c.size {
		c.slab = make([]int32, c.size*min(slabEntries, c.capacity-len(c.ring)))
	}
	e := &scoreEntry{s: c.slab[:c.size:c.size]}
	c.slab = c.slab[c.size:]
	return e
}

// put returns an entry for idx to fill: a new one until the budget is spent, then the oldest.
func (c *scoreCache) put(idx int) *scoreEntry {
	var e *scoreEntry
	if len(c.ring) < c.capacity {
		e = c.alloc()
		c.ring = append(c.ring, e)
	} else {
		e = c.ring[c.next]
		delete(c.byIdx, e.idx)
		c.next = (c.next + 1) % len(c.ring)
	}
	e.idx = idx
	c.byIdx[idx] = e
	return e
}
