"""What the release workflow (.github/workflows/release.yml) does besides
building, as one script that .ci/run exercises on this machine too.

  release.py check TAG        the tag is v + Cargo.toml's version, CHANGELOG.md
                              dates that version, the pre-commit placeholder
                              pins it and the README's snippets name the tag
  release.py notes VERSION    CHANGELOG.md's section of VERSION (release notes)
  release.py pack --target T --binary FILE --out DIR
                              DIR/phonelint-T.tar.gz (.zip for Windows): the
                              binary, README.md and LICENSE under phonelint-T/
  release.py man --binary FILE --out DIR
                              DIR/phonelint.1: the manual page FILE prints
                              (`phonelint manpage`; the same on every platform,
                              so one runnable build writes it)
  release.py sums DIR         DIR/SHA256SUMS over every other file in DIR

Archives are reproducible: sorted entries, owner 0, fixed modes, and times
from SOURCE_DATE_EPOCH (the release workflow sets it to the tagged commit's
time; 0 without it).
"""

import argparse
import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SUMS = "SHA256SUMS"
DOCUMENTS = ("README.md", "LICENSE")


def read(name):
    with open(os.path.join(ROOT, name), encoding="utf-8") as f:
        return f.read()


def cargo_version():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["package"]["version"]


def changelog_section(version):
    """(heading, body) of `## [VERSION] - DATE` in CHANGELOG.md, or None."""
    text = read("CHANGELOG.md")
    heading = re.compile(r"^## \[" + re.escape(version) + r"\] - (.+)$", re.M)
    match = heading.search(text)
    if not match:
        return None
    rest = text[match.end():]
    end = re.search(r"^## |^\[[^\]]+\]: ", rest, re.M)
    return match.group(0), rest[: end.start() if end else len(rest)].strip()


def check(tag):
    version = cargo_version()
    problems = []
    if tag != f"v{version}":
        problems.append(f"the tag is {tag}, but Cargo.toml's version is {version} (tag v{version})")
    section = changelog_section(version)
    if section is None:
        problems.append(f"CHANGELOG.md has no section `## [{version}] - YYYY-MM-DD`")
    elif not re.fullmatch(r"## \[[^\]]+\] - \d{4}-\d{2}-\d{2}", section[0]):
        problems.append(f"CHANGELOG.md's `{section[0]}` is not dated (YYYY-MM-DD)")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        pins = tomllib.load(f)["project"]["dependencies"]
    if pins != [f"phonelint=={version}"]:
        problems.append(f"pyproject.toml (the pre-commit placeholder) pins {pins}, not phonelint=={version}")
    readme = read("README.md")
    for snippet in re.findall(r"^\s*(?:rev: v\S+|uses: \S+/phonelint@\S+)", readme, re.M):
        if not snippet.endswith(f"v{version}"):
            problems.append(f"README.md names another version: {snippet.strip()}")
    for problem in problems:
        print(f"release.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


def notes(version):
    section = changelog_section(version)
    if section is None:
        print(f"release.py: CHANGELOG.md has no section for {version}", file=sys.stderr)
        return 1
    print(section[1])
    return 0


def source_date_epoch():
    return int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def pack(target, binary, out):
    name = f"phonelint-{target}"
    windows = "windows" in target
    executable = "phonelint.exe" if windows else "phonelint"
    files = [(executable, binary, 0o755)] + [(doc, os.path.join(ROOT, doc), 0o644) for doc in DOCUMENTS]
    os.makedirs(out, exist_ok=True)
    epoch = source_date_epoch()
    if windows:
        path = os.path.join(out, f"{name}.zip")
        # Zip times start in 1980.
        stamp = max((1980, 1, 1, 0, 0, 0), tuple(time.gmtime(epoch))[:6])
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for arcname, source, mode in sorted(files):
                info = zipfile.ZipInfo(f"{name}/{arcname}", stamp)
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(source, "rb") as f:
                    archive.writestr(info, f.read())
    else:
        path = os.path.join(out, f"{name}.tar.gz")
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for arcname, source, mode in sorted(files):
                with open(source, "rb") as f:
                    data = f.read()
                info = tarfile.TarInfo(f"{name}/{arcname}")
                info.size, info.mode, info.mtime = len(data), mode, epoch
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                archive.addfile(info, io.BytesIO(data))
        with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=epoch, filename="") as gz:
            gz.write(buffer.getvalue())
    print(path)
    return 0


def man(binary, out):
    page = subprocess.run([binary, "manpage"], check=True, capture_output=True).stdout
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "phonelint.1")
    with open(path, "wb") as f:
        f.write(page)
    print(path)
    return 0


def sums(directory):
    lines = []
    for entry in sorted(os.listdir(directory)):
        path = os.path.join(directory, entry)
        if entry == SUMS or not os.path.isfile(path):
            continue
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        lines.append(f"{digest.hexdigest()}  {entry}\n")
    with open(os.path.join(directory, SUMS), "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    sys.stdout.writelines(lines)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check").add_argument("tag")
    commands.add_parser("notes").add_argument("version")
    packing = commands.add_parser("pack")
    packing.add_argument("--target", required=True)
    packing.add_argument("--binary", required=True)
    packing.add_argument("--out", required=True)
    manual = commands.add_parser("man")
    manual.add_argument("--binary", required=True)
    manual.add_argument("--out", required=True)
    commands.add_parser("sums").add_argument("directory")
    args = parser.parse_args()
    if args.command == "check":
        return check(args.tag)
    if args.command == "notes":
        return notes(args.version)
    if args.command == "pack":
        return pack(args.target, args.binary, args.out)
    if args.command == "man":
        return man(args.binary, args.out)
    return sums(args.directory)


if __name__ == "__main__":
    sys.exit(main())
