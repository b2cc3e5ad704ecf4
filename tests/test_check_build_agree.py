"""`check` is the build without writing: on every hostile fixture, they agree.

Every case of every fixture file in tests/fixtures/hostile/ (found by glob: files added later are
run too) becomes a community in a git repository, committed so that the value stage runs: the
minimal community with the case's files (a Markdown case, markdown.txt's, is a free page). Then
`commonplace check` and `commonplace build` run on it, in-process through `cli.main`, as the
command line runs them (a few through the installed script as well), and:

- check reports an error  <=>  build refuses (exit 1), with the same lines;
- a refused build wrote nothing: the site built before is byte for byte as it was, and nothing
  is left beside it;
- neither ever stops on an unexpected error (a bug reached by the data).

check-build.txt holds the cases where they disagreed: there, check's exact findings are asserted.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from communities import BIN, MINIMAL, base_env, write_files
from generator.cli import main
from gitrepo import commit_all
from test_hostile import FIXTURES, Case, findings_match, read_cases

OWN = "check-build.txt"
UNEXPECTED = "unexpected error"


def all_cases() -> list:
    """One parameter per case of every fixture file, named `file:line-title`."""
    found = []
    for path in sorted(FIXTURES.glob("*.txt")):
        for case in read_cases(path.name):
            slug = re.sub(r"[^a-z0-9]+", "-", case.title.lower())[:50].strip("-")
            found.append(pytest.param(path.name, case, id=f"{path.stem}:{case.line}-{slug}"))
    return found


def case_files(case: Case) -> dict[str, str | bytes]:
    """The files a case adds to the minimal community: its paths, or its Markdown as a free page."""
    if set(case.inputs) == {"markdown"}:
        return {"pages/case.md": f"---\ntitle: Case {case.line}\n---\n" + case.inputs["markdown"]}
    return dict(case.inputs)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, Path]:
    """The minimal community committed, and a site built from it: copied for each case (a copy
    is cheaper than a new repository and a new build)."""
    base = tmp_path_factory.mktemp("agree")
    root = write_files(base / "community", MINIMAL)
    commit_all(root, "Start")
    site = base / "site"
    assert main(["build", str(root), "-o", str(site), "--no-search"]) == 0
    return root, site


def make_case(template: tuple[Path, Path], where: Path, case: Case) -> tuple[Path, Path]:
    """The case's community, committed, and a copy of the site built before it, side by side."""
    root, site = where / "community", where / "out" / "site"
    shutil.copytree(template[0], root, symlinks=True)
    shutil.copytree(template[1], site, symlinks=True)
    for rel, content in case_files(case).items():
        path = root / rel
        assert path.resolve().is_relative_to(root.resolve()), rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    commit_all(root, f"Case {case.line}")
    return root, site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_in_process(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.mark.parametrize(("fixture", "case"), all_cases())
def test_check_and_build_agree(template, tmp_path, capsys, fixture, case):
    root, site = make_case(template, tmp_path, case)
    before = snapshot(site)

    checked, found, check_err = run_in_process(capsys, "check", str(root))
    built, _, build_err = run_in_process(capsys, "build", str(root), "-o", str(site), "--no-search")

    assert not any(UNEXPECTED in line for line in check_err + build_err), check_err + build_err
    assert checked == built, f"check exited {checked}, build {built}\ncheck:\n" + "\n".join(found) + \
        "\nbuild:\n" + "\n".join(build_err)
    if built:
        # the same findings, in the same words; then build's one line saying it stopped
        assert build_err[:-1] == found if found else build_err == found, (found, build_err)
        assert snapshot(site) == before
        assert sorted(p.name for p in site.parent.iterdir()) == ["site"]  # no staging folder, no spare
    else:
        assert set(found) <= set(build_err), (found, build_err)  # the warnings, printed by both
    if fixture == OWN:
        expected = case.expected.splitlines()
        assert findings_match(found, expected), f"{case.title}\nfound:\n" + "\n".join(found)


# -- through the installed command ----------------------------------------------------------------

def own_case(title_start: str) -> Case:
    return next(case for case in read_cases(OWN) if case.title.startswith(title_start))


@pytest.mark.parametrize("title", ["value weights all zero", "a member's address in the body of a free page"])
def test_the_installed_command_agrees(template, tmp_path, title):
    case = own_case(title)
    root, site = make_case(template, tmp_path, case)
    before = snapshot(site)
    env = base_env(tmp_path)
    for fmt in ("text", "github", "gitlab", "json"):
        result = subprocess.run([str(BIN / "commonplace"), "check", "--format", fmt, str(root)],
                                capture_output=True, text=True, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert case.expected.splitlines()[0].split(":", 1)[0] in result.stdout, (fmt, result.stdout)
    result = subprocess.run([str(BIN / "commonplace"), "build", "--no-search", "-o", str(site), str(root)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1].endswith("nothing was written")
    assert snapshot(site) == before


def test_an_unexpected_error_is_one_line_naming_the_command(template, tmp_path, monkeypatch, capsys):
    """A bug reached by the data (here: rendering made to fail) ends as one line in both commands,
    not a traceback; COMMONPLACE_DEBUG=1 shows the traceback."""
    import generator.build

    root, site = make_case(template, tmp_path, Case("plain", 0, {"pages/x.md": "---\ntitle: X\n---\nx\n"}, ""))

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(generator.build, "render_files", broken)
    monkeypatch.delenv("COMMONPLACE_DEBUG", raising=False)
    for argv in (["check", str(root)], ["build", str(root), "-o", str(site), "--no-search"]):
        code, _, err = run_in_process(capsys, *argv)
        assert code == 1
        assert err == [f"error: commonplace {argv[0]} stopped on an unexpected error (ZeroDivisionError: division by "
                       "zero). This is a bug in Commonplace, not a mistake in your files: please report it with the "
                       "command you ran; COMMONPLACE_DEBUG=1 shows the details"]
    monkeypatch.setenv("COMMONPLACE_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["check", str(root)])
