"""Lighthouse's mobile scores for a few pages of a running server, one line per page.

Usage: lighthouse.py BASE_URL PATH... Runs the pinned lighthouse 12.2.3 (node_modules) with its
default mobile settings (simulated Slow 4G and 4x CPU slowdown) against Debian's Chromium,
performance and accessibility only, and prints both scores with the metrics behind the first.
"""

import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METRICS = [
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
]


def audit(url, out):
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    subprocess.run(
        [
            os.path.join(ROOT, "node_modules", ".bin", "lighthouse"),
            url,
            "--quiet",
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={out}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        check=True,
        env=env,
    )
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def main():
    base, paths = sys.argv[1].rstrip("/"), sys.argv[2:]
    print(f"  {'page':<16} {'perf':>5} {'a11y':>5}  " + "  ".join(label for _, label in METRICS))
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            report = audit(base + path, os.path.join(tmp, "report.json"))
            score = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
            metrics = "  ".join(
                f"{label} {report['audits'][key]['displayValue']}" for key, label in METRICS
            )
            print(f"  {path:<16} {score['performance']:>5} {score['accessibility']:>5}  {metrics}")
            failed = [
                a["id"]
                for a in report["audits"].values()
                if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0
                and a["id"] in {r["id"] for r in report["categories"]["accessibility"]["auditRefs"]}
            ]
            if failed:
                print(f"  {'':<16} accessibility audits failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
