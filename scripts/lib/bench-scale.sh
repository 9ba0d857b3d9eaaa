#!/usr/bin/env bash
# `scripts/bench --scale`: the API's cost over a provincial data set (see scripts/bench), on
# SQLite and then on PostgreSQL 15 (the same set moved with `market-server migrate` into a
# private server kept beside it), with both backends' figures side by side at the end.
# BENCH_BACKENDS="sqlite postgres" (default) picks which.
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
export PRIVATE_PG_FSYNC=on

ensure_apt_packages wrk
build_server
cd "$ROOT"

agencies="${BENCH_AGENCIES:-100000}"
jobs="${BENCH_JOBS:-1000000}"
seed="${BENCH_SEED:-1}"
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
threads="${BENCH_THREADS:-2}"
port="${BENCH_PORT:-18283}"
agency_page=$(( agencies / 40 < 2000 ? agencies / 40 : 2000 ))
job_page=$(( jobs / 400 < 2000 ? jobs / 400 : 2000 ))
# Generated as of a fixed day, so the cache stays valid; the server's clock is the real one, so
# jobs open for bids then have closed since (the server opens them at startup, as it would).
cached="$ROOT/target/scale-data/a$agencies-j$jobs-s$seed"
if [[ ! -f "$cached/done" ]]; then
  rm -rf "$cached"
  mkdir -p "$(dirname "$cached")"
  log "generating $agencies agencies and $jobs jobs into $cached (once)"
  "$ROOT/target/release/market-server" generate --agencies "$agencies" --jobs "$jobs" --seed "$seed" \
    --data-dir "$cached" | tail -n 1 | tee "$cached.report"
  touch "$cached/done"
fi
echo
cat "$cached.report"

# The server runs on the cached set itself: at a million jobs it is tens of GB (most of it the
# stored OCDS releases), too much to copy each run. What the server writes there (sign-ins, jobs
# it opens as their deadlines pass) is what a live server writes.
data_dir="$cached"
log_file="$(mktemp)"
cookie="$(mktemp)"
results="$(mktemp)"
server=""
trap '[[ -z "$server" ]] || kill "$server" 2>/dev/null || true; wait 2>/dev/null || true; stop_private_postgres; rm -f "$log_file" "$cookie" "$results"' EXIT

# Starts the server on the backend named; sets `startup` (seconds to the first answer).
start_server() {
  local backend=("--data-dir" "$data_dir")
  if [[ "$1" == postgres ]]; then
    backend=("--database-url" "$pg_url" "--data-dir" "$data_dir/pg-unused")
  fi
  local started
  started=$(date +%s.%N)
  "$ROOT/target/release/market-server" serve --addr "127.0.0.1:$port" "${backend[@]}" --dist dist \
    --no-demo >"$log_file" 2>&1 &
  server=$!
  until curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$log_file"; exit 1; }
    sleep 0.05
  done
  startup=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

stop_server() {
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null || true
  server=""
}

login() {
  rm -f "$cookie"
  curl -fsS -c "$cookie" -H 'content-type: application/json' -H 'x-requested-with: market-app' \
    -d "{\"username\":\"$1\",\"password\":\"Shengcheng@2026\"}" \
    "http://127.0.0.1:$port/api/auth/login" >/dev/null
  awk '{ sub(/^#HttpOnly_/, "") } !/^#/ && NF >= 7 { printf "%s=%s", $6, $7 }' "$cookie"
}

health=0
load() {
  local path="$1" header="${2:-}" out rps p99 errors ratio
  out="$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency ${header:+-H "Cookie: $header"} \
    "http://127.0.0.1:$port$path")"
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(awk '/Non-2xx|Socket errors/ { print }' <<<"$out")"
  # The ratio is to the best of the health runs so far: health alone swings by a quarter from
  # one run to the next on this machine, and a slow health run must not flatter the ratios.
  [[ "$path" == /api/health ]] && health="$(awk -v r="$rps" -v h="$health" 'BEGIN { print (r > h ? r : h) }')"
  ratio="$(awk -v r="$rps" -v h="$health" 'BEGIN { if (h > 0) printf "%.2f", r / h; else print "-" }')"
  printf '%-58s %11s %10s %7s\n' "GET $path" "$rps" "$p99" "$ratio"
  [[ -z "$errors" ]] || echo "  $errors"
  printf '%s\t%s\t%s\t%s\n' "$current" "${label:-GET $path}" "$rps" "$p99" >>"$results"
}

measure_backend() {
  # A cursor deep into a list: the `next` of a page far in (page 2000 at full scale; `page=`
  # walks there by position).
  deep_cursor() {
    curl -fsS "http://127.0.0.1:$port$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["next"])'
  }
  agency_cursor="$(deep_cursor "/api/agencies?page=$agency_page")"
  job_cursor="$(deep_cursor "/api/jobs?page=$job_page")"
  q() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

  echo
  echo "API at scale on $current: wrk -t$threads -c$connections -d${seconds}s on loopback, $(nproc) cores"
  printf '%-58s %11s %10s %7s\n' "request" "requests/s" "p99" "×health"
  load "/api/health"
  load "/api/health"
  load "/api/health"
  load "/api/agencies"
  load "/api/agencies?page=$agency_page"
  label="GET /api/agencies?page=$(( agency_page + 1 ))&after=…" load "/api/agencies?page=$(( agency_page + 1 ))&after=$agency_cursor"
  load "/api/agencies?q=$(q 测)"
  load "/api/agencies?q=$(q 环境)"
  load "/api/agencies?q=$(q 技术咨询)"
  load "/api/agencies?service_type=surveying"
  load "/api/agencies?service_type=surveying&level=$(q 甲级)&clean=1&sort=credit"
  load "/api/agencies?district=yunhu&sort=rating"
  load "/api/agencies?service_type=env_impact&sort=fee&investment=50000000"
  load "/api/agencies/$(( agencies / 2 ))"
  load "/api/jobs"
  load "/api/jobs?state=published"
  load "/api/jobs?page=$job_page"
  label="GET /api/jobs?page=$(( job_page + 1 ))&after=…" load "/api/jobs?page=$(( job_page + 1 ))&after=$job_cursor"
  load "/api/jobs?q=$(q 测绘)"
  # A fresh session for each signed-in load.
  label="GET /api/my/jobs (signed in)" load "/api/my/jobs" "$(login gen_enterprise0)"
  label="GET /api/jobs?mine=1 (signed in)" load "/api/jobs?mine=1" "$(login gen_enterprise0)"
  label="GET /api/cases (signed in)" load "/api/cases" "$(login gen_enterprise0)"
  load "/api/fee-standards?service_type=env_impact"
  load "/api/statistics"
  load "/api/ocds/releases?limit=50"
  load "/api/health"

  # Search latency with requests in flight at a time: more than 1,000 a second on this machine.
  echo
  echo "Search, 1- to 4-character terms: wrk -t1 -c2 -d${seconds}s"
  printf '%-58s %11s %10s\n' "request" "requests/s" "p99"
  for path in "/api/agencies?q=$(q 测)" "/api/agencies?q=$(q 环境)" "/api/agencies?q=$(q 技术咨询)" \
    "/api/jobs?q=$(q 测)" "/api/jobs?q=$(q 测绘)"; do
    out="$(wrk -t1 -c2 -d"${seconds}s" --latency "http://127.0.0.1:$port$path")"
    printf '%-58s %11s %10s\n' "GET $path" "$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")" \
      "$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  done

  # One request at a time, median of five: what a reader waits for.
  echo
  echo "Single requests (median of 5)"
  for path in "/api/statistics" "/api/ocds/releases" "/api/ocds/releases?limit=100"; do
    median="$(for _ in 1 2 3 4 5; do curl -fsS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port$path"; done |
      sort -n | sed -n 3p)"
    printf '%-58s %8.1f ms\n' "GET $path" "$(awk -v t="$median" 'BEGIN { print t * 1000 }')"
  done
  echo
  echo "startup: ${startup} s (to the first answer of /api/health, search indexes built)"
  echo "server RSS after the load: $(awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status")"
}

for current in ${BENCH_BACKENDS:-sqlite postgres}; do
  if [[ "$current" == postgres ]]; then
    # The PostgreSQL copy is made once, like the set itself, in a cluster kept beside it.
    start_private_postgres "$cached-pg"
    pg_url="${PRIVATE_PG_URL%/*}/market"
    if [[ ! -f "$cached-pg/done" ]]; then
      psql "$PRIVATE_PG_URL" -qc "DROP DATABASE IF EXISTS market" -c "CREATE DATABASE market"
      log "migrating the set into PostgreSQL (once)"
      migrating=$(date +%s)
      "$ROOT/target/release/market-server" migrate --from "$cached" --to "$pg_url" | tail -n 1
      echo "migrated in $(( $(date +%s) - migrating )) s"
      touch "$cached-pg/done"
    fi
  fi
  start_server "$current"
  health=0
  measure_backend
  stop_server
done

if [[ "${BENCH_BACKENDS:-sqlite postgres}" == *sqlite*postgres* ]]; then
  echo
  echo "Side by side: requests/s and p99, SQLite | PostgreSQL"
  python3 - "$results" <<'PY'
import sys
rows, order = {}, []
for line in open(sys.argv[1], encoding="utf-8"):
    backend, label, rps, p99 = line.rstrip("\n").split("\t")
    if label not in rows:
        rows[label] = {}
        order.append(label)
    rows[label].setdefault(backend, (rps, p99))
for label in order:
    lite, pg = rows[label].get("sqlite", ("-", "-")), rows[label].get("postgres", ("-", "-"))
    print(f"{label[:58]:<58} {lite[0]:>11} {lite[1]:>9} | {pg[0]:>11} {pg[1]:>9}")
PY
fi
