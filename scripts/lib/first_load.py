"""The home route's first load from dist/: index.html, everything it references, and the
modules its JavaScript imports statically, each as the brotli file the server sends.

Usage: first_load.py DIST [--budget KB]. Prints one line per file and the total; with
--budget, exits 1 when the total is over it. Sizes are deterministic, so this is a budget,
not a timing.
"""

import os
import re
import subprocess
import sys

KB = 1024


def brotli_size(path):
    compressed = path + ".br"
    if os.path.exists(compressed):
        return os.path.getsize(compressed)
    out = subprocess.run(["brotli", "-q", "11", "-c", path], capture_output=True, check=True)
    return len(out.stdout)


def first_load(dist):
    files = ["index.html"]
    with open(os.path.join(dist, "index.html"), encoding="utf-8") as f:
        html = f.read()
    # Comments may quote paths that are not loaded.
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    for ref in re.findall(r'(?:href|src|module_or_path:|from)\s*=?\s*"(/[^"#?]+)"', html):
        files.append(ref.lstrip("/"))
    # Static imports of the JavaScript modules, followed transitively.
    queue = [f for f in files if f.endswith(".js")]
    while queue:
        module = queue.pop()
        with open(os.path.join(dist, module), encoding="utf-8") as f:
            source = f.read()
        for ref in re.findall(r'^\s*import\s[^;]*?from\s+"(\./[^"]+)"', source, flags=re.M):
            dependency = os.path.normpath(os.path.join(os.path.dirname(module), ref))
            if dependency not in files:
                files.append(dependency)
                queue.append(dependency)
    seen = []
    for f in files:
        if f not in seen and os.path.isfile(os.path.join(dist, f)):
            seen.append(f)
    return [(f, brotli_size(os.path.join(dist, f))) for f in seen]


def main():
    dist = sys.argv[1]
    budget = None
    if "--budget" in sys.argv:
        budget = float(sys.argv[sys.argv.index("--budget") + 1])
    rows = first_load(dist)
    for name, size in rows:
        print(f"  {size / KB:8.1f} KB  {name}")
    total = sum(size for _, size in rows)
    print(f"  {total / KB:8.1f} KB  home route first load (brotli -q 11, {len(rows)} files)")
    if budget is not None:
        if total > budget * KB:
            print(f"over budget: {total / KB:.1f} KB > {budget:.0f} KB")
            return 1
        print(f"within budget: {total / KB:.1f} KB ≤ {budget:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
