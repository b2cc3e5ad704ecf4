"""Contribution records on the site: each member page says why their shares are what they are
(records by dimension and kind, the records with links to their sources), and
`data/contributions.csv` publishes them, so every published score is recomputed here from the
site's `data/` alone.

The community lives in the folder `community/` of its repository (the forge's `path`), with
commits by Ana (public), Ben (pseudonymous), Cy (hidden) and Zoe (not a member, shown under a
pseudonym), an event, kudos, usage of a project, income raised and a contributions file."""

from __future__ import annotations

import csv
import json
import re
import textwrap
from pathlib import Path

import pytest

from communities import MINIMAL, write_files
from generator.build import build
from generator.model import Forge
from generator.people import pseudonym
from generator.views.forge import commit_url, line_url
from generator.views.records import RECENT, source_of
from gitrepo import GitRepo

ANA, BEN, CY, ZOE = (("Ana Lopez", "ana@example.org"), ("Ben Okafor", "ben@example.net"),
                     ("Cy Hidden", "cy@example.com"), ("Zoe Outsider", "zoe@elsewhere.example"))
SALT = "Seed Library"
FORGE = "https://github.com/seeds/library"
DATA = {
    "commonplace.yaml": textwrap.dedent(MINIMAL["commonplace.yaml"]).replace(
        "  branch: main\n", "  branch: main\n  path: community\n") + "privacy:\n  non_members: pseudonym\n",
    "kudos/2024.yaml": """\
        kudos:
          - {from: ana, to: ben, date: 2024-04-07, for: Sorting the bean jars}
          - {from: ben, to: ana, date: 2024-04-08, for: The swap}
          - {from: ana, to: cy, date: 2024-04-09, for: Labels}
        """,
    "usage/2024.yaml": """\
        records:
          - {date: 2024-05-01, kind: downloads, count: 40, source: web logs, project: catalogue}
          - {date: 2024-08-02, kind: users, count: 12, source: survey, project: catalogue}
        """,
    "events/potluck.md": "---\ntitle: Potluck\ndate: 2024-08-01\norganisers: [ana]\nparticipants: [ben, cy]\n---\n",
    "ledger/2024.yaml": """\
        currency: EUR
        entries:
          - {date: 2024-03-14, amount: "500.00", kind: grant, from: City Council, by: ana}
          - {date: 2024-03-20, amount: "50.00", kind: donation, from: A neighbour, by: cy}
        """,
    "contributions/2024.yaml": """\
        records:
          - {date: 2024-04-20, who: ben, kind: mentoring, hours: 2, description: Taught grafting}
          - {date: 2024-04-21, who: cy, kind: welcome, description: Welcomed newcomers}
        """,
}


def _commit(repo: GitRepo, author, day: str, rel: str, lines: int) -> str:
    return repo.commit(f"Work on {rel}", author, f"{day}T10:00:00+00:00",
                       {f"community/{rel}": "".join(f"line {i}\n" for i in range(lines))})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(output folder, {author name: [commit ids]}) of the community built from its repository."""
    root = tmp_path_factory.mktemp("records")
    repo = GitRepo(root / "repo", root / "home")
    write_files(repo.path / "community", {**MINIMAL, **DATA})
    repo.git("add", "-A")
    commits = {name: [] for name, _ in (ANA, BEN, CY, ZOE)}
    repo.git("commit", "-q", "-m", "Start", env={"GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1],
                                                  "GIT_AUTHOR_DATE": "2024-03-01T10:00:00+00:00",
                                                  "GIT_COMMITTER_DATE": "2024-03-01T10:00:00+00:00"})
    commits[ANA[0]].append(repo.head())
    for i in range(30):  # Ana: more records than a page lists
        commits[ANA[0]].append(_commit(repo, ANA, f"2024-06-{i % 28 + 1:02d}", f"notes/ana-{i}.txt", 3))
    commits[BEN[0]].append(_commit(repo, BEN, "2024-07-01", "notes/ben.txt", 250))
    commits[BEN[0]].append(_commit(repo, BEN, "2024-07-02", "docs/guide.md", 40))
    commits[CY[0]].append(_commit(repo, CY, "2024-07-03", "tools/cy.py", 120))  # source code: a replacement cost
    commits[ZOE[0]].append(_commit(repo, ZOE, "2024-07-04", "notes/zoe.txt", 80))
    out = root / "site"
    build(repo.path / "community", out, incremental=False, search=False)
    return out, commits


def rows(out: Path, name: str) -> list[dict]:
    with (out / "data" / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_published_score_is_recomputed_from_the_open_data_alone(site):
    out, _commits = site
    records, contributors, dimensions = rows(out, "contributions"), rows(out, "contributors"), rows(out, "dimensions")
    weights = {d["dimension"]: float(d["weight"]) for d in dimensions}
    totals = dict.fromkeys(weights, 0.0)
    sums: dict[str, dict[str, float]] = {}
    for r in records:
        assert r["dimension"] in weights and r["kind"]
        totals[r["dimension"]] += float(r["weight"])
        mine = sums.setdefault(r["person"], dict.fromkeys(weights, 0.0))
        mine[r["dimension"]] += float(r["weight"])
    present = [d for d in weights if totals[d] > 0]
    assert len(present) == 5  # every dimension has records here, so each is checked
    for d in dimensions:  # what a score is divided by, hidden members' records included
        assert float(d["records_total"]) == pytest.approx(totals[d["dimension"]], abs=1e-6)
    assert contributors
    for c in contributors:
        own = sums.get(c["id"], dict.fromkeys(weights, 0.0))
        scores = {d: own[d] / totals[d] if totals[d] else 0.0 for d in weights}
        value = sum(weights[d] * scores[d] for d in present) / sum(weights[d] for d in present)
        for d in weights:
            assert float(c[f"records_{d}"]) == pytest.approx(own[d], abs=1e-6), (c["id"], d)
            assert float(c[f"score_{d}"]) == pytest.approx(scores[d], abs=1e-6), (c["id"], d)
        assert float(c["value"]) == pytest.approx(value, abs=1e-6), c["id"]
    # everyone with records is a listed contributor, or the members not listed
    assert set(sums) == {c["id"] for c in contributors} | {"members not listed"}


def test_the_records_name_people_as_the_site_does_and_never_an_address(site):
    out, commits = site
    records = rows(out, "contributions")
    ben, zoe = pseudonym("ben", SALT), pseudonym("zoe-outsider", SALT)
    people = {r["person"] for r in records}
    assert "ana" in people and "members not listed" in people
    assert re.sub(r"[^a-z]+", "-", ben.lower()) in people and re.sub(r"[^a-z]+", "-", zoe.lower()) in people
    published = (out / "data" / "contributions.csv").read_text() + (out / "data" / "contributions.json").read_text()
    assert "@" not in published
    for secret in ("Ben Okafor", "Cy Hidden", "Zoe Outsider", "zoe-outsider", ",ben,", ",cy,"):
        assert secret not in published, secret
    # a pseudonym's commits not at all, not even as a short id (tests/test_pseudonym_records.py);
    # a public member's in full
    for name in (BEN[0], CY[0], ZOE[0]):
        for sha in commits[name]:
            assert sha[:7] not in published
    assert all(sha in published for sha in commits[ANA[0]])
    # hidden members: one undated, unsourced row per kind and dimension, summing their records
    hidden = [r for r in records if r["person"] == "members not listed"]
    assert len({(r["kind"], r["dimension"]) for r in hidden}) == len(hidden)
    assert all(r["date"] == "" and r["source"] == "" for r in hidden)
    by_kind = {r["kind"]: r for r in hidden}
    assert by_kind["commit"]["weight"] == "1.0" and by_kind["commit"]["records"] == "1"
    assert by_kind["replacement_cost"]["weight"] == "1.2"  # 120 lines / 100
    assert {"income_raised", "welcome", "kudos_received", "event_attended"} <= set(by_kind)
    assert [r for r in records if r["source"] == "community/events/swap-2024.md:7"] == []  # relative to the folder
    assert {"date": "2024-03-14", "person": "ana", "kind": "income_raised", "dimension": "monetary_value",
            "weight": "3.0", "records": "1", "source": "ledger/2024.yaml:3"} in [
        {k: v for k, v in r.items() if k != "landed"} for r in records]
    package = json.loads((out / "data" / "datapackage.json").read_text())
    resource = next(r for r in package["resources"] if r["name"] == "contributions")
    assert [f["name"] for f in resource["schema"]["fields"]] == ["date", "person", "kind", "dimension", "weight",
                                                                 "records", "source", "landed"]
    assert json.loads((out / "data" / "contributions.json").read_text())[0]["person"]


def test_a_member_page_says_why_their_shares_are_what_they_are(site):
    out, commits = site
    page = (out / "members" / "ana" / "index.html").read_text()
    assert '<h3 id="why" class="records-head">Why these shares</h3>' in page
    assert '<tr class="subtotal"><th scope="rowgroup">Objective accomplishment</th>' in page
    assert '<th scope="row">Commit</th><td class="num">31</td><td class="num">31.00</td>' in page
    # a commit links to the forge's commit page, a data line to the file in the community folder
    newest = commits[ANA[0]][28]  # 2024-06-28, the newest day
    assert f'<a href="{FORGE}/commit/{newest}" rel="noopener"><code>{newest[:7]}</code></a>' in page
    assert f'<a href="{FORGE}/blob/main/community/usage/2024.yaml#L3" rel="noopener">usage/2024.yaml:3</a>' in page
    assert f'<a href="{FORGE}/blob/main/community/events/potluck.md#L4" rel="noopener">events/potluck.md:4</a>' in page
    assert "cred/2024-06" in page
    # bounded: the newest RECENT records, then how many more the open data has
    mine = [r for r in rows(out, "contributions") if r["person"] == "ana"]
    assert len(mine) > RECENT
    assert page.count("<time datetime=") - page.split('id="records"')[0].count("<time datetime=") \
        >= RECENT
    assert f'And {len(mine) - RECENT} older records, in <a href="../../data/contributions.csv">contributions.csv</a>.' \
        in page
    # a person's part of the monetary dimension under the dimension's one label, which says what it counts
    assert "Monetary value" not in page and "Estimated replacement cost and income raised" not in page
    assert "Money raised and replacement cost" in page


def test_a_pseudonymous_page_links_to_nothing_that_names_them(site):
    out, commits = site
    slug = re.sub(r"[^a-z]+", "-", pseudonym("ben", SALT).lower())
    page = (out / "members" / slug / "index.html").read_text()
    main = page[page.index("<main"):page.index("</main>")]
    assert "Why these shares" in main and "without their sources" in main
    assert "github.com" not in main and "members/ben" not in page
    for sha in commits[BEN[0]]:
        assert sha[:7] not in page
    assert "kudos/2024.yaml:" not in main and "contributions/2024.yaml:" not in main  # summed by month
    assert '<time datetime="2024-07">July 2024</time>' in main
    assert not (out / "members" / "cy").exists() and not (out / "members" / "ben").exists()


def test_sources_link_to_github_and_gitlab_in_the_community_folder():
    github = Forge("github", "seeds/library", "main", path="community")
    gitlab = Forge("gitlab", "group/seeds", "trunk", host="https://git.example.org/")
    sha = "a" * 40
    assert commit_url(github, sha) == f"https://github.com/seeds/library/commit/{sha}"
    assert commit_url(gitlab, sha) == f"https://git.example.org/group/seeds/-/commit/{sha}"
    assert line_url(github, "events/swap.md", 7) == "https://github.com/seeds/library/blob/main/community/events/swap.md#L7"
    assert line_url(gitlab, "events/swap.md", 7) == "https://git.example.org/group/seeds/-/blob/trunk/events/swap.md#L7"
    assert source_of("events/swap.md:7", None).url is None  # no forge: plain text
    assert source_of("cred/2024-06", github).url is None
    assert source_of(sha, github).url == commit_url(github, sha) and source_of(sha, github).text == sha[:7]
