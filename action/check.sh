#!/usr/bin/env bash
# The composite action's main step: JSON for the outputs, annotations + job summary, the
# optional sticky comment, then the gate (after everything else is written).
set -uo pipefail

work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/costgate.XXXXXX")"
args=(check "$CG_PATH")

# Rules come from the base ref when asked, so the PR cannot weaken them.
root="."
if [[ -n "${CG_POLICY_REF:-}" ]]; then
  git fetch --no-tags --depth=1 origin "$CG_POLICY_REF" >/dev/null 2>&1 || true
  ref="origin/$CG_POLICY_REF"
  git rev-parse --verify -q "$ref^{commit}" >/dev/null || ref="$CG_POLICY_REF"
  root="$work/base"
  if ! git worktree add --detach "$root" "$ref" >/dev/null 2>&1; then
    echo "::error title=costgate::cannot check out policy-ref '$CG_POLICY_REF'"
    exit 2
  fi
  trap 'git worktree remove --force "$root" >/dev/null 2>&1 || true' EXIT
fi
add_paths() { # flag, newline-separated list
  local flag="$1" line
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"; line="${line%"${line##*[![:space:]]}"}"
    [[ -n "$line" ]] && args+=("$flag" "$root/$line")
  done <<< "$2"
}
add_paths --policy "${CG_POLICY:-}"
add_paths --data "${CG_DATA:-}"
base_config() { # the costgate.toml found upward from the path's folder, in the base checkout
  local d="${CG_PATH#"$PWD"/}"
  [[ -d "$d" ]] || d="$(dirname "$d")"
  while [[ "$d" != /* ]]; do
    [[ -f "$root/$d/costgate.toml" ]] && { echo "$root/$d/costgate.toml"; return; }
    [[ "$d" == . ]] && return
    d="$(dirname "$d")"
  done
}
if [[ -n "${CG_CONFIG:-}" ]]; then
  args+=(--config "$root/$CG_CONFIG")
elif [[ "$root" != . ]]; then
  # The base's config, never one the PR adds or edits; none in the base means the defaults.
  cfg="$(base_config)"
  if [[ -n "$cfg" ]]; then args+=(--config "$cfg"); else args+=(--no-config); fi
fi
[[ -n "${CG_USAGE:-}" ]] && args+=(--usage "$CG_USAGE")
# HCL mode: the change from the base ref (default: the PR base), not the whole directory as new.
if [[ -n "${CG_BASE_REF:-}" && -d "$CG_PATH" ]]; then
  bref="origin/$CG_BASE_REF"
  if ! git rev-parse --verify -q "$bref^{commit}" >/dev/null; then
    git fetch --no-tags --depth=1 origin "$CG_BASE_REF:refs/remotes/origin/$CG_BASE_REF" >/dev/null 2>&1 || true
    git rev-parse --verify -q "$bref^{commit}" >/dev/null || bref="$CG_BASE_REF"
  fi
  args+=(--base-ref "$bref")
fi

costgate "${args[@]}" --format json > "$work/report.json"
rc=$?
if [[ $rc -ge 2 ]]; then
  echo "::error title=costgate::costgate check failed (exit $rc)"
  exit 2
fi

field() { # jq filter, python fallback
  if command -v jq >/dev/null; then jq -r "$1" "$work/report.json"; else python3 - "$2" "$work/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2])); f = d.get("findings", [])
act = [x for x in f if not x.get("waived")]
print({"cost": d["totals"]["monthly_after"], "delta": d["totals"]["monthly_delta"],
       "deny": sum(x["severity"] == "deny" for x in act), "warn": sum(x["severity"] == "warn" for x in act)}[sys.argv[1]])
PY
  fi
}
cost="$(field '.totals.monthly_after' cost)"
delta="$(field '.totals.monthly_delta' delta)"
deny="$(field '[.findings[] | select(.severity == "deny" and (.waived | not))] | length' deny)"
warn="$(field '[.findings[] | select(.severity == "warn" and (.waived | not))] | length' warn)"
{
  echo "monthly-cost=$cost"
  echo "monthly-delta=$delta"
  echo "deny-count=$deny"
  echo "warn-count=$warn"
} >> "${GITHUB_OUTPUT:-/dev/null}"

# Annotations on stdout; the Markdown report is appended to $GITHUB_STEP_SUMMARY.
costgate "${args[@]}" --format github || true

if [[ "${CG_COMMENT:-false}" == true ]]; then
  costgate "${args[@]}" --format markdown > "$work/comment.md" || true
  cargs=(comment github --body-file "$work/comment.md" --behavior "${CG_COMMENT_BEHAVIOR:-update}" --token-env CG_TOKEN)
  [[ -n "${CG_COMMENT_KEY:-}" ]] && cargs+=(--key "$CG_COMMENT_KEY")
  [[ -n "${CG_COMMENT_AUTHOR:-}" ]] && cargs+=(--author "$CG_COMMENT_AUTHOR")
  costgate "${cargs[@]}" || echo "::warning title=costgate::could not update the PR comment (see the log)"
fi

case "${CG_FAIL_ON:-deny}" in
  never) exit 0 ;;
  warn) [[ $((deny + warn)) -eq 0 ]] || { echo "costgate: $deny deny, $warn warn finding(s)"; exit 1; } ;;
  *) [[ "$deny" -eq 0 ]] || { echo "costgate: $deny deny finding(s) block this change"; exit 1; } ;;
esac
