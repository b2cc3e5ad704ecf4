"""The per-commit cache: a second run reads nothing, a new commit is the only one read."""

from __future__ import annotations

import pytest

import value.linecount as linecount_module
from gitrepo import git, git_env, identity
from synthetic import append_commit, generate
from value.history import read_history
from value.report import BRIEF_ROW, build_report


@pytest.fixture
def generated(tmp_path):
    path = tmp_path / "gen"
    generate(path, 120, seed=3, env=git_env(tmp_path / "home"))
    return path


@pytest.mark.parametrize("subdir", [None, "community"])
def test_second_run_reads_nothing_and_one_new_commit_reads_one(generated, tmp_path, monkeypatch, subdir):
    path = generated
    cache = tmp_path / "cache"
    first = read_history(path, subdir=subdir, cache_dir=cache)
    assert first.read == 120 and first.diffed > 0
    cold_report = build_report(path, subdir=subdir, cache_dir=tmp_path / "other").to_json()

    calls = []  # every commit diffed, by either engine
    real, real_git = linecount_module.diff_commit, linecount_module._git_numstat
    monkeypatch.setattr(linecount_module, "diff_commit", lambda r, cid, sub: calls.append(cid) or real(r, cid, sub))
    monkeypatch.setattr(linecount_module, "_git_numstat", lambda cwd, ids, sub: calls.extend(ids) or real_git(cwd, ids, sub))
    second = read_history(path, subdir=subdir, cache_dir=cache)
    assert (second.read, second.diffed, calls) == (0, 0, [])
    assert build_report(path, subdir=subdir, cache_dir=cache).to_json() == cold_report

    append_commit(path)
    third = read_history(path, subdir=subdir, cache_dir=cache)
    assert (third.read, third.diffed, len(calls)) == (1, 1, 1)
    warm = build_report(path, subdir=subdir, cache_dir=cache).to_json()
    assert warm == build_report(path, subdir=subdir, use_cache=False).to_json()


def test_default_cache_lives_in_the_git_dir(generated):
    path = generated
    read_history(path)
    files = list((path / ".git" / "commonplace-cache").glob("history-*.pickle"))
    assert len(files) == 1


def test_torn_cache_file_is_repaired(generated, tmp_path):
    path = generated
    cache = tmp_path / "cache"
    read_history(path, cache_dir=cache)
    (file,) = cache.glob("*.pickle")
    file.write_bytes(file.read_bytes()[:-10])  # a write cut short
    again = read_history(path, cache_dir=cache)
    assert again.read == 120  # the only chunk was torn: everything is read again, correctly
    assert read_history(path, cache_dir=cache).read == 0


def test_unchanged_report_is_read_not_computed(generated, tmp_path, monkeypatch):
    """No change (same tip, tags, data, engine): the stored report; any change: computed again."""
    import value.report as report_module
    from value.inputs import CommunityData, MemberInput

    path = generated
    cache = tmp_path / "cache"
    data = CommunityData(members=(MemberInput(id="ann", name="Ann", emails=("ann@example.org",)),))
    first = build_report(path, cache_dir=cache, data=data).to_json()
    assert list(cache.glob("report-*.pickle"))

    computed = []
    real = report_module.report_from
    monkeypatch.setattr(report_module, "report_from", lambda *a, **k: computed.append(1) or real(*a, **k))
    assert build_report(path, cache_dir=cache, data=data).to_json() == first and computed == []

    # other data, then the same data again, a new tag, a new commit: each is computed
    other = CommunityData(members=(MemberInput(id="ann", name="Ann", emails=("ann@example.net",)),))
    assert build_report(path, cache_dir=cache, data=other).to_json() == build_report(path, data=other, use_cache=False).to_json()
    assert len(computed) == 2
    assert build_report(path, cache_dir=cache, data=data).to_json() == first and len(computed) == 3
    git(path, "tag", "v9", "HEAD~3")
    tagged = build_report(path, cache_dir=cache, data=data).to_json()
    assert len(computed) == 4 and tagged == build_report(path, data=data, use_cache=False).to_json()
    assert tagged["dimensions"]["objective_accomplishment"]["releases"] == \
        first["dimensions"]["objective_accomplishment"]["releases"] + 1
    append_commit(path)
    assert build_report(path, cache_dir=cache, data=data).to_json() == build_report(path, data=data, use_cache=False).to_json()


def test_torn_report_file_is_ignored(generated, tmp_path):
    path = generated
    cache = tmp_path / "cache"
    first = build_report(path, cache_dir=cache).to_json()
    (file,) = cache.glob("report-*.pickle")
    file.write_bytes(file.read_bytes()[:-10])
    assert build_report(path, cache_dir=cache).to_json() == first


def test_fingerprint_is_canonical():
    from datetime import date
    from decimal import Decimal

    from value.cache import fingerprint

    a = {"b": [1, {"x", "y"}], "a": (date(2024, 1, 2), Decimal("1.10"))}
    b = {"a": (date(2024, 1, 2), Decimal("1.10")), "b": [1, {"y", "x"}]}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint({"a": 1}) != fingerprint({"a": "1"}) != fingerprint({"a": 1.0})
    assert fingerprint([Decimal("1.1")]) != fingerprint([Decimal("1.10")])


def test_canonical_text_is_unchanged():
    """Stored reports are keyed by this text: a new form must make old keys miss, so it is pinned."""
    from dataclasses import dataclass
    from datetime import date, datetime, timezone
    from decimal import Decimal

    from value.cache import _canon

    @dataclass
    class Row:
        id: str
        tags: tuple = ()

    class Name(str):
        pass

    value = {"b": [1, True, None, 1.5], "a": (date(2024, 1, 2), Decimal("1.10"), "it's"), 2: {"x"},
             "r": Row("ana", ("x",)), Name("n"): datetime(2024, 1, 2, 3, tzinfo=timezone.utc)}
    out: list[str] = []
    _canon(value, out)
    assert "".join(out) == (
        "{test_canonical_text_is_unchanged.<locals>.Name:'n':"
        "datetime:datetime.datetime(2024, 1, 2, 3, 0, tzinfo=datetime.timezone.utc),int:2:<str:'x'>,"
        "str:'a':(date:datetime.date(2024, 1, 2),Decimal:Decimal('1.10'),str:\"it's\",],"
        "str:'b':[int:1,bool:True,NoneType:None,float:1.5,],"
        "str:'r':test_canonical_text_is_unchanged.<locals>.Row(id=str:'ana',tags=(str:'x',],),}")


def _git(path, *args, who=("Dee", "dee@example.org"), when=1_900_000_000):
    """git as `who` at `when` (+02:00): who and when of the commits these tests add."""
    return git(path, *args, env=identity(who, f"@{when} +0200"))


def _add_commits_with_a_merge_and_a_newcomer(path) -> int:
    """Five new commits on top of the cached tip: a side branch by a new author (with a review
    trailer, documentation and a file in the community folder), one on main, and their merge."""
    newcomer = ("Zed Newcomer", "zed@example.net")
    main = _git(path, "rev-parse", "--abbrev-ref", "HEAD").strip()
    _git(path, "checkout", "-q", "-b", "side")
    (path / "community" / "docs").mkdir(parents=True, exist_ok=True)
    (path / "community" / "docs" / "guide.md").write_text("one\ntwo\nthree\n")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "Add a guide\n\nReviewed-by: Dee <dee@example.org>",
         who=newcomer, when=1_900_000_100)
    (path / "tool.py").write_text("print('side')\n")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "A tool", who=newcomer, when=1_905_000_000)
    _git(path, "checkout", "-q", main)
    (path / "community" / "notes.txt").write_text("main line\n")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "Notes", when=1_905_100_000)
    _git(path, "merge", "-q", "--no-ff", "-m", "Merge pull request #99 from zed/side", "side",
         when=1_905_200_000)
    (path / "README.md").write_text("after the merge\n")
    _git(path, "add", "-A")
    _git(path, "commit", "-q", "-m", "Readme\n\nCo-authored-by: Zed Newcomer <zed@example.net>",
         when=1_910_000_000)
    return 5


@pytest.mark.parametrize("subdir", [None, "community"])
def test_incremental_update_equals_a_cold_computation(generated, tmp_path, subdir):
    """After new commits (a merge and a new author among them) the cached run reads only those
    commits and its report is equal, figure for figure, to one computed without any cache."""
    path = generated
    cache = tmp_path / "cache"
    build_report(path, subdir=subdir, cache_dir=cache).to_json()
    import shutil

    shutil.copytree(cache, tmp_path / "probe")
    new = _add_commits_with_a_merge_and_a_newcomer(path)
    assert read_history(path, subdir=subdir, cache_dir=tmp_path / "probe").read == new
    assert build_report(path, subdir=subdir, cache_dir=cache).to_json() == build_report(path, subdir=subdir, use_cache=False).to_json()
    assert read_history(path, subdir=subdir, cache_dir=cache).read == 0
    ids = {c["id"] for c in build_report(path, subdir=subdir, use_cache=False).to_json()["contributors"]}
    assert any("zed" in i for i in ids)


def test_new_commits_are_folded_in_without_reading_the_history_again(generated, tmp_path, monkeypatch):
    import value.fold as fold_module
    import value.report as report_module

    path = generated
    cache = tmp_path / "cache"
    build_report(path, cache_dir=cache).to_json()
    _add_commits_with_a_merge_and_a_newcomer(path)
    cold = build_report(path, use_cache=False).to_json()

    def refuse(*args, **kwargs):
        raise AssertionError("the whole history was read")

    monkeypatch.setattr(report_module, "read_history", refuse)
    assert build_report(path, cache_dir=cache).to_json() == cold
    for when in (1_920_000_000, 1_930_000_000, 1_940_000_000):  # each run replays the ones before
        append_commit(path, when=when)
        monkeypatch.undo()
        cold = build_report(path, use_cache=False).to_json()
        monkeypatch.setattr(report_module, "read_history", refuse)
        assert build_report(path, cache_dir=cache).to_json() == cold
    (state,) = cache.glob("resolved-*.pickle")
    monkeypatch.setattr(fold_module, "COMPACT_CHANGES", 1)  # written whole again, still exact
    append_commit(path, when=1_950_000_000)
    size = state.stat().st_size
    warm = build_report(path, cache_dir=cache).to_json()
    monkeypatch.undo()
    assert warm == build_report(path, use_cache=False).to_json()
    assert state.stat().st_size != size


@pytest.mark.parametrize("change", ["mailmap", "new-name-wins", "rewritten"])
def test_changes_that_cannot_be_folded_in_take_the_full_path(generated, tmp_path, change):
    """A new .mailmap, new commits that change an existing person's id, or a ref that no longer
    descends from the last tip: the report is still exactly the cold one."""
    path = generated
    cache = tmp_path / "cache"
    first = build_report(path, cache_dir=cache).to_json()
    someone = next(c for c in first["contributors"] if c["commits"] >= 2)
    email = someone["emails"][0]
    if change == "mailmap":
        (path / ".mailmap").write_text(f"Renamed MemberInput <{email}>\n")
        _git(path, "add", "-A")
        _git(path, "commit", "-q", "-m", "Mailmap")
    elif change == "new-name-wins":  # the name used most often with an address gives the id
        for n in range(someone["commits"] + 1):
            (path / "renamed.txt").write_text(f"{n}\n")
            _git(path, "add", "-A")
            _git(path, "commit", "-q", "-m", f"Renamed {n}", who=("Quite Another Name", email),
                 when=1_900_000_000 + n)
    else:
        _git(path, "reset", "-q", "--hard", "HEAD~3")
        _add_commits_with_a_merge_and_a_newcomer(path)
    warm = build_report(path, cache_dir=cache).to_json()
    assert warm == build_report(path, use_cache=False).to_json()
    if change == "new-name-wins":
        assert someone["id"] not in {c["id"] for c in warm["contributors"]}


def test_a_change_made_from_an_older_state_is_left_out():
    from value.fold import replay

    state = {"tip": "b", "mailmap": "", "tag_reach": {}, "seen": {}, "who": {}, "bots": {}, "commits": [],
             "merges": []}
    change = {"parent": "a", "tip": "c", "mailmap": "", "tag_reach": {}, "seen": {("X", "x@x")}, "who": {},
              "bots": {}, "commits": [("c", "x", 1)], "merges": []}
    replayed, whole = replay(dict(state), [change])
    assert not whole and replayed["tip"] == "b" and replayed["commits"] == []


def _as_summary(full: dict) -> dict:
    """What a summary report holds of a full one: every overall figure, and of each person what the
    text prints; no months, no records."""
    out = dict(full, monthly={}, contributions={}, bot_contributions={}, cred_as_of={},
               scoring={k: v for k, v in full["scoring"].items() if k != "monthly"},
               contributors=[{k: c[k] for k in BRIEF_ROW} for c in full["contributors"]],
               bots=[{k: c[k] for k in BRIEF_ROW if k in c} for c in full["bots"]])
    return out


def test_a_summary_is_the_full_report_without_months_and_records_cold_and_after_new_commits(generated, tmp_path):
    """The text format's report (`summary=True`) has every overall figure of the full one, to the
    bit, and the JSON format's (`with_records=False`) every figure; each is stored apart:
    computed cold, read back unchanged, and folded after new commits."""
    from datetime import date

    from value.inputs import CommunityData

    path = generated
    cache = tmp_path / "cache"
    data = CommunityData(periods=((date(2000, 1, 1), date(2030, 6, 30)),))  # a plan: cred_as_of in full
    full = build_report(path, cache_dir=cache, data=data).to_json()
    assert full["monthly"]["months"] and full["cred_as_of"] and full["contributions"]["date"]
    summary = build_report(path, cache_dir=cache, data=data, summary=True).to_json()
    assert summary == _as_summary(full)
    assert build_report(path, cache_dir=cache, data=data, summary=True).to_json() == summary  # stored apart
    assert build_report(path, cache_dir=cache, data=data).to_json() == full
    figures = build_report(path, cache_dir=cache, data=data, with_records=False).to_json()  # --format json's
    assert figures == dict(full, contributions={}, bot_contributions={}, cred_as_of={})
    _add_commits_with_a_merge_and_a_newcomer(path)
    warm = build_report(path, cache_dir=cache, data=data, summary=True).to_json()
    cold = build_report(path, use_cache=False, data=data)
    assert warm == _as_summary(cold.to_json()) == build_report(path, use_cache=False, data=data, summary=True).to_json()
    assert build_report(path, cache_dir=cache, data=data, with_records=False).to_json(records=False) \
        == cold.to_json(records=False)
    assert build_report(path, cache_dir=cache, data=data).to_json() == cold.to_json()


def test_tags_are_peeled_once_and_new_ones_after_new_commits(generated, tmp_path, monkeypatch):
    """A tag ref's target is an object, which never changes: what it peeled to is kept with the
    resolved history, and a rebuild after new commits peels only the tags made since; the
    releases still count every tag, annotated or not, as a cold run does."""
    import value.history as history_module

    path = generated
    cache = tmp_path / "cache"
    git(path, "tag", "v1", "HEAD~5")
    git(path, "tag", "-a", "-m", "Two", "v2", "HEAD~2", env=git_env(tmp_path / "home"))
    build_report(path, cache_dir=cache)
    peeled = []
    real = history_module._peeled_tag
    monkeypatch.setattr(history_module, "_peeled_tag", lambda repo, target: peeled.append(target) or real(repo, target))
    append_commit(path, when=1_960_000_000)
    warm = build_report(path, cache_dir=cache).to_json()
    assert peeled == []
    assert warm == build_report(path, use_cache=False).to_json()  # (a cold run peels every tag)
    assert warm["dimensions"]["objective_accomplishment"]["releases"] >= 2
    append_commit(path, when=1_970_000_000)
    git(path, "tag", "-a", "-m", "Three", "v3", "HEAD", env=git_env(tmp_path / "home"))
    peeled.clear()
    warm = build_report(path, cache_dir=cache).to_json()
    assert len(peeled) == 1 and warm == build_report(path, use_cache=False).to_json()
    append_commit(path, when=1_980_000_000)  # the change that recorded v3 is replayed: v3 is known
    peeled.clear()
    warm = build_report(path, cache_dir=cache).to_json()
    assert peeled == [] and warm == build_report(path, use_cache=False).to_json()
