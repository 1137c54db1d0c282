#!/usr/bin/env bash
# crates.io readiness, as a user and as crates.io see it:
#   - `cargo package` builds the crate from the packed files alone, under
#     1 MB, without the fuzz package, CI scripts or benchmark driver, and
#     with what `cargo test` reads;
#   - `cargo install --path .` installs a phonelint that runs;
#   - `cargo install --git <file URL of a clone> phonelint` too: the fuzz
#     package (fuzz/Cargo.toml, its own workspace with binaries) lives in the
#     same repository and must not get in the way.
# CARGO_TARGET_DIR (the release build of .ci/run) is shared, so only what
# differs is compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
# shellcheck source=.ci/checks.sh
source .ci/checks.sh
runs_on_example() { # binary: exit 1 with the example's inactive-admin finding
  local out rc=0
  out=$("$1" fixtures/example --format short 2>&1) || rc=$?
  [ "$rc" -eq 1 ] && grep -q 'error\[inactive-admin\]' <<<"$out"
}

cargo package --locked --allow-dirty --list >"$scratch/files"
check "cargo package --list: the source and Cargo.lock" grep -qx 'src/main.rs' "$scratch/files"
check "cargo package --list: LICENSE, README.md, CHANGELOG.md" bash -c 'grep -qx LICENSE "$1" && grep -qx README.md "$1" && grep -qx CHANGELOG.md "$1" && grep -qx Cargo.lock "$1"' _ "$scratch/files"
check "cargo package --list: what cargo test reads (tests, fixtures)" bash -c 'grep -q "^tests/" "$1" && grep -q "^fixtures/example/" "$1"' _ "$scratch/files"
check "cargo package --list: no fuzz package or corpus" rejects grep -E '^fuzz/(Cargo|fuzz_targets|corpus|artifacts|seed)' "$scratch/files"
check "cargo package --list: no CI, bench driver, action or workflows" rejects grep -E '^(\.ci|bench|action|\.github)/' "$scratch/files"

echo "== cargo package (builds the crate from the package)"
cargo package --locked --allow-dirty --quiet
crate="${CARGO_TARGET_DIR:-target}/package/phonelint-$version.crate"
size=$(wc -c <"$crate")
echo "   $crate: $size bytes"
check "the crate is under 1 MB ($size bytes)" test "$size" -lt 1000000

echo "== cargo install --path ."
cargo install --locked --quiet --path . --root "$scratch/path"
check "cargo install --path .: phonelint $version" test "$("$scratch/path/bin/phonelint" --version)" = "phonelint $version"
check "cargo install --path .: it runs on the example" runs_on_example "$scratch/path/bin/phonelint"

echo "== cargo install --git file://... phonelint"
# A clone with everything committed, fuzz/ included, as a user's URL gives it.
git clone --quiet . "$scratch/clone"
if ! git diff --quiet HEAD; then
  # Uncommitted changes of this checkout, so that what is tested is what is here.
  git diff HEAD --binary | git -C "$scratch/clone" apply --index
  git -C "$scratch/clone" -c user.name=ci -c user.email=ci@example.invalid commit --quiet -m "uncommitted changes"
fi
check "the clone holds the fuzz package" test -f "$scratch/clone/fuzz/Cargo.toml"
cargo install --locked --quiet --git "file://$scratch/clone" phonelint --root "$scratch/git"
check "cargo install --git URL phonelint: phonelint $version" test "$("$scratch/git/bin/phonelint" --version)" = "phonelint $version"
check "cargo install --git URL phonelint: it runs on the example" runs_on_example "$scratch/git/bin/phonelint"
check "cargo install --git URL phonelint: only phonelint is installed" test "$(ls "$scratch/git/bin")" = phonelint
# Installing from a git source removes the binary it built from the shared
# target directory, which is also where the release build of .ci/run sits:
# put that back for the tests after this one (a link of what is built).
cargo build --release --locked --quiet

finish crate
