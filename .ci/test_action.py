"""The composite action (action.yml) run as a GitHub runner would run it, on
scratch repositories, with assertions on annotations, outputs, the job summary
and the SARIF file. Needs CARGO_TARGET_DIR to hold (or receive) the release
build, so that the action's build step reuses it."""

import json
import os
import subprocess
import sys
import tempfile
import traceback

from run_action import run_action

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))


def phone(extension, login, status, active, extra=""):
    # Each phone its own dialplan number and a strong conf_secret (last, so
    # the lines of the other keys stay put): only the planted mistakes fire.
    number = "8" + "".join(c for c in extension if c.isdigit())
    if extra and not extra.endswith("\n"):
        extra += "\n"
    return (
        f'[[phones]]\nextension = "{extension}"\ndialplan_number = "{number}"\n'
        f'voicemail_id = "{number}"\nserver_ip = "10.10.10.15"\nlogin = "{login}"\n'
        f'pass = "Hunter2xyz"\nstatus = "{status}"\nactive = "{active}"\n{extra}'
        f'conf_secret = "Kd93hxQa7"\n'
    )


def repository(files):
    workspace = tempfile.mkdtemp(prefix="workspace-")
    subprocess.run(["git", "init", "-q", workspace], check=True)
    for name, text in files.items():
        path = os.path.join(workspace, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return workspace


BAD = {
    "phones/admin.toml": phone("gs102", "gs102", "ADMIN", "N"),
    "phones/floor.toml": phone(
        "cc105",
        "cc105",
        "SUSPENDED",
        "Y",
        'fullname = "B\\n::add-mask::x %0A::set-output\\r"\n',
    ),
    "phones/clean.toml": phone("cc100", "cc100", "ACTIVE", "Y"),
}
ENV = dict(
    os.environ,
    GITHUB_SERVER_URL="https://github.com",
    GITHUB_REPOSITORY="acme/phones",
    GITHUB_SHA="0123abc",
)

ADMIN_ANNOTATION = (
    "::error file=phones/admin.toml,line=8,endLine=8,col=10,endColumn=17,"
    "title=phonelint inactive-admin::inactive phone `gs102@10.10.10.15` is declared with status ADMIN"
    '%0Ahelp: if the phone is retired, set status = "SUSPENDED" (or "CLOSED"); '
    'if it should work, set active = "Y"'
)


def workflow_commands(stdout):
    return [line for line in stdout.splitlines() if line.startswith("::")]


def test_findings_fail_the_step_with_annotations_outputs_summary_and_sarif():
    workspace = repository(BAD)
    result = run_action(ROOT, workspace, {"sarif-file": "phonelint.sarif"}, ENV)
    assert result.exit_code == 1, result
    assert result.failed_step == "Run phonelint", result.failed_step
    assert result.outputs == {"errors": "1", "warnings": "2", "sarif-file": "phonelint.sarif"}, result.outputs
    commands = workflow_commands(result.stdout)
    assert commands[0] == ADMIN_ANNOTATION, commands
    assert commands[1].startswith(
        "::warning file=phones/floor.toml,line=8,endLine=8,col=10,endColumn=21,"
        "title=phonelint blocked-but-listed::"
    ), commands
    # The hostile fullname is itself a finding; its payload stays escaped.
    assert commands[2].startswith(
        "::warning file=phones/floor.toml,line=10,endLine=10,col=12,endColumn=48,"
        "title=phonelint stripped-characters::"
    ), commands
    assert "::add-mask::" not in commands[2] and "::set-output" not in commands[2], commands
    assert len(commands) == 3, commands
    # Nothing else in the log starts a workflow command, and no secret leaks.
    for line in result.stdout.splitlines():
        assert not line.lstrip().startswith("::") or line in commands, line
    assert "Hunter2xyz" not in result.stdout
    summary = result.summary
    assert summary.startswith("## phonelint\n"), summary
    assert "Checked 3 files (3 records): 1 error, 2 warnings, 0 infos." in summary, summary
    assert "| `inactive-admin` | error | 1 |" in summary, summary
    assert "| `blocked-but-listed` | warning | 1 |" in summary, summary
    assert "| `stripped-characters` | warning | 1 |" in summary, summary
    assert (
        "[phones/admin.toml:8](https://github.com/acme/phones/blob/0123abc/phones/admin.toml#L8)"
        in summary
    ), summary
    with open(os.path.join(workspace, "phonelint.sarif"), encoding="utf-8") as f:
        sarif = json.load(f)
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [
        "inactive-admin",
        "blocked-but-listed",
        "stripped-characters",
    ], results
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "phones/admin.toml", uri


def test_paths_limit_the_report_but_not_the_index():
    workspace = repository(BAD)
    result = run_action(ROOT, workspace, {"paths": "phones/clean.toml\n"}, ENV)
    assert result.exit_code == 0, result
    assert result.outputs == {"errors": "0", "warnings": "0", "sarif-file": ""}, result.outputs
    assert workflow_commands(result.stdout) == [], result.stdout
    assert "Checked 1 file (1 record): 0 errors" in result.summary, result.summary


def test_fail_on_warning():
    files = {"phones/floor.toml": BAD["phones/floor.toml"]}
    passed = run_action(ROOT, repository(files), {}, ENV)
    assert passed.exit_code == 0, passed
    assert passed.outputs["warnings"] == "2", passed.outputs
    failed = run_action(ROOT, repository(files), {"fail-on": "warning"}, ENV)
    assert failed.exit_code == 1 and failed.failed_step == "Run phonelint", failed
    assert failed.outputs["warnings"] == "2", failed.outputs


def test_extra_args_reach_phonelint():
    workspace = repository(dict(BAD, **{"defs/phonelint.toml": "", "defs/a.toml": BAD["phones/admin.toml"]}))
    result = run_action(ROOT, workspace, {"paths": "defs", "args": "--root defs"}, ENV)
    assert result.exit_code == 1, result
    assert workflow_commands(result.stdout)[0].startswith("::error file=a.toml,line=8,"), result.stdout


def test_a_bad_fail_on_is_refused():
    result = run_action(ROOT, repository(BAD), {"fail-on": "never"}, ENV)
    assert result.exit_code == 2 and result.failed_step == "Prepare phonelint build", result
    assert "::error title=phonelint action::fail-on must be error or warning" in result.stdout


def main():
    tests = [(name, f) for name, f in sorted(globals().items()) if name.startswith("test_")]
    failed = 0
    for name, test in tests:
        try:
            test()
            print(f"ok   {name}")
        except Exception:
            failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
    print(f"action: {len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
