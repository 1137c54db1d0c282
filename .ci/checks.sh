# Sourced by the shell tests in .ci: a scratch directory removed on exit,
# `check WHAT COMMAND...` (counts, and prints the command's output when it
# fails), `rejects COMMAND...` (succeeds when the command fails) and
# `finish NAME` (prints `NAME: N passed, N failed`, fails if any failed).
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
finish() {
  echo "$1: $passed passed, $failed failed"
  test "$failed" -eq 0
}
