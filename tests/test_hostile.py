"""Hostile and invalid inputs as fixture files: tests/fixtures/hostile/*.txt, input → expected.

community.txt (and every other .txt but markdown.txt and check-build.txt, such as values.txt and
names.txt): files added to the minimal community → the exact findings of `check_community`.
markdown.txt: Markdown → the exact HTML of `render_markdown`, and the same HTML in a built page.
The format is described at the top of each file. Only public entry points are used here.
Cases that need a real git repository or a symbolic link stay with their subject in Python
(test_loading.py, test_site.py, test_i18n.py, test_commands.py, test_federation.py).
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.load.loader import check_community
from generator.render.markdown import render_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
REPEAT = re.compile(r"^(.*)  ⟨×(\d+)⟩$")


@dataclass
class Case:
    title: str
    line: int  # where the case begins in its fixture file, for the failure message
    inputs: dict[str, bytes | str] = field(default_factory=dict)
    expected: str | None = None


def section(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    out = []
    for line in lines:
        repeat = REPEAT.match(line)
        out.extend([repeat.group(1)] * int(repeat.group(2)) if repeat else [line])
    return "".join(f"{line}\n" for line in out)


def read_cases(name: str) -> list[Case]:
    """The cases of one fixture file: `=== title`, then `>>> input` sections, then `<<< expected`."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cases: list[Case] = []
    target, body = None, []

    def close():
        if target is None:
            return
        case, key, raw = target
        if key is None:
            case.expected = section(body)
        else:
            content = section(body)
            case.inputs[key] = codecs.escape_decode(content.encode("utf-8"))[0] if raw else content

    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("=== "):
            close()
            cases.append(Case(line[4:].strip(), number))
            target, body = None, []
        elif line.startswith((">>> ", "<<< ")):
            assert cases, f"{name}:{number}: a section before the first case"
            close()
            key = line[4:].strip()
            raw = key.endswith(" [bytes]")
            key = key.removesuffix(" [bytes]")
            assert "[" not in key, f"{name}:{number}: unknown option in {key!r}"
            target, body = (cases[-1], key if line.startswith(">>>") else None, raw), []
        elif target is not None:
            body.append(line)
        else:
            assert not cases or not line.strip(), f"{name}:{number}: text outside a section"
    close()
    for case in cases:
        assert case.inputs and case.expected is not None, f"{name}:{case.line}: a case needs >>> and <<< sections"
    titles = [case.title for case in cases]
    assert len(set(titles)) == len(titles), f"{name}: two cases share a title"
    return cases


def params(name: str):
    """One parameter per case, named by file, line and title: `community:137-an-alias-alone-with-no-anchor`."""
    return [pytest.param(case, id=f"{name.split('.')[0]}:{case.line}-" + re.sub(r"[^a-z0-9]+", "-", case.title.lower())[:60].strip("-"))
            for case in read_cases(name)]


def findings_match(found: list[str], expected: list[str]) -> bool:
    return len(found) == len(expected) and all(
        f.startswith(e[:-1]) if e.endswith("…") else f == e for f, e in zip(found, expected))


# Every fixture file but markdown.txt holds community cases (community.txt's format) that the
# loader alone finds; check-build.txt's are found by the stages after it (value, render, the
# address guard), so tests/test_check_build_agree.py runs them through the whole `check`.
COMMUNITY_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.txt") if p.name not in ("markdown.txt", "check-build.txt"))


@pytest.mark.parametrize("case", [p for name in COMMUNITY_FIXTURES for p in params(name)])
def test_community_files(case: Case, tmp_path):
    root = write_files(tmp_path / "community", MINIMAL)
    for rel, content in case.inputs.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    found = [str(finding) for finding in check_community(root)]
    expected = case.expected.splitlines()
    assert findings_match(found, expected), f"{case.title}\nfound:\n" + "\n".join(found)


MARKDOWN = read_cases("markdown.txt")


@pytest.mark.parametrize("case", params("markdown.txt"))
def test_markdown(case: Case):
    assert render_markdown(case.inputs["markdown"]) == case.expected, case.title


@pytest.fixture(scope="module")
def markdown_site(tmp_path_factory) -> Path:
    """One build for every Markdown case: the case on line N is the page `case-N`."""
    base = tmp_path_factory.mktemp("hostile-markdown")
    root = write_files(base / "community", MINIMAL)
    for case in MARKDOWN:
        (root / "pages" / f"case-{case.line}.md").write_text(f"---\ntitle: Case {case.line}\n---\n"
                                                            + case.inputs["markdown"], encoding="utf-8")
    build(root, base / "out")
    return base / "out"


@pytest.mark.parametrize("case", params("markdown.txt"))
def test_markdown_in_a_built_page(case: Case, markdown_site):
    page = (markdown_site / f"case-{case.line}" / "index.html").read_text(encoding="utf-8")
    assert f'<div class="prose">{case.expected}</div>' in page, case.title
    assert "<script" not in page and "<iframe" not in page and 'href="javascript:' not in page, case.title
    assert not re.search(r'\bsrc="https?:', page), case.title  # nothing loads from another host


# -- bounded output: one hostile line never grows the site by more than a megabyte -----------------

MEGABYTE = 1_000_000


def site_size(contents: dict[str, bytes]) -> int:
    return sum(len(data) for data in contents.values())


def months_published(contents: dict[str, bytes]) -> list[str]:
    rows = json.loads(contents["data/indicators-monthly.json"])
    return sorted({row["month"] for row in rows})


@pytest.fixture(scope="module")
def living_demo(tmp_path_factory):
    """The living demo (the README's first command), built once: (its folder, the build)."""
    from generator.cli import main

    root = tmp_path_factory.mktemp("hostile-demo") / "demo"
    assert main(["new", "--example", str(root)]) == 0
    return root, build(root, root.parent / "base", search=False, incremental=False)


def window_end(result) -> str:
    return result.model.config.latest.isoformat()


# (file, the text of one line, what it becomes): {end} is the last day of the date window.
ONE_LINE_EDITS = {
    "a ledger entry dated 1970-01-01": ("ledger/2025.yaml", "  - date: 2025-", "  - date: 1970-01-01\n  - x: "),
    "a usage record at the window's end": ("usage/2025.yaml", "  - date: 2025-", "  - date: {end}\n  - x: "),
    "a kudos dated 1970-01-01": ("kudos/2025.yaml", "    date: 2025-", "    date: 1970-01-01\n    x: "),
    "an event at the window's end": ("events/meetup-2026-02.md", "date: 2026-02-05", "date: {end}"),
    "the largest count": ("usage/2025.yaml", "    count: 212", "    count: " + "9" * 15),
    "the largest amount": ("ledger/2025.yaml", '    amount: "', '    amount: "' + "9" * 15 + '.00"\n    x: "'),
    "a member's name as long as allowed": ("members/lucia-ferrer.yaml", "name: Lucía Ferrer", "name: " + "Lucía " * 33),
    "a kudos reason as long as allowed": ("kudos/2025.yaml", "    for: ", "    for: " + "thanks " * 700 + "\n    x: "),
}


def edit_one_line(root, rel: str, old: str, new: str) -> None:
    """Replace the line that starts with `old` (its first one): `new` takes the line's place, and a
    `x: ` in `new` stands for the rest of the line, kept under an unknown key then dropped."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith(old))
    if "x: " in new:  # the edit replaces the value only: keep the key's line shape
        new = new.split("\n")[0] + "\n"
    lines[n] = new if new.endswith("\n") else new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize("edit", sorted(ONE_LINE_EDITS), ids=lambda e: e.replace(" ", "-"))
def test_one_hostile_line_adds_at_most_a_megabyte(living_demo, tmp_path, edit):
    import shutil

    demo, before = living_demo
    root = tmp_path / "demo"
    shutil.copytree(demo, root, symlinks=True, ignore=shutil.ignore_patterns("_site"))
    rel, old, new = ONE_LINE_EDITS[edit]
    edit_one_line(root, rel, old, new.replace("{end}", window_end(before)))
    after = build(root, tmp_path / "out", search=False, incremental=False)
    grown = site_size(after.contents) - site_size(before.contents)
    assert grown <= MEGABYTE, f"{edit}: the site grew by {grown} bytes"
    # what a build's time follows stays bounded too: the pages, the files, the months of a series
    assert after.pages <= before.pages + 1 and len(after.contents) <= len(before.contents) + 1
    months = months_published(after.contents)
    assert len(months) <= 120, (edit, months[0], months[-1])


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "9999-12-31"])
def test_a_date_outside_the_window_is_an_error_at_its_line(living_demo, tmp_path, day):
    import shutil

    demo, before = living_demo
    root = tmp_path / "demo"
    shutil.copytree(demo, root, symlinks=True, ignore=shutil.ignore_patterns("_site"))
    edit_one_line(root, "events/meetup-2026-02.md", "date: 2026-02-05", f"date: {day}")
    found = [str(f) for f in check_community(root)]
    side = "before 1970-01-01, the earliest" if day < "1970" else f"after {window_end(before)}, the latest"
    assert f"events/meetup-2026-02.md:3:7: date {day} is {side} date this community accepts: fix the date, or " \
           "widen `dates:` in commonplace.yaml (earliest, latest)" in found


def test_the_date_window_is_set_in_commonplace_yaml(living_demo, tmp_path):
    import shutil

    demo, _ = living_demo
    root = tmp_path / "demo"
    shutil.copytree(demo, root, symlinks=True, ignore=shutil.ignore_patterns("_site"))
    with (root / "commonplace.yaml").open("a", encoding="utf-8") as config:
        config.write("dates:\n  earliest: 2025-01-01\n  latest: 2026-12-31\n")
    found = [str(f) for f in check_community(root)]
    assert found and all("the earliest date this community accepts" in f or "the latest date" in f
                         or "warning" in f for f in found), found
    assert any(f.startswith("members/lucia-ferrer.yaml:") and "date 2022-09-17 is before 2025-01-01" in f for f in found)


def test_commits_dated_anywhere_keep_the_monthly_series_bounded(tmp_path):
    """git takes any author date: a commit of 1970 and one of 5138 move the series, never lengthen it."""
    from gitrepo import commit_all

    root = write_files(tmp_path / "community", MINIMAL)
    commit_all(root, "Start", date="1970-01-02T00:00:00+00:00")
    commit_all(root, "Middle", date="2024-05-01T12:00:00+02:00", allow_empty=True)
    commit_all(root, "Far ahead", date="@99999999999 +0000", allow_empty=True)  # the year 5138
    result = build(root, tmp_path / "out", search=False)
    months = months_published(result.contents)
    assert 0 < len(months) <= 120
    assert months[-1] <= result.model.config.latest.isoformat()[:7]
