"""Write a plan.json in `terraform show -json` shape from a fixture's spec.json (Azure and GCP
families: no azurerm/azapi/google provider in the offline mirror, so these plans are hand-made
from the provider schemas). Usage: python3 handmade_plan.py DIR/spec.json DIR/plan.json"""
import json, sys, os

PROV = {"azurerm": "registry.terraform.io/hashicorp/azurerm",
        "azapi": "registry.terraform.io/azure/azapi",
        "google": "registry.terraform.io/hashicorp/google"}

def plan(resources, providers):
    rcs, cfg = [], []
    for r in resources:
        t, name, after = r["type"], r["name"], r["after"]
        prov = r.get("provider", t.split("_")[0])
        addr = f"{t}.{name}"
        rcs.append({"address": addr, "mode": "managed", "type": t, "name": name,
                    "provider_name": PROV[prov],
                    "change": {"actions": ["create"], "before": None, "after": after,
                               "after_unknown": r.get("unknown", {}), "before_sensitive": False,
                               "after_sensitive": {}}})
        expr = {}
        for k, v in after.items():
            if k in r.get("refs", {}):
                continue
            expr[k] = {"constant_value": v}
        for k, targets in r.get("refs", {}).items():
            expr[k] = {"references": targets}
        cfg.append({"address": addr, "mode": "managed", "type": t, "name": name,
                    "provider_config_key": prov, "expressions": expr, "schema_version": 0})
    pc = {p: {"name": p, "full_name": PROV[p], "expressions": e} for p, e in providers.items()}
    return {"format_version": "1.2", "terraform_version": "1.11.4",
            "planned_values": {"root_module": {"resources": []}},
            "resource_changes": rcs,
            "configuration": {"provider_config": pc, "root_module": {"resources": cfg}},
            "timestamp": "2026-12-06T00:00:00Z", "applyable": True, "complete": True, "errored": False}

if __name__ == "__main__":
    spec = json.load(open(sys.argv[1]))
    out = plan(spec["resources"], spec.get("providers", {}))
    open(sys.argv[2], "w").write(json.dumps(out, indent=2) + "\n")
