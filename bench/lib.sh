# Shared by the benchmark scripts (sourced, not run): paths, the release
# build, the corpus generator and the tools every script needs.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$CARGO_TARGET_DIR/bench"
# phonelint's cache between runs (the one-file runs use it warm): here,
# never the user's.
export PHONELINT_CACHE_DIR="${PHONELINT_CACHE_DIR:-$OUT/cache}"
SEED="${SEED:-1}"
# shellcheck disable=SC2034 # used by the scripts that source this one
JOBS="$(nproc)"
# Decimal points in $EPOCHREALTIME and awk's output, whatever the locale.
export LC_ALL=C
mkdir -p "$OUT/corpus"

say() { printf '%s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# need_tools: hyperfine, jq and GNU time, installed with apt-get as root.
need_tools() {
    local missing=()
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v jq >/dev/null || missing+=(jq)
    [ -x /usr/bin/time ] || missing+=(time)
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "installing with apt-get: ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        say "the benchmarks need: ${missing[*]} (apt-get install ${missing[*]})"
        exit 2
    fi
}

# build TARGETS...: one release build (e.g. --bin phonelint --example gen_corpus).
build() {
    say "building release ($*) ..."
    cargo build --release --quiet "$@"
}
# shellcheck disable=SC2034
BIN="$CARGO_TARGET_DIR/release/phonelint"
GEN="$CARGO_TARGET_DIR/release/examples/gen_corpus"

# corpus_stamp ARGS...: what a corpus of the generator's ARGS is made of.
corpus_stamp() {
    printf '%s %s %s' "$(cat examples/gen_corpus/*.rs | sha256sum | cut -c1-16)" "$SEED" "$*"
}

# corpus NAME ARGS...: the generator's repository for ARGS under
# $OUT/corpus/NAME, written once per generator version and arguments (niced:
# generating is not what is measured). Prints the directory.
corpus() {
    local name="$1"
    shift
    local dir="$OUT/corpus/$name"
    local stamp
    stamp="$(corpus_stamp "$@")"
    if [ ! -f "$dir.stamp" ] || [ "$(cat "$dir.stamp")" != "$stamp" ]; then
        rm -rf "$dir" "$dir.stamp"
        say "generating $name: $* (load $(load))"
        nice -n 10 "$GEN" --seed "$SEED" --out "$dir" "$@" >"$dir.log"
        printf '%s' "$stamp" >"$dir.stamp"
    fi
    printf '%s' "$dir"
}

# drop_corpus NAME: delete a corpus too big to keep between runs.
drop_corpus() {
    rm -rf "$OUT/corpus/$1" "$OUT/corpus/$1.stamp"
}

# findings_corpus: FINDINGS_PHONES phones in files of 1,000, each with
# exactly three findings: the generator's --findings-only phones carry one (an
# unknown status), and each gets `pass = "test"` and protocol `DAHDI` here.
# Prints the directory.
FINDINGS_PHONES=333334
findings_corpus() {
    local name="findings-$((FINDINGS_PHONES * 3))" args stamp dir
    args=(--phones "$FINDINGS_PHONES" --per-file 1000 --findings-only)
    stamp="$(corpus_stamp "${args[@]}") three findings a phone"
    dir="$OUT/corpus/$name"
    if [ "$(cat "$dir.stamp" 2>/dev/null)" != "$stamp" ]; then
        drop_corpus "$name"
        mv "$(corpus "$name-base" "${args[@]}")" "$dir"
        drop_corpus "$name-base"
        : >"$dir/phonelint.toml"
        find "$dir/phones" -type f -print0 | nice -n 10 xargs -0 -P"$JOBS" -n 100 sed -i -E \
            -e 's/^(\s*"?pass"?( = |": ))"[^"]*"/\1"test"/' \
            -e 's/^(\s*"?protocol"?( = |": ))"[^"]*"/\1"DAHDI"/'
        printf '%s' "$stamp" >"$dir.stamp"
    fi
    printf '%s' "$dir"
}
