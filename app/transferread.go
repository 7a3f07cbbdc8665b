package ui

import (
	"fmt"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"hyperagents/chart"
	"hyperagents/engine"
)

// armHelp is what the transfer chart's readout says before an arm is chosen.
const armHelp = "Point at an arm (or focus the chart and press ← →) to read its seeds, median and test against the transferred arm."

func orHelpArm(readout string) string {
	if readout == "" {
		return armHelp
	}
	return readout
}

// onArmPoint reads the arm under the pointer. The caller holds mu.
func (x *TransferState) onArmPoint(ctx app.Context, e app.Event) {
	if x.result == nil {
		return
	}
	f, svg, ok := pointerAcross(ctx.JSSrc(), e)
	if !ok {
		return
	}
	px := f * svg.Get("viewBox").Get("baseVal").Get("width").Float()
	res := x.result.tr.Summary.Results[0]
	if i, ok := chart.TransferArmAt(res, px); ok {
		x.arm, x.ArmReadout = i, describeArm(res, i)
	}
}

// stepArm moves the chosen arm by key (← → Home End; "" for the focus, which chooses the first
// arm if none is) and reports whether the key was one of those. The caller holds mu.
func (x *TransferState) stepArm(key string) bool {
	if x.result == nil {
		return false
	}
	res := x.result.tr.Summary.Results[0]
	n := len(res.Conditions)
	if n == 0 {
		return false
	}
	switch key {
	case "":
		x.arm = max(x.arm, 0)
	case "ArrowLeft":
		x.arm = max(0, x.arm-1)
	case "ArrowRight":
		x.arm = min(n-1, x.arm+1)
	case "Home":
		x.arm = 0
	case "End":
		x.arm = n - 1
	default:
		return false
	}
	x.ArmReadout = describeArm(res, x.arm)
	return true
}

// describeArm says arm i of a transfer's result in words: its median and interval, its seeds'
// range, and how it compares with the transferred arm.
func describeArm(res engine.Result, i int) string {
	c := res.Conditions[i]
	s := fmt.Sprintf("%s: %s median %.3g, 95%% CI [%.3g, %.3g], over %d seeds from %.3g to %.3g",
		c.Name, res.Metric, c.Median, c.CI[0], c.CI[1], len(c.Values), slices.Min(c.Values), slices.Max(c.Values))
	for _, cmp := range res.Comparisons {
		if cmp.B != c.Name {
			continue
		}
		p := "no test (every difference zero)"
		if cmp.HolmP != nil {
			p = fmt.Sprintf("Holm p = %.3g", *cmp.HolmP)
		}
		s += fmt.Sprintf(" · %s against it: higher in %d seeds, tied in %d, lower in %d; %s", cmp.A, cmp.Wins, cmp.Ties, cmp.Losses, p)
	}
	return s
}
