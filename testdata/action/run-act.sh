#!/usr/bin/env bash
# End-to-end test of the composite action with act (host mode, offline): runs
# testdata/action/workflow.yml twice against mock_github.py on 127.0.0.1 and checks that
#   - the job fails on a deny (exit code),
#   - annotations with file and line were emitted,
#   - the first run posts the sticky comment and the second updates it (no duplicate),
#   - the action outputs reached the next step;
# then a hostile HCL PR that reads /proc/self/environ: the token is in no output;
# then testdata/action/workflow-policy-ref.yml in a temporary git repository (see below).
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
# of the repository (no target/, no .git, no fuzzing build or corpus) and a cache inside $tmp, removed on exit.
mkdir -p "$tmp/src" "$tmp/cache"
tar -C "$repo" --exclude=./target --exclude=./.git --exclude=./fuzz/target --exclude=./fuzz/corpus --exclude=./fuzz/artifacts --exclude=./fuzz/logs -cf - . | tar -C "$tmp/src" -xf -
export XDG_CACHE_HOME="$tmp/cache"

mkdir -p "$tmp/bin" "$tmp/out"
cp "$COSTGATE_BIN" "$tmp/bin/costgate"
cat > "$tmp/event.json" <<JSON
{"action": "synchronize", "number": 42, "pull_request": {"number": 42, "head": {"sha": "0000000000000000000000000000000000000000"}, "base": {"ref": "main"}}}
JSON

run_act() { # log file, plan; prints act's exit code
  local rc=0 plan="$2"
  (cd "$tmp/src" && "$act" pull_request -W testdata/action/workflow.yml -e "$tmp/event.json" \
    -P ubuntu-latest=-self-hosted --action-offline-mode \
    --env SRC="$tmp/src" --env COSTGATE_DIR="$tmp/bin" --env PLAN="$plan" --env OUT="$tmp/out" \
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

# A hostile PR (HCL mode) that reads the process environment into resource addresses and tag
# values (testdata/action/token-pr/main.tf): the token must reach none of the outputs, because
# the step that evaluates the PR's files never has it (only the comment step does).
run=3
token=fake-token-for-the-mock
rm -f "$tmp/out/"*
rc="$(run_act "$tmp/run3.log" testdata/action/token-pr)"
[[ "$rc" != 0 ]] || fail "token run: the job should fail on a deny finding"
read -r n posts patches bearer <<<"$(state)"
[[ "$n" == 1 && "$patches" -ge 2 && "$bearer" == True ]] || fail "token run: the comment was not updated (got $n comments, $patches PATCH)"
grep -q '::error file=' "$tmp/run3.log" || fail "token run: no annotations"
[[ -s "$tmp/out/report.json" && -s "$tmp/out/report.sarif" ]] || fail "token run: the action wrote no JSON/SARIF report"
python3 - "$tmp/state.json" "$token" <<'PY' || fail "token run: the token reached the PR comment"
import json, sys
s = json.load(open(sys.argv[1]))
bodies = [c["body"] for c in s["comments"]]
assert any(b.startswith("<!-- costgate:comment") for b in bodies), "no costgate comment"
assert not any(sys.argv[2] in b for b in bodies), "token in a comment"
assert not any(sys.argv[2] in json.dumps(r) for r in s["requests"]), "token in a request"
PY
# act prints each step's job summary into its log ("Summary - ..."): the log covers it.
grep -q 'Summary - <!-- costgate:comment' "$tmp/run3.log" || fail "token run: no job summary in the log"
grep -q 'Full breakdown' "$tmp/run3.log" || fail "token run: the job summary in the log is incomplete"
for f in "$tmp/run3.log" "$tmp/out/report.json" "$tmp/out/report.sarif"; do
  grep -q "$token" "$f" && fail "token run: the token is in $f"
done
# The PR's environment did reach the outputs (so the test looks where a leak would show).
grep -q 'COSTGATE_DIR' "$tmp/out/report.json" || echo "note: the environment was not read (HCL sandbox)"
echo "OK: a PR reading the environment gets no token into the comment, annotations, summary, JSON or SARIF"

# policy-ref: a PR that weakens the rules is still judged by the base branch's rules. A small
# "upstream" repository whose main branch has strict rules, a clone with a PR branch that
# weakens them (edits rules/costgate.toml, adds a root costgate.toml), and
# testdata/action/workflow-policy-ref.yml run there with GITHUB_BASE_REF=main.
run=4
g() { git -c user.name=ci -c user.email=ci@example.invalid -c init.defaultBranch=main "$@"; }
up="$tmp/upstream" pr="$tmp/pr"
mkdir -p "$up/infra" "$up/team" "$up/rules" "$up/testdata/action"
cp -r "$repo/action.yml" "$repo/action" "$up/"
cp "$repo/testdata/action/workflow-policy-ref.yml" "$up/testdata/action/"
cp "$repo/testdata/plans/aws-policy-cases/plan.json" "$repo/testdata/plans/aws-policy-cases/main.tf" "$up/infra/"
# Strict: the built-in defaults (3 denies on this plan) plus a budget the plan exceeds (a 4th).
printf '[policies.budget.deny]\ntotal_monthly = 100000\n' > "$up/rules/costgate.toml"
cp "$up/infra/plan.json" "$up/infra/main.tf" "$up/rules/costgate.toml" "$up/team/"
printf '[defaults.aws_instance]\nmonthly_hours = 730\n' > "$up/usage.toml"
g -C "$up" init -q && g -C "$up" add -A && g -C "$up" commit -qm "strict rules"
g clone -q "$up" "$pr"
weak='[policies.required-tags]\nenabled = false\n[policies.idle-autopause]\nenabled = false\n'
printf "$weak" > "$pr/rules/costgate.toml"
printf "$weak" > "$pr/costgate.toml"
printf "$weak" > "$pr/team/costgate.toml"
printf '[defaults.aws_instance]\nmonthly_hours = 1\n' > "$pr/usage.toml"
g -C "$pr" checkout -qb weaken && g -C "$pr" add -A && g -C "$pr" commit -qm "weaken the rules"
cat > "$tmp/event-pr.json" <<JSON
{"action": "synchronize", "number": 43, "pull_request": {"number": 43, "head": {"ref": "weaken"}, "base": {"ref": "main"}}}
JSON
rc=0
(cd "$pr" && "$act" pull_request -W testdata/action/workflow-policy-ref.yml -e "$tmp/event-pr.json" \
  -P ubuntu-latest=-self-hosted --action-offline-mode \
  --env SRC="$pr" --env COSTGATE_DIR="$tmp/bin" --env GITHUB_BASE_REF=main) >"$tmp/run4.log" 2>&1 || rc=$?
[[ "$rc" == 0 ]] || fail "policy-ref run: the job itself should succeed (its steps continue on error)"
want='strict=failure/4 added=failure/3 upward=failure/4 weak=success/0'
grep -q "policy-ref-outcomes $want" "$tmp/run4.log" || fail "policy-ref run: expected $want"
grep -q 'policy-ref-worktrees 1$' "$tmp/run4.log" || fail "policy-ref run: the base worktree was not removed"
read -r base usage pr_usage <<<"$(sed -n 's/.*policy-ref-usage base=\([0-9.]*\) usage=\([0-9.]*\) pr-usage=\([0-9.]*\).*/\1 \2 \3/p' "$tmp/run4.log")"
[[ -n "$base" && "$usage" == "$base" ]] || fail "policy-ref run: the usage file did not come from the base ($usage vs $base)"
python3 -c "import sys; sys.exit(not float('$pr_usage') < float('$base'))" || fail "policy-ref run: the PR's usage file should lower the cost without policy-ref ($pr_usage)"
echo "OK: policy-ref judged the PR with the base branch's rules (config input, found upward, none in the base, usage file)"

# base-ref: the HCL-mode diff of a PR. The upstream main branch has testdata/compare/base as
# infra/ and a budget on the increase ($30,000); the PR branch has testdata/compare/head
# (+$36,733.02) and loosens the budget, which must not count.
run=5
up="$tmp/upstream-hcl" pr="$tmp/pr-hcl"
mkdir -p "$up/infra" "$up/testdata/action"
cp -r "$repo/action.yml" "$repo/action" "$up/"
cp "$repo/testdata/action/workflow-base-ref.yml" "$up/testdata/action/"
cp "$repo/testdata/compare/base/main.tf" "$up/infra/"
printf '[policies.budget.deny]\nincrease_monthly = 30000\n' > "$up/costgate.toml"
g -C "$up" init -q && g -C "$up" add -A && g -C "$up" commit -qm "base"
g clone -q "$up" "$pr"
cp "$repo/testdata/compare/head/main.tf" "$pr/infra/"
printf '[policies.budget.deny]\nincrease_monthly = 1000000\n' > "$pr/costgate.toml"
g -C "$pr" checkout -qb bigger && g -C "$pr" add -A && g -C "$pr" commit -qm "bigger trainer"
rc=0
(cd "$pr" && "$act" pull_request -W testdata/action/workflow-base-ref.yml -e "$tmp/event-pr.json" \
  -P ubuntu-latest=-self-hosted --action-offline-mode \
  --env SRC="$pr" --env COSTGATE_DIR="$tmp/bin" --env GITHUB_BASE_REF=main) >"$tmp/run5.log" 2>&1 || rc=$?
[[ "$rc" == 0 ]] || fail "base-ref run: the job itself should succeed (its steps continue on error)"
want='diff=failure/36733.02 whole=success/40983.66'
grep -q "base-ref-outcomes $want" "$tmp/run5.log" || fail "base-ref run: expected $want"
grep -q 'base-ref-worktrees 1$' "$tmp/run5.log" || fail "base-ref run: the base worktree was not removed"
echo "OK: base-ref priced the PR's change in HCL mode and judged it with the base's budget"

# A hostile PR: a fake bare repository committed under infra/ whose config runs a program
# through core.fsmonitor (it would write $marker), and a module whose archive, served on
# 127.0.0.1, has two links in a chain (`a -> .`, `b -> a/..`) leading out of its package.
# Nothing may run, no file may be written outside the workspace, the token reaches no output.
run=6
up="$tmp/upstream-evil" pr="$tmp/pr-evil" marker="$tmp/fsmonitor-ran"
mkdir -p "$up/infra" "$up/testdata/action" "$tmp/www" "$tmp/out6"
cp -r "$repo/action.yml" "$repo/action" "$up/"
cp "$repo/testdata/action/workflow-hostile.yml" "$up/testdata/action/"
cp "$repo/testdata/compare/base/main.tf" "$up/infra/"
g -C "$up" init -q && g -C "$up" add -A && g -C "$up" commit -qm "base"
g clone -q "$up" "$pr"
python3 - "$tmp/www/evil.tar.gz" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    def add(name, data=None, link=None):
        i = tarfile.TarInfo(name)
        if link is not None:
            i.type, i.linkname = tarfile.SYMTYPE, link
            t.addfile(i)
        else:
            i.size = len(data)
            t.addfile(i, io.BytesIO(data))
    add("main.tf", b'resource "aws_instance" "x" {\n  instance_type = "t3.micro"\n}\n')
    add("a", link=".")
    add("b", link="a/..")
    add("b/pwned.txt", b"written outside the package\n")
PY
python3 - "$tmp/www" "$tmp/www-port" <<'PY' &
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.func.log_message = lambda *a: None
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
open(sys.argv[2], "w").write(str(s.server_address[1]))
s.timeout = 120
import threading, time
threading.Timer(600, s.shutdown).start()
s.serve_forever()
PY
www_pid=$!
for _ in $(seq 50); do [[ -s "$tmp/www-port" ]] && break; sleep 0.1; done
printf '#!/bin/sh\ntouch "%s"\n' "$marker" > "$tmp/monitor.sh" && chmod +x "$tmp/monitor.sh"
mkdir -p "$pr/infra/objects/info" "$pr/infra/refs/heads"
touch "$pr/infra/objects/info/.keep" "$pr/infra/refs/heads/.keep"
echo 'ref: refs/heads/main' > "$pr/infra/HEAD"
printf '[core]\n\tbare = false\n\tworktree = ..\n\tfsmonitor = %s\n\thooksPath = %s\n' "$tmp/monitor.sh" "$tmp" > "$pr/infra/config"
printf 'module "evil" {\n  source = "http://127.0.0.1:%s/evil.tar.gz"\n}\n' "$(cat "$tmp/www-port")" > "$pr/infra/evil.tf"
g -C "$pr" checkout -qb evil && g -C "$pr" add -A && g -C "$pr" commit -qm "evil"
rc=0
(cd "$pr" && "$act" pull_request -W testdata/action/workflow-hostile.yml -e "$tmp/event-pr.json" \
  -P ubuntu-latest=-self-hosted --action-offline-mode \
  --env SRC="$pr" --env COSTGATE_DIR="$tmp/bin" --env OUT="$tmp/out6" --env GITHUB_BASE_REF=main) >"$tmp/run6.log" 2>&1 || rc=$?
kill "$www_pid" 2>/dev/null || true
[[ "$rc" == 0 ]] || fail "hostile run: the job itself should succeed (its steps continue on error)"
grep -q 'hostile-outcomes inside=failure root=success' "$tmp/run6.log" || fail "hostile run: expected inside=failure root=success"
grep -q 'holds a git repository of its own' "$tmp/run6.log" || fail "hostile run: the fake repository was not refused"
grep -q 'hostile-module ' "$tmp/run6.log" || fail "hostile run: the hostile archive was not refused with a coverage finding"
[[ ! -e "$marker" ]] || fail "hostile run: git ran the PR's fsmonitor program"
found="$(find "$tmp" -name pwned.txt 2>/dev/null | head -1)"
[[ -z "$found" ]] || fail "hostile run: the archive wrote $found"
grep -q 'fake-token-for-the-mock' "$tmp/run6.log" "$tmp/out6/"* && fail "hostile run: token printed"
echo "OK: a PR committing a fake bare repository and a hostile module archive runs nothing, writes nothing outside, leaks no token"
