#!/usr/bin/env bash
# The performance targets at scale, every ratio measured in one run:
#
#   bench/targets.sh                 # about 15-25 minutes on 2 cores
#   RUNS=3 bench/targets.sh          # timed rounds per group (default 5)
#   HUGE=1 bench/targets.sh          # also 10,000,000 phones (4.0 GB of disk
#                                    # while it runs; one run each)
#   KEEP=1 bench/targets.sh          # keep the large corpora afterwards
#   PHONELINT=path/to/phonelint LABEL="main at abc1234" bench/targets.sh
#                                    # measure that binary (default: this
#                                    # checkout's, built in release)
#   QUICK=1 bench/targets.sh         # a smoke test of the script: every
#                                    # corpus a hundredth the size
#
# Corpora (examples/gen_corpus, deterministic for SEED, under
# $CARGO_TARGET_DIR/bench/corpus; those of a million phones and more, and the
# 100,000 one-phone files, are deleted after use unless KEEP=1):
#   files-10000       10,000 one-phone files: the pre-commit case, one file
#                     named, run from the repository's root
#   files-100000      100,000 one-phone files: phonelint against the read floor
#   packed-N          N phones in files of 1,000, for N = 10k, 100k, 1M (and
#                     10M with HUGE=1, 10,000 files): the x10 series
#   findings-1000002  333,334 phones in files of 1,000, each with exactly three
#                     findings: JSON, SARIF and human output, and the same
#                     check with those three rules off as the control
#   sample-*          SAMPLE (1000) phone files of files-100000 (mixed, TOML
#                     only, JSON only) for the schema validators
#
# Each group of commands runs interleaved: one warm-up run of each, then RUNS
# rounds, each running every command once (the order rotated per round), so a
# change in the machine's speed hits all of them alike; ratios are the median
# of the per-round ratios. Peak RSS comes from `/usr/bin/time -v` in RSS_RUNS
# (default 3) separate rounds. The load average is taken at the start and end
# of each group. Times are wall-clock of the whole process, output to
# /dev/null. Results: stdout and $OUT/targets.md. Never run by tests or CI.
set -euo pipefail
shopt -s inherit_errexit
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${RUNS:-5}"
RSS_RUNS="${RSS_RUNS:-3}"
SAMPLE="${SAMPLE:-1000}"
REPO_N=10000                  # the pre-commit repository
FILES_N=100000                # one-phone files against the read floor
SERIES=(10000 100000 1000000) # packed, files of 1,000
HUGE_N=10000000
if [ -n "${QUICK:-}" ]; then
    SAMPLE=100 REPO_N=100 FILES_N=1000 SERIES=(100 1000 10000) HUGE_N=100000
    FINDINGS_PHONES=3334
fi
BIG="${SERIES[2]}"
HUGE_MEM_GB="${HUGE_MEM_GB:-8}"
T="$OUT/targets"
TOOLS="$OUT/tools"
REPORT="$OUT/targets.md"
rm -rf "$T"
mkdir -p "$T"

# Pinned comparison tools, installed under $OUT/tools, never into the system.
TAPLO_VERSION=0.10.0

need_tools
if [ -n "${PHONELINT:-}" ]; then
    BIN="$(realpath "$PHONELINT")"
    build --example gen_corpus
else
    build --bin phonelint --example gen_corpus
fi

# --- comparison tools ----------------------------------------------------------
install_tools() {
    local stamp
    stamp="$(sha256sum tests/schema/requirements.txt | cut -c1-16)"
    if [ ! -x "$TOOLS/venv/bin/check-jsonschema" ] || [ "$(cat "$TOOLS/venv.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "installing check-jsonschema (tests/schema/requirements.txt, pinned) ..."
        rm -rf "$TOOLS/venv"
        python3 -m venv "$TOOLS/venv"
        "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check -r tests/schema/requirements.txt
        printf '%s' "$stamp" >"$TOOLS/venv.stamp"
    fi
    if [ "$("$TOOLS/taplo/bin/taplo" --version 2>/dev/null)" != "taplo $TAPLO_VERSION" ]; then
        say "building taplo-cli $TAPLO_VERSION (cargo install --locked; a few minutes) ..."
        CARGO_TARGET_DIR="$TOOLS/taplo-build" nice -n 10 cargo install --quiet --locked \
            --root "$TOOLS/taplo" --version "$TAPLO_VERSION" \
            --no-default-features --features lint,rustls-tls taplo-cli
        rm -rf "$TOOLS/taplo-build"
    fi
    stamp="$(cat bench/ajv/package.json bench/ajv/package-lock.json | sha256sum | cut -c1-16)"
    if [ ! -x "$TOOLS/node/node_modules/.bin/ajv" ] || [ "$(cat "$TOOLS/node.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "installing ajv-cli and ajv-formats (bench/ajv/package-lock.json) ..."
        rm -rf "$TOOLS/node"
        mkdir -p "$TOOLS/node"
        cp bench/ajv/package.json bench/ajv/package-lock.json "$TOOLS/node/"
        npm ci --silent --no-audit --no-fund --prefix "$TOOLS/node" >/dev/null
        printf '%s' "$stamp" >"$TOOLS/node.stamp"
    fi
}
install_tools
CHECK_JSONSCHEMA="$TOOLS/venv/bin/check-jsonschema"
TAPLO="$TOOLS/taplo/bin/taplo"
AJV="$TOOLS/node/node_modules/.bin/ajv"
SCHEMA="$T/schema.json"
"$BIN" schema >"$SCHEMA"

# --- measuring ---------------------------------------------------------------
# Commands are shell text, run in a subshell of this script (`exec` where the
# command is one program, so the measured process is the program itself).
declare -A CMD LOAD_START LOAD_END GROUP_OF

# run_timed CMD: prints the wall seconds of one run; exit code 2 and up stops
# the bench (1 is phonelint's and the validators' "found something").
run_timed() {
    local t0 t1 rc=0
    t0=$EPOCHREALTIME
    (eval "$1") >/dev/null 2>&1 || rc=$?
    t1=$EPOCHREALTIME
    if [ "$rc" -ge 2 ]; then
        say "bench: \`$1\` exited with $rc"
        exit 1
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}

# run_rss CMD: prints the peak RSS in KB of one run (GNU time).
run_rss() {
    local status
    /usr/bin/time -v -o "$T/time-v.txt" bash -c "$1" >/dev/null 2>&1 || true
    status="$(awk -F': ' '/Exit status/ { print $2 }' "$T/time-v.txt")"
    if [ "${status:-9}" -ge 2 ]; then
        say "bench: \`$1\` exited with ${status:-?} under /usr/bin/time"
        exit 1
    fi
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time-v.txt"
}

# group TITLE ROUNDS NAME...: interleaved timed rounds of the named commands,
# one line per round in $T/NAME.t.
group() {
    local title="$1" rounds="$2"
    shift 2
    local names=("$@") n="$#" r k name
    say "timing $title: $rounds rounds of ${names[*]} (load $(load))"
    LOAD_START[$title]="$(load)"
    for name in "${names[@]}"; do
        GROUP_OF[$name]="$title"
        : >"$T/$name.t"
        run_timed "${CMD[$name]}" >/dev/null
    done
    for ((r = 0; r < rounds; r++)); do
        for ((k = 0; k < n; k++)); do
            name="${names[(k + r) % n]}"
            run_timed "${CMD[$name]}" >>"$T/$name.t"
        done
    done
    LOAD_END[$title]="$(load)"
}

# rss NAME...: RSS_RUNS interleaved rounds of peak RSS, in $T/NAME.rss.
rss() {
    local r name
    say "peak RSS of $* (load $(load))"
    for name in "$@"; do : >"$T/$name.rss"; done
    for ((r = 0; r < RSS_RUNS; r++)); do
        for name in "$@"; do
            run_rss "${CMD[$name]}" >>"$T/$name.rss"
        done
    done
}

# stats FILE -> "median min max n" of its numbers.
stats() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan nan nan 0"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6f %.6f %.6f %d\n", m, v[1], v[NR], NR }'
}
# paired A B -> per-round A/B ratios in a file, printed as its path.
paired() {
    paste "$T/$1.t" "$T/$2.t" | awk '$2 > 0 { printf "%.6f\n", $1 / $2 }' >"$T/$1-over-$2.ratio"
    printf '%s' "$T/$1-over-$2.ratio"
}
field() { cut -d' ' -f"$2" <<<"$1"; }
ms() { awk -v s="$1" 'BEGIN { v = s * 1000; printf (v < 100 ? "%.1f" : "%.0f"), v }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
x() { awk -v v="$1" 'BEGIN { printf "%.2f", v }'; }
bytes_of() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }'; }
files_of() { find "$1" -type f | wc -l; }

# A time figure: "median ms | min-max ms | runs".
time_cells() {
    local s
    s="$(stats "$T/$1.t")"
    printf '%s ms | %s-%s ms | %s' "$(ms "$(field "$s" 1)")" "$(ms "$(field "$s" 2)")" "$(ms "$(field "$s" 3)")" "$(field "$s" 4)"
}
rss_cells() {
    local s
    s="$(stats "$T/$1.rss")"
    printf '%s MB | %s-%s MB | %s' "$(mb "$(field "$s" 1)")" "$(mb "$(field "$s" 2)")" "$(mb "$(field "$s" 3)")" "$(field "$s" 4)"
}
ratio_cells() { # file of ratios
    local s
    s="$(stats "$1")"
    printf 'x%s | x%s-x%s | %s' "$(x "$(field "$s" 1)")" "$(x "$(field "$s" 2)")" "$(x "$(field "$s" 3)")" "$(field "$s" 4)"
}
loads() { printf '%s -> %s' "${LOAD_START[$1]}" "${LOAD_END[$1]}"; }

# The read floor: every file read once, all cores, at least 4 batches a core.
floor_cmd() {
    local dir="$1" files batch
    files="$(files_of "$dir")"
    batch=$((files / (JOBS * 4)))
    [ "$batch" -lt 1 ] && batch=1
    [ "$batch" -gt 1000 ] && batch=1000
    printf "find %q -type f -print0 | xargs -0 -P%s -n %s cat" "$dir" "$JOBS" "$batch"
}
phonelint_cmd() { # dir [args...]
    local dir="$1"
    shift
    printf 'exec %q --format json' "$BIN"
    [ "$#" -gt 0 ] && printf ' %q' "$@"
    printf ' %q' "$dir"
}

# Rows of the measurements table, in the order measured.
ROWS=()
row() { ROWS+=("$1"$'\x1f'"$2"$'\x1f'"$3"); } # corpus, what, command name
declare -A CORPUS_FILES CORPUS_MB
describe() { # name dir
    CORPUS_FILES[$1]="$(files_of "$2")"
    CORPUS_MB[$1]="$(bytes_of "$2")"
}
big_done() { [ -n "${KEEP:-}" ] || drop_corpus "$1"; }
commas() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# --- the pre-commit case: one file named in a repository of REPO_N phones ----
REPO="$(corpus "files-$REPO_N" --phones "$REPO_N" --per-file 1)"
describe "files-$REPO_N" "$REPO"
ONE="$(cd "$REPO" && find phones -type f | sort | sed -n 1p)"
CMD[spawn]="exec /bin/true"
CMD[one-file]="cd $(printf %q "$REPO") && exec $(printf %q "$BIN") $(printf %q "$ONE")"
CMD[repo]="$(phonelint_cmd "$REPO")"
# The cache (warm after the group's warm-up run) against reading every file;
# a phonelint from before the cache has no --no-cache.
ONE_FILE=(one-file)
if "$BIN" --help 2>/dev/null | grep -q -- --no-cache; then
    CMD[one-file-no-cache]="${CMD[one-file]} --no-cache"
    ONE_FILE+=(one-file-no-cache)
fi
group "pre-commit" "$((RUNS * 4))" spawn "${ONE_FILE[@]}" repo
rss one-file
row "files-$REPO_N" "\`cd ROOT && phonelint $ONE\` (the pre-commit hook, human output; the cache warm)" one-file
[ "${#ONE_FILE[@]}" = 2 ] &&
    row "files-$REPO_N" "the same with \`--no-cache\` (every file read)" one-file-no-cache
row "files-$REPO_N" "\`phonelint --format json ROOT\` (the whole repository)" repo
row - "\`/bin/true\`: what starting a process costs this harness" spawn
(cd "$REPO" && PHONELINT_TIMINGS=1 "$BIN" "$ONE" 2>&1 >/dev/null || true) |
    sed -n 's/^phonelint: \(timing\|cpu\): /  - \1: /p' >"$T/one-file.stages"

# --- one-phone files against the read floor ---------------------------------
FILES="$(corpus "files-$FILES_N" --phones "$FILES_N" --per-file 1)"
describe "files-$FILES_N" "$FILES"
CMD[files-floor]="$(floor_cmd "$FILES")"
CMD[files]="$(phonelint_cmd "$FILES")"
group "one-phone files" "$RUNS" files-floor files
rss files
row "files-$FILES_N" "read floor" files-floor
row "files-$FILES_N" "\`phonelint --format json\`" files

# --- the schema validators, per file, on samples of the one-phone files -------
# sample KIND PATTERN: the first SAMPLE phone files matching PATTERN, copied
# into a repository of their own (phonelint.toml, no servers or aliases).
sample() {
    local dir="$OUT/corpus/sample-$1"
    rm -rf "$dir"
    mkdir -p "$dir"
    : >"$dir/phonelint.toml"
    (cd "$FILES" && find phones -type f -name "$2" | sort | sed -n "1,${SAMPLE}p" | xargs -d '\n' cp --parents -t "$dir")
    printf '%s' "$dir"
}
SAMPLE_ALL="$(sample all 'f*')"
SAMPLE_TOML="$(sample toml '*.toml')"
SAMPLE_JSON="$(sample json '*.json')"
ONE_TOML="$(cd "$SAMPLE_TOML" && find phones -type f | sort | sed -n 1p)"
ONE_JSON="$(cd "$SAMPLE_JSON" && find phones -type f | sort | sed -n 1p)"
big_done "files-$FILES_N"
in_dir() { printf 'cd %q && exec' "$1"; }
CMD[pl-all]="$(in_dir "$SAMPLE_ALL") $(printf %q "$BIN") --format json ."
CMD[pl-toml]="$(in_dir "$SAMPLE_TOML") $(printf %q "$BIN") --format json ."
CMD[pl-json]="$(in_dir "$SAMPLE_JSON") $(printf %q "$BIN") --format json ."
CMD[check-jsonschema]="$(in_dir "$SAMPLE_ALL") $(printf %q "$CHECK_JSONSCHEMA") --schemafile $(printf %q "$SCHEMA") phones/*/*"
CMD[taplo]="$(in_dir "$SAMPLE_TOML") $(printf %q "$TAPLO") lint --no-auto-config --schema file://$(printf %q "$SCHEMA") phones/*/*.toml"
CMD[ajv]="$(in_dir "$SAMPLE_JSON") $(printf %q "$AJV") validate --spec=draft2020 --strict=false -c ajv-formats -s $(printf %q "$SCHEMA") -d 'phones/*/*.json'"

# The validators must really validate: a clean phone passes, a misspelt key
# fails, and each reports on every file of its sample.
validators_sane() {
    local dir="$T/sanity"
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '[[phones]]\nextension = "cc1"\ndialplan_number = "1"\nvoicemail_id = "1"\nserver_ip = "10.10.10.15"\nlogin = "p1"\npass = "Ab3Cd4Ef5G"\nstatus = "ACTIVE"\nactive = "Y"\nprotocol = "SIP"\nlocal_gmt = "-5.00"\n' >"$dir/good.toml"
    sed 's/^extension/extention/' "$dir/good.toml" >"$dir/bad.toml"
    printf '{"phones": [{"extension": "cc1", "dialplan_number": "1", "voicemail_id": "1", "server_ip": "10.10.10.15", "login": "p1", "pass": "Ab3Cd4Ef5G", "status": "ACTIVE", "active": "Y", "protocol": "SIP", "local_gmt": "-5.00"}]}\n' >"$dir/good.json"
    sed 's/"extension"/"extention"/' "$dir/good.json" >"$dir/bad.json"
    local tool file expect rc
    for tool in check-jsonschema taplo ajv; do
        for file in good bad; do
            case "$tool" in
            check-jsonschema) rc=0 && "$CHECK_JSONSCHEMA" --schemafile "$SCHEMA" "$dir/$file.toml" "$dir/$file.json" >/dev/null 2>&1 || rc=$? ;;
            taplo) rc=0 && "$TAPLO" lint --no-auto-config --schema "file://$SCHEMA" "$dir/$file.toml" >/dev/null 2>&1 || rc=$? ;;
            ajv) rc=0 && "$AJV" validate --spec=draft2020 --strict=false -c ajv-formats -s "$SCHEMA" -d "$dir/$file.json" >/dev/null 2>&1 || rc=$? ;;
            esac
            expect=0
            [ "$file" = bad ] && expect=1
            if { [ "$expect" = 0 ] && [ "$rc" != 0 ]; } || { [ "$expect" = 1 ] && [ "$rc" = 0 ]; }; then
                say "bench: $tool gives exit code $rc on a $file phone; not comparing with it"
                exit 1
            fi
        done
    done
    local lines
    lines="$( (eval "${CMD[ajv]}") 2>&1 | grep -cE ' (valid|invalid)$' || true)"
    [ "$lines" = "$(files_of "$SAMPLE_JSON/phones")" ] || {
        say "bench: ajv reported on $lines files of $(files_of "$SAMPLE_JSON/phones")"
        exit 1
    }
}
validators_sane
CMD[check-jsonschema-1]="$(in_dir "$SAMPLE_TOML") $(printf %q "$CHECK_JSONSCHEMA") --schemafile $(printf %q "$SCHEMA") $(printf %q "$ONE_TOML")"
CMD[taplo-1]="$(in_dir "$SAMPLE_TOML") $(printf %q "$TAPLO") lint --no-auto-config --schema file://$(printf %q "$SCHEMA") $(printf %q "$ONE_TOML")"
CMD[ajv-1]="$(in_dir "$SAMPLE_JSON") $(printf %q "$AJV") validate --spec=draft2020 --strict=false -c ajv-formats -s $(printf %q "$SCHEMA") -d $(printf %q "$ONE_JSON")"
group validators "$RUNS" pl-all check-jsonschema pl-toml taplo pl-json ajv check-jsonschema-1 taplo-1 ajv-1
for s in all toml json; do describe "sample-$s" "$OUT/corpus/sample-$s"; done
row "sample-all" "\`phonelint --format json .\`" pl-all
row "sample-all" "check-jsonschema, every phone file" check-jsonschema
row "sample-toml" "\`phonelint --format json .\`" pl-toml
row "sample-toml" "taplo lint, every phone file" taplo
row "sample-json" "\`phonelint --format json .\`" pl-json
row "sample-json" "ajv validate, every phone file" ajv
row - "check-jsonschema on one TOML file (its start-up)" check-jsonschema-1
row - "taplo on one TOML file (its start-up)" taplo-1
row - "ajv on one JSON file (its start-up)" ajv-1

# --- x10 series: 10k -> 100k -> 1M phones in files of 1,000 ------------------
for n in "${SERIES[@]}"; do
    dir="$(corpus "packed-$n" --phones "$n" --per-file 1000)"
    describe "packed-$n" "$dir"
    CMD[packed-$n-floor]="$(floor_cmd "$dir")"
    CMD[packed-$n]="$(phonelint_cmd "$dir")"
done
runs=()
floors=()
for n in "${SERIES[@]}"; do
    runs+=("packed-$n")
    floors+=("packed-$n-floor")
done
group "x10 series" "$RUNS" "${runs[@]}" "${floors[@]}"
rss "${runs[@]}"
for n in "${SERIES[@]}"; do
    row "packed-$n" "read floor" "packed-$n-floor"
    row "packed-$n" "\`phonelint --format json\`" "packed-$n"
done
big_done "packed-$BIG"

# --- findings-heavy: every phone with exactly three findings -------------------
FINDINGS_DIR="$(findings_corpus)"
FINDINGS_NAME="$(basename "$FINDINGS_DIR")"
describe "$FINDINGS_NAME" "$FINDINGS_DIR"
# The findings reported must be three a phone, of three rules.
counts="$({ "$BIN" --format short "$FINDINGS_DIR" || true; } | sed -n 's/^[^ ]*: [a-z]*\[\([a-z0-9-]*\)\] .*/\1/p' | sort | uniq -c | awk '{ printf "%s%s=%s", (NR > 1 ? " " : ""), $2, $1 }')"
total="$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); s += kv[2] } } END { print s + 0 }' <<<"$counts")"
if [ "$total" != "$((FINDINGS_PHONES * 3))" ] || [ "$(wc -w <<<"$counts")" != 3 ]; then
    say "bench: the findings corpus gives $total findings ($counts), not three a phone"
    exit 1
fi
printf '[rules]\n' >"$T/findings-off.toml"
for rule in $(tr ' ' '\n' <<<"$counts" | cut -d= -f1); do
    printf '%s = "off"\n' "$rule" >>"$T/findings-off.toml"
done
CMD[findings-json]="$(phonelint_cmd "$FINDINGS_DIR")"
CMD[findings-sarif]="exec $(printf %q "$BIN") --format sarif $(printf %q "$FINDINGS_DIR")"
CMD[findings-human]="exec $(printf %q "$BIN") --format human --color never $(printf %q "$FINDINGS_DIR")"
CMD[findings-off]="$(phonelint_cmd "$FINDINGS_DIR" --config "$T/findings-off.toml")"
CMD[findings-floor]="$(floor_cmd "$FINDINGS_DIR")"
group findings "$RUNS" findings-json findings-sarif findings-human findings-off findings-floor
rss findings-json findings-sarif findings-human findings-off
row "$FINDINGS_NAME" "read floor" findings-floor
row "$FINDINGS_NAME" "\`phonelint --format json\`" findings-json
row "$FINDINGS_NAME" "\`phonelint --format sarif\`" findings-sarif
row "$FINDINGS_NAME" "\`phonelint --format human --color never\`" findings-human
row "$FINDINGS_NAME" "\`phonelint --format json\` with the three rules off (no findings: the control)" findings-off
big_done "$FINDINGS_NAME"

# --- 10,000,000 phones (HUGE=1): one run each, then deleted -------------------
HUGE_NOTE="$(commas "$HUGE_N") phones: not run (HUGE=1 runs it)"
HUGE_OK=""
if [ -n "${HUGE:-}" ]; then
    need_kb=$((HUGE_N * 450 / 1024 + 1048576))
    avail_kb="$(df -Pk "$OUT" | awk 'NR == 2 { print $4 }')"
    if [ "$avail_kb" -lt "$need_kb" ]; then
        HUGE_NOTE="$(commas "$HUGE_N") phones: not run, $((avail_kb / 1048576)) GB free on $OUT, $((need_kb / 1048576)) GB needed"
    else
        name="packed-$HUGE_N"
        t0=$EPOCHREALTIME
        dir="$(corpus "$name" --phones "$HUGE_N" --per-file 1000)"
        gen_s="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')"
        describe "$name" "$dir"
        CMD[$name-floor]="$(floor_cmd "$dir")"
        group "x10 more" 1 "$name-floor"
        # One run, timed and measured by GNU time at once, in a capped address
        # space: a phonelint that needs more fails instead of pushing the
        # shared machine out of memory.
        rc=0
        t0=$EPOCHREALTIME
        /usr/bin/time -v -o "$T/time-v.txt" bash -c "ulimit -v $((HUGE_MEM_GB * 1048576)) && $(phonelint_cmd "$dir")" \
            >/dev/null 2>"$T/$name.err" || rc=$?
        awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.6f\n", b - a }' >"$T/$name.t"
        awk -F': ' '/Maximum resident set size/ { print $2 }' "$T/time-v.txt" >"$T/$name.rss"
        LOAD_END["x10 more"]="$(load)"
        GROUP_OF[$name]="x10 more"
        row "$name" "read floor" "$name-floor"
        HUGE_NOTE="$(commas "$HUGE_N") phones: ${CORPUS_MB[$name]} MB in ${CORPUS_FILES[$name]} files, generated in ${gen_s} s (niced), one run each"
        if [ "$rc" -ge 2 ]; then
            row "$name" "\`phonelint --format json\` (one run, under \`ulimit -v\` $HUGE_MEM_GB GB): **failed**, exit $rc, see below" "$name"
            HUGE_NOTE="$HUGE_NOTE; phonelint failed (exit $rc) in the ${HUGE_MEM_GB} GB address space after $(ms "$(cat "$T/$name.t")") ms: $(grep -m1 -v -e '^note:' -e '^$' "$T/$name.err" || true)"
        else
            row "$name" "\`phonelint --format json\` (one run, under \`ulimit -v\` $HUGE_MEM_GB GB)" "$name"
            HUGE_OK=1
        fi
        big_done "$name"
    fi
fi

# --- the report ----------------------------------------------------------------
median_of() { field "$(stats "$1")" 1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }
verdict() { # value op limit
    awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=") ? (v <= l) : (op == "<") ? (v < l) : (v >= l); print (ok ? "met" : "**missed**") }'
}
target() { # text, cells, group, verdict
    printf '| %s | %s | %s | %s |\n' "$1" "$2" "$(loads "$3")" "$4"
}
{
    if [ -n "${PHONELINT:-}" ]; then
        echo "### ${LABEL:-$BIN}, $(date -u '+%Y-%m-%d %H:%M UTC')"
    else
        echo "### phonelint at $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC')"
    fi
    echo
    echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -m | awk '/Mem:/ { print $2 }') MB memory; \`RUNS=$RUNS RSS_RUNS=$RSS_RUNS SAMPLE=$SAMPLE${QUICK:+ QUICK=1}${HUGE:+ HUGE=1}\`. Times: wall-clock medians of interleaved rounds, whole process, output to /dev/null, after one warm-up run; spread: min-max; load: the 1/5/15-minute load average at the start and the end of the group."
    echo
    echo "| corpus | files | MB | command | median | min-max | runs | peak RSS (median) | RSS min-max | RSS runs | load (start -> end) |"
    echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"
    for entry in "${ROWS[@]}"; do
        IFS=$'\x1f' read -r corp what name <<<"$entry"
        rcells="| | "
        [ -s "$T/$name.rss" ] && rcells="$(rss_cells "$name")"
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$corp" "${CORPUS_FILES[$corp]:-}" "${CORPUS_MB[$corp]:-}" \
            "$what" "$(time_cells "$name")" "$rcells" "$(loads "${GROUP_OF[$name]}")"
    done
    echo
    echo "| target (issue 18) | measured: median | min-max | runs | load (start -> end) | verdict |"
    echo "|---|---:|---:|---:|---|---|"
    r="$(paired files files-floor)"
    target "$(commas "$FILES_N") one-phone files: phonelint / read floor at most 1.0 (aim 0.8)" "$(ratio_cells "$r")" "one-phone files" \
        "$(verdict "$(median_of "$r")" '<=' 1.0)"
    target "$(commas "$FILES_N") one-phone files: peak RSS at most 150 MB" "$(rss_cells files)" "one-phone files" \
        "$(verdict "$(mb "$(median_of "$T/files.rss")")" '<=' 150)"
    target "$(commas "$BIG") phones packed: under 4 s" "$(time_cells "packed-$BIG")" "x10 series" \
        "$(verdict "$(median_of "$T/packed-$BIG.t")" '<' 4)"
    target "$(commas "$BIG") phones packed: peak RSS at most 800 MB" "$(rss_cells "packed-$BIG")" "x10 series" \
        "$(verdict "$(mb "$(median_of "$T/packed-$BIG.rss")")" '<=' 800)"
    for k in 1 2; do
        a="${SERIES[k - 1]}"
        b="${SERIES[k]}"
        r="$(paired "packed-$b" "packed-$a")"
        target "x10 phones, $(commas "$a") -> $(commas "$b"): time at most x10.5" "$(ratio_cells "$r")" "x10 series" \
            "$(verdict "$(median_of "$r")" '<=' 10.5)"
        ra="$(median_of "$T/packed-$a.rss")"
        rb="$(median_of "$T/packed-$b.rss")"
        target "x10 phones, $(commas "$a") -> $(commas "$b"): peak RSS at most x10.5" \
            "x$(x "$(div "$rb" "$ra")") (medians, $(mb "$ra") -> $(mb "$rb") MB) | | $RSS_RUNS" "x10 series" \
            "$(verdict "$(div "$rb" "$ra")" '<=' 10.5)"
    done
    if [ -n "$HUGE_OK" ]; then
        a="$(median_of "$T/packed-$BIG.t")"
        b="$(cat "$T/packed-$HUGE_N.t")"
        target "x10 phones, $(commas "$BIG") -> $(commas "$HUGE_N"): time at most x10.5 (one run)" "x$(x "$(div "$b" "$a")") | | 1" \
            "x10 more" "$(verdict "$(div "$b" "$a")" '<=' 10.5)"
        a="$(median_of "$T/packed-$BIG.rss")"
        b="$(cat "$T/packed-$HUGE_N.rss")"
        target "x10 phones, $(commas "$BIG") -> $(commas "$HUGE_N"): peak RSS at most x10.5 (one run)" \
            "x$(x "$(div "$b" "$a")") ($(mb "$a") -> $(mb "$b") MB) | | 1" "x10 more" "$(verdict "$(div "$b" "$a")" '<=' 10.5)"
    fi
    for tool in check-jsonschema taplo ajv; do
        case "$tool" in
        check-jsonschema) pl=pl-all limit=30 what="$SAMPLE phone files, TOML and JSON" ;;
        taplo) pl=pl-toml limit="" what="$SAMPLE TOML phone files" ;;
        ajv) pl=pl-json limit="" what="$SAMPLE JSON phone files" ;;
        esac
        r="$(paired "$tool" "$pl")"
        v="(no target)"
        [ -n "$limit" ] && v="$(verdict "$(median_of "$r")" '>=' "$limit")"
        target "per file: $tool / phonelint, on the same $what${limit:+ (at least x$limit)}" "$(ratio_cells "$r")" validators "$v"
    done
    target "one-file run (pre-commit) in a $(commas "$REPO_N")-phone repository: under 60 ms" "$(time_cells one-file)" pre-commit \
        "$(verdict "$(median_of "$T/one-file.t")" '<' 0.060)"
    ra="$(median_of "$T/findings-off.rss")"
    for fmt in json sarif human; do
        rb="$(median_of "$T/findings-$fmt.rss")"
        target "$(commas "$((FINDINGS_PHONES * 3))") findings, $fmt: memory bounded by the index, not by the findings (peak RSS against the same check with the three rules off)" \
            "x$(x "$(div "$rb" "$ra")") ($(mb "$rb") against $(mb "$ra") MB, medians) | | $RSS_RUNS" \
            findings "no number given: x1.0 is streamed"
    done
    echo
    echo "- Ratios are medians of per-round ratios: both commands ran in the same round. Per file, both sides are whole processes on the same files, start-up included (start-up alone: the one-file rows)."
    printf -- '- Per file (median time / %s files): ' "$SAMPLE"
    for name in pl-all check-jsonschema pl-toml taplo pl-json ajv; do
        printf '%s %s ms%s' "$name" "$(awk -v s="$(median_of "$T/$name.t")" -v n="$SAMPLE" 'BEGIN { printf "%.3f", s * 1000 / n }')" \
            "$([ "$name" = ajv ] && echo . || echo ', ')"
    done
    echo " (pl-all, pl-toml, pl-json: phonelint on the mixed, TOML and JSON samples.)"
    echo "- The findings corpus reports $counts."
    echo "- $HUGE_NOTE."
    echo "- The one-file run by phonelint's own stage timings (\`PHONELINT_TIMINGS=1\`, one run):"
    cat "$T/one-file.stages"
} >"$REPORT"
cat "$REPORT"
say "results written to $REPORT"
