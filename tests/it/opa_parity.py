"""Evaluate the built-in (and given) policies with real OPA on a `costgate policy input`
document and print the deny/warn/info results as JSON: [{"severity", "policy", "address", "msg"}].

Usage: python3 tests/opa_parity.py INPUT.json POLICY.rego...
Exit 3 when the OPA bindings are not installed (the Rust test then skips).
"""
import json
import re
import sys

try:
    from opa_bindings import OpaEngine
except ImportError:
    sys.exit(3)

RULE = re.compile(r"^(deny|violation|warn|info)(_[A-Za-z0-9_]+)?\b", re.M)


def main():
    doc = json.load(open(sys.argv[1]))
    engine = OpaEngine()
    rules = []
    for path in sys.argv[2:]:
        text = open(path).read()
        engine.add_policy(path, text)
        pkg = re.search(r"^package\s+([\w.]+)", text, re.M).group(1)
        meta_id = re.search(r"^#\s+id:\s*(\S+)", text, re.M)
        default_id = meta_id.group(1) if meta_id else pkg.removeprefix("costgate.").replace("_", "-")
        for m in sorted(set(RULE.findall(text))):
            rules.append((pkg, m[0] + m[1], default_id))
    out = []
    for pkg, rule, default_id in sorted(set(rules)):
        res = engine.eval_query(f"x := data.{pkg}.{rule}", input=doc)
        items = res[0]["x"] if res else []
        sev = "warn" if rule.startswith("warn") else "info" if rule.startswith("info") else "deny"
        for item in items:
            if isinstance(item, str):
                item = {"msg": item}
            out.append({
                "severity": item.get("severity", sev),
                "policy": item.get("policy", default_id),
                "address": item.get("address", item.get("resource", "")),
                "msg": item["msg"],
                "monthly_saving_cents": item.get("monthly_saving_cents"),
            })
    print(json.dumps(out))


main()
