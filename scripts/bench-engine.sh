#!/usr/bin/env bash
# Prints the engine's speed figures: a standard hyperagent run of 5,000 and 100,000 iterations natively,
# the 5,000-iteration run under Node (GOOS=js GOARCH=wasm), the adaptive flavour's 20,000-iteration
# digits run natively and under Node, the default findings sweep, and the ratios the goals are
# stated in.
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

adaptive=$(go test -run '^$' -bench 'BenchmarkDomains' -benchtime 3x -count "$COUNT" ./engine)
wasmd=$(GOOS=js GOARCH=wasm go test -run '^$' -bench 'BenchmarkDomains/digits/.*/20000' -benchtime 1x -count 3 ./engine)
d20=$(echo "$adaptive" | field 'digits/evolve×dgm/20000' | median_ms)
g20=$(echo "$adaptive" | field 'digits/no_archive/20000' | median_ms)
l20=$(echo "$adaptive" | field 'digits/evolve×latest/20000' | median_ms)
wd20=$(echo "$wasmd" | field 'digits/evolve×dgm/20000' | median_ms)
wg20=$(echo "$wasmd" | field 'digits/no_archive/20000' | median_ms)
echo
printf '  %-52s %9s ms  (goal <= 500 ms)\n' "adaptive digits, evolve x dgm, 20,000 iterations" "$d20"
printf '  %-52s %9s ms\n' "adaptive digits, evolve x best, 20,000 iterations" "$g20"
printf '  %-52s %9s ms\n' "adaptive digits, evolve x latest, 20,000 iterations" "$l20"
for d in wine breast_cancer digits digits10 hidden maze; do
  printf '  %-52s %9s ms\n' "adaptive $d, evolve x dgm, 1,000 iterations" "$(echo "$adaptive" | field "/$d/evolve×dgm/1000" | median_ms)"
done
printf '  %-52s %9s ms\n' "same digits dgm run, wasm (Node)" "$wd20"
printf '  %-52s %9sx    (goal <= 3x)\n' "wasm / native, digits dgm 20,000" "$(awk -v a="$wd20" -v b="$d20" 'BEGIN{printf "%.1f", a/b}')"
printf '  %-52s %9sx\n' "wasm / native, digits best 20,000" "$(awk -v a="$wg20" -v b="$g20" 'BEGIN{printf "%.1f", a/b}')"
go build -o .cache/hyperagents ./cmd/hyperagents
start=$(date +%s.%N)
.cache/hyperagents sweep findings/default.json --out .cache/findings-bench >/dev/null 2>&1
printf '  %-52s %9s s   (goal <= 120 s)\n' "default findings sweep (500 runs x 1,000 iterations)" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}')"
start=$(date +%s.%N)
.cache/hyperagents run --domain digits --iterations 20000 >/dev/null
printf '  %-52s %9s s\n' "hyperagents run --domain digits --iterations 20000" "$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.2f", e-s}')"
