"""CI integration: the GitHub Action, the documented workflows, the GitLab template.

The Action's `run` steps and the GitLab jobs' script lines are executed for real with bash
against real git repositories, in a simulated runner: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
GITHUB_WORKSPACE and GITHUB_ACTION_PATH (or the CI_* variables) set to temporary paths and to
this repository. Only `uses:` steps (actions/setup-python) and the `pip install` of Commonplace
itself are skipped: Commonplace is already installed in the interpreter running the tests.

The files also go through the ecosystem's own checkers: check-jsonschema with the schemas of
each platform it bundles, and zizmor's security audits (offline, with zizmor.yml). Both come with
the `test` extra; when one is missing the tests that need it are skipped, or fail under CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from communities import BIN, BROKEN, EXAMPLE, MINIMAL, ROOT, base_env, write_files
from generator.commands import diff as diffmod
from gitrepo import commit_all, git

ACTION = ROOT / "action.yml"
PAGES = ROOT / "docs" / "workflows" / "pages.yml"
PULL_REQUEST = ROOT / "docs" / "workflows" / "pull-request.yml"
GITLAB = ROOT / "docs" / "gitlab-ci.yml"
ZIZMOR_CONFIG = ROOT / "zizmor.yml"

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def workflow_on(doc: dict):
    # YAML 1.1 reads a bare `on:` key as the boolean True.
    return doc.get("on", doc.get(True))


# -- a small evaluator for the expressions the files use ------------------------------------------
def lookup(path: str, context: dict):
    value = context
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""  # GitHub evaluates a missing property to an empty string / null
        value = value[part]
    return value


def evaluate(expr: str, context: dict):
    """`a.b.c`, `'literal'` and `X == Y`: everything action.yml and the workflows need. Anything
    else fails the test, so a new kind of expression must be taught here on purpose."""
    expr = expr.strip()
    if "==" in expr:
        left, right = (evaluate(side, context) for side in expr.split("==", 1))
        return str(left) == str(right)
    if expr.startswith("'") and expr.endswith("'"):
        return expr[1:-1]
    assert re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_-]+)*", expr), f"unsupported expression: {expr}"
    return lookup(expr, context)


def substitute(text: str, context: dict) -> str:
    return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), text)


def condition(expr: str | None, context: dict) -> bool:
    if expr is None:
        return True
    match = EXPRESSION.fullmatch(expr.strip())
    return bool(evaluate(match.group(1) if match else expr, context))


def read_outputs(path: Path) -> dict[str, str]:
    """The runner's parser of GITHUB_OUTPUT: `name=value` lines and `name<<DELIM` blocks."""
    outputs, lines = {}, path.read_text().splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            outputs[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        name, value = line.split("=", 1)
        outputs[name] = value
        i += 1
    return outputs


def is_self_install(script: str) -> bool:
    return bool(re.fullmatch(r'python -m pip install [-\w ]*"\$GITHUB_ACTION_PATH"', script.strip()))


def run_action(workspace: Path, tmp: Path, *, inputs: dict | None = None, event_name: str = "push",
               event: dict | None = None) -> dict:
    """Run action.yml's steps as the runner would; returns outputs, summary and step records."""
    action = load(ACTION)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values.update(inputs or {})
    runner = tmp / "runner"
    runner.mkdir(exist_ok=True)
    summary = runner / "step_summary.md"
    summary.write_text("")
    context = {"inputs": values, "github": {"event_name": event_name, "event": event or {},
                                             "workspace": str(workspace)}, "steps": {}}
    env0 = base_env(tmp)
    env0.update({"GITHUB_WORKSPACE": str(workspace), "GITHUB_ACTION_PATH": str(ROOT),
                 "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_EVENT_NAME": event_name,
                 "RUNNER_TEMP": str(runner), "GITHUB_ACTIONS": "true", "CI": "true"})
    records = []
    for n, step in enumerate(action["runs"]["steps"]):
        if not condition(step.get("if"), context):
            records.append({"name": step["name"], "skipped": True})
            continue
        if "uses" in step:
            records.append({"name": step["name"], "uses": step["uses"]})
            continue
        if is_self_install(step["run"]):
            records.append({"name": step["name"], "skipped": True})
            continue
        output_file = runner / f"output-{n}"
        output_file.write_text("")
        env = dict(env0, GITHUB_OUTPUT=str(output_file))
        env.update({key: substitute(str(value), context) for key, value in (step.get("env") or {}).items()})
        script = runner / f"step-{n}.sh"
        script.write_text(step["run"])
        # what GitHub runs for `shell: bash`
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, capture_output=True, text=True, timeout=120)
        outputs = read_outputs(output_file)
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": outputs}
        records.append({"name": step["name"], "returncode": proc.returncode, "stdout": proc.stdout,
                        "stderr": proc.stderr})
        if proc.returncode:
            break
    failed = any(r.get("returncode") for r in records)
    outputs = {} if failed else {name: substitute(spec["value"], context) for name, spec in action["outputs"].items()}
    return {"outputs": outputs, "summary": summary.read_text(), "steps": records, "failed": failed}


def example_repository(tmp: Path, subdir: str = "") -> tuple[Path, Path]:
    """A git repository holding a copy of example-community/ (at its root or in `subdir`)."""
    workspace = tmp / "workspace"
    source = workspace / subdir if subdir else workspace
    # what a local build or `serve` left in the example folder is not part of it
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(".commonplace-cache", "_site"))
    commit_all(workspace, "Barrio Maps")
    return workspace, source


def small_repository(tmp: Path, subdir: str = "") -> tuple[Path, Path]:
    """A git repository holding the small community of the tests (at its root or in `subdir`):
    for the jobs whose point is not what a large community's pages show."""
    workspace = tmp / "workspace"
    source = write_files(workspace / subdir if subdir else workspace, MINIMAL)
    commit_all(workspace, "Seed Library")
    return workspace, source


def has_command(name: str) -> bool:
    return subprocess.run([str(BIN / "commonplace"), name, "--help"], capture_output=True).returncode == 0


# -- action.yml: structure -----------------------------------------------------------------------
def test_action_metadata_inputs_and_outputs():
    action = load(ACTION)
    assert action["name"] and action["description"]
    assert set(action["branding"]) == {"icon", "color"}
    assert action["runs"]["using"] == "composite"
    assert {name: spec.get("default") for name, spec in action["inputs"].items()} == {
        "source": ".", "output": "_site", "base-url": "", "strict": "false", "fetch-peers": "false",
        "python-version": "3.11", "cache": "true",
    }
    assert all(spec.get("description") for spec in action["inputs"].values())
    assert set(action["outputs"]) == {"site", "contributors"}
    for spec in action["outputs"].values():
        assert spec["description"] and EXPRESSION.fullmatch(spec["value"]), spec


def test_every_run_step_is_bash_and_takes_inputs_only_through_env():
    steps = load(ACTION)["runs"]["steps"]
    ids = {step["id"] for step in steps if "id" in step}
    runs = [step for step in steps if "run" in step]
    assert len(runs) >= 5
    for step in runs:
        assert step["shell"] == "bash", step["name"]
        assert "${{" not in step["run"], f"expression inside the script of {step['name']!r}"
        for value in (step.get("env") or {}).values():
            assert EXPRESSION.fullmatch(str(value)), value  # env values are whole expressions
        used = set(re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", step["run"]))
        own = set(step.get("env") or {})
        runner = {"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ACTION_PATH", "RUNNER_TEMP"}
        assert used <= own | runner, f"{step['name']}: {sorted(used - own - runner)} not declared in env"
    for output in load(ACTION)["outputs"].values():
        assert EXPRESSION.fullmatch(output["value"]).group(1).split(".")[1] in ids
    # every input is used, and only through env or `with:`
    text = ACTION.read_text()
    for name in load(ACTION)["inputs"]:
        assert f"inputs.{name}" in text, name
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python", "actions/cache"]  # pinned to a commit: see test_every_action_*
    install = [step for step in runs if "GITHUB_ACTION_PATH" in step["run"]]
    assert len(install) == 1 and is_self_install(install[0]["run"])


def test_action_diff_step_runs_only_on_pull_request_with_the_base_sha():
    steps = load(ACTION)["runs"]["steps"]
    (step,) = [s for s in steps if "run" in s and "commonplace diff" in s["run"]]
    assert step["if"] == "github.event_name == 'pull_request'"
    assert step["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '--base "$BASE_SHA"' in step["run"] and '>> "$GITHUB_STEP_SUMMARY"' in step["run"]
    (check,) = [s for s in steps if "run" in s and re.search(r"\bcheck \"\$SOURCE\"", s["run"])]
    assert "--format github" in check["run"]


# -- the documented workflows ------------------------------------------------------------------------
# Both install the release that .github/commonplace-requirements.txt pins, with its hashes.
INSTALL = "python -m pip install --disable-pip-version-check --require-hashes -r .github/commonplace-requirements.txt"


def checkout_steps(doc: dict) -> list[dict]:
    return [s for job in doc["jobs"].values() for s in job.get("steps", []) if s.get("uses", "").startswith("actions/checkout@")]


def test_pull_request_workflow_is_read_only_and_never_pull_request_target():
    text = PULL_REQUEST.read_text()
    doc = load(PULL_REQUEST)
    assert set(workflow_on(doc)) == {"pull_request"}
    assert "pull_request_target" not in re.sub(r"#.*", "", text)  # only the comment may name it
    assert doc["permissions"] == {"contents": "read"}
    assert "secrets." not in text
    for job in doc["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
    (checkout,) = checkout_steps(doc)
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    runs = [s["run"] for job in doc["jobs"].values() for s in job["steps"] if "run" in s]
    assert runs == [INSTALL, 'commonplace check "$SOURCE" --format github', 'commonplace build "$SOURCE" --output _site',
                    'commonplace diff "$SOURCE" --base "$BASE_SHA" >> "$GITHUB_STEP_SUMMARY"']


def test_pages_workflow_deploys_with_only_the_permissions_pages_needs():
    doc = load(PAGES)
    on = workflow_on(doc)
    assert on["push"]["branches"] == ["main"]
    # nothing for the workflow; each job what it needs, and only the deploy job writes
    assert doc["permissions"] == {}
    assert doc["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert doc["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert doc["concurrency"]["group"] == "pages"
    (checkout,) = checkout_steps(doc)
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    build = doc["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in build]
    runs = [s.get("run", "") for s in build]
    assert runs.index(INSTALL) < runs.index('commonplace build "$SOURCE" --output _site --base-url "$BASE_URL"') \
        < uses.index("actions/upload-pages-artifact")
    upload = build[uses.index("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == "_site"
    deploy = doc["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


PIN = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@(\S+)(.*)$")
PINNED = re.compile(r"[0-9a-f]{40}")
RELEASE = re.compile(r"\s+# (v\d+\.\d+\.\d+)")


def test_every_action_is_pinned_to_a_commit_with_its_release_beside_it():
    """A tag can be moved to other code; a commit cannot. The release in the comment is what
    Dependabot and Renovate read to propose updates, and what a reader checks the pin against."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in (ACTION, PAGES, PULL_REQUEST):
        lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
        found = [PIN.match(line) for line in lines if re.match(r"\s*(- )?uses:", line)]
        assert found and all(found), path
        for match in found:
            name, ref, rest = match.groups()
            assert PINNED.fullmatch(ref), f"{path.name}: {name}@{ref} is not pinned to a commit"
            release = RELEASE.fullmatch(rest)
            assert release, f"{path.name}: {name}@{ref} has no '# vX.Y.Z' comment"
            pins.setdefault(name, set()).add((ref, release.group(1)))
    assert set(pins) == {"actions/setup-python", "actions/cache", "actions/checkout", "actions/configure-pages",
                         "actions/upload-pages-artifact", "actions/deploy-pages"}
    assert all(len(versions) == 1 for versions in pins.values()), pins  # one action, one pin everywhere


# -- the ecosystem's own checkers ------------------------------------------------------------------
def checker(name: str) -> str:
    """The installed checker (`pip install -e .[test]` brings both); in CI a missing one is an
    error, locally a skip."""
    found = shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if not found:
        message = f"{name} is not installed: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def check_jsonschema(schema: str, *paths: Path, tmp: Path) -> dict:
    """check-jsonschema with one of the schemas it bundles (SchemaStore's): no network."""
    args = [checker("check-jsonschema"), "--output-format", "json", "--builtin-schema", schema]
    if schema == "vendor.gitlab-ci":
        args += ["--data-transform", "gitlab-ci"]  # GitLab's own YAML tags (!reference)
    proc = subprocess.run(args + [str(p) for p in paths], capture_output=True, text=True, env=base_env(tmp),
                          timeout=120)
    report = json.loads(proc.stdout)
    assert (proc.returncode == 0) == (report["status"] == "ok"), proc
    return report


def zizmor(*paths: Path, tmp: Path) -> list[dict]:
    """zizmor's findings at its default persona, offline, with the project's policy file."""
    proc = subprocess.run([checker("zizmor"), "--offline", "--strict-collection", "--config", str(ZIZMOR_CONFIG),
                           "--format", "json", *map(str, paths)],
                          capture_output=True, text=True, env=base_env(tmp), timeout=120)
    assert proc.returncode in (0, *range(10, 15)), proc.stderr  # 10-14: findings; anything else failed
    findings = json.loads(proc.stdout)
    assert bool(findings) == (proc.returncode != 0), proc
    return findings


def where(finding: dict) -> tuple[str, str, int]:
    location = finding["locations"][0]
    path = location["symbolic"]["key"]["Local"]["verbatim_path"]
    return finding["ident"], Path(path).name, location["concrete"]["location"]["start_point"]["row"] + 1


@pytest.mark.parametrize(("schema", "paths"), [
    ("vendor.github-actions", [ACTION]),
    ("vendor.github-workflows", sorted(PAGES.parent.glob("*.yml"))),  # every documented workflow
    ("vendor.gitlab-ci", [GITLAB]),
], ids=["action", "workflows", "gitlab-ci"])
def test_files_follow_the_schemas_of_their_platforms(schema, paths, tmp_path):
    assert {ACTION, PAGES, PULL_REQUEST, GITLAB} & set(paths)
    report = check_jsonschema(schema, *paths, tmp=tmp_path)
    assert report == {"status": "ok", "errors": []}


def test_the_schemas_reject_what_the_platforms_reject(tmp_path):
    """The same checks on broken copies fail, at the broken key: the schemas are really applied."""
    edits = (
        (ACTION, "vendor.github-actions", "      shell: bash\n", ""),  # a composite `run:` step names its shell
        (PAGES, "vendor.github-workflows", "    runs-on: ubuntu-latest\n", ""),  # a job names its runner
        (GITLAB, "vendor.gitlab-ci", "    when: always\n", "    when: sometimes\n"),  # not a `when` GitLab knows
    )
    broken = {}
    for original, schema, line, replacement in edits:
        text = original.read_text()
        assert line in text
        path = tmp_path / original.name
        path.write_text(text.replace(line, replacement, 1))
        errors = check_jsonschema(schema, path, tmp=tmp_path)["errors"]
        broken[path.name] = sorted({error["path"] for error in errors})
    assert broken == {"action.yml": ["$.runs"], "pages.yml": ["$.jobs.build"],
                      "gitlab-ci.yml": ["$['code-quality'].artifacts.when"]}


def test_zizmor_finds_nothing_in_the_action_and_the_workflows(tmp_path):
    findings = zizmor(ACTION, PAGES, PULL_REQUEST, tmp=tmp_path)
    assert [where(f) for f in findings] == []


def test_zizmor_finds_what_the_action_and_the_workflows_avoid(tmp_path):
    """What the files do differently, undone in a small workflow: zizmor reports each line."""
    unsafe = tmp_path / "unsafe.yml"
    unsafe.write_text("""\
name: Unsafe
on: push
permissions:
  contents: read
  pages: write
  id-token: write
jobs:
  build:
    name: Build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: OWNER/commonplace@v1
      - run: echo "${{ github.event.head_commit.message }}"
  deploy:
    name: Deploy
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e  # v4.0.5
""")
    found = sorted(where(f) for f in zizmor(unsafe, tmp=tmp_path))
    assert found == [
        ("artipacked", "unsafe.yml", 12),  # the checkout keeps its credentials
        ("excessive-permissions", "unsafe.yml", 5),  # Pages rights for every job
        ("excessive-permissions", "unsafe.yml", 6),
        ("template-injection", "unsafe.yml", 14),  # an expression inside a script
        ("unpinned-uses", "unsafe.yml", 12),  # a tag, not a commit
        ("unpinned-uses", "unsafe.yml", 13),  # Commonplace's own action too: no placeholder is allowed
    ]


# -- action.yml: executed ------------------------------------------------------------------------
def test_action_builds_the_example_community_on_push(tmp_path):
    workspace, _ = example_repository(tmp_path)
    result = run_action(workspace, tmp_path)
    assert not result["failed"], result["steps"]
    names = [(r["name"], "skipped" in r) for r in result["steps"]]
    assert names == [("Set up Python", False), ("Install Commonplace", True), ("Locate the build caches", False),
                     ("Restore the build caches", False), ("Fetch federation peers", True),
                     ("Check the community's files", False), ("Build the portal", False),
                     ("Count contributors", False), ("Show what the pull request changes", True)]
    check = result["steps"][5]
    # The example's files are clean; its peers were not fetched (fetch-peers is off), which `check`
    # says as the build does: a warning per peer, never an error.
    annotations = check["stdout"].splitlines()
    assert [line.partition("::")[2].partition(" ")[0] for line in annotations] == ["warning", "warning"], annotations
    assert all("yet: run `commonplace fetch`" in line for line in annotations), annotations
    site = Path(result["outputs"]["site"])
    assert site == (workspace / "_site").resolve()
    assert (site / "index.html").is_file() and (site / "members" / "lucia-ferrer" / "index.html").is_file()
    if has_command("value"):
        report = subprocess.run([str(BIN / "commonplace"), "value", str(workspace), "--format", "json"],
                                capture_output=True, text=True, check=True, env=base_env(tmp_path))
        expected = len(json.loads(report.stdout)["contributors"])
    else:
        expected = len(list((EXAMPLE / "members").glob("*.yaml")))  # 13 member files
    assert result["outputs"]["contributors"] == str(expected)
    assert result["summary"] == ""  # no diff on a push


def test_action_keeps_the_build_caches_of_the_git_folder(tmp_path):
    workspace, source = small_repository(tmp_path, subdir="community")
    result = run_action(workspace, tmp_path, inputs={"source": "community"})
    assert not result["failed"], result["steps"]
    steps = {step["name"]: step for step in load(ACTION)["runs"]["steps"]}
    located = read_outputs(tmp_path / "runner" / "output-2")["dir"]
    assert located == str((workspace / ".git" / "commonplace-cache").resolve())
    assert list(Path(located).glob("build-*.pickle"))  # the build filled what the cache step keeps
    cache = steps["Restore the build caches"]
    assert cache["uses"].startswith("actions/cache@") and cache["with"]["path"] == "${{ steps.caches.outputs.dir }}"
    assert cache["with"]["key"] == "commonplace-${{ runner.os }}-${{ github.sha }}"
    assert cache["with"]["restore-keys"] == "commonplace-${{ runner.os }}-"
    off = run_action(workspace, tmp_path, inputs={"source": "community", "cache": "false"})
    skipped = [r["name"] for r in off["steps"] if r.get("skipped")]
    assert {"Locate the build caches", "Restore the build caches"} <= set(skipped)


def test_action_inputs_cannot_inject_shell(tmp_path):
    workspace, _ = small_repository(tmp_path)
    hostile = 'out $(touch pwned) `touch pwned2`; touch pwned3'
    result = run_action(workspace, tmp_path, inputs={"output": hostile})
    assert not result["failed"], result["steps"]
    assert Path(result["outputs"]["site"]) == (workspace / hostile).resolve()
    assert (workspace / hostile / "index.html").is_file()
    assert not [p for p in workspace.rglob("pwned*")]


def test_action_on_a_pull_request_writes_the_diff_to_the_summary(tmp_path):
    workspace, _ = example_repository(tmp_path)
    base = git(workspace, "rev-parse", "HEAD").strip()
    write_files(workspace, {
        "members/nuria-camps.yaml": "name: Núria Camps\nemails: [nuria@example.org]\nroles: [mapper]\n",
    })
    commit_all(workspace, "Welcome Núria")
    event = {"pull_request": {"base": {"sha": base}, "number": 7}}
    result = run_action(workspace, tmp_path, event_name="pull_request", event=event)
    assert not result["failed"], result["steps"]
    summary = result["summary"].splitlines()
    assert summary[0] == diffmod.HEADING
    assert f"Compared the work tree with base `{base[:7]}`: 1 page added" in summary[2]
    assert "| added | `members/nuria-camps/` | Núria Camps |" in summary
    assert "| members | 13 | 14 | +1 |" in summary
    assert "- Members joined: Núria Camps" in summary


def test_action_check_step_annotates_the_lines_of_a_community_in_a_subfolder(tmp_path, community):
    root = community(BROKEN, name="portal")
    workspace = root.parent
    commit_all(workspace)
    result = run_action(workspace, tmp_path, inputs={"source": "portal"})
    assert result["failed"]
    check = result["steps"][-1]
    assert check["name"] == "Check the community's files" and check["returncode"] == 1
    assert check["stdout"].splitlines() == [
        "::error file=portal/events/swap-2024.md,line=4,col=14::unknown member 'anna' (did you mean 'ana'?)",
        "::error file=portal/members/dan.yaml,line=2,col=1::unknown key 'emial' (did you mean 'emails'?)",
    ]
    assert not (workspace / "_site").exists()  # nothing built after a failed check


def test_action_strict_turns_warning_annotations_into_a_failure(tmp_path, community):
    root = community(name="portal")
    os.symlink(root / "members" / "ana.yaml", root / "members" / "ana-copy.yaml")
    commit_all(root.parent)
    relaxed = run_action(root.parent, tmp_path, inputs={"source": "portal"})
    assert not relaxed["failed"], relaxed["steps"]
    warning = "::warning file=portal/members/ana-copy.yaml,line=1,col=1::is a symbolic link: not followed (commit the file itself)"
    assert relaxed["steps"][5]["stdout"].splitlines() == [warning]
    strict = run_action(root.parent, tmp_path, inputs={"source": "portal", "strict": "true", "output": "_strict"})
    assert strict["failed"] and strict["steps"][-1]["name"] == "Check the community's files"
    assert strict["steps"][-1]["stdout"].splitlines() == [warning]
    assert not (root.parent / "_strict").exists()


# -- the GitLab template --------------------------------------------------------------------------
GITLAB_RULE = re.compile(r'^\$(\w+) == (?:\$(\w+)|"([^"]*)")$')


def gitlab_rule_matches(rules: list[dict], variables: dict) -> bool:
    for rule in rules:
        match = GITLAB_RULE.match(rule["if"])
        assert match, f"unsupported rule {rule['if']!r}"
        left = variables.get(match.group(1), "")
        right = variables.get(match.group(2), "") if match.group(2) else match.group(3)
        if left == right:
            return rule.get("when", "on_success") != "never"
    return False


def run_gitlab_job(doc: dict, name: str, project: Path, tmp: Path, variables: dict) -> subprocess.CompletedProcess:
    job = doc[name]
    before = job.get("before_script", doc.get("default", {}).get("before_script", []))
    lines = [line for line in before
             if not re.fullmatch(r'python -m pip install [-\w ]*--require-hashes -r "\$COMMONPLACE_REQUIREMENTS"', line)]
    assert len(lines) == len(before) - 1  # only the install of Commonplace itself is left out
    script = tmp / f"{name}.sh"
    # a GitLab shell runner stops at the first failing line, as `set -eo pipefail` does
    script.write_text("set -eo pipefail\n" + "\n".join(lines + job["script"]) + "\n")
    env = base_env(tmp)
    env.update({k: str(v) for k, v in doc["variables"].items()})
    env.update(variables)
    env["CI_PROJECT_DIR"] = str(project)
    return subprocess.run(["bash", "--noprofile", "--norc", str(script)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_gitlab_template_structure():
    doc = load(GITLAB)
    assert doc["variables"]["GIT_DEPTH"] == "0"
    assert doc["default"]["image"].startswith("python:3.1")
    pages = doc["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert any("--output public" in line for line in pages["script"])
    quality = doc["code-quality"]
    assert quality["script"] == ['commonplace check "$COMMONPLACE_SOURCE" --format gitlab > gl-code-quality-report.json']
    assert quality["artifacts"] == {"when": "always", "reports": {"codequality": "gl-code-quality-report.json"}}
    default = {"CI_DEFAULT_BRANCH": "main"}
    push_main = {**default, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}
    push_other = {**default, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "fix-typo"}
    merge_request = {**default, "CI_PIPELINE_SOURCE": "merge_request_event"}
    jobs = [name for name, job in doc.items() if isinstance(job, dict) and "script" in job]
    assert sorted(jobs) == ["code-quality", "pages", "portal-diff"]
    runs = {label: [j for j in jobs if gitlab_rule_matches(doc[j]["rules"], v)]
            for label, v in (("main", push_main), ("branch", push_other), ("mr", merge_request))}
    assert runs == {"main": ["pages"], "branch": [], "mr": ["code-quality", "portal-diff"]}
    for job in jobs:
        for line in doc[job]["script"]:
            assert "${" not in line and "$(" not in line, line


def test_gitlab_pages_job_builds_into_public(tmp_path):
    workspace, _ = small_repository(tmp_path)
    doc = load(GITLAB)
    proc = run_gitlab_job(doc, "pages", workspace, tmp_path, {
        "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
        "CI_PAGES_URL": "https://barrio-maps.gitlab.io/portal",
    })
    assert proc.returncode == 0, proc.stderr
    assert (workspace / "public" / "index.html").is_file()
    assert "https://barrio-maps.gitlab.io/portal/" in (workspace / "public" / "sitemap.xml").read_text()


def test_gitlab_pages_job_keeps_the_build_caches_of_the_git_folder(tmp_path):
    doc = load(GITLAB)
    cache = doc["pages"]["cache"]
    assert cache["key"] == "commonplace-$CI_COMMIT_REF_SLUG" and cache["paths"] == [".git/commonplace-cache"]
    assert all("cache" not in doc[job] for job in ("code-quality", "portal-diff"))  # merge requests save none
    variables = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
                 "CI_PAGES_URL": "https://barrio-maps.gitlab.io/portal"}
    workspace, _ = small_repository(tmp_path)
    assert run_gitlab_job(doc, "pages", workspace, tmp_path, variables).returncode == 0
    kept = workspace / cache["paths"][0]
    assert list(kept.glob("build-*.pickle")) and list(kept.glob("*.pickle"))  # what the runner archives
    # The next pipeline: a fresh clone, the cache extracted at the same path inside it, as a runner does.
    clone = tmp_path / "next"
    subprocess.run(["git", "clone", "-q", str(workspace), str(clone)], check=True, env=base_env(tmp_path))
    shutil.copytree(kept, clone / cache["paths"][0])
    proc = run_gitlab_job(doc, "pages", clone, tmp_path, variables)
    assert proc.returncode == 0, proc.stderr
    first, second = workspace / "public", clone / "public"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_gitlab_code_quality_report_line_by_line(tmp_path, community):
    root = community(BROKEN, name="portal")
    commit_all(root.parent)
    doc = load(GITLAB)
    proc = run_gitlab_job(doc, "code-quality", root.parent, tmp_path, {
        "CI_PIPELINE_SOURCE": "merge_request_event", "CI_DEFAULT_BRANCH": "main", "COMMONPLACE_SOURCE": "portal",
    })
    assert proc.returncode == 1  # the job fails; `when: always` still publishes the report
    lines = (root.parent / "gl-code-quality-report.json").read_text().splitlines()
    issues = json.loads("\n".join(lines))
    fingerprints = [i["fingerprint"] for i in issues]
    assert all(re.fullmatch(r"[0-9a-f]{32}", f) for f in fingerprints) and len(set(fingerprints)) == 2
    assert lines == [
        "[",
        "  {",
        '    "check_name": "commonplace",',
        '    "description": "unknown member \'anna\' (did you mean \'ana\'?)",',
        f'    "fingerprint": "{fingerprints[0]}",',
        '    "location": {',
        '      "lines": {',
        '        "begin": 4',
        "      },",
        '      "path": "portal/events/swap-2024.md"',
        "    },",
        '    "severity": "major",',
        '    "type": "issue"',
        "  },",
        "  {",
        '    "check_name": "commonplace",',
        '    "description": "unknown key \'emial\' (did you mean \'emails\'?)",',
        f'    "fingerprint": "{fingerprints[1]}",',
        '    "location": {',
        '      "lines": {',
        '        "begin": 2',
        "      },",
        '      "path": "portal/members/dan.yaml"',
        "    },",
        '    "severity": "major",',
        '    "type": "issue"',
        "  }",
        "]",
    ]


def test_gitlab_code_quality_warning_is_minor_and_the_job_passes(tmp_path, community):
    root = community(name="portal")
    os.symlink(root / "members" / "ana.yaml", root / "members" / "ana-copy.yaml")
    commit_all(root.parent)
    proc = run_gitlab_job(load(GITLAB), "code-quality", root.parent, tmp_path, {
        "CI_PIPELINE_SOURCE": "merge_request_event", "COMMONPLACE_SOURCE": "portal"})
    assert proc.returncode == 0, proc.stderr
    (issue,) = json.loads((root.parent / "gl-code-quality-report.json").read_text())
    assert (issue["severity"], issue["location"], issue["description"]) == (
        "minor", {"lines": {"begin": 1}, "path": "portal/members/ana-copy.yaml"},
        "is a symbolic link: not followed (commit the file itself)")


def test_gitlab_merge_request_diff_job(tmp_path):
    workspace, _ = example_repository(tmp_path)
    base = git(workspace, "rev-parse", "HEAD").strip()
    (workspace / "events" / "meetup-2026-02.md").unlink()
    commit_all(workspace, "The February meetup was cancelled")
    proc = run_gitlab_job(load(GITLAB), "portal-diff", workspace, tmp_path, {
        "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base})
    assert proc.returncode == 0, proc.stderr
    report = (workspace / "commonplace-diff.md").read_text().splitlines()
    assert report == proc.stdout.splitlines()  # printed in the job log as well
    assert "| removed | `events/meetup-2026-02/` | Monthly meetup: February 2026 |" in report
    assert "| events | 5 | 4 | −1 |" in report


def test_gitlab_pages_job_fetches_the_peers_when_asked(tmp_path, community):
    peer = community(name="peer")
    commit_all(peer, "A peer")
    root = community({"federation.yaml": f"peers:\n  - name: neighbours\n    url: {peer}\n    relation: peer\n"},
                     name="portal")
    commit_all(root, "Start")
    doc = load(GITLAB)
    assert doc["variables"]["COMMONPLACE_FETCH_PEERS"] == "false"
    variables = {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
                 "CI_PAGES_URL": "https://seeds.gitlab.io/portal"}
    plain = run_gitlab_job(doc, "pages", root, tmp_path, variables)
    assert plain.returncode == 0, plain.stderr
    assert "no copy of branch 'main' yet" in plain.stderr
    fetched = run_gitlab_job(doc, "pages", root, tmp_path, {**variables, "COMMONPLACE_FETCH_PEERS": "true"})
    assert fetched.returncode == 0, fetched.stderr
    assert "neighbours: ok" in fetched.stderr and "no copy of branch" not in fetched.stderr
