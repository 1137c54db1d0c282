#!/usr/bin/env bash
# The action's second step: puts phonelint on the runner as prepare.sh
# decided, and writes `bin` (its path) and `version` (what `phonelint
# --version` says) to GITHUB_OUTPUT.
#   release mode: downloads the archive and SHA256SUMS with curl (or wget),
#     checks the archive's SHA-256 against the sums and unpacks it; a
#     mismatch, a missing file or a missing entry stops the step.
#   source mode: `cargo install --locked` from the action's own source into
#     INSTALL_ROOT, unless a binary built from the same key is already there
#     (restored by actions/cache).
# Needs: bash, tar (unzip or PowerShell on Windows), sha256sum or shasum,
# and curl or wget; no Python.
set -euo pipefail

fail() {
  echo "::error title=phonelint action::$1"
  exit 1
}

exe=""
case "${RUNNER_OS:-}" in Windows) exe=.exe ;; esac

finish() { # binary
  local bin=$1 said
  said=$("$bin" --version) || fail "$bin does not run (phonelint --version failed)"
  echo "$said"
  {
    echo "bin=$bin"
    echo "version=${said#phonelint }"
  } >>"$GITHUB_OUTPUT"
}

if [ "$MODE" = source ]; then
  stamp="$INSTALL_ROOT/phonelint-cache-key"
  bin="$INSTALL_ROOT/bin/phonelint$exe"
  if [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$CACHE_KEY" ]; then
    echo "phonelint built from this source restored from the cache ($CACHE_KEY)"
  else
    rm -rf "$INSTALL_ROOT"
    cargo install --locked --quiet --path "$GITHUB_ACTION_PATH" --root "$INSTALL_ROOT" --bin phonelint
    printf '%s\n' "$CACHE_KEY" >"$stamp"
  fi
  finish "$bin"
  exit 0
fi

work="${RUNNER_TEMP:-/tmp}/phonelint-$VERSION"
rm -rf "$work"
mkdir -p "$work"

# Fetches a URL to a file; fails the step with the URL and the HTTP status.
download() { # url file what
  local url=$1 file=$2 what=$3 status
  if command -v curl >/dev/null; then
    status=$(curl --silent --show-error --location --retry 3 --output "$file" --write-out '%{http_code}' "$url") ||
      fail "could not download $what from $url"
  elif command -v wget >/dev/null; then
    wget --quiet --tries=3 --output-document "$file" "$url" && status=200 || status="an error"
  else
    fail "downloading phonelint needs curl or wget on the runner; install one, or use version: source"
  fi
  if [ "$status" != 200 ]; then
    fail "could not download $what: $url answered HTTP $status. Is there a release $VERSION with a build for this platform ($ASSET)? Use another version, or version: source to build with cargo"
  fi
}

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    fail "checking the download needs sha256sum or shasum on the runner"
  fi
}

echo "Downloading $ASSET ($VERSION)"
download "$SUMS_URL" "$work/SHA256SUMS" "the checksums (SHA256SUMS)"
download "$ASSET_URL" "$work/$ASSET" "$ASSET"

# `HASH  NAME` or `HASH *NAME` (binary mode), one line per asset.
expected=$(awk -v name="$ASSET" '$2 == name || $2 == "*" name { print tolower($1); exit }' "$work/SHA256SUMS")
[ -n "$expected" ] || fail "SHA256SUMS of $VERSION lists no $ASSET; not running an unchecked binary"
actual=$(sha256 "$work/$ASSET")
if [ "$actual" != "$expected" ]; then
  fail "SHA-256 mismatch for $ASSET: SHA256SUMS says $expected, the download is $actual. The file is corrupt or was tampered with; not running it"
fi
echo "SHA-256 of $ASSET matches SHA256SUMS: $actual"

case "$ASSET" in
  *.zip)
    if command -v unzip >/dev/null; then
      unzip -q "$work/$ASSET" -d "$work"
    else
      powershell -NoProfile -NonInteractive -Command \
        "Expand-Archive -LiteralPath '$work/$ASSET' -DestinationPath '$work'"
    fi
    ;;
  *) tar -xzf "$work/$ASSET" -C "$work" ;;
esac
bin="$work/${ASSET%.tar.gz}"
bin="${bin%.zip}/phonelint$exe"
[ -f "$bin" ] || fail "$ASSET holds no ${bin#"$work/"}"
chmod +x "$bin"
if [ "$VERSION" != latest ]; then
  said=$("$bin" --version) || fail "$bin does not run (phonelint --version failed)"
  [ "$said" = "phonelint ${VERSION#v}" ] || fail "$ASSET of $VERSION holds $said, not phonelint ${VERSION#v}"
fi
finish "$bin"
