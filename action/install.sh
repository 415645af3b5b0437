#!/usr/bin/env bash
# Install costgate for the composite action: a release binary verified by its .sha256, else
# `cargo install --locked --path "$GITHUB_ACTION_PATH"` (the action checkout is the crate).
set -euo pipefail

mode="${CG_INSTALL:-auto}"
if [[ "$mode" == skip ]]; then
  command -v costgate >/dev/null || { echo "::error title=costgate::install: skip, but costgate is not on PATH"; exit 2; }
  costgate --version
  exit 0
fi

dest="${RUNNER_TEMP:-/tmp}/costgate-bin"
mkdir -p "$dest"

version="${CG_VERSION:-}"
if [[ -z "$version" && "${GITHUB_ACTION_REF:-}" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  version="${GITHUB_ACTION_REF#v}"
fi

target() {
  local arch os
  case "$(uname -m)" in arm64|aarch64) arch=aarch64 ;; *) arch=x86_64 ;; esac
  case "$(uname -s)" in
    Darwin) os=apple-darwin ;;
    MINGW*|MSYS*|CYGWIN*) os=pc-windows-msvc ;;
    *) os=unknown-linux-musl ;;
  esac
  echo "$arch-$os"
}

from_release() {
  [[ -n "$version" ]] || { echo "costgate: no release version (set the version input or use a version tag)"; return 1; }
  local base="${CG_RELEASE_BASE:-${GITHUB_SERVER_URL:-https://github.com}/${GITHUB_ACTION_REPOSITORY:-costgate/costgate}/releases/download}"
  local asset="costgate-v$version-$(target).tar.gz"
  local tmp; tmp="$(mktemp -d)"
  curl -fsSL --retry 3 -o "$tmp/$asset" "$base/v$version/$asset" || return 1
  curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$base/v$version/$asset.sha256" || return 1
  local want got
  want="$(awk '{print $1}' "$tmp/$asset.sha256")"
  got="$(sha256sum "$tmp/$asset" | awk '{print $1}')"
  if [[ -z "$want" || "$want" != "$got" ]]; then
    echo "::error title=costgate::checksum mismatch for $asset"
    return 1
  fi
  tar -xzf "$tmp/$asset" -C "$dest"
  [[ -x "$dest/costgate" ]] || { f="$(find "$dest" -name costgate -type f | head -1)"; [[ -n "$f" ]] && mv "$f" "$dest/costgate"; }
  [[ -x "$dest/costgate" ]]
}

from_source() {
  command -v cargo >/dev/null || { echo "::error title=costgate::cargo not found for the build-from-source fallback"; return 1; }
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$dest/root"
  ln -sf "$dest/root/bin/costgate" "$dest/costgate"
}

case "$mode" in
  release) from_release ;;
  source) from_source ;;
  auto) from_release || { echo "costgate: no release binary; building from source"; from_source; } ;;
  *) echo "::error title=costgate::install must be auto, release, source or skip"; exit 2 ;;
esac
echo "$dest" >> "$GITHUB_PATH"
"$dest/costgate" --version
