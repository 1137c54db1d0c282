"""The YAML blocks of README.md that a `<!-- docs-test: validated-by
.ci/test-validators.sh (KIND) -->` comment hands to .ci/test-validators.sh
(tests/docs.rs runs or checks every other block).

    readme_yaml.py extract KIND DIR   writes each block of KIND to DIR/N.yml
                                      and prints the paths; a workflow step
                                      (`workflow-step`) is wrapped in a
                                      complete workflow
    readme_yaml.py hooks FILE...      each phonelint hook a pre-commit
                                      configuration names is one of
                                      .pre-commit-hooks.yaml
    readme_yaml.py inputs FILE...     each `with:` of a phonelint step of a
                                      workflow is an input of action.yml
Exit code 1 with a message when a check fails, or when there is no block."""

import os
import re
import sys
import textwrap

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DIRECTIVE = "<!-- docs-test: validated-by .ci/test-validators.sh ({kind}) -->"


def blocks(kind):
    lines = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read().split("\n")
    marker = DIRECTIVE.format(kind=kind)
    found = []
    for i, line in enumerate(lines):
        if line != marker:
            continue
        fence = next(j for j in range(i + 1, len(lines)) if lines[j].strip())
        if not lines[fence].startswith("```"):
            sys.exit(f"README.md:{i + 1}: {kind}: no code block after the comment")
        end = lines.index("```", fence + 1)
        found.append("\n".join(lines[fence + 1 : end]) + "\n")
    if not found:
        sys.exit(f"README.md has no {kind} block")
    return found


def extract(kind, directory):
    os.makedirs(directory, exist_ok=True)
    for n, text in enumerate(blocks(kind), 1):
        if kind == "workflow-step":
            step = textwrap.dedent("\n".join(line for line in text.split("\n") if not line.startswith("#")))
            text = (
                "name: phonelint\non: pull_request\npermissions:\n  contents: read\njobs:\n"
                "  phonelint:\n    runs-on: ubuntu-latest\n    steps:\n"
                "      - uses: actions/checkout@v4\n" + textwrap.indent(step, "      ")
            )
        path = os.path.join(directory, f"{n}.yml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(path)


def hooks(files):
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as f:
        ids = {hook["id"] for hook in yaml.safe_load(f)}
    problems = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            config = yaml.safe_load(f)
        for repo in config["repos"]:
            if not repo["repo"].endswith("/phonelint"):
                continue
            for hook in repo["hooks"]:
                if hook["id"] not in ids:
                    problems.append(f"{path}: hook {hook['id']!r} is not in .pre-commit-hooks.yaml ({sorted(ids)})")
    return problems


def inputs(files):
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as f:
        known = set(yaml.safe_load(f)["inputs"])
    problems = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            workflow = yaml.safe_load(f)
        steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
        used = [step for step in steps if re.match(r"^phonelint/phonelint@", step.get("uses", ""))]
        # A workflow may install phonelint and run it itself (the nightly drift
        # check does); it still has to run it.
        runs = [step for step in steps if re.search(r"(^|\s)phonelint\s", step.get("run", ""), re.M)]
        if not used and not runs:
            problems.append(f"{path}: no phonelint step")
        for step in used:
            for name in step.get("with", {}):
                if name not in known:
                    problems.append(f"{path}: input {name!r} is not in action.yml ({sorted(known)})")
    return problems


def main(argv):
    command, *rest = argv
    if command == "extract":
        extract(*rest)
        return 0
    problems = {"hooks": hooks, "inputs": inputs}[command](rest)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
