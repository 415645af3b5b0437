#!/bin/sh
# Catalog-loading cost (issue 15): the time of a one-resource `estimate` and the size of the
# embedded catalog data, for the binary given (default target/release/costgate).
#
#   benches/catalog_load.sh [BINARY] [BASELINE_BINARY]
#
# Prints the mean wall time of `estimate` on a one-resource plan (hyperfine when installed,
# else 20 timed runs), the binary's stripped size, and the size of the compressed catalog
# blobs build.rs embeds. With a baseline binary (e.g. one built before the complete catalogs)
# it prints the difference of both figures.
set -eu
BIN=${1:-target/release/costgate}
BASE=${2:-}
PLAN=testdata/plans/aws-gpu-create/plan.json
ONE=$(mktemp -d)
trap 'rm -rf "$ONE"' EXIT
# One resource: the first planned resource of the fixture plan.
python3 - "$PLAN" "$ONE/plan.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rs = d["planned_values"]["root_module"]["resources"][:1]
d["planned_values"]["root_module"]["resources"] = rs
d["planned_values"]["root_module"].pop("child_modules", None)
d["resource_changes"] = [c for c in d.get("resource_changes", []) if c["address"] == rs[0]["address"]]
json.dump(d, open(sys.argv[2], "w"))
PY

mean_ms() {
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine -N -w 3 -r 30 --export-json "$ONE/h.json" "$1 estimate $ONE/plan.json -q" >/dev/null
    python3 -c "import json;print(round(json.load(open('$ONE/h.json'))['results'][0]['mean']*1000,1))"
  else
    python3 - "$1" "$ONE/plan.json" <<'PY'
import subprocess, sys, time
for _ in range(3):
    subprocess.run([sys.argv[1], "estimate", sys.argv[2], "-q"], capture_output=True)
t = []
for _ in range(20):
    s = time.perf_counter()
    subprocess.run([sys.argv[1], "estimate", sys.argv[2], "-q"], capture_output=True)
    t.append(time.perf_counter() - s)
t.sort()
print(round(sum(t[2:-2]) / len(t[2:-2]) * 1000, 1))
PY
  fi
}

stripped() {
  cp "$1" "$ONE/s" && strip "$ONE/s" 2>/dev/null || true
  wc -c <"$ONE/s" | tr -d ' '
}

T=$(mean_ms "$BIN")
S=$(stripped "$BIN")
OUT=$(ls -td target/*/build/costgate-*/out 2>/dev/null | head -1)
E=$(cat "$OUT"/*.bin "$OUT"/*.keys "$OUT"/*.head.json "$OUT"/*.idx pricing/machines/*.json | wc -c | tr -d ' ')
echo "one-resource estimate: ${T} ms mean ($BIN)"
echo "stripped binary: $S bytes"
echo "embedded catalog data: $E bytes (compressed regions + key index + headers + machine files)"
if [ -n "$BASE" ]; then
  TB=$(mean_ms "$BASE")
  SB=$(stripped "$BASE")
  echo "baseline: ${TB} ms, $SB bytes ($BASE)"
  python3 -c "print('added: %.1f ms, %.2f MB' % ($T - $TB, ($S - $SB) / 1e6))"
fi
