#!/usr/bin/env bash
# Print costgate's module import graph (who uses whom, from `crate::…` paths and `use`
# statements in src/) at a chosen depth, and the import cycles at that depth.
#   scripts/module-graph.sh [DEPTH]     # DEPTH 1: src/<module>; 2 (default): one level deeper
# Informational: lists the cycles, exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "${1:-2}" <<'PY'
import pathlib, re, sys
depth = int(sys.argv[1])
root = pathlib.Path("src")

def modpath(p):
    parts = list(p.relative_to(root).with_suffix("").parts)
    if parts[-1] == "mod": parts.pop()
    if parts in (["lib"], ["main"]): return []
    return parts

mods = {tuple(modpath(p)) for p in root.rglob("*.rs")}
def resolve(path):  # longest known module prefix of a crate path
    for n in range(len(path), 0, -1):
        if tuple(path[:n]) in mods: return path[:n]
    return None

edges = {}
for p in root.rglob("*.rs"):
    me = modpath(p)
    text = re.sub(r"//[^\n]*", "", p.read_text())
    text = text.split("#[cfg(test)]")[0]
    targets = []
    for m in re.finditer(r"\bcrate((?:::\w+)+)", text):
        targets.append(m.group(1).strip(":").split("::"))
    for m in re.finditer(r"\b((?:super::)+)((?:\w+::)*\w+)", text):
        up = m.group(1).count("super::")
        base = me[: len(me) - up] if p.stem != "mod" else me[: len(me) - up]
        targets.append(base + m.group(2).split("::"))
    for m in re.finditer(r"^\s*use\s+(\w+)::", text, re.M):  # `use child::…` in a mod.rs
        if m.group(1) not in ("crate", "super", "std", "self") and tuple(me + [m.group(1)]) in mods:
            targets.append(me + [m.group(1)])
    for t in targets:
        r = resolve(t)
        if not r: continue
        a, b = "::".join(me[:depth]) or "(lib)", "::".join(r[:depth])
        if a != b and not b.startswith(a + "::") and not a.startswith(b + "::"):
            edges.setdefault(a, set()).add(b)

nodes = sorted(set(edges) | {b for v in edges.values() for b in v})
for a in nodes:
    if a in edges: print(f"{a} -> {', '.join(sorted(edges[a]))}")

# Strongly connected components (Tarjan): every component of more than one node is a cycle.
index, low, stack, on, sccs, i = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = i[0]; i[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index: visit(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: sccs.append(sorted(c))
sys.setrecursionlimit(10000)
for v in nodes:
    if v not in index: visit(v)
print()
if sccs:
    for c in sccs: print("cycle:", " <-> ".join(c))
else:
    print(f"no import cycles at depth {depth}")
PY
