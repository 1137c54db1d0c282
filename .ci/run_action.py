"""Runs a composite action's steps the way a GitHub runner does.

Usage (as a library): run_action(action_dir, workspace, inputs, env) -> Result

For each step: `run:` steps are written to a file and run with
`bash --noprofile --norc -eo pipefail FILE` (GitHub's `shell: bash`), in
`working-directory` or the workspace, with the runner's variables
(GITHUB_ACTIONS, GITHUB_ACTION_PATH, GITHUB_WORKSPACE, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, RUNNER_TEMP, RUNNER_TOOL_CACHE, RUNNER_OS, RUNNER_ARCH)
and the step's `env:`, whose `${{ ... }}` expressions are evaluated
(inputs.*, steps.*.outputs.*, github.action_path, github.workspace,
runner.temp, runner.tool_cache, runner.os, runner.arch). A step's `if:` is
evaluated too, for the comparisons actions write (`A == 'x'`, `A != 'x'`,
joined by `&&` or `||`); anything else is refused rather than guessed.
`uses:` steps (actions/cache) cannot run outside GitHub and are skipped, and
said so. Each step gets a fresh GITHUB_OUTPUT file, read back as GitHub reads
it (`name=value` and `name<<DELIMITER` blocks). A failing step stops the run,
as on GitHub. The action's outputs are evaluated at the end.

The runner's OS and architecture can be chosen (run_action(...,
runner_os="Windows", runner_arch="ARM64")) to see what the action does on a
platform this machine is not; only the variables change, not the machine.
"""

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"^([A-Za-z_][\w.-]*)\s*(==|!=)\s*'([^']*)'$")


@dataclass
class Result:
    exit_code: int
    failed_step: str | None
    stdout: str
    outputs: dict = field(default_factory=dict)
    summary: str = ""
    # What became of each step reached, by name: "ran", "skipped" (its `if:`
    # was false) or "uses" (a `uses:` step, which only GitHub can run).
    steps: dict = field(default_factory=dict)


def parse_output_file(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            while i < len(lines) and lines[i] != delimiter:
                body.append(lines[i])
                i += 1
            i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        else:
            raise ValueError(f"malformed GITHUB_OUTPUT line: {line!r}")
    return values


class Context:
    def __init__(self, inputs, action_path, workspace, temp, tool_cache, runner_os, runner_arch):
        self.inputs = inputs
        self.steps = {}
        self.github = {"action_path": action_path, "workspace": workspace}
        self.runner = {"temp": temp, "tool_cache": tool_cache, "os": runner_os, "arch": runner_arch}

    def lookup(self, expression):
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if parts[0] in ("github", "runner") and len(parts) == 2:
            values = getattr(self, parts[0])
            if parts[1] in values:
                return values[parts[1]]
        raise ValueError(f"expression this runner does not know: ${{{{ {expression} }}}}")

    def evaluate(self, text):
        return EXPRESSION.sub(lambda m: str(self.lookup(m.group(1))), str(text))

    def condition(self, text):
        """A step's `if:` (with or without `${{ }}`), for comparisons of a
        context value with a string literal, joined by `&&` or `||` (no
        parentheses, no mixing of the two). String comparison in GitHub's
        expressions ignores case."""
        text = str(text).strip()
        whole = EXPRESSION.fullmatch(text)
        if whole:
            text = whole.group(1)
        for joiner, combine in (("&&", all), ("||", any)):
            if joiner in text:
                if ("||" if joiner == "&&" else "&&") in text:
                    raise ValueError(f"`if: {text}` mixes && and ||, which this runner does not evaluate")
                return combine(self.condition(part) for part in text.split(joiner))
        match = COMPARISON.match(text)
        if not match:
            raise ValueError(f"`if: {text}` is not a comparison this runner evaluates")
        name, operator, literal = match.groups()
        equal = str(self.lookup(name)).lower() == literal.lower()
        return equal if operator == "==" else not equal


def run_action(action_dir, workspace, inputs, env=None, runner_os="Linux", runner_arch="X64", tool_cache=None):
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        raise ValueError("not a composite action")
    given = dict(inputs)
    unknown = set(given) - set(action.get("inputs", {}))
    if unknown:
        raise ValueError(f"inputs the action does not declare: {sorted(unknown)}")
    for name, spec in action.get("inputs", {}).items():
        if name not in given:
            if spec.get("required") and "default" not in spec:
                raise ValueError(f"required input {name} not given")
            given[name] = str(spec.get("default", ""))
    temp = tempfile.mkdtemp(prefix="runner-temp-")
    summary_path = os.path.join(temp, "step_summary.md")
    open(summary_path, "w").close()
    tool_cache = tool_cache or tempfile.mkdtemp(prefix="runner-tool-cache-")
    context = Context(
        given, os.path.abspath(action_dir), os.path.abspath(workspace), temp, tool_cache, runner_os, runner_arch
    )
    base_env = dict(env if env is not None else os.environ)
    base_env.update(
        GITHUB_ACTIONS="true",
        CI="true",
        GITHUB_ACTION_PATH=context.github["action_path"],
        GITHUB_WORKSPACE=context.github["workspace"],
        GITHUB_STEP_SUMMARY=summary_path,
        RUNNER_TEMP=temp,
        RUNNER_TOOL_CACHE=tool_cache,
        RUNNER_OS=runner_os,
        RUNNER_ARCH=runner_arch,
    )
    stdout = []
    steps = {}
    failed = None
    exit_code = 0
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index + 1}")
        if "if" in step and not context.condition(step["if"]):
            print(f"[runner] {name}: skipped (if: {step['if']})")
            steps[name] = "skipped"
            continue
        if "uses" in step:
            print(f"[runner] skipping `uses: {step['uses']}` ({name}): needs GitHub's services")
            steps[name] = "uses"
            continue
        if step.get("shell") != "bash":
            raise ValueError(f"{name}: only shell: bash is supported")
        output_file = os.path.join(temp, f"output_{index}")
        open(output_file, "w").close()
        step_env = dict(base_env)
        step_env["GITHUB_OUTPUT"] = output_file
        for key, value in (step.get("env") or {}).items():
            step_env[key] = context.evaluate(value)
        script = os.path.join(temp, f"step_{index}.sh")
        with open(script, "w", encoding="utf-8") as f:
            f.write(step["run"])
        cwd = context.evaluate(step.get("working-directory", "${{ github.workspace }}"))
        print(f"[runner] {name}")
        steps[name] = "ran"
        completed = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=cwd,
            env=step_env,
            stdout=subprocess.PIPE,
            text=True,
        )
        sys.stdout.write(completed.stdout)
        stdout.append(completed.stdout)
        if "id" in step:
            context.steps[step["id"]] = parse_output_file(output_file)
        if completed.returncode != 0:
            # The step fails and the rest is skipped; outputs set so far stay.
            failed, exit_code = name, completed.returncode
            break
    outputs = {
        name: context.evaluate(spec["value"]) for name, spec in action.get("outputs", {}).items()
    }
    with open(summary_path, encoding="utf-8") as f:
        summary = f.read()
    return Result(exit_code, failed, "".join(stdout), outputs, summary, steps)
