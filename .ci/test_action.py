"""The composite action (action.yml) run as a GitHub runner would run it, on
scratch repositories, with assertions on annotations, outputs, the job summary
and the SARIF file.

By default the action downloads a released phonelint. Here the releases are
served by a local HTTP server (127.0.0.1, a free port) from release assets
built on this machine: PHONELINT_RELEASE_ASSETS names a directory holding
phonelint-x86_64-unknown-linux-musl.tar.gz and its SHA256SUMS, as
.ci/release.py packs them for the release workflow (.ci/run builds them with
the dist profile). The server also offers a tampered archive, a SHA256SUMS
that lacks the archive, a release without this platform's archive and a
Windows zip. `version: source` builds with cargo: CARGO_TARGET_DIR should hold
(or receive) the release build, so that the build is reused."""

import functools
import hashlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading

from ci_tests import run_tests
from run_action import run_action

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
RELEASE_TOOL = os.path.join(ROOT, ".ci", "release.py")
LINUX_ASSET = "phonelint-x86_64-unknown-linux-musl.tar.gz"
WINDOWS_ASSET = "phonelint-x86_64-pc-windows-msvc.zip"


def cargo_version():
    import tomllib

    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["package"]["version"]


VERSION = cargo_version()
TAG = f"v{VERSION}"


class Releases:
    """A local stand-in for GitHub's release downloads: under each of its
    roots, `download/TAG/ASSET` and `latest/download/ASSET`."""

    def __init__(self, assets):
        self.dir = tempfile.mkdtemp(prefix="releases-")
        self.requests = []
        with open(os.path.join(assets, "SHA256SUMS"), encoding="utf-8") as f:
            sums = f.read()
        archive = os.path.join(assets, LINUX_ASSET)
        with open(archive, "rb") as f:
            good = f.read()
        assert f"{hashlib.sha256(good).hexdigest()}  {LINUX_ASSET}" in sums, "the assets' SHA256SUMS"

        # The Windows archive: the same (Linux) binary packed as a Windows
        # release is, to follow the action's zip path on this machine.
        unpacked = tempfile.mkdtemp(prefix="unpacked-")
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked, filter="data")
        binary = os.path.join(unpacked, LINUX_ASSET.removesuffix(".tar.gz"), "phonelint")
        windows = tempfile.mkdtemp(prefix="windows-")
        subprocess.run(
            [sys.executable, RELEASE_TOOL, "pack", "--target", "x86_64-pc-windows-msvc", "--binary", binary, "--out", windows],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with open(os.path.join(windows, WINDOWS_ASSET), "rb") as f:
            zipped = f.read()
        both = sums + f"{hashlib.sha256(zipped).hexdigest()}  {WINDOWS_ASSET}\n"

        tampered = bytearray(good)
        tampered[len(tampered) // 2] ^= 0x01
        for root, files in {
            "good": {LINUX_ASSET: good, WINDOWS_ASSET: zipped, "SHA256SUMS": both.encode()},
            "tampered": {LINUX_ASSET: bytes(tampered), "SHA256SUMS": sums.encode()},
            "unlisted": {LINUX_ASSET: good, "SHA256SUMS": b"0" * 64 + b"  phonelint-other.tar.gz\n"},
        }.items():
            for release in (f"download/{TAG}", "latest/download"):
                path = os.path.join(self.dir, root, release)
                os.makedirs(path)
                for name, data in files.items():
                    with open(os.path.join(path, name), "wb") as f:
                        f.write(data)

        releases = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                releases.requests.append(self.path)
                super().do_GET()

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=self.dir)
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, root):
        return f"http://127.0.0.1:{self.server.server_port}/{root}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


RELEASES = None


def action(workspace, inputs, **runner):
    """The action with its releases at the local server's `good` root."""
    given = dict({"download-url": RELEASES.url("good")}, **inputs)
    return run_action(ROOT, workspace, given, ENV, **runner)


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
    result = action(workspace, {"sarif-file": "phonelint.sarif"})
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
    result = action(workspace, {"paths": "phones/clean.toml\n"})
    assert result.exit_code == 0, result
    assert result.outputs == {"errors": "0", "warnings": "0", "sarif-file": ""}, result.outputs
    assert workflow_commands(result.stdout) == [], result.stdout
    assert "Checked 1 file (1 record): 0 errors" in result.summary, result.summary


def test_fail_on_warning():
    files = {"phones/floor.toml": BAD["phones/floor.toml"]}
    passed = action(repository(files), {})
    assert passed.exit_code == 0, passed
    assert passed.outputs["warnings"] == "2", passed.outputs
    failed = action(repository(files), {"fail-on": "warning"})
    assert failed.exit_code == 1 and failed.failed_step == "Run phonelint", failed
    assert failed.outputs["warnings"] == "2", failed.outputs


def local_run(workspace):
    """`phonelint` as a user runs it in the checkout: its exit code and the
    JSON summary's counts."""
    run = subprocess.run(
        [os.environ["PHONELINT"], "--format", "json"], cwd=workspace, capture_output=True, text=True
    )
    summary = json.loads(run.stdout)["summary"]
    return run.returncode, {"errors": str(summary["errors"]), "warnings": str(summary["warnings"])}


def test_without_fail_on_the_configuration_decides_as_locally():
    warnings_only = {"phones/floor.toml": BAD["phones/floor.toml"]}
    cases = [
        # (files, phonelint.toml, the expected exit code of both)
        (warnings_only, None, 0),
        (warnings_only, 'fail-on = "warning"\n', 1),
        (warnings_only, 'fail-on = "error"\n', 0),
        (BAD, 'fail-on = "warning"\n', 1),
        (BAD, None, 1),
        ({"phones/clean.toml": BAD["phones/clean.toml"]}, 'fail-on = "warning"\n', 0),
        # The levels of phonelint.toml count too: a warning raised to error.
        (warnings_only, '[rules]\nblocked-but-listed = "error"\n', 1),
    ]
    for files, config, expected in cases:
        if config is not None:
            files = dict(files, **{"phonelint.toml": config})
        workspace = repository(files)
        local_exit, local_counts = local_run(workspace)
        result = action(workspace, {})
        case = (sorted(files), config)
        assert local_exit == expected, (case, local_exit)
        assert result.exit_code == expected, (case, result)
        assert {k: result.outputs[k] for k in ("errors", "warnings")} == local_counts, (case, result.outputs)
        if expected == 1:
            assert result.failed_step == "Run phonelint", (case, result.failed_step)
            assert "(the configuration's fail-on)" in result.stdout, (case, result.stdout)


def test_a_baseline_named_in_the_configuration_applies_as_locally():
    files = dict(BAD, **{"phonelint.toml": 'baseline = "ci/phonelint-baseline.json"\n'})
    workspace = repository(files)
    os.makedirs(os.path.join(workspace, "ci"))
    subprocess.run([os.environ["PHONELINT"], "baseline"], cwd=workspace, check=True, capture_output=True)
    # Every finding is in the baseline: no annotation, no failure, no count,
    # though no input names the baseline.
    local_exit, local_counts = local_run(workspace)
    result = action(workspace, {"sarif-file": "phonelint.sarif"})
    assert (local_exit, result.exit_code) == (0, 0), result
    assert result.outputs == {"errors": "0", "warnings": "0", "sarif-file": "phonelint.sarif"}, result.outputs
    assert {k: result.outputs[k] for k in ("errors", "warnings")} == local_counts, result.outputs
    assert workflow_commands(result.stdout) == [], result.stdout
    with open(os.path.join(workspace, "phonelint.sarif"), encoding="utf-8") as f:
        assert json.load(f)["runs"][0]["results"] == []
    # Even with fail-on: warning, the baselined warnings do not fail the step.
    strict = action(workspace, {"fail-on": "warning"})
    assert strict.exit_code == 0 and strict.outputs["warnings"] == "0", strict
    # A new finding is annotated and fails the step, alone.
    with open(os.path.join(workspace, "phones/new.toml"), "w", encoding="utf-8") as f:
        f.write(phone("gs103", "gs103", "ADMIN", "N"))
    local_exit, local_counts = local_run(workspace)
    result = action(workspace, {})
    assert (local_exit, result.exit_code) == (1, 1), result
    assert result.failed_step == "Run phonelint", result.failed_step
    assert result.outputs == {"errors": "1", "warnings": "0", "sarif-file": ""}, result.outputs
    assert {k: result.outputs[k] for k in ("errors", "warnings")} == local_counts, result.outputs
    commands = workflow_commands(result.stdout)
    assert len(commands) == 1 and commands[0].startswith("::error file=phones/new.toml,line=8,"), commands
    # args can still show everything.
    everything = action(workspace, {"args": "--no-baseline"})
    assert everything.outputs == {"errors": "2", "warnings": "2", "sarif-file": ""}, everything.outputs


def test_an_explicit_fail_on_overrides_the_configuration():
    warnings_only = {"phones/floor.toml": BAD["phones/floor.toml"]}
    lenient = action(repository(dict(warnings_only, **{"phonelint.toml": 'fail-on = "warning"\n'})), {"fail-on": "error"})
    assert lenient.exit_code == 0 and lenient.outputs["warnings"] == "2", lenient
    strict = action(repository(dict(warnings_only, **{"phonelint.toml": 'fail-on = "error"\n'})), {"fail-on": "warning"})
    assert strict.exit_code == 1 and strict.failed_step == "Run phonelint", strict
    assert "phonelint: 0 errors, 2 warnings (fail-on: warning)" in strict.stdout, strict.stdout


def test_extra_args_reach_phonelint():
    workspace = repository(dict(BAD, **{"defs/phonelint.toml": "", "defs/a.toml": BAD["phones/admin.toml"]}))
    result = action(workspace, {"paths": "defs", "args": "--root defs"})
    assert result.exit_code == 1, result
    # The root is defs/, and the annotation names the file from the top of
    # the checkout, where GitHub looks for it.
    assert workflow_commands(result.stdout)[0].startswith("::error file=defs/a.toml,line=8,"), result.stdout


def test_a_bad_fail_on_is_refused():
    result = action(repository(BAD), {"fail-on": "never"})
    assert result.exit_code == 2 and result.failed_step == "Prepare phonelint", result
    assert "::error title=phonelint action::fail-on must be error, warning or empty" in result.stdout


def install_log(result):
    return [line for line in result.stdout.splitlines() if not line.startswith("::")]


def test_a_release_is_downloaded_checked_and_run():
    result = action(repository(BAD), {})
    assert result.exit_code == 1 and result.failed_step == "Run phonelint", result
    assert result.outputs["errors"] == "1", result.outputs
    # The action's own version (its Cargo.toml), from the download URL.
    assert f"/good/download/{TAG}/SHA256SUMS" in RELEASES.requests, RELEASES.requests
    assert f"/good/download/{TAG}/{LINUX_ASSET}" in RELEASES.requests, RELEASES.requests
    assert f"SHA-256 of {LINUX_ASSET} matches SHA256SUMS" in result.stdout, result.stdout
    assert f"phonelint {VERSION}" in install_log(result), result.stdout


def test_a_version_and_latest_are_downloaded():
    for version, path in ((VERSION, f"download/{TAG}"), (TAG, f"download/{TAG}"), ("latest", "latest/download")):
        RELEASES.requests.clear()
        result = action(repository({"phones/clean.toml": BAD["phones/clean.toml"]}), {"version": version})
        assert result.exit_code == 0, (version, result)
        assert RELEASES.requests == [f"/good/{path}/SHA256SUMS", f"/good/{path}/{LINUX_ASSET}"], RELEASES.requests


def test_a_tampered_archive_is_not_run():
    result = action(repository(BAD), {"download-url": RELEASES.url("tampered")})
    assert result.exit_code == 1 and result.failed_step == "Install phonelint", result
    errors = workflow_commands(result.stdout)
    assert len(errors) == 1 and errors[0].startswith(
        f"::error title=phonelint action::SHA-256 mismatch for {LINUX_ASSET}: SHA256SUMS says "
    ), errors
    assert "corrupt or was tampered with; not running it" in errors[0], errors
    assert result.outputs["errors"] == "", result.outputs


def test_an_archive_missing_from_the_sums_is_not_run():
    result = action(repository(BAD), {"download-url": RELEASES.url("unlisted")})
    assert result.exit_code == 1 and result.failed_step == "Install phonelint", result
    assert workflow_commands(result.stdout) == [
        f"::error title=phonelint action::SHA256SUMS of {TAG} lists no {LINUX_ASSET}; not running an unchecked binary"
    ], result.stdout


def test_a_release_without_this_platform_says_so():
    # Linux on ARM64 is a platform releases have, but this one lacks it.
    result = action(repository(BAD), {}, runner_arch="ARM64")
    assert result.exit_code == 1 and result.failed_step == "Install phonelint", result
    [error] = workflow_commands(result.stdout)
    asset = "phonelint-aarch64-unknown-linux-musl.tar.gz"
    assert error.startswith(
        f"::error title=phonelint action::could not download {asset}: "
        f"{RELEASES.url('good')}/download/{TAG}/{asset} answered HTTP 404."
    ), error
    assert "version: source to build with cargo" in error, error


def test_a_missing_release_says_so():
    result = action(repository(BAD), {"version": "9.9.9"})
    assert result.exit_code == 1 and result.failed_step == "Install phonelint", result
    [error] = workflow_commands(result.stdout)
    assert "could not download the checksums (SHA256SUMS)" in error and "HTTP 404" in error, error
    assert "Is there a release v9.9.9" in error, error


def test_a_platform_without_prebuilt_binaries_says_so():
    result = action(repository(BAD), {}, runner_os="Windows", runner_arch="ARM64")
    assert result.exit_code == 2 and result.failed_step == "Prepare phonelint", result
    assert workflow_commands(result.stdout) == [
        "::error title=phonelint action::phonelint has no prebuilt binary for Windows on ARM64 "
        "(there are Linux X64/ARM64, macOS X64/ARM64 and Windows X64); "
        "set version: source to build it with cargo"
    ], result.stdout


def test_windows_gets_the_zip():
    # The zip holds this machine's binary under the Windows name: the
    # action's zip handling and naming, run here.
    RELEASES.requests.clear()
    result = action(repository(BAD), {}, runner_os="Windows")
    assert result.exit_code == 1 and result.failed_step == "Run phonelint", result
    assert f"/good/download/{TAG}/{WINDOWS_ASSET}" in RELEASES.requests, RELEASES.requests
    assert result.outputs["errors"] == "1", result.outputs


def test_bad_versions_are_refused():
    for version in ("1.2", "main", "v1.2.3; rm -rf /", "1.2.3\n::add-mask::x"):
        result = action(repository(BAD), {"version": version})
        assert result.exit_code == 2 and result.failed_step == "Prepare phonelint", (version, result)
        [error] = workflow_commands(result.stdout)
        assert error.startswith("::error title=phonelint action::version must be a release such as 0.2.0"), error
        # The input is quoted on the one line of the error: it starts no
        # workflow command of its own.
        assert not any(line.startswith("::add-mask::") for line in result.stdout.splitlines()), result.stdout


def test_no_python_is_needed():
    # python3 and python on PATH that record being called: the action must
    # never run them (runners and containers without Python).
    shims = tempfile.mkdtemp(prefix="no-python-")
    called = os.path.join(shims, "called")
    for name in ("python3", "python"):
        path = os.path.join(shims, name)
        with open(path, "w") as f:
            f.write(f"#!/bin/sh\necho {name} >> {called}\nexit 127\n")
        os.chmod(path, 0o755)
    env = dict(ENV, PATH=shims + os.pathsep + ENV["PATH"])
    result = run_action(ROOT, repository(BAD), {"download-url": RELEASES.url("good")}, env)
    assert result.exit_code == 1 and result.failed_step == "Run phonelint", result
    assert result.outputs == {"errors": "1", "warnings": "2", "sarif-file": ""}, result.outputs
    assert not os.path.exists(called), open(called).read()


def test_source_builds_with_cargo_and_caches_by_rust_version_and_architecture():
    rustc = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    release = next(line.split(": ")[1] for line in rustc.splitlines() if line.startswith("release: "))
    host = next(line.split(": ")[1] for line in rustc.splitlines() if line.startswith("host: "))
    tool_cache = tempfile.mkdtemp(prefix="tool-cache-")
    RELEASES.requests.clear()
    built = action(repository(BAD), {"version": "source"}, tool_cache=tool_cache)
    assert built.exit_code == 1 and built.failed_step == "Run phonelint", built
    assert built.outputs["errors"] == "1", built.outputs
    assert RELEASES.requests == [], RELEASES.requests
    assert built.steps["Cache phonelint build"] == "uses", built.steps
    assert f"phonelint {VERSION}" in install_log(built), built.stdout
    stamp = os.path.join(tool_cache, "phonelint-source", "phonelint-cache-key")
    with open(stamp) as f:
        key = f.read().strip()
    assert key.startswith(f"phonelint-source-Linux-X64-rust-{release}-{host}-"), key
    # What actions/cache restores under the same key is used, not rebuilt.
    again = action(repository(BAD), {"version": "source"}, tool_cache=tool_cache)
    assert again.exit_code == 1 and again.outputs["errors"] == "1", again
    assert f"phonelint built from this source restored from the cache ({key})" in again.stdout, again.stdout
    # The binary mode never takes the cache step.
    released = action(repository(BAD), {})
    assert released.steps["Cache phonelint build"] == "skipped", released.steps


def main():
    global RELEASES
    assets = os.environ.get("PHONELINT_RELEASE_ASSETS")
    if not assets:
        print("PHONELINT_RELEASE_ASSETS must name the release assets built here (.ci/run sets it)")
        return 1
    RELEASES = Releases(assets)
    failed = run_tests(globals(), "action")
    RELEASES.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
