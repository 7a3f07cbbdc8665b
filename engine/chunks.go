package engine

// chunkBits sets the size of a chunk of [chunks]: 64 elements.
const chunkBits = 6

// chunks is an append-only list stored in fixed-size blocks: appending never copies earlier
// elements, so their addresses stay valid and the cost per append stays flat however long the
// list grows.
type chunks[T any] struct {
	blocks []*[1 << chunkBits]T
	n      int
}

// add appends a copy of *v and returns its index.
func (c *chunks[T]) add(v *T) int {
	if c.n>>chunkBits == len(c.blocks) {
		c.blocks = append(c.blocks, new([1 << chunkBits]T))
	}
	i := c.n
	c.blocks[i>>chunkBits][i&(1<<chunkBits-1)] = *v
	c.n++
	return i
}

// at returns the address of element i. It panics if i is out of range.
func (c *chunks[T]) at(i int) *T {
	if i < 0 || i >= c.n {
		panic("engine: index out of range")
	}
	return &c.blocks[i>>chunkBits][i&(1<<chunkBits-1)]
}

// len is the number of elements.
func (c *chunks[T]) len() int { return c.n }

// slice copies the elements into a new slice.
func (c *chunks[T]) slice() []T {
	out := make([]T, 0, c.n)
	for i, b := range c.blocks {
		out = append(out, b[:min(1<<chunkBits, c.n-i<<chunkBits)]...)
	}
	return out
}
