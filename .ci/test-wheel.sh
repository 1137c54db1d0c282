#!/usr/bin/env bash
# The Python wheel as a user gets it: installed with pip into a fresh virtual
# environment from a local wheel directory (no index), then run.
# Needs: WHEELS (a directory holding the phonelint wheel built by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${WHEELS:?}"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# shellcheck source=.ci/checks.sh
source .ci/checks.sh

wheels=("$WHEELS"/phonelint-*.whl)
check "one phonelint wheel" test "${#wheels[@]}" -eq 1
check "the wheel is phonelint $version: ${wheels[0]##*/}" test "${wheels[0]##*/phonelint-"$version"-py3-none-}" != "${wheels[0]}"
python3 -m venv "$scratch/venv"
"$scratch/venv/bin/pip" install --quiet --disable-pip-version-check --no-index --find-links "$WHEELS" phonelint
bin="$scratch/venv/bin/phonelint"
check "pip install phonelint: the binary is on the environment's PATH" test -x "$bin"
check "pip show phonelint: version $version" bash -c '"$1" show phonelint | grep -qx "Version: $2"' _ "$scratch/venv/bin/pip" "$version"
check "phonelint --version: phonelint $version" test "$("$bin" --version)" = "phonelint $version"
rc=0
out=$("$bin" fixtures/example --format short 2>&1) || rc=$?
check "phonelint fixtures/example: exit 1" test "$rc" -eq 1
check "phonelint fixtures/example: the inactive ADMIN phone" grep -qF 'fixtures/example/phones/admin.toml:11:10: error[inactive-admin]' <<<"$out"
# The wheel holds the binary and its metadata, nothing else (no sources).
python3 -m zipfile -l "${wheels[0]}" | awk 'NR > 1 {print $1}' >"$scratch/contents"
check "the wheel holds only the binary and metadata" bash -c '! grep -vE "^phonelint-[^/]+\.(data/scripts/phonelint|dist-info/.*)$" "$1"' _ "$scratch/contents"
check "the wheel's license is MIT" bash -c 'unzip -p "$1" "*.dist-info/METADATA" | grep -qE "^License(-Expression)?: MIT"' _ "${wheels[0]}"

finish wheel
