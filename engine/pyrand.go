package engine

import (
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
)

// Mersenne Twister constants, as in CPython's Modules/_randommodule.c.
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// PyRandom is CPython's random.Random: MT19937 seeded exactly as CPython seeds it, with random()
// built from two 32-bit outputs. It exists so the seed flavour reproduces the seed system's numbers
// bit for bit (https://github.com/python/cpython/blob/3.11/Modules/_randommodule.c).
//
// A PyRandom is not safe for concurrent use.
type PyRandom struct {
	mt  [mtN]uint32
	mti int
}

// NewPyRandomInt returns a generator seeded like CPython's random.Random(seed) for an int seed.
func NewPyRandomInt(seed int64) *PyRandom {
	n := uint64(seed)
	if seed < 0 {
		n = uint64(-seed)
	}
	var key []uint32
	for n > 0 {
		key = append(key, uint32(n))
		n >>= 32
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	r := &PyRandom{}
	r.initByArray(key)
	return r
}

// NewPyRandomString returns a generator seeded like CPython's random.Random(s) for a str seed
// (seeding version 2: the big-endian integer of utf8(s) followed by its SHA-512 digest).
func NewPyRandomString(s string) *PyRandom {
	sum := sha512.Sum512([]byte(s))
	be := make([]byte, 0, len(s)+len(sum))
	be = append(be, s...)
	be = append(be, sum[:]...)
	// Little-endian bytes of the integer, without its most significant zero bytes.
	le := make([]byte, len(be))
	for i, b := range be {
		le[len(be)-1-i] = b
	}
	for len(le) > 0 && le[len(le)-1] == 0 {
		le = le[:len(le)-1]
	}
	for len(le)%4 != 0 {
		le = append(le, 0)
	}
	key := make([]uint32, 0, len(le)/4+1)
	for i := 0; i < len(le); i += 4 {
		key = append(key, binary.LittleEndian.Uint32(le[i:]))
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	r := &PyRandom{}
	r.initByArray(key)
	return r
}

func (r *PyRandom) initGenrand(s uint32) {
	r.mt[0] = s
	for i := 1; i < mtN; i++ {
		r.mt[i] = 1812433253*(r.mt[i-1]^(r.mt[i-1]>>30)) + uint32(i)
	}
	r.mti = mtN
}

func (r *PyRandom) initByArray(key []uint32) {
	r.initGenrand(19650218)
	i, j := 1, 0
	k := max(mtN, len(key))
	for ; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= mtN {
			r.mt[0] = r.mt[mtN-1]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = mtN - 1; k > 0; k-- {
		r.mt[i] = (r.mt[i] ^ ((r.mt[i-1] ^ (r.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= mtN {
			r.mt[0] = r.mt[mtN-1]
			i = 1
		}
	}
	r.mt[0] = 0x80000000
}

func (r *PyRandom) twist() {
	mag := func(y uint32) uint32 { return (y & 1) * mtMatrixA }
	kk := 0
	for ; kk < mtN-mtM; kk++ {
		y := (r.mt[kk] & mtUpperMask) | (r.mt[kk+1] & mtLowerMask)
		r.mt[kk] = r.mt[kk+mtM] ^ (y >> 1) ^ mag(y)
	}
	for ; kk < mtN-1; kk++ {
		y := (r.mt[kk] & mtUpperMask) | (r.mt[kk+1] & mtLowerMask)
		r.mt[kk] = r.mt[kk+(mtM-mtN)] ^ (y >> 1) ^ mag(y)
	}
	y := (r.mt[mtN-1] & mtUpperMask) | (r.mt[0] & mtLowerMask)
	r.mt[mtN-1] = r.mt[mtM-1] ^ (y >> 1) ^ mag(y)
	r.mti = 0
}

// Uint32 returns the next 32-bit output of the generator (CPython's genrand_uint32).
func (r *PyRandom) Uint32() uint32 {
	if r.mti >= mtN {
		r.twist()
	}
	y := r.mt[r.mti]
	r.mti++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Float64 returns a float in [0, 1) exactly as CPython's random.random() does.
func (r *PyRandom) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) * (1.0 / 9007199254740992.0)
}

// pyRandomStateSize is the length of a marshalled PyRandom: 624 words and the position.
const pyRandomStateSize = 4*mtN + 4

// MarshalBinary returns the generator's full state, so a run can be checkpointed and continued.
func (r *PyRandom) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, pyRandomStateSize)
	for _, w := range r.mt {
		b = binary.LittleEndian.AppendUint32(b, w)
	}
	return binary.LittleEndian.AppendUint32(b, uint32(r.mti)), nil
}

// UnmarshalBinary restores a state written by [PyRandom.MarshalBinary].
func (r *PyRandom) UnmarshalBinary(b []byte) error {
	if len(b) != pyRandomStateSize {
		return fmt.Errorf("engine: mersenne twister state is %d bytes, want %d", len(b), pyRandomStateSize)
	}
	for i := range r.mt {
		r.mt[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	mti := int(binary.LittleEndian.Uint32(b[4*mtN:]))
	if mti > mtN {
		return errors.New("engine: mersenne twister position out of range")
	}
	r.mti = mti
	return nil
}
