"""The onion of participation: the test vector of VALUE.md, ties going to the outer ring, and the
shape of a real project's history built as a real git repository."""

from __future__ import annotations

from collections import Counter

import pytest

from fastcommits import add_commits
from value.dimensions.community_building import onion
from value.report import build_report

# VALUE.md, "Onion roles": commits per person -> (core, regular, casual)
VECTOR = [
    ([40, 20, 10, 10, 10, 10], (2, 4, 0)),  # the 10s straddle 80%: regular, not core
    ([60, 20, 5, 5, 5, 1, 1, 1, 1, 1], (2, 3, 5)),  # groups ending exactly on 80% and 95% stay inside
    ([60, 15, 15, 5, 5], (3, 0, 2)),  # the 15s end on the person reaching 80%: core; the 5s straddle 95%
    ([100] + [1] * 651, (1, 0, 651)),  # the one-commit people straddle both cuts: casual
    ([1] * 4, (4, 0, 0)),  # everyone tied: the 80% cut needs all four
    ([1] * 10, (0, 10, 0)),  # ... the group ends exactly on the 95% cut
    ([1] * 20, (0, 0, 20)),  # ... it straddles both: nobody stands out, the core is empty
]


def shape(counts: list[int]) -> tuple[int, int, int]:
    rings = Counter(onion({f"p{i:04d}": n for i, n in enumerate(counts)}).values())
    return rings["core"], rings["regular"], rings["casual"]


@pytest.mark.parametrize("counts, expected", VECTOR)
def test_value_md_vector(counts, expected):
    assert shape(counts) == expected


def test_the_order_of_ids_never_decides():
    counts = {"z": 40, "y": 20, "a": 10, "b": 10, "c": 10, "d": 10}
    renamed = {"a": 40, "b": 20, "z": 10, "y": 10, "x": 10, "w": 10}
    assert sorted(onion(counts).values()) == sorted(onion(renamed).values())


def test_a_real_projects_history_has_casual_contributors(tmp_path):
    """A few maintainers with hundreds of commits and sixty people with one commit each, as a real
    git history: 600 of 660 commits are the maintainers' (80% is reached by the third), and the
    one-commit people straddle 95%, so they are casual: the shape of real projects."""
    maintainers = [(f"Maintainer {n}", f"m{n}@example.org") for n in range(3)]
    commits = [(maintainers[0], f"2023-{m:02d}-01") for m in range(1, 13) for _ in range(25)]  # 300
    commits += [(maintainers[1], f"2023-{m:02d}-02") for m in range(1, 11) for _ in range(20)]  # 200
    commits += [(maintainers[2], f"2023-{m:02d}-03") for m in range(1, 11) for _ in range(10)]  # 100
    commits += [((f"Passer {n}", f"passer{n}@example.org"), f"2023-06-{1 + n % 28:02d}") for n in range(60)]
    add_commits(tmp_path / "repo", sorted(commits, key=lambda c: c[1]), tmp_path / "home")  # the tip is the last day
    report = build_report(tmp_path / "repo", cache_dir=tmp_path / "cache").to_json()
    building = report["dimensions"]["community_building"]
    assert building["roles"] == {"core": 3, "regular": 0, "casual": 60}
    assert building["roles_12m"] == {"core": 3, "regular": 0, "casual": 60}  # all of it in the last year
    roles = Counter(c["role"] for c in report["contributors"])
    assert roles == {"core": 3, "casual": 60}  # each person's role agrees with the counts
