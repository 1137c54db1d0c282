#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's fixtures (the corpus is
# not committed: fuzz/.gitignore). Run from anywhere; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/load_toml corpus/load_json corpus/plain_toml corpus/plain_json corpus/import \
    corpus/fix corpus/baseline
seed() { # target, files...
    local target=$1; shift
    for file in "$@"; do
        # Name by content so reruns do not duplicate seeds.
        cp "$file" "corpus/$target/$(sha1sum "$file" | cut -c1-16)"
    done
}
mapfile -t toml < <(find "$root/fixtures" -name '*.toml' -size -64k -type f)
mapfile -t json < <(find "$root/fixtures" -name '*.json' -size -64k -type f)
mapfile -t sql < <(find "$root/fixtures" "$root/tests" \( -name '*.sql' -o -name '*.tsv' \) -size -256k -type f)
seed load_toml "${toml[@]}"
seed load_json "${json[@]}"
seed plain_toml "${toml[@]}"
seed plain_json "${json[@]}"
seed import "${sql[@]}"
# fix: the first byte picks the format (even: TOML, odd: JSON).
for file in "${toml[@]}" "${json[@]}"; do
    case "$file" in *.json) choice='\x01' ;; *) choice='\x00' ;; esac
    { printf "$choice"; cat "$file"; } >"corpus/fix/$(sha1sum "$file" | cut -c1-16)"
done
# baseline: the baselines of the fixtures.
mapfile -t baselines < <(find "$root/fixtures" -name 'phonelint-baseline.json' -type f)
seed baseline "${baselines[@]}"
# The regression inputs (crashes found before) are seeds too.
for target in load_toml load_json plain_toml plain_json import fix baseline; do
    if [ -d "regressions/$target" ]; then
        seed "$target" $(find "regressions/$target" -type f)
    fi
done
for target in load_toml load_json plain_toml plain_json import fix baseline; do
    echo "corpus/$target: $(ls "corpus/$target" | wc -l) files"
done
