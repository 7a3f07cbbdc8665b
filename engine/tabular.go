package engine

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/wine_data.csv
var wineCSV []byte

//go:embed data/breast_cancer.csv
var breastCancerCSV []byte

//go:embed data/digits.csv.gz
var digitsCSVGz []byte

// uciCredit is the credit every UCI data set carries (CC BY 4.0).
const uciCredit = "UCI Machine Learning Repository, CC BY 4.0 (Dua, D. and Graff, C. (2019). UCI Machine Learning " +
	"Repository. Irvine, CA: University of California, School of Information and Computer Science), " +
	"as packaged by scikit-learn 1.2.1 (BSD-3-Clause)."

var wineFeatures = []string{
	"alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
	"nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline",
}

var breastCancerFeatures = func() []string {
	base := []string{"radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
		"concave_points", "symmetry", "fractal_dimension"}
	var out []string
	for _, kind := range []string{"mean", "error", "worst"} {
		for _, b := range base {
			out = append(out, kind+"_"+b)
		}
	}
	return out
}()

var digitPixels = func() []string {
	out := make([]string, 64)
	for i := range out {
		out[i] = "px_" + strconv.Itoa(i/8) + "_" + strconv.Itoa(i%8)
	}
	return out
}()

// readTable parses numeric CSV rows of nf features then an integer class, skipping a header line
// if header is set.
func readTable(data []byte, nf int, header bool) ([][]float64, []int, error) {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if header {
		lines = lines[1:]
	}
	xs := make([][]float64, 0, len(lines))
	ys := make([]int, 0, len(lines))
	for n, line := range lines {
		cells := strings.Split(strings.TrimSpace(line), ",")
		if len(cells) != nf+1 {
			return nil, nil, fmt.Errorf("row %d: %d cells, want %d", n+1, len(cells), nf+1)
		}
		x := make([]float64, nf)
		for j := range nf {
			v, err := strconv.ParseFloat(cells[j], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("row %d, column %d: %w", n+1, j+1, err)
			}
			x[j] = v
		}
		y, err := strconv.Atoi(cells[nf])
		if err != nil {
			return nil, nil, fmt.Errorf("row %d: class %q: %w", n+1, cells[nf], err)
		}
		xs, ys = append(xs, x), append(ys, y)
	}
	return xs, ys, nil
}

// shippedTable parses a shipped table once per process (parsing is most of the cost of building
// a domain, many times over in WebAssembly) and hands every caller its own copy: the data never
// change, and callers may edit their copy.
type shippedTable struct {
	once sync.Once
	x    [][]float64
	y    []int
	err  error
}

func (t *shippedTable) get(parse func() ([][]float64, []int, error)) ([][]float64, []int, error) {
	t.once.Do(func() { t.x, t.y, t.err = parse() })
	if t.err != nil {
		return nil, nil, t.err
	}
	x := make([][]float64, len(t.x))
	flat := make([]float64, 0, len(t.x)*max(1, len(t.x[0])))
	for i, row := range t.x {
		flat = append(flat, row...)
		x[i] = flat[len(flat)-len(row) : len(flat) : len(flat)]
	}
	return x, slices.Clone(t.y), nil
}

// The shipped tables, parsed once.
var wineTable, breastCancerTable, digitsTable shippedTable

// NewWine is the wine domain: which of three cultivars a wine comes from.
func NewWine(splitSeed uint64) (Labelled, error) {
	x, y, err := wineTable.get(func() ([][]float64, []int, error) { return readTable(wineCSV, len(wineFeatures), true) })
	if err != nil {
		return nil, fmt.Errorf("engine: shipped wine data: %w", err)
	}
	t := rawTable{family: "wine", features: wineFeatures, classes: []string{"class_0", "class_1", "class_2"}, x: x, y: y}
	return newDataset(t, splitSeed, DomainInfo{
		Description: "Tell which of three cultivars a wine comes from, from 13 chemical measurements " +
			"(alcohol, flavanoids, colour intensity, proline…). The policy is three linear scores, one per " +
			"cultivar (13 weights and a bias each); the highest score wins. Small (178 wines) and nearly " +
			"linearly separable: a good first domain, and a source of meta policies for transfer.",
		Source:    "Wine (M. Forina et al.), " + uciCredit,
		Selection: SelectDGM,
	}), nil
}

// NewBreastCancer is the breast-cancer domain: flag a tumour as malignant.
func NewBreastCancer(splitSeed uint64) (Labelled, error) {
	x, y, err := breastCancerTable.get(func() ([][]float64, []int, error) {
		return readTable(breastCancerCSV, len(breastCancerFeatures), true)
	})
	if err != nil {
		return nil, fmt.Errorf("engine: shipped breast cancer data: %w", err)
	}
	// The file labels malignant 0 and benign 1; the policy flags malignant tumours (positive class).
	for i := range y {
		y[i] = 1 - y[i]
	}
	t := rawTable{family: "breast_cancer", features: breastCancerFeatures, classes: []string{"benign", "malignant"}, x: x, y: y}
	return newDataset(t, splitSeed, DomainInfo{
		Description: "Flag a breast tumour as malignant from 30 measurements of cell nuclei in a " +
			"fine-needle aspirate (mean, error and worst of radius, texture, concavity…). The policy flags " +
			"when the weighted sum of the features reaches its threshold (31 parameters). 569 cases.",
		Source:    "Breast Cancer Wisconsin (Diagnostic) (W. H. Wolberg, W. N. Street, O. L. Mangasarian), " + uciCredit,
		Selection: SelectDGM,
	}), nil
}

// digitsRows reads the shipped digits (parsed once).
func digitsRows() ([][]float64, []int, error) { return digitsTable.get(parseDigits) }

// parseDigits unpacks and parses the shipped digits.
func parseDigits() ([][]float64, []int, error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsCSVGz))
	if err != nil {
		return nil, nil, fmt.Errorf("engine: shipped digits data: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("engine: shipped digits data: %w", err)
	}
	x, y, err := readTable(raw, 64, false)
	if err != nil {
		return nil, nil, fmt.Errorf("engine: shipped digits data: %w", err)
	}
	return x, y, nil
}

const digitsSource = "Optical Recognition of Handwritten Digits, test set (E. Alpaydin, C. Kaynak), " + uciCredit

// NewDigits is the digits domain: is a handwritten digit a 3, a 5 or an 8 (binary, 65 parameters)?
func NewDigits(splitSeed uint64) (Labelled, error) {
	x, y, err := digitsRows()
	if err != nil {
		return nil, err
	}
	for i := range y {
		if y[i] == 3 || y[i] == 5 || y[i] == 8 {
			y[i] = 1
		} else {
			y[i] = 0
		}
	}
	t := rawTable{family: "digits", features: digitPixels, classes: []string{"other", "3/5/8"}, x: x, y: y, divide: 16}
	return newDataset(t, splitSeed, DomainInfo{
		Description: "Tell whether an 8×8 image of a handwritten digit shows a 3, a 5 or an 8 — the digits " +
			"that share curves — from its 64 pixel intensities. The policy is one weight per pixel and a " +
			"threshold (65 parameters), pictured as an 8×8 heat map. 1,797 images; a linear rule cannot " +
			"separate the classes perfectly, so there is always room to improve.",
		Source:    digitsSource,
		Selection: SelectDGM,
	}), nil
}

// NewDigits10 is the ten-class digits domain: which digit (650 parameters).
func NewDigits10(splitSeed uint64) (Labelled, error) {
	x, y, err := digitsRows()
	if err != nil {
		return nil, err
	}
	classes := make([]string, 10)
	for i := range classes {
		classes[i] = strconv.Itoa(i)
	}
	t := rawTable{family: "digits10", features: digitPixels, classes: classes, x: x, y: y, divide: 16}
	return newDataset(t, splitSeed, DomainInfo{
		Description: "Tell which digit an 8×8 handwritten image shows, from its 64 pixels: ten linear scores " +
			"(64 weights and a bias each, 650 parameters), the highest wins. The same 1,797 images as digits, " +
			"a much larger policy.",
		Source:    digitsSource,
		Selection: SelectDGM,
	}), nil
}
