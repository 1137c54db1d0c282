#!/usr/bin/env bash
# End-to-end benchmark of phonelint: one command from a clean checkout.
#
#   bench/run.sh            # full run: 1k, 10k, 100k phones (a few minutes)
#   RUNS=3 bench/run.sh     # fewer timed runs per command
#   QUICK=1 bench/run.sh    # 1k and 10k only
#   LINEAR=only bench/run.sh  # only the inputs that must take linear time
#   bench/run.sh targets    # the performance targets at scale (bench/targets.sh)
#   bench/run.sh compare OLD NEW  # byte-identical output of two builds
#                                 # (bench/compare-json.sh)
#
# Builds release once, generates the corpora (deterministic, cached under
# $CARGO_TARGET_DIR/bench and regenerated when the generator changes), times
# `phonelint --format json` next to the read floor (every file read once with
# all cores) and a parse-only pass, and prints medians, ratios, throughput,
# scaling and peak memory. Figures go to stdout and to $OUT/results.md.
# Never used by tests; times are never asserted anywhere.
set -euo pipefail
shopt -s inherit_errexit

case "${1:-}" in
targets) exec "$(dirname "${BASH_SOURCE[0]}")/targets.sh" "${@:2}" ;;
compare) exec "$(dirname "${BASH_SOURCE[0]}")/compare-json.sh" "${@:2}" ;;
"") ;;
*)
    echo "usage: bench/run.sh [targets | compare OLD_PHONELINT NEW_PHONELINT]" >&2
    exit 2
    ;;
esac

# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-10}"

need_tools
if [ "${LINEAR:-}" = only ]; then
    build --bin phonelint
else
    build --bin phonelint --example gen_corpus --example parse_only
fi
PARSE="$CARGO_TARGET_DIR/release/examples/parse_only"

SIZES=(1000 10000 100000)
[ -n "${QUICK:-}" ] && SIZES=(1000 10000)
declare -A DIRS
if [ "${LINEAR:-}" != only ]; then
    for n in "${SIZES[@]}"; do
        DIRS["files-$n"]="$(corpus "files-$n" --phones "$n" --per-file 1)"
    done
    if [ -z "${QUICK:-}" ]; then
        DIRS[packed-100000]="$(corpus packed-100000 --phones 100000 --per-file 1000)"
    fi
    FINDINGS="$(corpus findings-10000 --phones 10000 --per-file 10000 --findings-only)"
    FINDINGS_FILE="$(find "$FINDINGS" -type f -name 'f*' | head -n1)"
fi

# --- timing helpers ----------------------------------------------------------
# median NAME -> seconds from hyperfine's JSON export
median() { jq -r '.results[0].median' "$OUT/$1.json"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# time_cmd NAME RUNS COMMAND: hyperfine, output discarded, exit code ignored
# (phonelint exits 1 when it finds errors, which the corpora contain).
# Commands without a pipe run without a shell (-N): no shell start-up to
# subtract, which matters for the millisecond figures (startup).
time_cmd() {
    local name="$1" runs="$2" cmd="$3" shell=()
    case "$cmd" in *'|'*) ;; *) shell=(-N) ;; esac
    hyperfine "${shell[@]}" --style none --warmup 1 --runs "$runs" -i \
        --export-json "$OUT/$name.json" "$cmd" >/dev/null 2>&1
    # -i lets exit code 1 (findings) through; 2 and up is a broken command.
    if ! jq -e '[.results[0].exit_codes[] | select(. >= 2)] | length == 0' \
        "$OUT/$name.json" >/dev/null; then
        say "bench: \`$cmd\` failed (exit code 2 or more); see $OUT/$name.json"
        exit 1
    fi
}

# peak_rss COMMAND -> kilobytes
peak_rss() {
    { /usr/bin/time -v bash -c "$1 >/dev/null 2>&1" 2>&1 >/dev/null || true; } |
        awk -F': ' '/Maximum resident set size/ { print $2 }'
}

bytes_of() { find "$1" -type f \( -name '*.toml' -o -name '*.json' \) -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
files_of() { find "$1" -type f | wc -l; }

# --- linear time: inputs that were quadratic --------------------------------
# Each at a size N, 2N and 4N: doubling the input must not much more than
# double the time (x2 size -> at most x2.5 time).
#   bare      one file of N bare `[[phones]]` records (a finding or more each)
#   diff      --diff of one file of N records whose `active = "y"` each has a fix
#   baseline  --baseline with N entries sharing one fingerprint, all stale
#   duplicates  one file of N records each writing `extension` twice
linear_input() { # kind n -> directory
    local kind="$1" n="$2" dir="$OUT/corpus/linear-$1-$2"
    if [ ! -f "$dir/.done" ]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        : >"$dir/phonelint.toml"
        case "$kind" in
        bare) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) print "[[phones]]" }' >"$dir/phones.toml" ;;
        diff) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "[[phones]]\nactive = \"y\"\n" }' >"$dir/phones.toml" ;;
        duplicates) awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "[[phones]]\nextension = \"a\"\nextension = \"b\"\n" }' >"$dir/phones.toml" ;;
        baseline)
            printf '[[phones]]\nextension = "cc100"\n' >"$dir/phones.toml"
            awk -v n="$n" 'BEGIN {
                print "{\n  \"version\": 1,\n  \"findings\": ["
                for (i = 0; i < n; i++)
                    printf "    {\"fingerprint\":\"0123456789abcdef\",\"rule\":\"inactive-admin\",\"path\":\"phones.toml\",\"record\":\"cc100@?\",\"field\":\"status\"}%s\n", (i + 1 < n ? "," : "")
                print "  ]\n}"
            }' >"$dir/phonelint-baseline.json"
            ;;
        esac
        touch "$dir/.done"
    fi
    printf '%s' "$dir"
}
linear_command() { # kind dir -> command
    case "$1" in
    bare | duplicates) printf "'%s' --format json '%s'" "$BIN" "$2" ;;
    diff) printf "'%s' --diff '%s'" "$BIN" "$2" ;;
    baseline) printf "'%s' --format json --baseline '%s/phonelint-baseline.json' '%s'" "$BIN" "$2" "$2" ;;
    esac
}
linear_section() {
    local runs="${LINEAR_RUNS:-3}"
    echo
    echo "Linear time (median of $runs runs; x2 size must cost at most x2.5 time):"
    echo
    echo "| input | N | 2N | 4N | time N ms | time 2N ms | time 4N ms | 2N/N | 4N/2N | load (1/5/15 min) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    local kind n times
    for kind in bare diff baseline duplicates; do
        n=40000
        times=()
        for size in "$n" $((n * 2)) $((n * 4)); do
            dir="$(linear_input "$kind" "$size")"
            say "timing linear $kind $size (load $(load)) ..."
            time_cmd "linear-$kind-$size" "$runs" "$(linear_command "$kind" "$dir")"
            times+=("$(median "linear-$kind-$size")")
        done
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
            "$kind" "$n" $((n * 2)) $((n * 4)) "$(ms "${times[0]}")" "$(ms "${times[1]}")" "$(ms "${times[2]}")" \
            "$(ratio "${times[1]}" "${times[0]}")" "$(ratio "${times[2]}" "${times[1]}")" "$(load)"
    done
}
if [ "${LINEAR:-}" = only ]; then
    linear_section | tee "$OUT/linear.md"
    say "results written to $OUT/linear.md"
    exit 0
fi

REPORT="$OUT/results.md"
{
    echo "# phonelint benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -m | awk '/Mem:/ { print $2 }') MB memory; commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); runs per figure: $RUNS (median)"
    echo
    echo "| corpus | files | MB | read floor ms | parse-only ms | phonelint ms | phonelint / floor | phonelint MB/s | peak RSS MB | load (1/5/15 min) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$REPORT"

declare -A PL
ORDER=()
for n in "${SIZES[@]}"; do ORDER+=("files-$n"); done
[ -z "${QUICK:-}" ] && ORDER+=(packed-100000)

for name in "${ORDER[@]}"; do
    dir="${DIRS[$name]}"
    runs="$RUNS"
    say "timing $name (load $(load)) ..."
    time_cmd "$name-floor" "$runs" "find '$dir' -type f -print0 | xargs -0 -P$JOBS -n 1000 cat > /dev/null"
    time_cmd "$name-parse" "$runs" "'$PARSE' '$dir'"
    time_cmd "$name-phonelint" "$runs" "'$BIN' --format json '$dir'"
    floor="$(median "$name-floor")"
    parse="$(median "$name-parse")"
    pl="$(median "$name-phonelint")"
    PL[$name]="$pl"
    bytes="$(bytes_of "$dir")"
    files="$(files_of "$dir")"
    mb="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"
    mbs="$(awk -v b="$bytes" -v s="$pl" 'BEGIN { printf "%.1f", b / 1e6 / s }')"
    rss="$(peak_rss "'$BIN' --format json '$dir'")"
    rss_mb="$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$name" "$files" "$mb" "$(ms "$floor")" "$(ms "$parse")" "$(ms "$pl")" \
        "$(ratio "$pl" "$floor")" "$mbs" "$rss_mb" "$(load)" >>"$REPORT"
done

{
    echo
    echo "Scaling (phonelint time, one phone per file):"
    prev=""
    for n in "${SIZES[@]}"; do
        cur="${PL[files-$n]}"
        if [ -n "$prev" ]; then
            echo "- $prev_n -> $n phones: x$(ratio "$cur" "$prev") time for x$((n / prev_n)) phones"
        fi
        prev="$cur"
        prev_n="$n"
    done
} >>"$REPORT"

# --- rendering and startup ---------------------------------------------------
say "timing rendering and startup (load $(load)) ..."
time_cmd render-human "$RUNS" "'$BIN' --format human --color never '$FINDINGS_FILE'"
count="$("$BIN" --format json "$FINDINGS_FILE" | jq '.diagnostics | length' || true)"
time_cmd render-json "$RUNS" "'$BIN' --format json '$FINDINGS_FILE'"
time_cmd startup "$((RUNS * 3))" "'$BIN' --format json fixtures/example/phones/admin.toml"
{
    echo
    echo "- rendering $count findings in one file, human format: $(ms "$(median render-human)") ms (json: $(ms "$(median render-json)") ms); load $(load)"
    echo "- startup, one-file check (fixtures/example/phones/admin.toml): $(ms "$(median startup)") ms; load $(load)"

    # --- where the time goes: phonelint's own stage timings -------------------
    echo
    echo "Stages (\`PHONELINT_TIMINGS=1\`, one run each, ms):"
    echo
    for name in "${ORDER[@]}"; do
        [ "$name" = files-1000 ] && continue
        # Exit code 1 (findings) is expected here.
        stages="$({ PHONELINT_TIMINGS=1 "$BIN" --format json "${DIRS[$name]}" 2>&1 >/dev/null || true; } |
            sed -n 's/^phonelint: timing: \(.*[^ ]\) *\([0-9.]*\) ms$/\1 \2/p' |
            awk '{ t = $NF; $NF = ""; sub(/ $/, ""); printf "%s%s %s", (NR > 1 ? "; " : ""), $0, t }')"
        echo "- $name: $stages"
    done
    linear_section
} >>"$REPORT"

# --- check-jsonschema, when phonelint has a schema ---------------------------
if "$BIN" schema >"$OUT/schema.json" 2>/dev/null && [ -s "$OUT/schema.json" ]; then
    VENV="$OUT/venv"
    if [ ! -x "$VENV/bin/check-jsonschema" ]; then
        say "installing check-jsonschema (pinned) into $VENV ..."
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet 'check-jsonschema==0.39.0'
    fi
    dir="${DIRS[files-10000]}"
    say "timing check-jsonschema on files-10000 (load $(load)) ..."
    # Three runs (median): it takes seconds, and varies by a third between runs.
    hyperfine --style none --runs 3 -i --export-json "$OUT/jsonschema.json" \
        "find '$dir/phones' -type f -print0 | xargs -0 '$VENV/bin/check-jsonschema' --schemafile '$OUT/schema.json'" \
        >/dev/null 2>&1
    cj="$(jq -r '.results[0].median' "$OUT/jsonschema.json")"
    echo "- check-jsonschema on files-10000: $(ms "$cj") ms, phonelint $(ms "${PL[files-10000]}") ms: phonelint $(ratio "$cj" "${PL[files-10000]}")x faster; load $(load)" >>"$REPORT"
else
    echo "- check-jsonschema: skipped (this phonelint has no \`schema\` subcommand)" >>"$REPORT"
fi

cat "$REPORT"
say "results written to $REPORT"
