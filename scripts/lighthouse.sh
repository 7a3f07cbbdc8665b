#!/usr/bin/env bash
# Lighthouse 12.2.3 (npm; 13 needs Node 22) on every view of the workbench as `make run` serves it,
# mobile and desktop: performance, accessibility and best-practices scores, total blocking time,
# time to interactive and the bytes transferred. Usage: scripts/lighthouse.sh [VIEW ...]
set -euo pipefail
cd "$(dirname "$0")/.."
LH=.cache/lighthouse
if [ ! -x "$LH/node_modules/.bin/lighthouse" ]; then
  echo "lighthouse: installing lighthouse@12.2.3 into $LH (npm)…"
  npm i -E --silent --no-audit --no-fund lighthouse@12.2.3 --prefix "$LH"
fi
[ -f web/app.wasm ] || make wasm
port=${PORT:-8093}
site=$(mktemp -d)
go run ./static -out "$site/dist" -version lighthouse -serve "127.0.0.1:$port" > "$site/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; pkill -f "$site/dist" 2>/dev/null; rm -rf "$site"' EXIT
for _ in $(seq 1 120); do grep -q http:// "$site/serve.log" && break; sleep 1; done
grep -q http:// "$site/serve.log" || { cat "$site/serve.log"; exit 1; }
views=("$@")
[ ${#views[@]} -gt 0 ] || views=(/ /archive /agent /events /lineage /experiments /transfer /review /runs)
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
printf '%-13s %-8s %5s %5s %5s %8s %8s %9s\n' view device perf a11y bp TBT_ms TTI_ms transfer
for v in "${views[@]}"; do
  for device in mobile desktop; do
    preset=()
    [ "$device" = desktop ] && preset=(--preset=desktop)
    out="$site/report.json"
    "$LH/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$v" "${preset[@]}" --quiet \
      --only-categories=performance,accessibility,best-practices --output=json --output-path="$out" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || { echo "$v $device: lighthouse failed"; continue; }
    node -e '
      const r = require(process.argv[1]);
      const c = r.categories, a = r.audits;
      const s = k => c[k] && c[k].score !== null ? Math.round(c[k].score * 100) : "-";
      const failed = ["accessibility", "best-practices"].flatMap(k => c[k].auditRefs.filter(x => x.weight > 0 && a[x.id].score !== null && a[x.id].score < 1).map(x => x.id));
      console.log([process.argv[2].padEnd(13), process.argv[3].padEnd(8), String(s("performance")).padStart(5), String(s("accessibility")).padStart(5),
        String(s("best-practices")).padStart(5), String(Math.round(a["total-blocking-time"].numericValue)).padStart(8),
        String(Math.round(a["interactive"].numericValue)).padStart(8), ((a["total-byte-weight"].numericValue / 1e6).toFixed(2) + " MB").padStart(9),
        failed.length ? "  failing: " + failed.join(", ") : ""].join(" "));
    ' "$out" "$v" "$device"
  done
done
