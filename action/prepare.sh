#!/usr/bin/env bash
# The action's first step: checks the inputs and decides how phonelint is
# installed. Writes to GITHUB_OUTPUT:
#   mode        `release` (download a released binary) or `source` (cargo)
#   version     the version asked for, `vX.Y.Z`, or `latest`
#   asset       the release archive for this runner (release mode)
#   asset-url, sums-url   where the archive and SHA256SUMS are (release mode)
#   cache-key, install-root   what actions/cache keeps (source mode)
# Inputs come in through the environment: INPUT_VERSION, INPUT_DOWNLOAD_URL,
# INPUT_FAIL_ON. Needs only bash, sed and (for `version: source`) cargo.
set -euo pipefail

fail() { # message; `::` would start a workflow command, so none gets through from inputs
  echo "::error title=phonelint action::$1"
  exit 2
}
# An input quoted in a message: one line, no workflow-command escapes.
quote() { printf '%s' "${1//[$'\r\n%']/?}"; }

case "${INPUT_FAIL_ON:-}" in
  "" | error | warning) ;;
  *) fail "fail-on must be error, warning or empty (the configuration decides), not '$(quote "$INPUT_FAIL_ON")'" ;;
esac

manifest="$GITHUB_ACTION_PATH/Cargo.toml"
# The first `key = "value"` of [package] in the action's own Cargo.toml.
package_field() {
  sed -n '/^\[package\]/,/^\[/{s/^'"$1"' *= *"\([^"]*\)".*/\1/p;}' "$manifest" | head -n 1
}

requested="${INPUT_VERSION:-}"
requested="${requested#"${requested%%[![:space:]]*}"}"
requested="${requested%"${requested##*[![:space:]]}"}"
if [ -z "$requested" ]; then
  # The action's own version: at tag v0.2.0 its Cargo.toml says 0.2.0.
  requested=$(package_field version)
  [ -n "$requested" ] || fail "no version in $manifest; set the version input"
fi

if [ "$requested" = source ]; then
  command -v cargo >/dev/null || fail "version: source builds phonelint with cargo, and cargo is not on PATH; install Rust first (e.g. dtolnay/rust-toolchain) or use a released version"
  # The binary is kept under a key naming everything it depends on: the
  # compiler (version and host), the runner's OS and architecture, and the
  # action's sources. A changed file is a new key, so a restored binary is
  # never stale and an unchanged source is never rebuilt.
  rustc_version=$(rustc -vV | sed -n 's/^release: //p')
  rustc_host=$(rustc -vV | sed -n 's/^host: //p')
  rustc_hash=$(rustc -vV | sha256sum 2>/dev/null || rustc -vV | shasum -a 256)
  sources_hash=$(
    cd "$GITHUB_ACTION_PATH" &&
      find Cargo.toml Cargo.lock src -type f | LC_ALL=C sort | while IFS= read -r file; do
        printf '%s\n' "$file"
        cat "$file"
      done | { sha256sum 2>/dev/null || shasum -a 256; }
  )
  key="phonelint-source-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}-rust-$rustc_version-$rustc_host-${rustc_hash:0:12}-${sources_hash:0:16}"
  {
    echo "mode=source"
    echo "version=source"
    echo "cache-key=$key"
    echo "install-root=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/phonelint-source"
  } >>"$GITHUB_OUTPUT"
  exit 0
fi

if [ "$requested" = latest ]; then
  tag=latest
elif [[ "$requested" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  tag="v${requested#v}"
else
  fail "version must be a release such as 0.2.0, \`latest\` or \`source\`, not '$(quote "$requested")'"
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "phonelint has no prebuilt binary for $(quote "${RUNNER_OS:-this OS}") on $(quote "${RUNNER_ARCH:-this architecture}") (there are Linux X64/ARM64, macOS X64/ARM64 and Windows X64); set version: source to build it with cargo" ;;
esac
case "$target" in
  *windows*) asset="phonelint-$target.zip" ;;
  *) asset="phonelint-$target.tar.gz" ;;
esac

base="${INPUT_DOWNLOAD_URL:-}"
if [ -z "$base" ]; then
  repository=$(package_field repository)
  [ -n "$repository" ] || fail "no repository in $manifest; set the download-url input"
  base="${repository%/}/releases"
fi
base="${base%/}"
if [ "$tag" = latest ]; then
  release="$base/latest/download"
else
  release="$base/download/$tag"
fi
{
  echo "mode=release"
  echo "version=$tag"
  echo "asset=$asset"
  echo "asset-url=$release/$asset"
  echo "sums-url=$release/SHA256SUMS"
} >>"$GITHUB_OUTPUT"
