#!/usr/bin/env python3
"""Which chase packages use which: reads the imports and fully qualified names of src/main/java/dev/chase and prints
one line per package with the packages it depends on, then any cycles between packages.
Usage: tools/package-deps.py [SOURCE_ROOT, default src/main/java/dev/chase]"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src/main/java/dev/chase")
deps = {}
for f in root.rglob("*.java"):
    rel = f.parent.relative_to(root).as_posix()
    pkg = "(root)" if rel == "." else rel.replace("/", ".")
    text = f.read_text()
    used = set(re.findall(r"\bdev\.chase\.([a-z]+)\.[A-Z]", text))
    used |= {"(root)" for _ in re.findall(r"\bdev\.chase\.[A-Z]", text)}
    deps.setdefault(pkg, set()).update(used - {pkg})
for pkg in sorted(deps):
    print(f"{pkg:8} -> {', '.join(sorted(deps[pkg])) or '-'}")


def reaches(a, b, seen=()):
    return any(d == b or (d not in seen and reaches(d, b, seen + (d,))) for d in deps.get(a, ()))


cycles = sorted({tuple(sorted((a, b))) for a in deps for b in deps[a] if reaches(b, a)})
print("cycles: " + ("none" if not cycles else "; ".join(f"{a} <-> {b}" for a, b in cycles)))
