#!/usr/bin/env bash
# The composite action's check step: it evaluates the pull request's files, so it runs without
# the GitHub token. It writes the JSON report (the outputs), the annotations + job summary and,
# with `comment: true`, the Markdown body that the next step (action/comment.sh, the only one
# given the token) posts; action/gate.sh fails the job afterwards.
# Fails closed: a report that cannot be read is an error (exit 2), never "0 findings".
set -uo pipefail

work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/costgate.XXXXXX")"
args=(check "$CG_PATH")

# costgate reads PR-controlled files: give it no credential, even one the workflow put in the
# job's environment: every *TOKEN* variable and the action's inputs (INPUT_*, which act and
# some runners export, INPUT_GITHUB-TOKEN among them) are removed from its environment.
drop=()
while IFS= read -r -d '' kv; do
  name="${kv%%=*}"
  case "$name" in INPUT_* | *TOKEN* | *token* | ACTIONS_ID_TOKEN_REQUEST_URL) drop+=(-u "$name") ;; esac
done < <(env -0)
cg() { env "${drop[@]}" costgate "$@"; }
# git, for the workspace's own repository only (never one discovered inside the PR's files),
# with no system/global config and nothing in it able to run a program.
gitw() {
  env -u GIT_DIR -u GIT_WORK_TREE -u GIT_CONFIG_PARAMETERS -u GIT_CONFIG_COUNT \
    GIT_DIR="$PWD/.git" GIT_WORK_TREE="$PWD" GIT_CEILING_DIRECTORIES="$(dirname "$PWD")" \
    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0 \
    git -c core.fsmonitor=false -c core.hooksPath=/dev/null -c safe.bareRepository=explicit \
      -c protocol.ext.allow=never "$@"
}
# costgate locates the repository at the workspace root (never inside the PR's files).
[[ -e .git ]] && export COSTGATE_REPO_ROOT="$PWD"
fail() { echo "::error title=costgate::$*"; exit 2; }

# Rules come from the base ref when asked, so the PR cannot weaken them.
root="."
if [[ -n "${CG_POLICY_REF:-}" ]]; then
  gitw fetch --no-tags --depth=1 origin "$CG_POLICY_REF" >/dev/null 2>&1 || true
  ref="origin/$CG_POLICY_REF"
  gitw rev-parse --verify -q "$ref^{commit}" >/dev/null || ref="$CG_POLICY_REF"
  root="$work/base"
  if ! gitw worktree add --detach "$root" "$ref" >/dev/null 2>&1; then
    fail "cannot check out policy-ref"
  fi
  trap 'gitw worktree remove --force "$root" >/dev/null 2>&1 || true' EXIT
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
if [[ "$root" != . ]]; then
  # The PR's own comments cannot waive its findings unless the base config allows it.
  args+=(--no-inline-waivers)
fi
if [[ -n "${CG_USAGE:-}" ]]; then
  # With policy-ref the usage file (hours, GB, requests) comes from the base too: a PR that
  # sets `monthly_hours = 1` would otherwise price a $40,000 GPU box at $55.
  [[ "$root" == . || -f "$root/$CG_USAGE" ]] || fail "usage file not found in policy-ref (the usage file is read from the base ref)"
  args+=(--usage "$root/$CG_USAGE")
fi
# Remote modules: a pull request from a fork chooses the hosts costgate would fetch from, so by
# default (`auto`) nothing is fetched for it (--offline: only the module cache is used, and every
# module not there is a coverage finding saying so).
case "${CG_FETCH_MODULES:-auto}" in
  true) ;;
  false) args+=(--offline) ;;
  auto) [[ -n "${CG_HEAD_REPO:-}" && "${CG_HEAD_REPO}" != "${CG_REPO:-}" ]] && args+=(--offline) ;;
  *) fail "fetch-modules must be auto, true or false" ;;
esac
# HCL mode: the change from the base ref (default: the PR base), not the whole directory as new.
if [[ -n "${CG_BASE_REF:-}" && -d "$CG_PATH" ]]; then
  bref="origin/$CG_BASE_REF"
  if ! gitw rev-parse --verify -q "$bref^{commit}" >/dev/null 2>&1; then
    gitw fetch --no-tags --depth=1 origin "$CG_BASE_REF:refs/remotes/origin/$CG_BASE_REF" >/dev/null 2>&1 || true
    gitw rev-parse --verify -q "$bref^{commit}" >/dev/null 2>&1 || bref="$CG_BASE_REF"
  fi
  if gitw rev-parse --verify -q "$bref^{commit}" >/dev/null 2>&1; then
    args+=(--base-ref "$bref")
  else
    # Conservative: without the base everything counts as new (the largest possible increase).
    echo "::warning title=costgate::base-ref '${CG_BASE_REF//[^A-Za-z0-9._\/-]/?}' is not available (no git checkout or not fetched): pricing the whole directory as new"
  fi
fi

cg "${args[@]}" --format json > "$work/report.json"
rc=$?
if [[ $rc -ge 2 ]]; then
  fail "costgate check failed (exit $rc)"
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
# Fail closed: an unreadable report (empty, truncated, not costgate's) is an error, not a pass.
money='^-?[0-9]+(\.[0-9]+)?$'
[[ "$deny" =~ ^[0-9]+$ && "$warn" =~ ^[0-9]+$ && "$cost" =~ $money && "$delta" =~ $money ]] \
  || fail "cannot read costgate's JSON report; failing closed"
{
  echo "monthly-cost=$cost"
  echo "monthly-delta=$delta"
  echo "deny-count=$deny"
  echo "warn-count=$warn"
  echo "report=$work/report.json"
} >> "${GITHUB_OUTPUT:-/dev/null}"

# Annotations on stdout; the Markdown report is appended to $GITHUB_STEP_SUMMARY.
cg "${args[@]}" --format github || true
# SARIF for code scanning (github/codeql-action/upload-sarif, a separate step of the workflow).
cg "${args[@]}" --format sarif > "$work/report.sarif"
[[ $? -le 1 ]] && echo "sarif=$work/report.sarif" >> "${GITHUB_OUTPUT:-/dev/null}"

if [[ "${CG_COMMENT:-false}" == true ]]; then
  cg "${args[@]}" --format markdown > "$work/comment.md"
  rc=$? # 1 = findings, like the JSON run
  if [[ $rc -le 1 && -s "$work/comment.md" ]]; then
    echo "comment-file=$work/comment.md" >> "${GITHUB_OUTPUT:-/dev/null}"
  else
    echo "::warning title=costgate::could not render the PR comment"
  fi
fi
