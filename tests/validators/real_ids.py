"""Writes a Schemathesis config for one signed-in role: the base config plus, for each path
parameter, an identifier that exists and that this role can reach, found through the API as
that role sees it. Without them most `{id}` operations would only ever answer 404 to generated
numbers; the anonymous run keeps generated identifiers, so invalid ones stay covered.

Usage: real_ids.py BASE_URL SESSION_COOKIE BASE_CONFIG OUT_CONFIG
"""

import sys

import requests

base, cookie, base_config, out = sys.argv[1:5]
session = requests.Session()
session.headers["Cookie"] = f"market_session={cookie}"


def get(path):
    response = session.get(base + path, timeout=20)
    return response.json() if response.status_code == 200 else None


def first(value, *keys):
    """The value under `keys` (indexes or names), or None when any step is missing."""
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value


me = get("/api/auth/me") or {}
mine = get("/api/my/jobs") or {}
job = (
    first(mine, "owned", 0, "id")
    or first(mine, "bidding", 0, "id")
    or first(get("/api/jobs?per_page=1"), "items", 0, "id")
)
listed = (get("/api/jobs?per_page=100") or {}).get("items", [])
drawn = next((j["id"] for j in listed if j["selection_method"] == "random_draw"), None)
objection = first(get(f"/api/jobs/{job}/objections"), 0, "id") if job else None
cases = get("/api/cases?per_page=1")
complaint = first(get("/api/complaints"), 0, "id")
version = first(get("/api/review/queue"), "items", 0, "version_id")
proposal = first(get("/api/oversight/suspension-proposals"), 0, "id")
token = first(get("/api/integration-tokens"), 0, "id")
agency = me.get("agency_id") or first(get("/api/agencies?per_page=1"), "items", 0, "id")
ocid = first(get("/api/ocds/releases?per_page=1"), "releases", 0, "ocid")

# The first block that matches an operation applies, so the more specific paths come first.
blocks = [
    (r"^/api/jobs/\{id\}/objections/\{objection_id\}", {"id": job, "objection_id": objection}),
    (r"^/api/jobs/\{id\}/draw$", {"id": drawn}),
    (r"^/api/jobs/\{id\}", {"id": job}),
    (r"^/api/agencies/\{id\}", {"id": agency}),
    (r"^/api/cases/\{id\}", {"id": first(cases, "items", 0, "id")}),
    (r"^/api/complaints/\{id\}", {"id": complaint}),
    (r"^/api/review/versions/\{id\}", {"id": version}),
    (r"^/api/oversight/suspension-proposals/\{id\}", {"id": proposal}),
    (r"^/api/integration-tokens/\{id\}", {"id": token}),
    (r"^/api/ocds/(releases|records)/\{ocid\}", {"ocid": ocid}),
]

with open(base_config, encoding="utf-8") as f:
    config = f.read()
found = []
for regex, parameters in blocks:
    known = {name: value for name, value in parameters.items() if value is not None}
    if len(known) < len(parameters):
        continue
    values = ", ".join(
        f'"path.{name}" = {value}' if isinstance(value, int) else f'"path.{name}" = "{value}"'
        for name, value in known.items()
    )
    config += f"\n[[operations]]\ninclude-path-regex = '{regex}'\nparameters = {{ {values} }}\n"
    found.append(f"{regex.split('{')[0].strip('^')}…={'/'.join(str(v) for v in known.values())}")
with open(out, "w", encoding="utf-8") as f:
    f.write(config)
print("    real identifiers: " + (", ".join(found) or "none"))
