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
from html.parser import HTMLParser

KB = 1024


def brotli_size(path):
    compressed = path + ".br"
    if os.path.exists(compressed):
        return os.path.getsize(compressed)
    out = subprocess.run(["brotli", "-q", "11", "-c", path], capture_output=True, check=True)
    return len(out.stdout)


class References(HTMLParser):
    """The same-origin files a page loads: links, scripts, and the paths its inline scripts
    fetch or pass to the wasm loader. Minified HTML drops attribute quotes, so this parses."""

    def __init__(self):
        super().__init__()
        self.files = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        ref = attrs.get("href") if tag == "link" else attrs.get("src") if tag == "script" else None
        if ref and ref.startswith("/"):
            self.files.append(ref.split("#")[0].split("?")[0].lstrip("/"))
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            for ref in re.findall(r"""(?:module_or_path:|from|fetch\()\s*["'`](/[^"'`#?]+)["'`]""", data):
                self.files.append(ref.lstrip("/"))


# Static imports only: `import(...)` is how chunks load, on demand.
STATIC_IMPORT = re.compile(r"""\b(?:import|export)\b[^;()"'`]*?\bfrom\s*["'`](\./[^"'`]+)["'`]""")


def first_load(dist):
    parser = References()
    with open(os.path.join(dist, "index.html"), encoding="utf-8") as f:
        parser.feed(f.read())
    files = ["index.html"] + parser.files
    # Static imports of the JavaScript modules, followed transitively.
    queue = [f for f in files if f.endswith(".js")]
    while queue:
        module = queue.pop()
        with open(os.path.join(dist, module), encoding="utf-8") as f:
            source = f.read()
        for ref in STATIC_IMPORT.findall(source):
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
        # In the cargo test format, so scripts/test counts it in its summary.
        if total > budget * KB:
            print(f"over budget: {total / KB:.1f} KB > {budget:.0f} KB")
            print("test result: FAILED. 0 passed; 1 failed (home route size budget)")
            return 1
        print(f"within budget: {total / KB:.1f} KB ≤ {budget:.0f} KB")
        print("test result: ok. 1 passed; 0 failed (home route size budget)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
