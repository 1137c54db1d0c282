"""Tests of .ci/release.py, the script the release workflow runs: the tag
check, the release notes, and archives that are complete, reproducible and
unpack to a phonelint that runs. Needs PHONELINT_RELEASE_ASSETS (the Linux
archive and SHA256SUMS that .ci/run packed from the dist build)."""

import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TOOL = os.path.join(ROOT, ".ci", "release.py")
ASSETS = os.environ.get("PHONELINT_RELEASE_ASSETS", "")
LINUX = "phonelint-x86_64-unknown-linux-musl"

sys.path.insert(0, os.path.dirname(TOOL))
import release  # noqa: E402
from ci_tests import run_tests  # noqa: E402

VERSION = release.cargo_version()


def run(*args, env=None):
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True, env=env)


def test_check_refuses_a_tag_that_is_not_the_cargo_version():
    result = run("check", "v9.9.9")
    assert result.returncode == 1, result
    assert f"the tag is v9.9.9, but Cargo.toml's version is {VERSION} (tag v{VERSION})" in result.stderr, result.stderr


def test_check_of_the_current_version():
    # Everything agrees; the one thing allowed to be missing between
    # releases is the date of the version's CHANGELOG section.
    result = run("check", f"v{VERSION}")
    heading = release.changelog_section(VERSION)[0]
    if re.fullmatch(r"## \[[^\]]+\] - \d{4}-\d{2}-\d{2}", heading):
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1, result
        assert result.stderr == f"release.py: CHANGELOG.md's `{heading}` is not dated (YYYY-MM-DD)\n", result.stderr


def test_notes_are_the_changelog_section():
    result = run("notes", VERSION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "notes are empty"
    assert "## [" not in result.stdout, "notes run into the next section"
    assert not result.stdout.lstrip().startswith("## "), result.stdout
    assert run("notes", "0.0.0-none").returncode == 1


def test_the_linux_archive_holds_the_binary_readme_and_license():
    archive = os.path.join(ASSETS, f"{LINUX}.tar.gz")
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
        assert sorted(members) == [f"{LINUX}/LICENSE", f"{LINUX}/README.md", f"{LINUX}/phonelint"], sorted(members)
        assert members[f"{LINUX}/phonelint"].mode == 0o755
        assert all(m.uid == 0 and m.gid == 0 for m in members.values())
        with open(os.path.join(ROOT, "LICENSE"), "rb") as f:
            assert tar.extractfile(f"{LINUX}/LICENSE").read() == f.read()
        unpacked = tempfile.mkdtemp()
        tar.extractall(unpacked, filter="data")
    binary = os.path.join(unpacked, LINUX, "phonelint")
    said = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    assert said == f"phonelint {VERSION}\n", said
    with open(os.path.join(ASSETS, "SHA256SUMS"), encoding="utf-8") as f:
        sums = f.read()
    with open(archive, "rb") as f:
        archive_sum = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(ASSETS, "phonelint.1"), "rb") as f:
        man_sum = hashlib.sha256(f.read()).hexdigest()
    assert sums == f"{archive_sum}  {LINUX}.tar.gz\n{man_sum}  phonelint.1\n", sums


def test_the_man_page_is_an_asset_the_binary_prints():
    with tarfile.open(os.path.join(ASSETS, f"{LINUX}.tar.gz")) as tar:
        unpacked = tempfile.mkdtemp()
        tar.extractall(unpacked, filter="data")
    printed = subprocess.run(
        [os.path.join(unpacked, LINUX, "phonelint"), "manpage"], capture_output=True, check=True
    ).stdout
    with open(os.path.join(ASSETS, "phonelint.1"), "rb") as f:
        page = f.read()
    assert page == printed
    assert b".TH phonelint 1 " in page and f'"phonelint {VERSION}"'.encode() in page, page[:300]
    assert b".SH \"EXIT STATUS\"" in page


def test_archives_are_reproducible_and_windows_gets_a_zip():
    binary = os.path.join(tempfile.mkdtemp(), "phonelint")
    with open(binary, "wb") as f:
        f.write(b"\x7fELF not really")
    outputs = []
    for _ in range(2):
        out = tempfile.mkdtemp()
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        for target in ("x86_64-unknown-linux-musl", "x86_64-pc-windows-msvc"):
            result = run("pack", "--target", target, "--binary", binary, "--out", out, env=env)
            assert result.returncode == 0, result.stderr
        assert run("sums", out).returncode == 0
        with open(os.path.join(out, "SHA256SUMS"), encoding="utf-8") as f:
            outputs.append(f.read())
        last = out
    assert outputs[0] == outputs[1], outputs
    assert [line.split()[1] for line in outputs[0].splitlines()] == [
        "phonelint-x86_64-pc-windows-msvc.zip",
        "phonelint-x86_64-unknown-linux-musl.tar.gz",
    ], outputs[0]
    with zipfile.ZipFile(os.path.join(last, "phonelint-x86_64-pc-windows-msvc.zip")) as archive:
        assert sorted(archive.namelist()) == [
            "phonelint-x86_64-pc-windows-msvc/LICENSE",
            "phonelint-x86_64-pc-windows-msvc/README.md",
            "phonelint-x86_64-pc-windows-msvc/phonelint.exe",
        ], archive.namelist()


def main():
    if not ASSETS:
        print("PHONELINT_RELEASE_ASSETS must name the release assets built here (.ci/run sets it)")
        return 1
    return 1 if run_tests(globals(), "release") else 0


if __name__ == "__main__":
    sys.exit(main())
