"""Hostile and invalid inputs as fixture files: tests/fixtures/hostile/*.txt, input → expected.

community.txt: files added to the minimal community → the exact findings of `check_community`.
markdown.txt: Markdown → the exact HTML of `render_markdown`, and the same HTML in a built page.
The format is described at the top of each file. Only public entry points are used here.
Cases that need a real git repository or a symbolic link stay with their subject in Python
(test_loading.py, test_site.py, test_i18n.py, test_commands.py, test_federation.py).
"""

from __future__ import annotations

import codecs
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


@pytest.mark.parametrize("case", params("community.txt"))
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
