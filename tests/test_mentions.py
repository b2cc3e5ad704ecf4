"""Mentions (`mentions/*.yaml`): external reputation. Records in reputation (weight 1 split among
the people named; a mention naming nobody is the community's and credits no one), the community's
figures by kind, the reputation and home pages, the open-data table, `diff`. Real repositories,
real builds."""

from __future__ import annotations

import json

from communities import write_files
from generator.build import build
from generator.cli import parser as cli_parser
from generator.load.loader import load_community
from generator.people import pseudonym
from generator.valuation import value_report
from gitrepo import commit_all

BEN = pseudonym("ben", "Seed Library")

MENTIONS = {
    "mentions/2024.yaml": """\
        # what others said
        mentions:
          - date: 2024-02-10
            kind: press
            title: The library that lends seeds
            url: https://news.example/seed-library
          - date: 2024-03-15
            kind: talk
            title: Seeds in common (Commons Fest)
            url: https://fest.example/talks/seeds
            people: [ana, ben, cy]
          - date: 2024-05-20
            kind: press
            title: Gardeners swap 300 packets
            url: https://radio.example/swap
            people: [ana]
          - date: 2024-06-01
            kind: dependent
            title: A planting calendar uses the catalogue
            url: http://calendar.example/sources
        """,
}


def test_mention_records_split_among_the_people_named_and_the_community_figures_count_by_kind(community):
    root = community(MENTIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    report = value_report(root, load_community(root)).to_json()
    c = report["contributions"]
    found = sorted((p, d, w, s) for p, d, w, k, s in zip(c["person"], c["date"], c["weight"], c["kind"], c["source"])
                   if k == "mention")
    third = round(1 / 3, 6)
    assert found == [("ana", "2024-03-15", third, "mentions/2024.yaml:7"), ("ana", "2024-05-20", 1.0, "mentions/2024.yaml:12"),
                     ("ben", "2024-03-15", third, "mentions/2024.yaml:7"), ("cy", "2024-03-15", third, "mentions/2024.yaml:7")]
    reputation = report["dimensions"]["reputation"]
    assert reputation["mentions"] == 4
    assert reputation["mentions_by_kind"] == {"dependent": 1, "press": 2, "talk": 1}
    assert report["kinds"]["mention"]["dimension"] == "reputation"
    # a mention is recognition, not something the person did: nobody is active by it alone
    may = report["monthly"]["months"].index("2024-05")
    assert report["monthly"]["community_building"]["active_contributors"][may] == 0


def test_reputation_and_home_pages_show_mentions_with_people_as_the_site_does(community, tmp_path):
    root = community(MENTIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    out = build(root, tmp_path / "site", incremental=False, search=False).out_dir
    page = (out / "value" / "reputation" / "index.html").read_text()
    assert 'id="mentions-list"' in page
    assert '<a href="https://fest.example/talks/seeds" rel="noopener">Seeds in common (Commons Fest)</a>' in page
    assert ">Ana Lopez</a>" in page and BEN in page
    assert "Cy Hidden" not in page and "Ben Okafor" not in page
    home = (out / "index.html").read_text()
    shown = [t for t in ("A planting calendar uses the catalogue", "Gardeners swap 300 packets",
                         "Seeds in common (Commons Fest)", "The library that lends seeds") if t in home]
    assert shown == ["A planting calendar uses the catalogue", "Gardeners swap 300 packets",
                     "Seeds in common (Commons Fest)"]  # the latest three
    assert home.index("A planting calendar") < home.index("Gardeners swap")


def test_the_mentions_table_is_open_data_with_people_as_the_pages_show_them(community, tmp_path):
    root = community(MENTIONS)
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    data = build(root, tmp_path / "site", incremental=False, search=False).out_dir / "data"
    assert (data / "mentions.csv").read_text().splitlines() == [
        "date,kind,title,url,people,not_listed",
        "2024-02-10,press,The library that lends seeds,https://news.example/seed-library,,0",
        f"2024-03-15,talk,Seeds in common (Commons Fest),https://fest.example/talks/seeds,Ana Lopez; {BEN},1",
        "2024-05-20,press,Gardeners swap 300 packets,https://radio.example/swap,Ana Lopez,0",
        "2024-06-01,dependent,A planting calendar uses the catalogue,http://calendar.example/sources,,0",
    ]
    package = json.loads((data / "datapackage.json").read_text())
    resource = next(r for r in package["resources"] if r["name"] == "mentions")
    assert [f["name"] for f in resource["schema"]["fields"]] == ["date", "kind", "title", "url", "people", "not_listed"]


def test_a_javascript_address_is_refused_and_nothing_is_built(community, tmp_path):
    from generator.errors import DataError

    root = community({"mentions/x.yaml": "mentions:\n  - {date: 2024-01-01, kind: press, title: X, "
                                         "url: \"javascript:alert(1)\"}\n"})
    commit_all(root, "Start")
    try:
        build(root, tmp_path / "site", incremental=False, search=False)
    except DataError as exc:
        assert any(f.path == "mentions/x.yaml" and f.line == 2 and "https: or http:" in f.message for f in exc.findings)
    else:
        raise AssertionError("a javascript: address was built")
    assert not (tmp_path / "site").exists()


def test_diff_names_a_mention_added_and_the_figure_moves(community, capsys):
    root = community()
    commit_all(root, "Start", date="2024-06-10T12:00:00+00:00")
    write_files(root, MENTIONS)
    args = cli_parser().parse_args(["diff", str(root), "--base", "main"])
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "| mentions | 0 | 4 | +4 |" in out
    assert "Mentions added: The library that lends seeds (press, 2024-02-10)" in out
    assert "| reputation | `mentions` | 0 | 4 |" in out
