// Package engine is the hyperagent loop: agents that hold a task policy (how to accept or reject a
// code repository from five quality features) and a meta policy (how to make children), an archive
// that keeps every variant, three ablations and a multi-seed experiment runner.
//
// # The loop
//
// [New] evaluates the domain's seed agent and archives it as iteration 0. Each [Run.Step] selects a
// parent from the archive ([WeightedSelector], or [GreedySelector] in the no_archive ablation),
// mutates its task and meta policies under pressure from its train-set errors, evaluates the child,
// adjusts the child's meta policy from the fitness change and archives it. Modes ([Mode]):
//
//   - hyperagent: everything on.
//   - baseline: every child starts from the seed agent's meta policy, which is never adapted.
//   - no_archive: the parent is always the best agent (greedy search without stepping stones).
//
// # Flavours
//
// [FlavourSeed] reproduces the seed system (a Python artifact, described in REFERENCE.md) bit for
// bit: CPython's Mersenne Twister with CPython's int and str seeding ([PyRandom]), Python's round
// ([Round]), its summation orders, its tie rules and its quirks. Its 3 × 5 × 40 experiment writes the
// seed's published raw_metrics.csv byte for byte.
//
// [FlavourStandard], the default, is the same algorithm with three flaws of the seed fixed, because
// they distort what an ablation measures:
//
//  1. Noise. The seed draws each weight's noise from a fresh generator seeded by the string
//     "{parent}:{feature}:{index}:{iteration}", which ignores the run's seed, so no_archive runs are
//     identical across seeds. Standard draws all noise from the run's generator (PCG from
//     math/rand/v2, one stream per (seed, mode)), so the seed matters in every mode.
//  2. Test-set leakage. The seed breaks best-fitness ties on test accuracy, which feeds the held-out
//     set into the reported best agent and the no_archive parent. Standard ranks on train fitness
//     only; the latest entry wins ties, as in the seed.
//  3. Baseline. The seed's baseline still recomputes the focus metric and appends memory notes.
//     Standard baseline freezes the whole meta policy: focus, steps, exploration and memory.
//
// Everything else (selection weights, pressure, clamps, rounding, notes) is shared by both flavours.
//
// # Determinism
//
// The engine reads no clock, no global generator and no environment. The same [Config] and domain
// give the same event stream natively and under GOOS=js GOARCH=wasm: every number that feeds a
// result comes from exact IEEE operations (+, −, ×, ÷, sqrt, correctly rounded FMA), with products
// converted explicitly (float64(a*b) + c) so the compiler cannot fuse them differently per platform.
//
// # Cost
//
// The best entry is tracked incrementally and the selector keeps its running weight sums between
// draws, rebuilding them only when the best fitness changes, so an iteration costs O(log archive)
// amortised in both flavours (the seed's engine is O(archive) per iteration).
//
// # Concurrency
//
// A [Run] or an [Experiment] is not safe for concurrent use; distinct ones may run in parallel.
package engine
