#!/usr/bin/env bash
# Independent validators, each with a negative control so that a validator that
# accepts anything is noticed:
#   - action.yml: action-validator (npm) and check-jsonschema's GitHub Actions schema;
#   - the README's example workflow: the same two, with the workflow schema;
#   - .pre-commit-hooks.yaml: pre-commit's own manifest validation;
#   - SARIF of the example repository and of a hostile one: check-jsonschema
#     against the official SARIF 2.1.0 schema.
# Needs: target/ci-tools (.ci/setup-tools.sh) and PHONELINT (the release binary).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PHONELINT:?}"
tools=$PWD/target/ci-tools
av="$tools/node/node_modules/.bin/action-validator"
cj="$tools/venv/bin/check-jsonschema"
schema="$tools/schema/sarif-2.1.0.json"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@" >"$scratch/log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
    sed 's/^/    | /' "$scratch/log"
  fi
}
rejects() { ! "$@"; }
# The schema's own patterns are ECMAScript regexes (one is invalid in
# unicode mode), so they are read as such.
sarif_valid() { "$cj" --regex-variant nonunicode --schemafile "$schema" "$@"; }

check "action.yml: action-validator" "$av" action.yml
check "action.yml: check-jsonschema github-actions" "$cj" --builtin-schema vendor.github-actions action.yml
sed 's/^runs:/runz:/' action.yml >"$scratch/action.yml"
check "a broken action.yml is rejected by action-validator" rejects "$av" "$scratch/action.yml"
check "a broken action.yml is rejected by check-jsonschema" rejects "$cj" --builtin-schema vendor.github-actions "$scratch/action.yml"

mkdir -p "$scratch/.github/workflows"
sed -n '/<!-- example-workflow:start -->/,/<!-- example-workflow:end -->/p' README.md |
  sed '1,2d;$d' | sed '$d' >"$scratch/.github/workflows/phonelint.yml"
check "README workflow: extracted" grep -q 'upload-sarif' "$scratch/.github/workflows/phonelint.yml"
check "README workflow: action-validator" "$av" "$scratch/.github/workflows/phonelint.yml"
check "README workflow: check-jsonschema github-workflows" "$cj" --builtin-schema vendor.github-workflows "$scratch/.github/workflows/phonelint.yml"

sed -n '/<!-- drift-workflow:start -->/,/<!-- drift-workflow:end -->/p' README.md |
  sed '1,2d;$d' | sed '$d' >"$scratch/.github/workflows/drift.yml"
check "README drift workflow: extracted" grep -q 'phonelint drift --db' "$scratch/.github/workflows/drift.yml"
check "README drift workflow: action-validator" "$av" "$scratch/.github/workflows/drift.yml"
check "README drift workflow: check-jsonschema github-workflows" "$cj" --builtin-schema vendor.github-workflows "$scratch/.github/workflows/drift.yml"

check ".pre-commit-hooks.yaml: pre-commit validate-manifest" "$tools/venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml

"$PHONELINT" fixtures/example --format sarif >"$scratch/example.sarif" || test $? -eq 1
check "SARIF of the example repository: valid 2.1.0" sarif_valid "$scratch/example.sarif"
check "SARIF of the example repository: has results" grep -q '"ruleId": "inactive-admin"' "$scratch/example.sarif"
# drift's SARIF: findings in the repository and in a row only the dump holds.
"$PHONELINT" import fixtures/vicidial-data/mysqldump-phones.sql --out "$scratch/drift" >/dev/null || test $? -eq 1
touch "$scratch/drift/phonelint.toml"
sed "s/('cc100','100'/('cc100','199'/; s/('cc101','101'/('cc1O1','101'/" \
  fixtures/vicidial-data/mysqldump-phones.sql >"$scratch/nightly.sql"
(cd "$scratch/drift" && "$PHONELINT" drift --dump ../nightly.sql --format sarif >../drift.sarif) || test $? -eq 1
check "SARIF of drift: valid 2.1.0" sarif_valid "$scratch/drift.sarif"
check "SARIF of drift: has its rules' results" grep -q '"ruleId": "drift-only-in-database"' "$scratch/drift.sarif"
mkdir -p "$scratch/hostile/.git"
printf '[[phones]]\nextension = "x\\n::add-mask::y"\nserver_ip = "10.10.10.15"\nstatus = "ADMIN"\nactive = "N"\npass = "Hunter2xyz"\n"bad\\u0000key" = 1\n' >"$scratch/hostile/odd name,%.toml"
printf '{"phones": [ {"extension": "a"' >"$scratch/hostile/broken.json"
(cd "$scratch/hostile" && "$PHONELINT" --format sarif >../hostile.sarif) || test $? -eq 1
check "SARIF of a hostile repository: valid 2.1.0" sarif_valid "$scratch/hostile.sarif"
check "SARIF of a hostile repository: has results" grep -q '"ruleId": "unknown-field"' "$scratch/hostile.sarif"
check "SARIF of a hostile repository: no secret" rejects grep -q Hunter2xyz "$scratch/hostile.sarif"
sed 's/"level": "error"/"level": "fatal"/' "$scratch/example.sarif" >"$scratch/broken.sarif"
check "a broken SARIF file is rejected" rejects sarif_valid "$scratch/broken.sarif"

echo "validators: $passed passed, $failed failed"
test "$failed" -eq 0
