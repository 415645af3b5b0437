#!/usr/bin/env bash
# Run every fuzz target for N seconds each (default 300), one after another, one process at a
# time (the box may be small), seeding each corpus from the repository's fixtures.
#
#   fuzz/run.sh [SECONDS] [TARGET...]        e.g. fuzz/run.sh 600   or   fuzz/run.sh 60 usage_toml
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain (`+nightly`), or stable
# with RUSTC_BOOTSTRAP=1 (set automatically when no nightly is installed). Sanitizers are off
# (`-s none`): costgate forbids unsafe code, and what is hunted here is panics, hangs, stack
# overflows and runaway memory. Crashes land in fuzz/artifacts/<target>/; each run's log in
# fuzz/logs/<target>.log; the last line per target (runs, seconds, crashes) is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(plan_json hcl_dir usage_toml config pricing_catalog)

if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
fi

# A seed file: an optional selector byte (targets that read one) followed by a file's bytes.
seed() { # seed DIR NAME [BYTE] FILE
  local dir=$1 name=$2 byte=$3 file=$4 out
  out="$dir/seed-$name"
  [ -e "$out" ] && return
  if [ -n "$byte" ]; then { printf "\\x$byte"; cat "$file"; } >"$out"; else cp "$file" "$out"; fi
}

seed_corpus() {
  local t=$1 dir="fuzz/corpus/$1" f i
  mkdir -p "$dir"
  case $t in
    plan_json)
      for f in testdata/plans/*/plan.json testdata/examples/*/plan.json; do
        seed "$dir" "$(basename "$(dirname "$f")")" "" "$f"; done ;;
    hcl_dir)
      for f in testdata/hcl/*/*.tf testdata/plans/*/main.tf; do
        seed "$dir" "$(echo "$f" | tr / _)" "" "$f"; done ;;
    usage_toml)
      for f in testdata/plans/*/usage.toml; do
        seed "$dir" "$(basename "$(dirname "$f")")" "" "$f"; done ;;
    config)
      i=0
      for f in testdata/examples/*/costgate.toml testdata/policies/*.toml; do
        seed "$dir" "toml-$i" 00 "$f"; i=$((i + 1)); done
      seed "$dir" defaults-json 01 policies/defaults.json
      printf 'policies:\n  gpu-quota:\n    scope_tag: env\n    limits:\n      - {gpu: H100, scope: "*", max: 8}\nwaivers:\n  - {policy: budget, address: "*", reason: x, until: "2026-12-31"}\n' >"$dir/yaml.tmp"
      seed "$dir" yaml 02 "$dir/yaml.tmp"; rm -f "$dir/yaml.tmp" ;;
    pricing_catalog)
      seed "$dir" aws 00 pricing/aws.json
      seed "$dir" gcp 01 pricing/gcp.json
      seed "$dir" azure 02 pricing/azure.json
      seed "$dir" machines-aws 80 pricing/machines/aws.json
      seed "$dir" machines-gcp 81 pricing/machines/gcp.json
      seed "$dir" machines-azure 82 pricing/machines/azure.json ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
}

mkdir -p fuzz/logs
summary=()
for t in "${targets[@]}"; do
  seed_corpus "$t"
  echo "== $t: ${secs}s" >&2
  status=ok
  (cd fuzz && "${fuzz[@]}" run "$t" -s none -- \
      -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      ) >"fuzz/logs/$t.log" 2>&1 || status="FAILED (see fuzz/logs/$t.log, fuzz/artifacts/$t/)"
  runs=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "fuzz/logs/$t.log" | tail -1 || true)
  summary+=("$t: ${runs:-no summary} — $status")
done
printf '%s\n' "${summary[@]}"
