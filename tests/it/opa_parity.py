"""Evaluate policies with real OPA on a `costgate policy input` document and print the
deny/warn/info results as JSON: [{"severity", "policy", "address", "msg"}].

Usage: python3 tests/opa_parity.py INPUT.json [--all-namespaces] [--data FILE]... POLICY.rego...

costgate's own packages (`costgate.*`): rules deny/violation/warn/info, ids from the
`# METADATA` id or the package. Other packages (conftest style) count when they are `main`, or
all of them with --all-namespaces: rules deny/violation/warn (conftest's names), id
`<package>/<rule>`, the address from `address`, `resource`, `details.address` or the one known
resource address the message names.

The OPA bindings parse Rego v1 only, so a file OPA refuses that is written in Rego v0 is
rewritten to v1 (rule heads only: `p[x] {` → `p contains x if {`, `f(x) {` / `p := v {` /
`p {` → `... if {`), which is what `opa fmt --v0-v1` does for such files.

Exit 3 when the OPA bindings are not installed (the Rust test then skips).
"""
import json
import re
import sys

try:
    from opa_bindings import OpaEngine, OpaError
except ImportError:
    sys.exit(3)

COSTGATE_RULE = re.compile(r"^(deny|violation|warn|info)(_[A-Za-z0-9_]+)?\b", re.M)
CONFTEST_RULE = re.compile(r"^((?:deny|violation|warn)(?:_[A-Za-z0-9]+)*)\b", re.M)


def v0_to_v1(text):
    out = []
    for line in text.splitlines():
        m = re.match(r"^([a-z_][\w]*)\[(.+)\]\s*\{\s*$", line, re.I)
        if m:
            line = f"{m.group(1)} contains {m.group(2)} if {{"
        elif re.match(r"^[a-z_][\w]*(\(.*\))?(\s*(:=|=)\s*.+?)?\s*\{\s*$", line, re.I) and not line.startswith("package"):
            line = re.sub(r"\s*\{\s*$", " if {", line)
        out.append(line)
    return "\n".join(out) + "\n"


def known_address(msg, addresses):
    found = set()
    for a in addresses:
        if re.search(r"(?<![\w.\]-])" + re.escape(a) + r"(?![\w\[-]|\.[\w-])", msg):
            found.add(a)
    return found.pop() if len(found) == 1 else ""


def main():
    args = sys.argv[1:]
    doc = json.load(open(args.pop(0)))
    all_ns = False
    data_files, policies = [], []
    while args:
        a = args.pop(0)
        if a == "--all-namespaces":
            all_ns = True
        elif a == "--data":
            data_files.append(args.pop(0))
        else:
            policies.append(a)
    engine = OpaEngine()
    for d in data_files:
        import yaml
        engine.add_data(yaml.safe_load(open(d)))
    rules = []
    for path in policies:
        text = open(path).read()
        try:
            engine.add_policy(path, text)
        except OpaError:
            engine.add_policy(path, v0_to_v1(text))
        pkg = re.search(r"^package\s+([\w.]+)", text, re.M).group(1)
        meta_id = re.search(r"^#\s+id:\s*(\S+)", text, re.M)
        if pkg.startswith("costgate."):
            default_id = meta_id.group(1) if meta_id else pkg.removeprefix("costgate.").replace("_", "-")
            for m in sorted(set(COSTGATE_RULE.findall(text))):
                rules.append((pkg, m[0] + m[1], default_id, False))
        elif all_ns or pkg == "main":
            for rule in sorted(set(CONFTEST_RULE.findall(text))):
                rules.append((pkg, rule, meta_id.group(1) if meta_id else f"{pkg}/{rule}", True))
    addresses = [r["address"] for r in doc.get("resources", [])]
    out = []
    for pkg, rule, default_id, conftest in sorted(set(rules)):
        res = engine.eval_query(f"x := data.{pkg}.{rule}", input=doc)
        items = res[0]["x"] if res else []
        sev = "warn" if rule.startswith("warn") else "info" if rule.startswith("info") else "deny"
        for item in items:
            if isinstance(item, str):
                item = {"msg": item}
            details = item.get("details") if isinstance(item.get("details"), dict) else {}
            address = item.get("address", item.get("resource", details.get("address", "")))
            if conftest and not address:
                address = known_address(item["msg"], addresses)
            out.append({
                "severity": item.get("severity", sev),
                "policy": item.get("policy", default_id),
                "address": address,
                "msg": item["msg"],
                "monthly_saving_cents": item.get("monthly_saving_cents"),
            })
    print(json.dumps(out))


main()
