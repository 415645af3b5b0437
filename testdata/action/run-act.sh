#!/usr/bin/env bash
# End-to-end test of the composite action with act (host mode, offline): runs
# testdata/action/workflow.yml twice against mock_github.py on 127.0.0.1 and checks that
#   - the job fails on a deny (exit code),
#   - annotations with file and line were emitted,
#   - the first run posts the sticky comment and the second updates it (no duplicate),
#   - the action outputs reached the next step.
# env: COSTGATE_BIN (prebuilt costgate, required), ACT (default: act),
#      PLAN, PLAN2 (the plans of the first and second run).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
act="${ACT:-act}"
plan="${PLAN:-testdata/plans/aws-policy-cases/plan.json}"
# The second run sees a new push: a different plan (still with a deny), so the report changes
# and the sticky comment must be edited in place. (An unchanged report is not rewritten.)
plan2="${PLAN2:-testdata/plans/aws-gpu-create/plan.json}"
: "${COSTGATE_BIN:?set COSTGATE_BIN to a built costgate binary}"
tmp="$(mktemp -d)"
mock_pid=""
cleanup() { [[ -n "$mock_pid" ]] && kill "$mock_pid" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

python3 "$repo/testdata/action/mock_github.py" "$tmp/port" "$tmp/state.json" &
mock_pid=$!
for _ in $(seq 50); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
port="$(cat "$tmp/port")"

# act (host mode) copies the working directory into its cache on every run: give it a slim copy
# of the repository (no target/, no .git) and a cache inside $tmp, removed on exit.
mkdir -p "$tmp/src" "$tmp/cache"
tar -C "$repo" --exclude=./target --exclude=./.git -cf - . | tar -C "$tmp/src" -xf -
export XDG_CACHE_HOME="$tmp/cache"

mkdir -p "$tmp/bin"
cp "$COSTGATE_BIN" "$tmp/bin/costgate"
cat > "$tmp/event.json" <<JSON
{"action": "synchronize", "number": 42, "pull_request": {"number": 42, "head": {"sha": "0000000000000000000000000000000000000000"}, "base": {"ref": "main"}}}
JSON

run_act() { # log file, plan; prints act's exit code
  local rc=0 plan="$2"
  (cd "$tmp/src" && "$act" pull_request -W testdata/action/workflow.yml -e "$tmp/event.json" \
    -P ubuntu-latest=-self-hosted --action-offline-mode \
    --env SRC="$tmp/src" --env COSTGATE_DIR="$tmp/bin" --env PLAN="$plan" \
    --env GITHUB_API_URL="http://127.0.0.1:$port" --env GITHUB_REPOSITORY=acme/infra) >"$1" 2>&1 || rc=$?
  echo "$rc"
}

fail() { echo "FAIL: $*"; echo "--- act log ---"; cat "$tmp/run$run.log"; exit 1; }

state() { python3 -c "
import json, sys
s = json.load(open('$tmp/state.json'))
ours = [c for c in s['comments'] if c['body'].startswith('<!-- costgate:comment')]
print(len(ours), sum(r['method'] == 'POST' for r in s['requests']), sum(r['method'] == 'PATCH' for r in s['requests']),
      all(r['has_bearer'] for r in s['requests']))
"; }

run=1
rc="$(run_act "$tmp/run1.log" "$plan")"
[[ "$rc" != 0 ]] || fail "run 1: the job should fail on a deny finding"
grep -Eq '::error file=[^,]+,line=[0-9]+' "$tmp/run1.log" || fail "run 1: no ::error annotation with file and line"
grep -q 'costgate-outputs cost=[0-9]' "$tmp/run1.log" || fail "run 1: outputs did not reach the next step"
grep -q 'fake-token-for-the-mock' "$tmp/run1.log" && fail "run 1: token printed"
read -r n posts patches bearer <<<"$(state)"
[[ "$n" == 1 && "$posts" == 1 && "$bearer" == True ]] || fail "run 1: expected one posted comment (got $n comments, $posts POST, bearer=$bearer)"

run=2
rc="$(run_act "$tmp/run2.log" "$plan2")"
[[ "$rc" != 0 ]] || fail "run 2: the job should fail on a deny finding"
read -r n posts patches bearer <<<"$(state)"
[[ "$n" == 1 && "$posts" == 1 && "$patches" == 1 ]] || fail "run 2: expected the comment updated, not duplicated (got $n comments, $posts POST, $patches PATCH)"
echo "OK: act run posted, then updated the comment; annotations and deny gate work"
