"""The release workflow's checks and files (.github/workflows/release.yml; tests/test_release.py).

    python .github/release.py tag TAG                  the tag names pyproject.toml's version
    python .github/release.py notes                    the changelog's section of that version
    python .github/release.py requirements DEPS DIST…  the hash-pinned requirements file

Each prints what it makes on standard output, or one line saying what is wrong and exits 1.
Only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "commonplace-portal"


class ReleaseError(Exception):
    """What stops a release, said so that the person tagging knows what to fix."""


def project_version(root: Path = ROOT) -> str:
    with open(root / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def check_tag(tag: str, version: str) -> None:
    if tag != f"v{version}":
        raise ReleaseError(f"the tag {tag!r} does not name pyproject.toml's version {version}: "
                           f"tag the commit v{version}, or set the version in pyproject.toml first")


def changelog_section(changelog: str, version: str) -> str:
    """The text under `## [version]` (a date may follow the heading), up to the next `## `."""
    heading = re.compile(rf"^## \[{re.escape(version)}\](?: - \d{{4}}-\d{{2}}-\d{{2}})?\s*$")
    lines = changelog.splitlines()
    starts = [n for n, line in enumerate(lines) if heading.match(line)]
    if not starts:
        raise ReleaseError(f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section: move what "
                           f"'## [Unreleased]' says under it")
    body = []
    for line in lines[starts[0] + 1:]:
        if line.startswith("## "):
            break
        body.append(line)
    text = "\n".join(body).strip()
    if not text:
        raise ReleaseError(f"CHANGELOG.md's section for {version} is empty: say what changed for users")
    return text + "\n"


DIST_NAME = re.compile(r"^commonplace_portal-(?P<version>[^-]+?)(?:-py3-none-any\.whl|\.tar\.gz)$")


def requirements(version: str, dists: list[Path], dependencies: str) -> str:
    """commonplace-portal at `version` with the hashes of the files uploaded to PyPI, then its
    dependencies as `uv pip compile --generate-hashes` pinned them: `pip install --require-hashes
    -r` installs exactly these files or nothing."""
    if not dists:
        raise ReleaseError("no wheel or sdist given: run python -m build first")
    for dist in dists:
        match = DIST_NAME.match(dist.name)
        if not match or match["version"] != version:
            raise ReleaseError(f"{dist.name} is not commonplace-portal {version}'s wheel or sdist")
    hashes = sorted(hashlib.sha256(dist.read_bytes()).hexdigest() for dist in dists)
    lines = [
        f"# {DISTRIBUTION} {version} and every package it needs, each with the hashes of its files.",
        "# Install with: python -m pip install --require-hashes -r commonplace-requirements.txt",
        f"{DISTRIBUTION}=={version} \\",
        *(f"    --hash=sha256:{digest}" + (" \\" if n < len(hashes) - 1 else "") for n, digest in enumerate(hashes)),
    ]
    return "\n".join(lines) + "\n" + dependencies.strip("\n") + ("\n" if dependencies.strip() else "")


def main(argv: list[str]) -> int:
    try:
        match argv:
            case ["tag", tag]:
                check_tag(tag, project_version())
                print(f"{tag}: {DISTRIBUTION} {project_version()}")
            case ["notes"]:
                sys.stdout.write(changelog_section((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), project_version()))
            case ["requirements", deps, *dists]:
                text = Path(deps).read_text(encoding="utf-8")
                sys.stdout.write(requirements(project_version(), [Path(d) for d in dists], text))
            case _:
                print("usage:\n" + "\n".join(__doc__.splitlines()[2:5]), file=sys.stderr)
                return 2
    except ReleaseError as error:
        print(f"release.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
