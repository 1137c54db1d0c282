"""The runner of the Python tests in .ci: every `test_*` function of a
module, in name order; a failure prints its traceback and the run goes on.
Ends with the line `NAME: N passed, N failed`."""

import traceback


def run_tests(namespace, name):
    tests = [(test_name, f) for test_name, f in sorted(namespace.items()) if test_name.startswith("test_")]
    failed = 0
    for test_name, test in tests:
        try:
            test()
            print(f"ok   {test_name}")
        except Exception:
            failed += 1
            print(f"FAIL {test_name}")
            traceback.print_exc()
    print(f"{name}: {len(tests) - failed} passed, {failed} failed")
    return failed
