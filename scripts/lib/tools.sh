# Shared by scripts/run, scripts/test and scripts/bench: install what is missing, pinned, and
# skip whatever is already there in the right version. Sourced, not executed.
# The measured facts behind every pin are in ../shared/TOOLCHAIN.md.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRUNK_VERSION="0.21.14"
WASM_SPLIT_VERSION="0.2.4"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen version the app links against; the CLI must be exactly this.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [[ "$(trunk --version 2>/dev/null)" == "trunk $TRUNK_VERSION" ]]; then return; fi
  log "installing trunk $TRUNK_VERSION (takes several minutes on a cold machine)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
}

ensure_wasm_bindgen_cli() {
  local version
  version="$(wasm_bindgen_version)"
  if [[ "$(wasm-bindgen --version 2>/dev/null)" == "wasm-bindgen $version" ]]; then return; fi
  log "installing wasm-bindgen-cli $version"
  if cargo install wasm-bindgen-cli --version "$version" --locked; then return; fi
  # Its lock file pins a webpki-roots release the registry here does not serve: rebuild
  # from the unpacked crate with that one dependency moved back (TOOLCHAIN.md, pitfall 2).
  log "retrying wasm-bindgen-cli $version with webpki-roots 1.0.10"
  local src copy
  src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"wasm-bindgen-cli-$version" 2>/dev/null | head -n 1)"
  if [[ -z "$src" ]]; then
    echo "wasm-bindgen-cli $version source not found in the cargo registry" >&2
    return 1
  fi
  copy="$(mktemp -d)/wasm-bindgen-cli-$version"
  cp -r "$src" "$copy"
  (cd "$copy" && cargo update -p webpki-roots --precise 1.0.10)
  cargo install --path "$copy" --locked
  rm -rf "$(dirname "$copy")"
}

# The splitter that cuts the linked app into per-route chunks (scripts/lib/wasm-build.sh).
ensure_wasm_split_cli() {
  local stamp="${CARGO_HOME:-$HOME/.cargo}/.crates2.json"
  if command -v wasm-split-cli >/dev/null && [[ -f "$stamp" ]] \
     && grep -q "\"wasm_split_cli_support $WASM_SPLIT_VERSION " "$stamp"; then
    return
  fi
  log "installing wasm-split-cli $WASM_SPLIT_VERSION"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
}

# twiggy, for scripts/bench's breakdown of the main module.
ensure_twiggy() {
  if [[ "$(twiggy --version 2>/dev/null)" == *" 0.8.0" ]]; then return; fi
  log "installing twiggy 0.8.0"
  cargo install --locked twiggy --version 0.8.0
}

# npm packages from the lock file: binaryen (wasm-opt 132), @playwright/test and swagger-parser.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [[ -f "$stamp" && "$stamp" -nt "$ROOT/package-lock.json" ]] && command -v wasm-opt >/dev/null \
     && [[ "$(command -v wasm-opt)" == "$ROOT/node_modules/.bin/wasm-opt" ]]; then
    return
  fi
  log "installing npm packages from package-lock.json"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
}

apt_updated=""
ensure_apt_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if (( ${#missing[@]} == 0 )); then return; fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  if [[ -z "$apt_updated" ]]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The independent validators (Schemathesis, libcoveocds) from PyPI, pinned with every dependency
# in tests/validators/requirements.txt, in a virtualenv under target/ so nothing leaks into the
# system Python. Reinstalled only when the requirements change.
VALIDATORS_VENV="$ROOT/target/validators-venv"
ensure_validators() {
  local requirements="$ROOT/tests/validators/requirements.txt"
  local stamp="$VALIDATORS_VENV/.requirements"
  if [[ -f "$stamp" ]] && cmp -s "$stamp" "$requirements"; then return; fi
  log "installing the validators (Schemathesis, libcoveocds) from PyPI"
  rm -rf "$VALIDATORS_VENV"
  python3 -m venv "$VALIDATORS_VENV"
  "$VALIDATORS_VENV/bin/pip" install --quiet --no-deps --require-virtualenv -r "$requirements"
  cp "$requirements" "$stamp"
}

# Everything needed to build the release frontend.
ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen_cli
  ensure_wasm_split_cli
  ensure_node_modules
  ensure_apt_packages brotli
}

build_frontend() {
  log "building the release frontend (trunk build --release)"
  (cd "$ROOT" && cargo fetch --quiet && trunk build --release)
  compress_dist
}

# Brotli (quality 11) and gzip siblings of every text and wasm file in dist/, which the server
# sends as they are: nothing static is compressed per request.
compress_dist() {
  log "precompressing dist/ (brotli -q 11, gzip -9)"
  find "$ROOT/dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
    -o -name '*.svg' -o -name '*.json' \) -print0 |
    while IFS= read -r -d '' file; do
      brotli -f -q 11 -o "$file.br" "$file"
      gzip -9 -n -c "$file" >"$file.gz"
    done
}

build_server() {
  log "building market-server (release)"
  (cd "$ROOT" && cargo build --release -p market-server)
}
