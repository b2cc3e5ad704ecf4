"""docs/libraries.md names every library pyproject.toml installs, and README.md points at it."""

from __future__ import annotations

import re
import tomllib

from communities import ROOT

LIBRARIES = ROOT / "docs" / "libraries.md"


def distribution(requirement: str) -> str:
    """`pagefind[extended]>=1.1` → `pagefind` (PEP 503 normalised)."""
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_installed_library_is_named_with_its_reason():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = sorted({distribution(r) for r in requirements})
    assert {"pygit2", "gitpython", "check-jsonschema", "zizmor"} <= set(names)
    text = re.sub(r"[-_.]+", "-", LIBRARIES.read_text()).lower()
    assert [n for n in names if n not in text] == []


def test_the_readme_links_the_page_and_its_links_resolve():
    readme = (ROOT / "README.md").read_text()
    assert "## Libraries and why" in readme and "](docs/libraries.md)" in readme
    targets = re.findall(r"\]\((\.\./[^)#]+)\)", LIBRARIES.read_text())
    assert targets and all((LIBRARIES.parent / t).resolve().is_file() for t in targets), targets
