#!/usr/bin/env bash
# Prints the engine's speed figures: a standard hyperagent run of 5,000 and 100,000 iterations natively,
# the 5,000-iteration run under Node (GOOS=js GOARCH=wasm), and the ratios the goals are stated in.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOROOT)/lib/wasm:$PATH"
COUNT=${COUNT:-5}

median_ms() { # reads "ns/op" values, prints the median in ms
  sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1e6}'
}
field() { awk -v name="$1" '$1 ~ name {for (i = 1; i <= NF; i++) if ($(i+1) == "ns/op") print $i}'; }

native=$(go test -run '^$' -bench 'BenchmarkRun|BenchmarkExperiment' -benchtime 5x -count "$COUNT" ./engine)
wasm=$(GOOS=js GOARCH=wasm go test -run '^$' -bench 'BenchmarkRun/standard/hyperagent/5000' -benchtime 5x -count "$COUNT" ./engine)

n5=$(echo "$native" | field 'standard/hyperagent/5000' | median_ms)
n100=$(echo "$native" | field 'standard/hyperagent/100000' | median_ms)
base=$(echo "$native" | field 'standard/baseline/5000' | median_ms)
noarch=$(echo "$native" | field 'standard/no_archive/5000' | median_ms)
seed=$(echo "$native" | field 'seed/hyperagent/5000' | median_ms)
exp=$(echo "$native" | field 'BenchmarkExperiment' | median_ms)
w5=$(echo "$wasm" | field 'standard/hyperagent/5000' | median_ms)

echo "engine figures (median of $COUNT, $(go env GOOS)/$(go env GOARCH), $(nproc) cores)"
printf '  %-52s %9s ms  (goal <= 20 ms)\n' "standard hyperagent, 5,000 iterations, native" "$n5"
printf '  %-52s %9s ms\n' "standard hyperagent, 100,000 iterations, native" "$n100"
printf '  %-52s %9sx    (goal <= 25x)\n' "100,000 / 5,000 run" "$(awk -v a="$n100" -v b="$n5" 'BEGIN{printf "%.1f", a/b}')"
printf '  %-52s %9s ms\n' "standard baseline, 5,000 iterations, native" "$base"
printf '  %-52s %9s ms\n' "standard no_archive, 5,000 iterations, native" "$noarch"
printf '  %-52s %9s ms\n' "seed flavour hyperagent, 5,000 iterations, native" "$seed"
printf '  %-52s %9s ms\n' "3 x 5 x 30 experiment, native" "$exp"
printf '  %-52s %9s ms\n' "standard hyperagent, 5,000 iterations, wasm (Node)" "$w5"
printf '  %-52s %9sx    (goal <= 3x)\n' "wasm / native, 5,000-iteration run" "$(awk -v a="$w5" -v b="$n5" 'BEGIN{printf "%.1f", a/b}')"
