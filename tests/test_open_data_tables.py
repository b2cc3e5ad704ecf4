"""Kudos, usage and event participation are open data, with people as the pages show them: a
pseudonymous member under their pseudonym, a hidden one never named (counted, or "a member")."""

from __future__ import annotations

import json

from generator.build import build
from generator.people import pseudonym

FILES = {
    "kudos/2024.yaml": """\
        kudos:
          - {from: ana, to: cy, date: 2024-04-07, for: Sorting the bean jars}
          - {from: ben, to: ana, date: 2024-04-08, for: The swap, dimension: community_building}
        """,
    "usage/2024.yaml": """\
        records:
          - {date: 2024-05-01, kind: downloads, count: 40, source: web logs, project: catalogue}
          - {date: 2024-05-02, kind: testimonial, quote: "We planted them all."}
        """,
    "events/potluck.md": "---\ntitle: Potluck\ndate: 2024-06-01\norganisers: [cy, ana]\nparticipants: [ana, cy]\n---\n",
}


def test_kudos_usage_and_participation_tables(community, tmp_path):
    root = community(FILES)
    site = build(root, tmp_path / "site", incremental=False, search=False).out_dir
    ben = pseudonym("ben", "Seed Library")
    data = site / "data"
    assert (data / "kudos.csv").read_text().splitlines() == [
        "date,from,to,for,dimension",
        "2024-04-07,Ana Lopez,a member,Sorting the bean jars,",
        f"2024-04-08,{ben},Ana Lopez,The swap,community_building",
    ]
    assert (data / "usage.csv").read_text().splitlines() == [
        "date,kind,count,quote,source,project",
        "2024-05-01,downloads,40,,web logs,catalogue",
        "2024-05-02,testimonial,,We planted them all.,,",
    ]
    # organisers first, a person once per event; hidden members one counted row per event and role
    assert (data / "event-participation.csv").read_text().splitlines() == [
        "event,date,person,role,people",
        "swap-2024,2024-04-06,Ana Lopez,organiser,1",
        f"swap-2024,2024-04-06,{ben},participant,1",
        "swap-2024,2024-04-06,members not listed,participant,1",
        "potluck,2024-06-01,Ana Lopez,organiser,1",
        "potluck,2024-06-01,members not listed,organiser,1",
    ]
    package = json.loads((data / "datapackage.json").read_text())
    names = {resource["name"] for resource in package["resources"]}
    assert {"kudos", "usage", "event-participation"} <= names
    for name in ("kudos", "usage", "event-participation"):
        assert json.loads((data / f"{name}.json").read_text())  # the JSON twin is there, with rows
    published = "".join(p.read_text() for p in data.iterdir() if p.suffix in (".csv", ".json"))
    assert "Cy Hidden" not in published and "cy@example.com" not in published and "Ben Okafor" not in published
