"""Validates the served OCDS release and record packages with libcoveocds (the library behind
the OCDS Data Review Tool) against the OCDS 1.1.5 schema and the bid extension v1.1.5.

libcoveocds would download the standard and the extension; here both come from this
repository's test data (tests/validators/ocds), and every other network access fails, so the
result depends on nothing outside the checkout.

Usage: check_ocds.py BASE_URL. Prints one `test result:` line per package and exits non-zero
on any validation error or missing package.
"""

import io
import json
import os
import socket
import sys
import tempfile
import urllib.request
import zipfile

import requests
import urllib3
from requests.adapters import BaseAdapter

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "ocds")
BID_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/"
# ocdsextensionregistry reads an extension's codelists from its release archive.
BID_EXTENSION_ZIP = "https://github.com/open-contracting-extensions/ocds_bid_extension/archive/v1.1.5.zip"


def add_tree(archive, root, top):
    """Adds the files under `root` as `top/…`, the layout of a GitHub release archive."""
    archive.writestr(f"{top}/", "")
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            full = os.path.join(folder, name)
            archive.write(full, f"{top}/" + os.path.relpath(full, root))


def extension_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        add_tree(archive, os.path.join(DATA, "bid_extension"), "ocds_bid_extension-1.1.5")
    return buffer.getvalue()


class LocalFiles(BaseAdapter):
    """Answers the bid extension's URLs from the test data, and nothing else."""

    def send(self, request, **kwargs):
        response = requests.Response()
        response.request = request
        response.url = request.url
        body = None
        if request.url == BID_EXTENSION_ZIP:
            body = extension_zip()
        elif request.url.startswith(BID_EXTENSION):
            path = os.path.join(DATA, "bid_extension", request.url[len(BID_EXTENSION) :])
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    body = f.read()
        if body is not None:
            # requests_cache (used by ocdsextensionregistry) stores the raw urllib3 response.
            response.raw = urllib3.HTTPResponse(
                body=io.BytesIO(body), status=200, preload_content=False, request_url=request.url
            )
            response._content = body
            response.status_code = 200
        else:
            raise requests.ConnectionError(f"offline test: refusing to fetch {request.url}")
        return response

    def close(self):
        pass


def go_offline():
    original_init = requests.Session.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.mount("https://", LocalFiles())
        self.mount("http://", LocalFiles())

    requests.Session.__init__ = init
    # Sessions created at import time (ocdsextensionregistry keeps a module-level one).
    import ocdsextensionregistry.util as util

    if hasattr(util, "session"):
        util.session.mount("https://", LocalFiles())
        util.session.mount("http://", LocalFiles())

    def no_socket(*args, **kwargs):
        raise OSError("offline test: no network from the validator")

    socket.create_connection = no_socket


def closed_codelists(schema):
    """The codes of each closed codelist, as the release schema's `enum`s state them.

    The core codelist CSV files are not distributed through any package registry; the schema's
    enums carry the same codes for every closed codelist, which is what a validation error
    depends on. Open codelists accept any code, so their files are not needed for errors.
    """
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("codelist") and node.get("openCodelist") is False:
                values = node.get("enum") or node.get("items", {}).get("enum") or []
                found.setdefault(node["codelist"], set()).update(v for v in values if v is not None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def standard_zip(directory):
    """The layout ocdsextensionregistry expects of a downloaded standard: <top>/schema/…"""
    path = os.path.join(directory, "standard.zip")
    root = os.path.join(DATA, "standard")
    with zipfile.ZipFile(path, "w") as archive:
        add_tree(archive, root, "standard-1__1__5")
        with open(os.path.join(root, "schema", "release-schema.json"), encoding="utf-8") as f:
            codelists = closed_codelists(json.load(f))
        for name, codes in sorted(codelists.items()):
            rows = "".join(f"{code}\n" for code in sorted(codes))
            archive.writestr(f"standard-1__1__5/schema/codelists/{name}", "Code\n" + rows)
    return "file://" + path


def fetch(url):
    # Reads from the server under test before the network is cut off.
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(io.TextIOWrapper(response, encoding="utf-8"))


def validate(work, config, name, package, record_pkg):
    """The problems libcoveocds finds in one package: errors, never mere additional fields."""
    from libcoveocds.api import ocds_json_output

    out = tempfile.mkdtemp(dir=work)
    result = ocds_json_output(out, json_data=package, lib_cove_ocds_config=config, record_pkg=record_pkg)
    problems = [f"validation: {e}" for e in result.get("validation_errors") or []]
    extensions = result.get("extensions") or {}
    if extensions.get("invalid_extension"):
        problems.append(f"extensions: {extensions['invalid_extension']}")
    if not extensions.get("is_extended_schema"):
        problems.append("the bid extension was not applied")
    if result.get("additional_closed_codelist_values"):
        problems.append(f"closed codelists: {result['additional_closed_codelist_values']}")
    if result.get("json_deref_error"):
        problems.append(f"schema: {result['json_deref_error']}")
    count = len(package.get("releases") or package.get("records") or [])
    extra = sorted({f.get("path", "") + "/" + f.get("field", "") for f in result.get("additional_fields") or []})
    print(f"{name}: {count} entries, {len(problems)} errors, additional fields: {extra or 'none'}")
    return problems


def main():
    base = sys.argv[1].rstrip("/")
    feed = fetch(f"{base}/api/ocds/releases?limit=200")
    releases = feed.get("releases") or []
    opened = [r for r in releases if r.get("bids") and r.get("awards")]
    if not releases or not opened:
        print("the demo data publishes no opened and awarded job: nothing to validate", file=sys.stderr)
        return 1
    packages = [("release package (feed)", feed, False)]
    single = opened[0]["id"]
    packages.append((f"release package ({single})", fetch(f"{base}/api/ocds/releases/{single}"), False))
    for ocid in sorted({r["ocid"] for r in releases}):
        packages.append((f"record package ({ocid})", fetch(f"{base}/api/ocds/records/{ocid}"), True))

    go_offline()
    from libcoveocds.config import LibCoveOCDSConfig

    failed = 0
    with tempfile.TemporaryDirectory() as work:
        config = LibCoveOCDSConfig()
        config.config["context"] = "api"
        config.config["standard_zip"] = standard_zip(work)
        for name, package, record_pkg in packages:
            problems = validate(work, config, name, package, record_pkg)
            for problem in problems:
                print(f"  {problem}")
            failed += bool(problems)
        # The checker itself must be able to fail: an amount as text and an unknown bid status.
        broken = json.loads(json.dumps(packages[1][1]))
        broken["releases"][0]["awards"][0]["value"]["amount"] = "12.00"
        broken["releases"][0]["bids"]["details"][0]["status"] = "sealed"
        if len(validate(work, config, "deliberately broken package", broken, False)) < 2:
            print("  the validator missed a broken amount or bid status")
            failed += 1
    total = len(packages) + 1
    print(f"test result: {'ok' if not failed else 'FAILED'}. {total - failed} passed; {failed} failed (libcoveocds)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
