"""Random and mutated community files never make a traceback: `check` and `build` answer with
exit 0, or exit 1 and findings located as `path:line:col:`.

Hypothesis mutates the files of a small community with history (the minimal one plus one file of
every kind, a configuration with every number it may set, and the ecosystem's files): a value
replaced by a hostile scalar (dates about the window's bounds and with time zones, NaN, infinity,
huge and tiny numbers, codes that are not money, addresses, bidirectional controls, invisible
characters and look-alike letters) or random text, a line deleted, doubled, re-indented or
replaced, random text in a Markdown body, or a whole file of random text. `check` passes exactly
when the build does, and a build never publishes an address written into an ecosystem file. The
seed is fixed (`derandomize`) and the number of examples bounded, so the suite runs the same
cases every time in a few seconds; a failure prints the file that caused it.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from communities import MINIMAL, write_files
from generator.cli import main
from gitrepo import commit_all

MORE = {
    "commonplace.yaml": """\
        title: Seed Library
        base_url: https://seeds.example.org/library/
        forge: {kind: github, repo: seeds/library, branch: main}
        dates: {earliest: 1990-01-01, latest: 2100-12-31}
        value:
          weights: {community_building: 1, reputation: 0.5}
          kinds: {commit: 1.5, mentoring: 2, seed_sorting: {weight: 1, dimension: community_building}}
          salary: {amount: "40000.00", currency: EUR}
          inactive_days: 180
        advice:
          inactivity: {threshold: 3}
          core_load: {threshold: 0.9}
        """,
    "CODEOWNERS": """\
        * @ana
        [Seeds] @ana
        /catalogue/ ana@example.org
        """,
    "CITATION.cff": """\
        cff-version: 1.2.0
        message: Cite it as below
        title: Seed catalogue
        authors:
          - {given-names: Ana, family-names: Lopez}
        url: https://seeds.example.org/
        """,
    ".github/FUNDING.yml": """\
        liberapay: seeds
        custom: https://seeds.example.org/give
        """,
    ".all-contributorsrc": """\
        {"contributors": [
          {"login": "ana",
           "contributions": ["code", "doc"]}
        ]}
        """,
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - date: 2024-01-05
            amount: "300.00"
            kind: grant
            from: Seed Fund
            by: ana
            project: catalogue
          - date: 2024-02-01
            amount: "20.50"
            kind: expense
            to: Printer
        """,
    "usage/2024.yaml": """\
        records:
          - date: 2024-03-31
            kind: downloads
            count: 120
            project: catalogue
          - date: 2024-04-01
            kind: testimonial
            quote: Lovely seeds
        """,
    "kudos/2024.yaml": """\
        kudos:
          - from: ana
            to: ben
            date: 2024-04-07
            for: Carrying the tables
        """,
    "contributions/2024.yaml": """\
        records:
          - date: 2024-03-03
            who: ben
            kind: mentoring
            hours: 2
            description: Showed a newcomer how to sort seeds
        """,
    "rewards/spring.yaml": """\
        budget: "100.00"
        currency: EUR
        policy: recent
        period: {start: 2024-01-01, end: 2024-06-30}
        """,
}
FILES = {**MINIMAL, **MORE}
NAMES = sorted(FILES)

HOSTILE = [
    "", "~", "null", "[]", "{}", "-1", "0", "1e999", "-1e999", ".nan", ".inf", "99999999999999999999999999",
    "9999-12-31", "0001-01-01", "1970-01-01", "2024-02-30", "2024-13-01", "yes", "no", "'", '"', "&a x", "*a",
    "!!python/object/apply:os.system ['true']", "!!binary aGk=", "{a: [b", "- x", "? x", "|", ">-", "<script>x</script>",
    "ana@example.org", "mailto:ana@example.org", "javascript:alert(1)", "../../etc/passwd", "\t", "\\u0000",
    "x" * 3000, "ana", "[ana, ana]", "[anna]", "{start: 2024-06-30, end: 2024-01-01}", '"1.005"', '"-3.00"', "EUR",
    "ZZZ", "2024-01-01T10:00:00Z", "12:30", "0x1F", "0o17", "1_000", "+1", "= x", "%YAML 1.1", "---", "...",
    "👩‍🌾", "\u202e", "[1, 2, 3]", "{x: 1}",
    # dates about the window's bounds, and timestamps with a time zone
    "1799-12-31", "1800-01-01", "2199-12-31", "2200-01-01", "9999-12-31T23:59:59-12:00",
    "0001-01-01 00:00:00 +14:00", "2024-01-05t10:00:00z",
    # numbers: not finite, huge, tiny, at and past the schemas' bounds, true as a number
    "1.0e+400", "-.inf", ".NaN", "1e400", "1.0e-400", "1000001", "10001", "999999999999999", "1000000000000000",
    "-99999999999999999999", "true", '"Infinity"', '"NaN"', '"1e400"', '"99999999999999999999.00"',
    # codes that are not money, and addresses (private.example is never published from an ecosystem file)
    "XXX", "XAU", "XTS", "XDR", "xau", "x@private.example", "mailto:x@private.example",
    '"Ana <x@private.example>"', "https://pay.example.org/?to=x@private.example", "pattern@private.example @ana",
    # Unicode that deceives: bidirectional controls, invisible characters, look-alike letters
    "Ana\u202eorez", "\u2066Ben\u2069", "A\u200bna", "Ana\u2060", "\ufeffAna", "An\u00ada", "\u0410na",
    "\uff21\uff4e\uff41", "Jose\u0301", "Jos\u00e9", "\u061cx", "x\ufe0f",
]
value = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str),
                  st.dates().map(lambda d: d.isoformat()))
# What a build's later stages (the value engine, the pages) take: values that may pass the schemas.
valid_looking = st.one_of(st.sampled_from([h for h in HOSTILE if len(h) < 100]), st.dates().map(lambda d: d.isoformat()),
                          st.integers(-10**30, 10**30).map(str), st.sampled_from(["ana", "ben", "cy", "catalogue"]))
KEY_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+:)( .*)?$")
ECOSYSTEM = ("CODEOWNERS", "CITATION.cff", ".github/FUNDING.yml", ".all-contributorsrc")
SECRET = "private.example"


@st.composite
def mutated(draw, values=value, hows=("value", "value", "value", "delete", "double", "indent", "line", "body", "whole"),
            ) -> tuple[str, str]:
    """(a file of the community, its new text)."""
    rel = draw(st.sampled_from(NAMES))
    lines = textwrap.dedent(FILES[rel]).splitlines()
    how = draw(st.sampled_from(hows))
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    if how == "value":
        keyed = [n for n, line in enumerate(lines) if KEY_VALUE.match(line)]
        if keyed:
            n = draw(st.sampled_from(keyed))
            lines[n] = KEY_VALUE.match(lines[n]).group(1) + " " + draw(values)
        elif lines:  # CODEOWNERS, JSON: a hostile value in place of a word of a line
            words = lines[i].split()
            if words:
                words[draw(st.integers(0, len(words) - 1))] = draw(values)
            lines[i] = " ".join(words)
    elif how == "delete" and lines:
        del lines[i]
    elif how == "double" and lines:
        lines.insert(i, lines[i])
    elif how == "indent" and lines:
        lines[i] = draw(st.sampled_from(["", " ", "  ", "    ", "\t"])) + lines[i].lstrip()
    elif how == "line" and lines:
        lines[i] = draw(st.text(max_size=60))
    elif how == "body":
        lines.append(draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)))
    else:
        return rel, draw(st.text(max_size=300))
    return rel, "\n".join(lines) + "\n"


LOCATED = re.compile(r"^\S[^\n]*?:\d+:\d+: ", re.MULTILINE)


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The community, committed: builds count its history."""
    root = write_files(tmp_path_factory.mktemp("fuzz") / "community", FILES)
    commit_all(root, "Start")
    return root


def answer(capsys, argv: list[str], rel: str, text: str) -> int:
    code = main(argv)
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert code in (0, 1), f"{rel}:\n{text}\n{err}"
    if code == 1:
        assert LOCATED.search(err), f"exit 1 without a located finding for {rel}:\n{text}\n{err}"
    if rel in ECOSYSTEM:
        assert code == 0, f"an ecosystem file failed the command: {rel}:\n{text}\n{err}"
    return code


def published_addresses(out: Path) -> list[str]:
    return [str(p.relative_to(out)) for p in out.rglob("*")
            if p.is_file() and SECRET in p.read_text(encoding="utf-8", errors="replace")]


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much, HealthCheck.data_too_large])


@fuzz(150)
@given(change=mutated())
def test_check_answers_any_mutation_with_findings(base, tmp_path_factory, capsys, change):
    rel, text = change
    target = base / rel
    original = target.read_bytes()
    try:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        answer(capsys, ["check", str(base)], rel, text)
    finally:
        target.write_bytes(original)


def changed(rel: str, old: str, new: str) -> tuple[str, str]:
    """A file of the community with one line changed: the cases of the issue, always run first."""
    text = textwrap.dedent(FILES[rel])
    assert old in text
    return rel, text.replace(old, new, 1)


@fuzz(30)
@given(change=mutated(values=valid_looking, hows=("value",)))
@example(change=changed("events/swap-2024.md", "date: 2024-04-06", "date: 9999-12-31"))
@example(change=changed("ledger/2024.yaml", "date: 2024-01-05", "date: 0001-01-01"))
@example(change=changed("usage/2024.yaml", "count: 120", "count: 99999999999999999999999999999999"))
@example(change=changed("kudos/2024.yaml", "date: 2024-04-07", "date: 1970-01-01"))
@example(change=changed("members/ana.yaml", "roles: [coordinator]", "visibilty: x"))
@example(change=changed("commonplace.yaml", "earliest: 1990-01-01, latest: 2100-12-31",
                        "earliest: 0001-01-01, latest: 9999-12-31"))
@example(change=changed("commonplace.yaml", "reputation: 0.5", "reputation: .nan"))
@example(change=changed("commonplace.yaml", "commit: 1.5", "commit: 1.0e+400"))
@example(change=changed("ledger/2024.yaml", "currency: EUR", "currency: XXX"))
@example(change=changed("CODEOWNERS", "* @ana", "pattern.secret@private.example @ana"))
@example(change=changed(".all-contributorsrc", '"contributions": ["code", "doc"]', '"contributions": ' + "[" * 5000
                        + "]" * 5000))
def test_build_answers_any_mutation_with_findings_or_a_site(base, tmp_path_factory, capsys, change):
    rel, text = change
    target = base / rel
    original = target.read_bytes()
    out = base.parent / "out"
    try:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        checked = answer(capsys, ["check", str(base)], rel, text)
        code = answer(capsys, ["build", str(base), "-o", str(out), "--clean", "--no-search"], rel, text)
        assert code == checked, f"check exited {checked} and build {code} on {rel}:\n{text}"  # they must agree
        if code == 0 and rel in ECOSYSTEM:
            assert published_addresses(out) == [], f"{rel}:\n{text}"
    finally:
        target.write_bytes(original)
        shutil.rmtree(out, ignore_errors=True)
