"""The release: one version, its changelog section, a wheel and an sdist that stand on their own,
and the workflow that publishes them (.github/workflows/release.yml, .github/release.py).

The wheel and the sdist are built once for the module with `python -m build`, as the release
workflow builds them; the wheel is installed into a new virtual environment, away from this
source tree, and makes and builds the demo there.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from communities import BIN, ROOT, base_env
from test_ci import check_jsonschema, load, where, workflow_on, zizmor

RELEASE = ROOT / ".github" / "workflows" / "release.yml"
CHANGELOG = ROOT / "CHANGELOG.md"
LICENSE = ROOT / "LICENSE"


def pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


VERSION = pyproject()["project"]["version"]


def release_script():
    spec = importlib.util.spec_from_file_location("release_script", ROOT / ".github" / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / ".github" / "release.py"), *args],
                          capture_output=True, text=True, timeout=60)


# -- one version ------------------------------------------------------------------------------------
def test_the_distribution_name_is_free_and_the_command_stays():
    project = pyproject()["project"]
    assert project["name"] == "commonplace-portal"  # `commonplace` on PyPI is an unrelated project
    assert project["scripts"] == {"commonplace": "generator.cli:main"}
    assert project["license"] == "GPL-3.0-or-later" and project["license-files"] == ["LICENSE"]


def test_the_version_is_written_once_and_commonplace_version_reads_it():
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert metadata.version("commonplace-portal") == VERSION  # the installed metadata, from pyproject.toml
    for path in (ROOT / "generator").rglob("*.py"):
        if path.name == "_version.py":  # written by every build from pyproject.toml, ignored by git
            continue
        assert not re.search(r"__version__\s*=\s*[\"']\d+\.\d+", path.read_text(encoding="utf-8")), path
    assert "/generator/_version.py" in (ROOT / ".gitignore").read_text().splitlines()
    # Reading it costs no importlib.metadata (a command with nothing to do never loads that).
    probe = subprocess.run([sys.executable, "-c", "import sys, generator; "
                            "print(generator.__version__, 'importlib.metadata' in sys.modules)"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert probe.stdout == f"{VERSION} False\n"
    out = subprocess.run([str(BIN / "commonplace"), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == f"commonplace {VERSION}\n"


# -- the changelog ----------------------------------------------------------------------------------
def test_the_changelog_has_unreleased_then_this_version_in_keep_a_changelog_form():
    text = CHANGELOG.read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    releases = re.findall(r"^## (.*)$", text, re.M)
    assert releases[0] == "[Unreleased]"
    assert re.fullmatch(rf"\[{re.escape(VERSION)}\] - \d{{4}}-\d{{2}}-\d{{2}}", releases[1]), releases[1]
    kinds = re.findall(r"^### (.*)$", text, re.M)
    assert kinds and set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
    section = release_script().changelog_section(text, VERSION)
    assert section.count("**Breaking:") >= 3  # the last rounds' breaking changes, said as such
    for change in ("commonplace-portal", "CLDR", ".po", "dates:", "advice:", "paths:"):
        assert change in section, change


def test_release_notes_are_the_changelog_section():
    done = run_script("notes")
    assert done.returncode == 0, done.stderr
    assert done.stdout == release_script().changelog_section(CHANGELOG.read_text(encoding="utf-8"), VERSION)
    assert done.stdout.startswith("The first release on PyPI") and "### Changed" in done.stdout
    assert "## [Unreleased]" not in done.stdout and f"## [{VERSION}]" not in done.stdout


def test_the_release_stops_on_a_wrong_tag_or_a_missing_section():
    assert run_script("tag", f"v{VERSION}").returncode == 0
    wrong = run_script("tag", "v9.9.9")
    assert wrong.returncode == 1 and wrong.stdout == ""
    assert wrong.stderr == (f"release.py: the tag 'v9.9.9' does not name pyproject.toml's version {VERSION}: "
                            f"tag the commit v{VERSION}, or set the version in pyproject.toml first\n")
    script = release_script()
    with pytest.raises(script.ReleaseError, match=r"no '## \[9\.9\.9\] - YYYY-MM-DD' section"):
        script.changelog_section(CHANGELOG.read_text(encoding="utf-8"), "9.9.9")
    with pytest.raises(script.ReleaseError, match="section for 1.0.0 is empty"):
        script.changelog_section("# Changelog\n\n## [1.0.0] - 2027-01-01\n\n## [0.9.0] - 2026-01-01\n- x\n", "1.0.0")
    with pytest.raises(script.ReleaseError, match="no wheel or sdist given"):
        script.requirements(VERSION, [], "")
    with pytest.raises(script.ReleaseError, match=r"commonplace-0\.1\.0\.tar\.gz is not commonplace-portal .*'s wheel or sdist"):
        script.requirements(VERSION, [Path("commonplace-0.1.0.tar.gz")], "")
    assert run_script().returncode == 2


# -- the release workflow -----------------------------------------------------------------------------
def test_release_workflow_runs_tests_builds_publishes_then_releases_with_least_privilege():
    doc = load(RELEASE)
    assert workflow_on(doc) == {"push": {"tags": ["v*"]}}
    assert doc["permissions"] == {}
    jobs = doc["jobs"]
    assert {name: job.get("needs") for name, job in jobs.items()} == {
        "test": None, "build": "test", "pypi": "build", "release": "pypi"}
    assert {name: job["permissions"] for name, job in jobs.items()} == {
        "test": {"contents": "read"}, "build": {"contents": "read"},
        "pypi": {"id-token": "write"},  # trusted publishing: an OIDC token, no stored PyPI token
        "release": {"contents": "write"}}
    assert "secrets." not in RELEASE.read_text()
    runs = {name: "\n".join(step.get("run", "") for step in job["steps"]) for name, job in jobs.items()}
    assert "bash .ci/run" in runs["test"]  # the suite as CI runs it
    assert 'release.py tag "$TAG"' in runs["build"] and "release.py notes > release-notes.md" in runs["build"]
    assert "--require-hashes -r .github/release-tools.txt" in runs["build"]
    assert "twine check --strict dist/*" in runs["build"]
    assert "release.py requirements dependencies.txt dist/* > commonplace-requirements.txt" in runs["build"]
    (publish,) = [s for s in jobs["pypi"]["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert "with" not in publish  # no password: trusted publishing
    assert jobs["pypi"]["environment"]["name"] == "pypi"
    assert "--notes-file release-notes.md dist/* commonplace-requirements.txt" in runs["release"]
    for copied in ("docs/workflows/pages.yml", "docs/workflows/pull-request.yml", "docs/gitlab-ci.yml"):
        assert (ROOT / copied).is_file() and copied in runs["release"], copied  # docs/setup.md fetches them
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step  # expressions reach scripts only through env
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


PIN = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40})  # (v\d+\.\d+\.\d+)$")


def test_release_workflow_pins_every_action_to_a_commit_with_its_release():
    lines = [line for line in RELEASE.read_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines and all(PIN.match(line) for line in lines), [line for line in lines if not PIN.match(line)]
    pins = {PIN.match(line).group(1): PIN.match(line).group(2, 3) for line in lines}
    assert set(pins) == {"actions/checkout", "actions/setup-python", "actions/upload-artifact",
                         "actions/download-artifact", "pypa/gh-action-pypi-publish"}
    ci = (ROOT / "action.yml").read_text() + (ROOT / "docs" / "workflows" / "pages.yml").read_text()
    for name in ("actions/checkout", "actions/setup-python"):  # one action, one pin everywhere
        assert f"{name}@{pins[name][0]}  # {pins[name][1]}" in ci


def test_release_tools_are_pinned_with_hashes():
    text = (ROOT / ".github" / "release-tools.txt").read_text()
    pinned = re.findall(r"^([a-z0-9-]+)==\S+", text, re.M)
    assert {"build", "twine", "uv"} <= set(pinned)
    requirements = re.split(r"\n(?=[a-z])", re.sub(r"^#.*\n", "", text, flags=re.M).strip())
    assert all("--hash=sha256:" in requirement for requirement in requirements)


def test_release_workflow_follows_the_workflow_schema(tmp_path):
    assert check_jsonschema("vendor.github-workflows", RELEASE, tmp=tmp_path) == {"status": "ok", "errors": []}


def test_zizmor_finds_nothing_in_the_release_workflow(tmp_path):
    assert [where(f) for f in zizmor(RELEASE, tmp=tmp_path)] == []


# -- the packages -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The wheel and the sdist, built as the release workflow builds them."""
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    if built.returncode != 0 and "No matching distribution" in built.stderr + built.stdout:
        pytest.skip("the build backend could not be downloaded")
    assert built.returncode == 0, built.stdout + built.stderr
    return out


def wheel_of(dist: Path) -> Path:
    (wheel,) = dist.glob(f"commonplace_portal-{VERSION}-py3-none-any.whl")
    return wheel


def sdist_of(dist: Path) -> Path:
    (sdist,) = dist.glob(f"commonplace_portal-{VERSION}.tar.gz")
    return sdist


@pytest.mark.slow
def test_wheel_and_sdist_pass_twine_check(dist):
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, sorted(dist.iterdir()))],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


@pytest.mark.slow
def test_wheel_and_sdist_carry_the_licence_and_say_what_they_are(dist):
    licence = LICENSE.read_bytes()
    assert licence.startswith(b" " * 20 + b"GNU GENERAL PUBLIC LICENSE\n" + b" " * 23 + b"Version 3, 29 June 2007")
    assert b"END OF TERMS AND CONDITIONS" in licence
    info = f"commonplace_portal-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel_of(dist)) as wheel:
        assert wheel.read(f"{info}/licenses/LICENSE") == licence
        fields = wheel.read(f"{info}/METADATA").decode().split("\n\n", 1)[0].splitlines()
    for field in ("Name: commonplace-portal", f"Version: {VERSION}", "License-Expression: GPL-3.0-or-later",
                  "License-File: LICENSE", "Requires-Python: >=3.11"):
        assert field in fields, field
    assert any(f.startswith("Project-URL: Changelog, ") for f in fields)
    top = f"commonplace_portal-{VERSION}"
    with tarfile.open(sdist_of(dist)) as sdist:
        assert sdist.extractfile(f"{top}/LICENSE").read() == licence
        assert sdist.extractfile(f"{top}/CHANGELOG.md").read() == CHANGELOG.read_bytes()
        names = set(sdist.getnames())
    assert {f"{top}/pyproject.toml", f"{top}/generator/cli.py", f"{top}/schemas/member.schema.json",
            f"{top}/themes/default/base.html", f"{top}/example-community/community.yaml",
            f"{top}/docs/setup.md", f"{top}/.github/release.py", f"{top}/.github/workflows/release.yml"} <= names


def new_venv(folder: Path) -> Path:
    """A new virtual environment, without pip (this interpreter's pip installs into it). Returns
    its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    return folder / "bin" / "python"


def lend_our_dependencies(python: Path) -> None:
    """Give the environment of `python` this interpreter's packages, after its own (a .pth line
    adds a folder at the end of sys.path): installing Commonplace's dependencies again from
    PyPI would only make the test slow. Done after installing, or pip would find Commonplace
    installed already (this interpreter has it)."""
    probe = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True)
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(probe.stdout.strip()) / "dependencies-of-the-tests.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))


@pytest.mark.slow
def test_the_wheel_alone_makes_and_builds_the_demo(dist, tmp_path):
    # The hash-pinned requirements file the release attaches, with the dependencies left out.
    empty = tmp_path / "dependencies.txt"
    empty.write_text("")
    requirements = tmp_path / "commonplace-requirements.txt"
    made = run_script("requirements", str(empty), str(wheel_of(dist)), str(sdist_of(dist)))
    assert made.returncode == 0, made.stderr
    requirements.write_text(made.stdout)
    python = new_venv(tmp_path / "venv")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "--find-links", str(dist), "--require-hashes", "-r", str(requirements)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"Successfully installed commonplace-portal-{VERSION}" in installed.stdout
    lend_our_dependencies(python)

    elsewhere = tmp_path / "elsewhere"  # not the source tree, and nothing of it on the path
    elsewhere.mkdir()
    env = base_env(tmp_path)
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"
    command = str(python.parent / "commonplace")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([command, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)

    where_from = subprocess.run([str(python), "-c", "import generator, value; print(generator.__file__); print(value.__file__)"],
                                cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert all(line.startswith(str(tmp_path / "venv")) for line in where_from.stdout.splitlines()), where_from.stdout
    data = Path(where_from.stdout.splitlines()[0]).parent / "_data"
    for shipped in ("schemas/member.schema.json", "themes/default/base.html", "themes/default/assets/style.css",
                    "themes/default/i18n/es/LC_MESSAGES/messages.mo", "themes/default/i18n/es/LC_MESSAGES/terms.mo",
                    "themes/default/i18n/messages.pot", "example-community/community.yaml"):
        assert (data / shipped).is_file(), shipped  # the theme, schemas, catalogues and example
    assert run("--version").stdout == f"commonplace {VERSION}\n"
    made = run("new", "--example", "demo")
    assert made.returncode == 0, made.stderr
    assert (elsewhere / "demo" / "members" / "lucia-ferrer.yaml").is_file()
    built = run("build", "demo")
    assert built.returncode == 0, built.stderr
    site = elsewhere / "demo" / "_site"
    assert (site / "index.html").is_file() and (site / "assets" / "style.css").is_file()
    assert (site / "members" / "lucia-ferrer" / "index.html").is_file()
