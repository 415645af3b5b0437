#!/usr/bin/env bash
# The steps of .github/workflows/release.yml, runnable locally for the host target:
#   TARGET=x86_64-unknown-linux-musl TAG=v0.1.0 bash .github/release-build.sh toolchain|build|package
# `package` writes dist/costgate-<TAG>-<TARGET>.tar.gz and its .sha256 (the names
# action/install.sh downloads).
set -euo pipefail
: "${TARGET:?set TARGET, e.g. x86_64-unknown-linux-musl}"
case "${1:-}" in
  toolchain)
    rustup target add "$TARGET"
    if [[ "$TARGET" == *-linux-musl ]]; then
      # musl-gcc builds jemalloc and ring for the static binary.
      command -v musl-gcc >/dev/null || { sudo apt-get update -q && sudo apt-get install -yq musl-tools; }
    fi
    ;;
  build)
    if [[ "$TARGET" == *-linux-musl ]]; then
      export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static"
    fi
    cargo build --release --locked --target "$TARGET"
    ;;
  package)
    : "${TAG:?set TAG, e.g. v0.1.0}"
    [[ "$TAG" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "TAG must look like v1.2.3, got $TAG"; exit 2; }
    version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
    [[ "v$version" == "$TAG" ]] || { echo "tag $TAG does not match Cargo.toml version $version"; exit 2; }
    bin="target/$TARGET/release/costgate"
    if [[ "$TARGET" == *-linux-musl ]] && command -v file >/dev/null; then
      file "$bin" | grep -Eq 'static(ally|-pie) linked' || { echo "$bin is not static: $(file "$bin")"; exit 2; }
    fi
    mkdir -p dist
    asset="costgate-$TAG-$TARGET.tar.gz"
    tar -C "$(dirname "$bin")" -czf "dist/$asset" costgate
    (cd dist && { sha256sum "$asset" 2>/dev/null || shasum -a 256 "$asset"; } > "$asset.sha256")
    ;;
  *) echo "usage: TARGET=… $0 toolchain|build|package"; exit 2 ;;
esac
