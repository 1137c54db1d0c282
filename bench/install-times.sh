#!/usr/bin/env bash
# Times each way of installing phonelint from nothing to a phonelint that
# answers `--version` (CONTRIBUTING.md, "How long an install takes"):
#   binary   the README's commands: download the archive and SHA256SUMS
#            (from a local HTTP server), check, unpack, run
#   wheel    a fresh virtual environment, `pip install phonelint` from a
#            local wheel directory, run
#   hook     `pre-commit try-repo` of the wheel hook, first run (fresh env)
#   source   `cargo install --locked --git <file URL> phonelint` with an
#            empty CARGO_HOME and no target directory: downloads every
#            crate from crates.io and compiles
# Downloads come from this machine (the binary, the wheel) or crates.io (the
# source), so the real ones differ by the time to fetch about 2 MB.
# Usage: bench/install-times.sh ASSETS_DIR WHEELS_DIR [RUNS]
#   ASSETS_DIR  phonelint-x86_64-unknown-linux-musl.tar.gz and SHA256SUMS
#   WHEELS_DIR  the phonelint wheel (and setuptools', for the hook)
# Needs target/ci-tools (.ci/setup-tools.sh) for pre-commit.
set -euo pipefail
cd "$(dirname "$0")/.."
assets=$(cd "$1" && pwd)
wheels=$(cd "$2" && pwd)
runs=${3:-3}
repo=$PWD
pre_commit="$repo/target/ci-tools/venv/bin/pre-commit"
scratch=$(mktemp -d)
server=""
cleanup() {
  [ -z "$server" ] || kill "$server"
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p "$scratch/www/download/v0"
cp "$assets"/* "$scratch/www/download/v0/"
port=$((20000 + RANDOM % 20000))
python3 -m http.server --bind 127.0.0.1 --directory "$scratch/www" "$port" >/dev/null 2>&1 &
server=$!
sleep 1

seconds() { # command...: wall seconds, to 0.01
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.2f", $2 - $1}'
}

binary() {
  rm -rf "$scratch/b" && mkdir "$scratch/b" && cd "$scratch/b"
  local base="http://127.0.0.1:$port/download/v0"
  curl -fsSLO "$base/phonelint-x86_64-unknown-linux-musl.tar.gz" -fsSLO "$base/SHA256SUMS"
  sha256sum --check --ignore-missing --quiet SHA256SUMS
  tar -xzf phonelint-x86_64-unknown-linux-musl.tar.gz
  phonelint-x86_64-unknown-linux-musl/phonelint --version
  cd "$repo"
}

wheel() {
  rm -rf "$scratch/venv"
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet --disable-pip-version-check --no-index --find-links "$wheels" phonelint
  "$scratch/venv/bin/phonelint" --version
}

defs() {
  rm -rf "$scratch/defs" && mkdir -p "$scratch/defs"
  git init -q "$scratch/defs"
  printf '[[phones]]\nextension = "cc100"\nserver_ip = "10.10.10.15"\n' >"$scratch/defs/a.toml"
  git -C "$scratch/defs" add a.toml
}

hook() { # hook id
  defs
  cd "$scratch/defs"
  # exit 1: the definition has findings; the hook ran.
  env -u CARGO_TARGET_DIR PRE_COMMIT_HOME="$scratch/pc-home" PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" \
    "$pre_commit" try-repo "$repo" "$1" --all-files || test $? -eq 1
  cd "$repo"
}

source_install() {
  rm -rf "$scratch/cargo-home" "$scratch/root"
  env -u CARGO_TARGET_DIR CARGO_HOME="$scratch/cargo-home" \
    cargo install --locked --quiet --git "file://$scratch/clone" phonelint --root "$scratch/root"
  "$scratch/root/bin/phonelint" --version
}

git clone --quiet "$repo" "$scratch/clone"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for way in binary wheel "hook phonelint"; do
  times=()
  for _ in $(seq "$runs"); do times+=("$(seconds $way)"); done
  echo "$way: ${times[*]} s"
done
echo "source: $(seconds source_install) s"
echo "hook phonelint-source: $(seconds hook phonelint-source) s"
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
