"""docs/setup.md, followed command by command as a newcomer would, up to the forge.

The shell blocks of its steps 1 to 4 run in order, in one shell, in a home of their own: the
install line installs the wheel built here (PyPI has not got it yet), the release's files come
from a folder laid out as the release workflow attaches them (commonplace-requirements.txt made
by .github/release.py from that wheel, the three workflows), and the forge is a bare repository
on this machine. Every other line runs as written; a line this test does not know fails it, so
the page and the test change together. Then the forge's side: the pushed workflows' jobs run
as a runner would, from a clone of what was pushed, the install line included.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from communities import BIN, ROOT, base_env
from gitrepo import git
from test_ci import checker, condition, load, read_outputs, substitute
from test_release import VERSION, lend_our_dependencies, new_venv, run_script

SETUP = ROOT / "docs" / "setup.md"
FOLLOWED = ("## 1. ", "## 2. ", "## 3. ", "## 4. ")  # up to the push to the forge
RELEASE_LINE = re.compile(r"release=https://github\.com/[\w.-]+/[\w.-]+/releases/latest/download")
INSTALL_LINE = "pipx install commonplace-portal"
REMOTE_LINE = re.compile(r"git remote add origin https://github\.com/[\w.-]+/[\w.-]+\.git")
KNOWN = re.compile(r"(commonplace |cd |mkdir -p |curl -fsSL -o |git add |git commit -m |git push -u origin main$)")


def shell_blocks(markdown: str, sections: tuple[str, ...]) -> list[str]:
    """The lines of the ```sh blocks in the sections whose headings start with `sections`, in
    order, each without its trailing comment."""
    lines, inside, keep = [], False, False
    for line in markdown.splitlines():
        if line.startswith("## "):
            keep = line.startswith(sections)
        elif line.strip() == "```sh":
            inside = True
        elif line.strip() == "```":
            inside = False
        elif inside and keep and line.strip():
            lines.append(re.sub(r"\s+#\s.*$", "", line.strip()))
    return lines


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if built.returncode != 0 and "No matching distribution" in built.stderr + built.stdout:
        pytest.skip("the build backend could not be downloaded")
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = out.glob(f"commonplace_portal-{VERSION}-py3-none-any.whl")
    return found


def release_folder(folder: Path, wheel: Path) -> Path:
    """The files the release workflow attaches to a release, as `releases/latest/download/` serves
    them. The requirements name the wheel alone: the dependencies come from this interpreter."""
    folder.mkdir()
    empty = folder.parent / "no-dependencies.txt"
    empty.write_text("")
    made = run_script("requirements", str(empty), str(wheel))
    assert made.returncode == 0, made.stderr
    (folder / "commonplace-requirements.txt").write_text(made.stdout)
    for copied in ("docs/workflows/pages.yml", "docs/workflows/pull-request.yml", "docs/gitlab-ci.yml"):
        shutil.copy(ROOT / copied, folder / Path(copied).name)
    return folder


def newcomer_env(home: Path, bin_dir: Path, wheel: Path) -> dict:
    """A person's shell: their git identity, the tools they installed first on PATH, pip kept
    offline to the wheel built here."""
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").write_text("[user]\n\tname = Lucía Ferrer\n\temail = lucia@example.org\n"
                                     "[init]\n\tdefaultBranch = main\n")
    env = base_env(home)
    env.update({"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "PIP_NO_INDEX": "1",
                "PIP_FIND_LINKS": str(wheel.parent), "PIP_NO_DEPS": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return env


def script_from_the_page(tmp_path: Path, wheel: Path, forge: Path, release: Path) -> tuple[str, Path]:
    """setup.md's commands, with the three lines that reach PyPI, GitHub's releases and GitHub
    pointed at this machine; returns the script and the bin folder the install puts on PATH."""
    tool = tmp_path / "pipx-venv"
    substituted, script = {"install": 0, "release": 0, "remote": 0}, []
    for line in shell_blocks(SETUP.read_text(encoding="utf-8"), FOLLOWED):
        if line == INSTALL_LINE:
            # What pipx does, done here before the page's next command: an environment of its
            # own with the wheel in it, the command on PATH.
            assert not script, "installing is the page's first command"
            python = new_venv(tool)
            installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                        "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
            assert installed.returncode == 0, installed.stdout + installed.stderr
            lend_our_dependencies(python)
            script.append(f": {line}")
            substituted["install"] += 1
        elif RELEASE_LINE.fullmatch(line):
            script.append(f"release=file://{release}")
            substituted["release"] += 1
        elif REMOTE_LINE.fullmatch(line):
            script.append(f'git remote add origin "{forge}"')
            substituted["remote"] += 1
        else:
            assert KNOWN.match(line), f"docs/setup.md has a command this test does not follow: {line!r}"
            script.append(line)
    assert substituted == {"install": 1, "release": 1, "remote": 1}, substituted
    return "set -euo pipefail\n" + "\n".join(script) + "\n", tool / "bin"


def run_job(doc: dict, name: str, workspace: Path, env0: dict, runner: Path, *, event: dict,
            outputs_of_uses: dict[str, dict], after_install) -> dict:
    """Run a workflow job's steps as GitHub's runner would: `run:` steps with bash, each with the
    workflow's, the job's and its own `env:`; `uses:` steps are recorded (their `with:` kept),
    and the outputs of those with an id come from `outputs_of_uses`."""
    runner.mkdir(exist_ok=True)
    summary = runner / "summary.md"
    summary.write_text("")
    env_values = {**doc.get("env", {}), **doc["jobs"][name].get("env", {})}
    context = {"github": event, "env": env_values, "steps": {}, "runner": {"os": "Linux"}}
    records = []
    for n, step in enumerate(doc["jobs"][name]["steps"]):
        if not condition(step.get("if"), context):
            records.append({"name": step.get("name"), "skipped": True})
            continue
        if "uses" in step:
            if "id" in step:
                context["steps"][step["id"]] = {"outputs": outputs_of_uses.get(step["id"], {})}
            records.append({"uses": step["uses"].split("@")[0],
                            "with": {k: substitute(str(v), context) for k, v in (step.get("with") or {}).items()}})
            continue
        output = runner / f"output-{n}"
        output.write_text("")
        env = {**env0, **{k: str(v) for k, v in env_values.items()}, "GITHUB_OUTPUT": str(output),
               "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(runner),
               "GITHUB_ACTIONS": "true", "CI": "true"}
        env.update({k: substitute(str(v), context) for k, v in (step.get("env") or {}).items()})
        (runner / f"step-{n}.sh").write_text(step["run"])
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(runner / f"step-{n}.sh")],
                              cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
        records.append({"name": step["name"], "returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr})
        assert proc.returncode == 0, records[-1]
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": read_outputs(output)}
        if step["name"] == "Install Commonplace":
            after_install()
    return {"steps": records, "summary": summary.read_text()}


@pytest.mark.slow
def test_setup_doc_command_by_command_up_to_the_forge_and_the_forge_runs_the_workflows(wheel, tmp_path):
    checker("curl")  # the page fetches the release's files with it
    forge = tmp_path / "forge" / "barrio-maps.git"
    forge.parent.mkdir()
    git(forge.parent, "init", "-q", "--bare", "-b", "main", forge.name)
    release = release_folder(tmp_path / "release", wheel)
    script, tool_bin = script_from_the_page(tmp_path, wheel, forge, release)
    desk = tmp_path / "desk"  # where the newcomer types
    desk.mkdir()
    env = newcomer_env(tmp_path / "home", tool_bin, wheel)
    done = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=desk, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems found" in done.stdout + done.stderr  # step 2's `commonplace check`
    assert (desk / "barrio-maps" / "_site" / "index.html").is_file()  # step 2's `commonplace build`

    # What the forge received: the community's first commit and the files of step 3.
    pushed = git(forge, "ls-tree", "-r", "--name-only", "main").split()
    assert {".github/commonplace-requirements.txt", ".github/workflows/pages.yml",
            ".github/workflows/pull-request.yml", "community.yaml", "commonplace.yaml"} <= set(pushed)
    assert git(forge, "show", "main:.github/workflows/pages.yml") == (ROOT / "docs/workflows/pages.yml").read_text()
    pinned = git(forge, "show", "main:.github/commonplace-requirements.txt")
    assert f"commonplace-portal=={VERSION} \\\n    --hash=sha256:" in pinned
    assert len(git(forge, "rev-list", "main").split()) == 2

    # The forge: a runner checks out what was pushed, the whole history, and runs pages.yml.
    workspace = tmp_path / "runner" / "workspace"
    subprocess.run(["git", "clone", "-q", str(forge), str(workspace)], check=True, env=env)
    runner_python = tmp_path / "runner" / "python"  # what setup-python puts on PATH: a Python with pip
    subprocess.run([sys.executable, "-m", "venv", str(runner_python)], check=True, timeout=300)
    runner_env = {**env, "PATH": f"{runner_python / 'bin'}{os.pathsep}{base_env(tmp_path / 'home')['PATH']}"}
    base_url = "https://barrio-maps.github.io/barrio-maps"
    pages = run_job(load(workspace / ".github/workflows/pages.yml"), "build", workspace, runner_env,
                    tmp_path / "runner" / "pages", event={"sha": "x", "event_name": "push"},
                    outputs_of_uses={"pages": {"base_url": base_url}},
                    after_install=lambda: lend_our_dependencies(runner_python / "bin" / "python"))
    installed = pages["steps"][2]
    assert f"Successfully installed commonplace-portal-{VERSION}" in installed["stdout"], installed
    assert pages["steps"][-1] == {"uses": "actions/upload-pages-artifact", "with": {"path": "_site"}}
    site = workspace / "_site"
    assert f"<loc>{base_url}/</loc>" in (site / "sitemap.xml").read_text()
    assert (site / "index.html").is_file()

    # A pull request: a new member, checked, built and described in the job's summary.
    git(workspace, "switch", "-q", "-c", "welcome-nuria")
    (workspace / "members" / "nuria-camps.yaml").write_text("name: Núria Camps\nroles: [mapper]\n")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "Welcome Núria")
    base = git(workspace, "rev-parse", "main").strip()
    check = run_job(load(workspace / ".github/workflows/pull-request.yml"), "check", workspace, runner_env,
                    tmp_path / "runner" / "pull-request", outputs_of_uses={}, after_install=lambda: None,
                    event={"event_name": "pull_request", "event": {"pull_request": {"base": {"sha": base}, "number": 1}}})
    assert "already satisfied" in check["steps"][2]["stdout"]  # the runner's Python has it from pages.yml
    assert "| added | `members/nuria-camps/` | Núria Camps |" in check["summary"].splitlines()


def gitlab_block() -> list[str]:
    """The commands of the GitLab path (its step 3), without their indentation."""
    return shell_blocks(SETUP.read_text(encoding="utf-8"), ("## The GitLab path",))


@pytest.mark.slow
def test_setup_doc_gitlab_path_fetches_the_template_and_its_pages_job_installs_the_pinned_release(wheel, tmp_path):
    checker("curl")
    release = release_folder(tmp_path / "release", wheel)
    lines = gitlab_block()
    assert lines == ['curl -fsSL -o .gitlab-ci.yml "$release/gitlab-ci.yml"',
                     'curl -fsSL -o commonplace-requirements.txt "$release/commonplace-requirements.txt"']
    env = newcomer_env(tmp_path / "home", BIN, wheel)
    made = subprocess.run([str(BIN / "commonplace"), "new", "barrio-maps"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "barrio-maps"
    script = "set -euo pipefail\n" + f"release=file://{release}\n" + "\n".join(lines) + "\n"
    fetched = subprocess.run(["bash", "--noprofile", "--norc", "-c", script], cwd=project, env=env,
                             capture_output=True, text=True, timeout=120)
    assert fetched.returncode == 0, fetched.stderr
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Publish the portal with Commonplace")

    # GitLab's runner: the python image (a Python with pip), the job's variables, before_script then script.
    doc = load(project / ".gitlab-ci.yml")
    assert doc == load(ROOT / "docs" / "gitlab-ci.yml")
    runner_python = tmp_path / "runner-python"
    subprocess.run([sys.executable, "-m", "venv", str(runner_python)], check=True, timeout=300)
    runner_env = {**env, **{k: str(v) for k, v in doc["variables"].items()},
                  "PATH": f"{runner_python / 'bin'}{os.pathsep}{base_env(tmp_path / 'home')['PATH']}",
                  "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
                  "CI_PAGES_URL": "https://barrio-maps.gitlab.io/barrio-maps", "CI_PROJECT_DIR": str(project)}

    def run(lines: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "--noprofile", "--norc", "-c", "set -eo pipefail\n" + "\n".join(lines)],
                              cwd=project, env=runner_env, capture_output=True, text=True, timeout=300)

    installed = run(doc["default"]["before_script"])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (runner_python / "bin" / "commonplace").is_file()  # the pinned wheel, its hash checked
    lend_our_dependencies(runner_python / "bin" / "python")
    pages = run(doc["pages"]["script"])
    assert pages.returncode == 0, pages.stdout + pages.stderr
    assert "https://barrio-maps.gitlab.io/barrio-maps/" in (project / "public" / "sitemap.xml").read_text()
