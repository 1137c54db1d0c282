#!/usr/bin/env bash
# The pre-commit hooks as a user runs them: `pre-commit try-repo` against this
# checkout, on a scratch git repository of phone definitions, once for each
# hook of .pre-commit-hooks.yaml:
#   phonelint         pre-commit pip-installs the phonelint wheel; pip is
#                     pointed at WHEELS (PIP_NO_INDEX, PIP_FIND_LINKS), a
#                     directory holding the wheel built here and the
#                     placeholder's build backend; cargo and rustc on PATH
#                     are shims that fail the test if anything calls them
#   phonelint-source  pre-commit builds phonelint (language: rust, `cargo
#                     install`); CARGO_TARGET_DIR lets that build share the
#                     release build of .ci/run
#   phonelint-system  the phonelint on PATH: PHONELINT's directory
#   phonelint-repo    the wheel, as for `phonelint`, run on the whole
#                     repository
# The default hook, `phonelint`, goes through every scenario; the source and
# system hooks run the same phonelint with the same arguments and differ only
# in how it is installed, so they go through one (a failing commit), which
# keeps the source hook's compilations to one. The repository hook goes
# through the case it exists for: a commit that deletes a phone an alias
# names, which the per-file hooks cannot see (shown with the system hook,
# which installs nothing). Last, a baseline named in phonelint.toml: the
# per-file and repository hooks apply it with no argument, as a local run
# does.
# Needs: PRE_COMMIT (the pinned pre-commit), PHONELINT (the release binary),
# WHEELS (the local wheel directory).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
: "${PRE_COMMIT:?}" "${PHONELINT:?}" "${WHEELS:?}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/pre-commit-home"
passed=0
failed=0

# Shims that record a call to the Rust toolchain, but for `rustc --version`:
# pip runs that for its user agent whenever it downloads.
mkdir -p "$scratch/no-rust"
for tool in cargo rustc rustup; do
  printf '#!/bin/sh\n[ "$*" = --version ] || echo "%s $*" >>"%s"\nexit 127\n' "$tool" "$scratch/rust-called" >"$scratch/no-rust/$tool"
  chmod +x "$scratch/no-rust/$tool"
done
mkdir -p "$scratch/system-bin"
ln -s "$PHONELINT" "$scratch/system-bin/phonelint"

phone() { # extension login status active
  printf '[[phones]]\nextension = "%s"\ndialplan_number = "8300"\nvoicemail_id = "8300"\nserver_ip = "10.10.10.15"\nlogin = "%s"\npass = "Rr8xkq2Lw"\nstatus = "%s"\nactive = "%s"\nconf_secret = "Kd93hxQa7"\n' "$@"
}
git_() { git -C "$scratch/defs" -c user.name=ci -c user.email=ci@example.invalid -c commit.gpgsign=false "$@"; }
# Runs $hook on the staged files, in the environment that hook gets; sets
# $out and $rc.
try_repo() {
  local env=()
  case "$hook" in
    phonelint | phonelint-repo) env=(PATH="$scratch/no-rust:$PATH" PIP_NO_INDEX=1 PIP_FIND_LINKS="$WHEELS") ;;
    phonelint-system) env=(PATH="$scratch/system-bin:$PATH") ;;
  esac
  rc=0
  out=$(cd "$scratch/defs" && env "${env[@]}" "$PRE_COMMIT" try-repo "$repo" "$hook" --verbose --color never "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | sed 's/^/    | /'
}
check() { # description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
  fi
}
contains() { grep -qF -- "$2" <<<"$1"; }
matches() { grep -qE -- "$2" <<<"$1"; }

scenarios() {
  rm -rf "$scratch/defs"
  mkdir -p "$scratch/defs/phones"
  git init -q "$scratch/defs"
  phone cc100 cc100 ACTIVE Y >"$scratch/defs/phones/floor1.toml"
  phone cc101 cc101 ACTIVE Y >"$scratch/defs/phones/floor2.toml"
  # An untouched file with a problem of its own (a misspelt column, a warning):
  # it must not be reported when another file changes.
  { phone cc102 cc102 ACTIVE Y; echo 'fulname = "Desk"'; } >"$scratch/defs/phones/desk.toml"
  git_ add -A
  git_ commit -qm "clean definitions"

  if [ "$hook" = phonelint ]; then
    echo "== $hook: a clean repository passes"
    try_repo --all-files
    check "$hook: clean repository: exit 0" test "$rc" -eq 0
    check "$hook: clean repository: the hook ran and passed" matches "$out" '^phonelint\.+Passed$'
  fi

  echo "== $hook: a commit introducing an inactive ADMIN phone fails"
  phone gs102 gs102 ADMIN N >"$scratch/defs/phones/admin.toml"
  git_ add phones/admin.toml
  try_repo
  check "$hook: inactive ADMIN: exit 1" test "$rc" -eq 1
  check "$hook: inactive ADMIN: the hook failed" matches "$out" '^phonelint\.+Failed$'
  check "$hook: inactive ADMIN: the finding is shown" contains "$out" "inactive phone \`gs102@10.10.10.15\` is declared with status ADMIN"
  check "$hook: inactive ADMIN: at the file" contains "$out" "phones/admin.toml:8:10"
  check "$hook: inactive ADMIN: the untouched file is not reported on" bash -c '! grep -qF unknown-field <<<"$1"' _ "$out"
  check "$hook: inactive ADMIN: no secret in the output" bash -c '! grep -qF Rr8xkq2Lw <<<"$1"' _ "$out"
  git_ rm -qf phones/admin.toml
  [ "$hook" = phonelint ] || return 0

  echo "== $hook: a change duplicating a login held in an untouched file fails"
  phone cc103 cc100 ACTIVE Y >"$scratch/defs/phones/floor3.toml"
  git_ add phones/floor3.toml
  try_repo
  check "$hook: duplicate login: the untouched file is not reported on" bash -c '! grep -qF unknown-field <<<"$1"' _ "$out"
  check "$hook: duplicate login: exit 1" test "$rc" -eq 1
  check "$hook: duplicate login: the hook failed" matches "$out" '^phonelint\.+Failed$'
  check "$hook: duplicate login: reported by duplicate-login" contains "$out" "duplicate-login"
  check "$hook: duplicate login: on the changed file" contains "$out" "phones/floor3.toml"
  check "$hook: duplicate login: pointing at the untouched file" contains "$out" "phones/floor1.toml"
}

for hook in phonelint phonelint-source phonelint-system; do
  scenarios
done

echo "== a commit deleting a phone that an alias names"
rm -rf "$scratch/defs"
mkdir -p "$scratch/defs/phones"
git init -q "$scratch/defs"
phone cc100 cc100 ACTIVE Y >"$scratch/defs/phones/floor1.toml"
phone cc101 cc101 ACTIVE Y | sed 's/8300/8301/g; s/10.10.10.15/10.10.10.16/' >"$scratch/defs/phones/floor2.toml"
printf '[[aliases]]\nalias_id = "frontdesk"\nalias_name = "Front desk"\nlogins_list = ["cc100", "cc101"]\n' >"$scratch/defs/aliases.toml"
# alias-unknown-login is a warning: a team that enforces fails on warnings.
echo 'fail-on = "warning"' >"$scratch/defs/phonelint.toml"
git_ add -A
git_ commit -qm "two phones and an alias over them"
git_ rm -q phones/floor2.toml
hook=phonelint-system
try_repo
check "per-file hook, deletion: nothing staged to check, so it passes" test "$rc" -eq 0
check "per-file hook, deletion: skipped" matches "$out" '^phonelint\.+\(no files to check\)Skipped$'
hook=phonelint-repo
try_repo
check "$hook: deletion: exit 1" test "$rc" -eq 1
check "$hook: deletion: the hook failed" matches "$out" '^phonelint \(whole repository\)\.+Failed$'
check "$hook: deletion: the alias names a login no phone has" contains "$out" "alias \`frontdesk\` lists \`cc101\`, but no phone has that login"
check "$hook: deletion: at the alias" contains "$out" "aliases.toml:4:25"
local_rc=0
(cd "$scratch/defs" && "$PHONELINT" >/dev/null) || local_rc=$?
check "$hook: deletion: the verdict of a local phonelint run" test "$local_rc" -eq "$rc"
git_ commit -qm "cc101 removed" --no-verify
printf '[[aliases]]\nalias_id = "frontdesk"\nalias_name = "Front desk"\nlogins_list = ["cc100"]\n' >"$scratch/defs/aliases.toml"
git_ add aliases.toml
try_repo
check "$hook: the alias fixed: exit 0" test "$rc" -eq 0
check "$hook: the alias fixed: the hook passed" matches "$out" '^phonelint \(whole repository\)\.+Passed$' 
echo "== a baseline named in phonelint.toml: the hooks apply it, as a local run does"
rm -rf "$scratch/defs"
mkdir -p "$scratch/defs/phones"
git init -q "$scratch/defs"
phone cc100 cc100 ACTIVE Y >"$scratch/defs/phones/floor1.toml"
phone gs102 gs102 ADMIN N | sed 's/8300/8302/g' >"$scratch/defs/phones/admin.toml"
printf 'baseline = "phonelint-baseline.json"\n' >"$scratch/defs/phonelint.toml"
git_ add -A
git_ commit -qm "an old inactive ADMIN phone" --no-verify
echo "# desk moved" >>"$scratch/defs/phones/admin.toml"
git_ add phones/admin.toml
hook=phonelint-system
try_repo
check "configured baseline, not yet written: the old finding fails the commit" test "$rc" -eq 1
check "configured baseline, not yet written: a note says so" contains "$out" "phonelint: note: no baseline at phonelint-baseline.json (named in phonelint.toml:1)"
(cd "$scratch/defs" && "$PHONELINT" baseline 2>/dev/null)
git_ add phonelint-baseline.json
for hook in phonelint-system phonelint-repo; do
  try_repo
  check "$hook: configured baseline: the baselined finding passes, no --baseline given" test "$rc" -eq 0
  check "$hook: configured baseline: the hook passed" matches "$out" '^phonelint( \(whole repository\))?\.+Passed$'
done
local_rc=0
(cd "$scratch/defs" && "$PHONELINT" >/dev/null) || local_rc=$?
check "configured baseline: a local run agrees" test "$local_rc" -eq 0
git_ commit -qm "baseline" --no-verify
phone gs103 gs103 ADMIN N | sed 's/8300/8303/g' >"$scratch/defs/phones/admin2.toml"
git_ add phones/admin2.toml
for hook in phonelint-system phonelint-repo; do
  try_repo
  check "$hook: configured baseline: a new inactive ADMIN fails" test "$rc" -eq 1
  check "$hook: configured baseline: the new finding is shown" contains "$out" "inactive phone \`gs103@10.10.10.15\`"
  check "$hook: configured baseline: the baselined one is not" bash -c '! grep -qF "gs102@" <<<"$1"' _ "$out"
done
check "phonelint (wheel): nothing built with cargo, rustc or rustup" bash -c '! cat "$1" 2>/dev/null | grep .' _ "$scratch/rust-called"
# So the phonelint that ran came from the wheel: there was no other.
check "phonelint (wheel): no phonelint on the PATH the wheel hook had" env PATH="$scratch/no-rust:$PATH" sh -c '! command -v phonelint'

echo "pre-commit: $passed passed, $failed failed"
test "$failed" -eq 0
