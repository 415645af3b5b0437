#!/usr/bin/env python3
"""Time `costgate check` against peers on the same generated plans.

For each size (default 1k, 10k, 50k resources) the plan is the one benches/pipeline.rs
generates (kept with COSTGATE_BENCH_DIR=DIR, with the bench's costgate.toml: GPU quota per
team, a budget; every built-in policy on):

  costgate  `costgate check PLAN --config CFG --format json` (release binary), wall time
  OPA       real OPA (pip install --ignore-requires-python opa-golib-python-bindings) evaluating
            the built-in policies (policies/*.rego, not *_test.rego) in one query on the
            `costgate policy input PLAN --config CFG` document (which carries policies/
            defaults.json merged with the config as input.config); the time to build that
            document is shown separately
  checkov   (pip install checkov) `checkov -f PLAN --framework terraform_plan` (on a copy of
            the plan with `planned_values`, which checkov reads) running only
            the custom check benches/checkov/required_tags.py (tags team and owner, the
            required-tags default), i.e. one policy against all of costgate's

Peers that are not installed print "skipped (not installed)"; a peer slower than --timeout
prints "timeout"; checkov, the slow one, runs only up to --max-size resources. Usage:

  python3 benches/peers.py [--sizes 1000,10000,50000] [--dir DIR] [--max-size N]
                           [--timeout SECONDS] [--costgate PATH] [--runs N]
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = (
    '[policies.gpu-quota]\nscope_tag = "team"\n'
    'limits = [{ gpu = "*", scope = "*", max = 1500 }]\n'
    "[policies.budget.deny]\ntotal_monthly = 1000000\n"
)
RULE = re.compile(r"^(deny|warn|info)\b", re.M)


def run(cmd, timeout, **kw):
    """Run cmd; (seconds, CompletedProcess) or (None, reason)."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    return time.perf_counter() - t0, p


def best(f, runs):
    """Fastest of `runs` calls of f() -> (seconds, extra) or (None, reason)."""
    out = None
    for _ in range(runs):
        r = f()
        if r[0] is None:
            return r
        if out is None or r[0] < out[0]:
            out = r
    return out


def plan_path(d, shape, n):
    return os.path.join(d, f"plan-{shape}-{n}.json")


def ensure_plans(sizes, d, shape):
    missing = [n for n in sizes if not os.path.exists(plan_path(d, shape, n))]
    if missing:
        print(f"generating plans {missing} with benches/pipeline.rs ...", file=sys.stderr)
        env = dict(os.environ, COSTGATE_BENCH_DIR=d)
        subprocess.run(
            ["cargo", "bench", "--bench", "pipeline", "--", "--shape", shape] + [str(n) for n in missing],
            cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
        )
    cfg = os.path.join(d, "costgate.toml")
    if not os.path.exists(cfg):  # the bench writes its own; the same settings otherwise
        with open(cfg, "w") as f:
            f.write(CONFIG)
    return cfg


def time_costgate(exe, plan, cfg, timeout):
    secs, p = run([exe, "check", plan, "--config", cfg, "--format", "json"], timeout)
    if secs is None:
        return None, p
    if p.returncode not in (0, 1):
        return None, f"error: {p.stderr.decode()[:200]}"
    findings = json.loads(p.stdout)["findings"]
    tags = sum(1 for f in findings if f["policy"] == "required-tags")
    return secs, f"{len(findings)} ({tags} tags)"


def policies():
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "policies", "*.rego"))):
        if path.endswith("_test.rego"):
            continue
        text = open(path).read()
        pkg = re.search(r"^package\s+([\w.]+)", text, re.M).group(1)
        out.append((path, text, pkg, sorted(set(RULE.findall(text)))))
    return out


def time_opa(exe, plan, cfg, timeout):
    try:
        from opa_bindings import OpaEngine
    except ImportError:
        return None, "skipped (not installed)"
    secs_in, p = run([exe, "policy", "input", plan, "--config", cfg], timeout)
    if secs_in is None:
        return None, p
    doc = json.loads(p.stdout)
    pols = policies()
    t0 = time.perf_counter()
    engine = OpaEngine()
    names = []
    for path, text, pkg, rules in pols:
        engine.add_policy(os.path.basename(path), text)
        names += [f"data.{pkg}.{r}" for r in rules]
    query = "; ".join(f"r{i} := {n}" for i, n in enumerate(names))
    res = engine.eval_query(query, input=doc)
    secs = time.perf_counter() - t0
    count = sum(len(res[0][f"r{i}"]) for i in range(len(names))) if res else 0
    return secs, (secs_in, count)


def with_planned_values(plan):
    """checkov reads a plan's `planned_values`: for a plan without them, write a copy with them
    (each resource's `after` as its values, grouped by module). Not timed."""
    out = plan.replace(".json", ".planned.json")
    if os.path.exists(out):
        return out
    doc = json.load(open(plan))
    if "planned_values" in doc:
        return plan
    root = {"resources": [], "child_modules": []}
    modules = {}
    for rc in doc["resource_changes"]:
        r = {k: rc[k] for k in ("address", "mode", "type", "name", "provider_name")}
        r["values"] = rc["change"]["after"]
        m = rc.get("module_address")
        if m is None:
            root["resources"].append(r)
        else:
            if m not in modules:
                modules[m] = {"address": m, "resources": []}
                root["child_modules"].append(modules[m])
            modules[m]["resources"].append(r)
    doc["planned_values"] = {"root_module": root}
    with open(out, "w") as f:
        json.dump(doc, f)
    return out


def time_checkov(plan, timeout):
    exe = shutil.which("checkov")
    if exe is None:
        return None, "skipped (not installed)"
    plan = with_planned_values(plan)
    checks = os.path.join(ROOT, "benches", "checkov")
    # checkov skips files over 5 MB unless told otherwise (a 10k-resource plan is 5.6 MB).
    env = dict(os.environ, CHECKOV_MAX_FILE_SIZE=str(10**10))
    secs, p = run(
        [exe, "-f", plan, "--framework", "terraform_plan", "--external-checks-dir", checks,
         "--check", "CKV_COSTGATE_1", "-o", "json", "--quiet", "--compact", "--skip-download"],
        timeout,
        env=env,
    )
    if secs is None:
        return None, p
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        return None, f"error (exit {p.returncode}): {p.stderr.decode()[-200:]}"
    docs = doc if isinstance(doc, list) else [doc]
    failed = sum(len(d.get("results", {}).get("failed_checks", [])) for d in docs)
    scanned = sum(d.get("summary", {}).get("resource_count", 0) for d in docs)
    return secs, f"{failed} of {scanned} scanned"


# costgate's `check` (load, estimate, every built-in, JSON report) at least this many times
# faster than OPA evaluating the same policies on the ready input document.
TARGET_OPA = 5.0


def target(what, ratio, limit):
    """A target line: the figure, the limit and whether it is met."""
    if ratio is None:
        return f"    {what}: not measured (target >= {limit}x)"
    verdict = "met" if ratio >= limit else "NOT met"
    return f"    {what}: {ratio:.1f}x (target >= {limit}x) {verdict}"


def fmt(secs, extra):
    return f"{secs:.2f}" if secs is not None else str(extra)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--dir", help="where plan-<shape>-<n>.json live or are generated (default: a temp dir)")
    ap.add_argument("--shape", choices=["classic", "varied"], default="varied",
                    help="which generated plan shape (benches/pipeline.rs)")
    ap.add_argument("--max-size", type=int, default=None, help="run checkov only up to this size")
    ap.add_argument("--timeout", type=float, default=600, help="per peer and size, seconds")
    ap.add_argument("--costgate", default=os.path.join(ROOT, "target", "release", "costgate"))
    ap.add_argument("--runs", type=int, default=1, help="best of N runs (costgate and OPA)")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    if not os.path.exists(a.costgate):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    d = a.dir or tempfile.mkdtemp(prefix="costgate-peers-")
    os.makedirs(d, exist_ok=True)
    cfg = ensure_plans(sizes, d, a.shape)
    print(f"{os.cpu_count()} cores; {a.shape} plans and config in {d}")
    head = f"{'resources':>9} {'costgate s':>10} {'OPA eval s':>10} {'+input s':>8} {'checkov s':>9} {'OPA/cg':>7} {'checkov/cg':>10}  findings: costgate / OPA / checkov (tags only)"
    print(head)
    targets = []
    for n in sizes:
        plan = plan_path(d, a.shape, n)
        cg, cg_x = best(lambda: time_costgate(a.costgate, plan, cfg, a.timeout), a.runs)
        opa, opa_x = best(lambda: time_opa(a.costgate, plan, cfg, a.timeout), a.runs)
        if a.max_size is not None and n > a.max_size:
            ck, ck_x = None, "skipped (--max-size)"
        else:
            ck, ck_x = time_checkov(plan, a.timeout)
        inp = f"{opa_x[0]:.2f}" if opa is not None else "-"
        r_opa = f"{opa / cg:.1f}x" if opa and cg else "-"
        r_ck = f"{ck / cg:.1f}x" if ck and cg else "-"
        counts = " / ".join(
            str(x) if s is not None else "-"
            for s, x in [(cg, cg_x), (opa, opa_x[1] if opa else None), (ck, ck_x)]
        )
        print(f"{n:>9} {fmt(cg, cg_x):>10} {fmt(opa, opa_x):>10} {inp:>8} {fmt(ck, ck_x):>9} {r_opa:>7} {r_ck:>10}  {counts}")
        sys.stdout.flush()
        if n >= 10000:
            targets.append(target(f"{n} resources: OPA eval / costgate check", opa / cg if opa and cg else None, TARGET_OPA))
    print("\nTargets (issue #29; OPA's time excludes building its input document):")
    for t in targets:
        print(t)


if __name__ == "__main__":
    main()
