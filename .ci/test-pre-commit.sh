#!/usr/bin/env bash
# The pre-commit hook as a user runs it: `pre-commit try-repo` against this
# checkout, on a scratch git repository of phone definitions. pre-commit
# builds phonelint itself (language: rust, `cargo install`); CARGO_TARGET_DIR
# lets that build share the release build of .ci/run.
# Needs: PRE_COMMIT (the pinned pre-commit), PHONELINT (the release binary).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
: "${PRE_COMMIT:?}" "${PHONELINT:?}"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/pre-commit-home"
passed=0
failed=0

phone() { # extension login status active
  printf '[[phones]]\nextension = "%s"\ndialplan_number = "8300"\nvoicemail_id = "8300"\nserver_ip = "10.10.10.15"\nlogin = "%s"\npass = "Rr8xkq2Lw"\nstatus = "%s"\nactive = "%s"\nconf_secret = "Kd93hxQa7"\n' "$@"
}
git_() { git -C "$scratch/defs" -c user.name=ci -c user.email=ci@example.invalid -c commit.gpgsign=false "$@"; }
# Runs the hook on the staged files; sets $out and $rc.
try_repo() {
  rc=0
  out=$(cd "$scratch/defs" && "$PRE_COMMIT" try-repo "$repo" phonelint --verbose --color never "$@" 2>&1) || rc=$?
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

mkdir -p "$scratch/defs/phones"
git init -q "$scratch/defs"
phone cc100 cc100 ACTIVE Y >"$scratch/defs/phones/floor1.toml"
phone cc101 cc101 ACTIVE Y >"$scratch/defs/phones/floor2.toml"
# An untouched file with a problem of its own (a misspelt column, a warning):
# it must not be reported when another file changes.
{ phone cc102 cc102 ACTIVE Y; echo 'fulname = "Desk"'; } >"$scratch/defs/phones/desk.toml"
git_ add -A
git_ commit -qm "clean definitions"

echo "== a clean repository passes"
try_repo --all-files
check "clean repository: exit 0" test "$rc" -eq 0
check "clean repository: the hook ran and passed" matches "$out" '^phonelint\.+Passed$'

echo "== a commit introducing an inactive ADMIN phone fails"
phone gs102 gs102 ADMIN N >"$scratch/defs/phones/admin.toml"
git_ add phones/admin.toml
try_repo
check "inactive ADMIN: exit 1" test "$rc" -eq 1
check "inactive ADMIN: the hook failed" matches "$out" '^phonelint\.+Failed$'
check "inactive ADMIN: the finding is shown" contains "$out" "inactive phone \`gs102@10.10.10.15\` is declared with status ADMIN"
check "inactive ADMIN: at the file" contains "$out" "phones/admin.toml:8:10"
check "inactive ADMIN: the untouched file is not reported on" bash -c '! grep -qF unknown-field <<<"$1"' _ "$out"
check "inactive ADMIN: no secret in the output" bash -c '! grep -qF Rr8xkq2Lw <<<"$1"' _ "$out"
git_ rm -qf phones/admin.toml

echo "== a change duplicating a login held in an untouched file fails"
phone cc103 cc100 ACTIVE Y >"$scratch/defs/phones/floor3.toml"
git_ add phones/floor3.toml
try_repo
check "duplicate login: the untouched file is not reported on" bash -c '! grep -qF unknown-field <<<"$1"' _ "$out"
check "duplicate login: exit 1" test "$rc" -eq 1
check "duplicate login: the hook failed" matches "$out" '^phonelint\.+Failed$'
check "duplicate login: reported by duplicate-login" contains "$out" "duplicate-login"
check "duplicate login: on the changed file" contains "$out" "phones/floor3.toml"
check "duplicate login: pointing at the untouched file" contains "$out" "phones/floor1.toml"

echo "pre-commit: $passed passed, $failed failed"
test "$failed" -eq 0
