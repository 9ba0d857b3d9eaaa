#!/usr/bin/env bash
# Trunk hooks (Trunk.toml) that build the app's wasm split by route, since Trunk 0.21 cannot run
# the wasm-split step between linking and wasm-bindgen (../shared/TOOLCHAIN.md):
#   pre_build:  cargo build (feature `split`) → wasm-split-cli → wasm-bindgen → -Oz per module,
#               into $TRUNK_STAGING_DIR/pkg;
#   post_build: writes the route preloads into index.html (scripts/lib/route-preload.mjs), then
#               renames pkg/ to pkg-<content hash>/ and points index.html at it, because chunk
#               names are not content-hashed and an old loader must never meet new chunks.
set -euo pipefail
stage="${1:?pre_build or post_build}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
staging="${TRUNK_STAGING_DIR:?run by trunk}"
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

case "$stage" in
pre_build)
  if [[ "${TRUNK_PROFILE:-debug}" == release ]]; then
    profile=wasm-release dir=wasm-release
  else
    profile=dev dir=debug
  fi
  target="${CARGO_TARGET_DIR:-$root/target}"
  if [[ "$profile" == wasm-release ]]; then
    # Panic locations are strings in the main module's data, which wasm-split cannot move;
    # shortening their dependency paths saves bytes every visitor downloads. Only the release
    # profile, so debug builds and the browser tests keep sharing .cargo/config.toml's flags,
    # which RUSTFLAGS replaces: theirs are repeated here.
    flags="-C link-args=--emit-relocs --cfg erase_components"
    for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
      flags+=" --remap-path-prefix=$registry="
    done
    export RUSTFLAGS="$flags --remap-path-prefix=$root/="
  fi
  cargo build --manifest-path "$root/Cargo.toml" --target wasm32-unknown-unknown \
    --bin market-app --features split --profile "$profile" --locked
  split="$target/wasm-split/$dir"
  rm -rf "$split" "$staging/pkg"
  mkdir -p "$split" "$staging/pkg"
  wasm-split-cli --out-name main "$target/wasm32-unknown-unknown/$dir/market-app.wasm" "$split"
  wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name main --out-dir "$staging/pkg" \
    "$split/main.wasm"
  shopt -s nullglob
  cp "$split/__wasm_split.js" "$split"/chunk_*.wasm "$split"/split_*.wasm "$staging/pkg/"
  if [[ "$profile" == wasm-release ]]; then
    # wasm-opt -Oz on every module, in one binaryen.js process (scripts/lib/wasm-opt-all.mjs).
    node "$root/scripts/lib/wasm-opt-all.mjs" "$staging"/pkg/*.wasm
    # wasm-bindgen's glue and the chunk loader are readable JavaScript; every visitor loads both.
    for js in "$staging"/pkg/*.js; do
      terser "$js" --module --ecma 2020 --compress passes=2 --mangle --output "$js"
    done
  fi
  ;;
post_build)
  if [[ "${TRUNK_PROFILE:-debug}" == release ]]; then dir=wasm-release; else dir=debug; fi
  node "$root/scripts/lib/route-preload.mjs" "${CARGO_TARGET_DIR:-$root/target}/wasm-split/$dir/__wasm_split.js" \
    "$root/src/app.rs" "$staging/index.html"
  hash="$(cd "$staging/pkg" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
  rm -rf "$staging/pkg-$hash"
  mv "$staging/pkg" "$staging/pkg-$hash"
  sed -i "s#/pkg/#/pkg-$hash/#g" "$staging/index.html"
  ;;
*)
  echo "unknown stage: $stage" >&2
  exit 1
  ;;
esac
