"""A simplified CredRank (after SourceCred): PageRank with teleport over people, commits, kudos.

Nodes and edges (VALUE.md): commit → author weight 1, author → commit 1/2; a co-author or a
reviewer (Reviewed-by, Acked-by) gets the same pair at half weight (commit → them 1/2, them →
commit 1/4); a kudos node has one edge, weight 1, to its receiver. Seed s ∝ node weight (commit
2, kudos 1, person 0). π ← α·s + (1−α)·(π·P + dangling·s), α = 0.1, P row-normalised, from
π = s until the L1 change is below 1e-7 or after 255 iterations. cred(p) = 1000 · π(p) / Σ π(people).

Commits with the same author and the same other participants have identical edges and seed, so
they are one node class carrying their multiplicity: the result is the same as with one node per
commit, and the work grows with the number of distinct participant sets, not of commits.

A person's cred splits exactly over the months of the nodes that fed it: π(p) is the sum of the
flows into p, and each commit or kudos sends (1−α)·π(node)·w/W to its people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import sub

ALPHA = 0.1
TOLERANCE = 1e-7
MAX_ITERATIONS = 255


@dataclass
class _Graph:
    """The nodes and edges, commits gathered into classes (see the module's docstring)."""

    people: list[str]  # sorted; a person is their index here
    class_commits: list[int]  # class -> how many commits it stands for
    class_months: list[dict]  # class -> {month: commits}
    class_edges: list[list[tuple[int, float]]]  # class -> [(person, share of its out-weight)], author first
    kudos_counts: list[int]  # receiver's kudos node -> how many kudos
    kudos_months: list[dict]  # kudos node -> {month: kudos}
    kudos_to: list[int]  # kudos node -> its receiver
    person_weight: list[float]  # person -> the weight of their edges back to commits
    class_seed: list[float]
    kudos_seed: list[float]


def _commit_classes(commits) -> tuple[dict, list[int], list[dict]]:
    """{(author, others): class}, commits per class and per class and month."""
    class_index: dict = {}
    counts: list[int] = []
    months: list[dict] = []
    # identical (author, others, month) first, counted at C speed: far fewer than commits
    tally = Counter([(a, tuple(sorted(set(o) - {a})) if o else (), m) for a, o, m in commits])
    for (author, others, month), count in tally.items():
        key = (author, others)
        k = class_index.get(key)
        if k is None:
            k = class_index[key] = len(counts)
            counts.append(0)
            months.append(defaultdict(int))
        counts[k] += count
        months[k][month] += count
    return class_index, counts, months


def _kudos_nodes(kudos) -> tuple[dict[str, int], list[int], list[dict]]:
    """{receiver: kudos node}, kudos per node and per node and month."""
    kudos_index: dict[str, int] = {}
    counts: list[int] = []
    months: list[dict] = []
    for receiver, month in kudos:
        q = kudos_index.get(receiver)
        if q is None:
            q = kudos_index[receiver] = len(counts)
            counts.append(0)
            months.append(defaultdict(int))
        counts[q] += 1
        months[q][month] += 1
    return kudos_index, counts, months


def _graph(commits, kudos) -> _Graph | None:
    """The graph of `credrank`'s arguments; None when it has no seed (no commit, no kudos)."""
    class_index, class_commits, class_months = _commit_classes(commits)
    kudos_index, kudos_counts, kudos_months = _kudos_nodes(kudos)
    seed_total = 2 * sum(class_commits) + sum(kudos_counts)
    if not seed_total:
        return None
    people = sorted({a for a, _ in class_index} | {o for _, os in class_index for o in os} | set(kudos_index))
    index = {p: i for i, p in enumerate(people)}
    class_edges: list[list[tuple[int, float]]] = []
    person_weight = [0.0] * len(people)
    for (author, others), k in class_index.items():
        total = 1 + 0.5 * len(others)
        class_edges.append([(index[author], 1 / total)] + [(index[o], 0.5 / total) for o in others])
        person_weight[index[author]] += class_commits[k] * 0.5
        for o in others:
            person_weight[index[o]] += class_commits[k] * 0.25
    return _Graph(
        people=people, class_commits=class_commits, class_months=class_months, class_edges=class_edges,
        kudos_counts=kudos_counts, kudos_months=kudos_months,
        kudos_to=[index[r] for r, _ in sorted(kudos_index.items(), key=lambda x: x[1])],
        person_weight=person_weight,
        class_seed=[2 * m / seed_total for m in class_commits],
        kudos_seed=[m / seed_total for m in kudos_counts],
    )


@dataclass
class _Core:
    """The graph split for the walk. A person who authors one class of commits alone and has no
    other edge forms an isolated pair with that class (edge weights 1 both ways, joined to the
    rest by the teleport only): such pairs, most of a large history's people, are updated with two
    list comprehensions. The others form the core, updated edge by edge. The same π as without
    the split. Every class has exactly one author: its two author edges are kept in flat lists
    (walked with zip, the bulk of the work), the co-author and reviewer edges apart (fewer)."""

    classes: list[int]  # core position -> class
    people: int  # how many people are in the core
    seed: list[float]  # core class -> seed
    author: list[int]  # core class -> its author's core position
    author_to_class: list[float]  # core class -> weight of the edge from its author
    class_to_author: list[float]  # core class -> weight of the edge to its author
    others_to_class: list[tuple[int, int, float]]  # (core class, core person, weight)
    class_to_others: list[tuple[int, int, float]]
    dangling: list[int]  # core people without edges back to commits
    kudos_to: list[int]  # kudos node -> receiver's core position
    pair_classes: list[int]  # pair position -> class
    pair_seed: list[float]


def _core(graph: _Graph) -> _Core:
    class_edges, weight = graph.class_edges, graph.person_weight
    class_author = [edges[0][0] for edges in class_edges]
    class_to_author = [edges[0][1] for edges in class_edges]
    author_to_class = [graph.class_commits[k] * 0.5 / weight[a] for k, a in enumerate(class_author)]
    class_to_others = [(k, i, c) for k, edges in enumerate(class_edges) for i, c in edges[1:]]
    others_to_class = [(k, i, graph.class_commits[k] * 0.25 / weight[i]) for k, i, _ in class_to_others]
    authored: dict[int, int] = defaultdict(int)
    for a in class_author:
        authored[a] += 1
    linked = {i for _, i, _ in class_to_others} | set(graph.kudos_to)
    pair_classes = [k for k, a in enumerate(class_author)
                    if len(class_edges[k]) == 1 and authored[a] == 1 and a not in linked]
    paired = {class_author[k] for k in pair_classes}
    core_classes = [k for k in range(len(class_edges)) if len(class_edges[k]) > 1 or class_author[k] not in paired]
    core_people = [i for i in range(len(graph.people)) if i not in paired]
    person_at = {i: j for j, i in enumerate(core_people)}
    class_at = {k: j for j, k in enumerate(core_classes)}
    return _Core(
        classes=core_classes, people=len(core_people),
        seed=[graph.class_seed[k] for k in core_classes],
        author=[person_at[class_author[k]] for k in core_classes],
        author_to_class=[author_to_class[k] for k in core_classes],
        class_to_author=[class_to_author[k] for k in core_classes],
        others_to_class=[(class_at[k], person_at[i], c) for k, i, c in others_to_class],
        class_to_others=[(class_at[k], person_at[i], c) for k, i, c in class_to_others],
        dangling=[person_at[i] for i in range(len(graph.people)) if not weight[i]],
        kudos_to=[person_at[i] for i in graph.kudos_to],
        pair_classes=pair_classes, pair_seed=[graph.class_seed[k] for k in pair_classes],
    )


def _walk(graph: _Graph, core: _Core) -> tuple[list[float], list[float]]:
    """π of every commit class and of every kudos node, iterated until it settles."""
    people = [0.0] * core.people
    classes = list(core.seed)
    pair_people = [0.0] * len(core.pair_classes)
    pair_classes = list(core.pair_seed)
    kudos = list(graph.kudos_seed)
    keep = 1 - ALPHA
    for _ in range(MAX_ITERATIONS):
        teleport = ALPHA + keep * sum(map(people.__getitem__, core.dangling))
        from_people = [v * keep for v in people]
        new_classes = [teleport * s + from_people[a] * c
                       for s, a, c in zip(core.seed, core.author, core.author_to_class)]
        for k, i, c in core.others_to_class:
            new_classes[k] += from_people[i] * c
        new_kudos = [teleport * s for s in graph.kudos_seed]
        from_classes = [v * keep for v in classes]
        new_people = [0.0] * core.people
        for a, x, c in zip(core.author, from_classes, core.class_to_author):
            new_people[a] += x * c
        for k, i, c in core.class_to_others:
            new_people[i] += from_classes[k] * c
        for q, i in enumerate(core.kudos_to):
            new_people[i] += kudos[q] * keep
        new_pair_classes = [teleport * s + v * keep for s, v in zip(core.pair_seed, pair_people)]
        new_pair_people = [v * keep for v in pair_classes]
        change = (sum(map(abs, map(sub, new_people, people))) + sum(map(abs, map(sub, new_classes, classes)))
                  + sum(map(abs, map(sub, new_kudos, kudos)))
                  + sum(map(abs, map(sub, new_pair_people, pair_people)))
                  + sum(map(abs, map(sub, new_pair_classes, pair_classes))))
        people, classes, kudos, pair_people, pair_classes = (new_people, new_classes, new_kudos, new_pair_people,
                                                             new_pair_classes)
        if change < TOLERANCE:
            break
    class_rank = [0.0] * len(graph.class_edges)
    for j, k in enumerate(core.classes):
        class_rank[k] = classes[j]
    for j, k in enumerate(core.pair_classes):
        class_rank[k] = pair_classes[j]
    return class_rank, kudos


def _cred(graph: _Graph, class_rank: list[float], kudos_rank: list[float]):
    """Cred per person and per month and person: the flows of the final π into each person, split
    by month (they sum to π(person)), scaled to 1000 in all."""
    keep = 1 - ALPHA
    flows: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for k, edges in enumerate(graph.class_edges):
        per_commit = keep * class_rank[k] / graph.class_commits[k]
        for month, count in graph.class_months[k].items():
            for i, c in edges:
                flows[month][i] += count * per_commit * c
    for q, i in enumerate(graph.kudos_to):
        per_kudos = keep * kudos_rank[q] / graph.kudos_counts[q]
        for month, count in graph.kudos_months[q].items():
            flows[month][i] += count * per_kudos
    people = graph.people
    inflow = [0.0] * len(people)
    for per_month in flows.values():
        for i, v in per_month.items():
            inflow[i] += v
    total = sum(inflow)
    if not total:
        return {}, {}
    cred = {people[i]: 1000 * inflow[i] / total for i in range(len(people))}
    monthly = {m: {people[i]: 1000 * v / total for i, v in per_month.items()} for m, per_month in flows.items()}
    return cred, monthly


def credrank(commits, kudos=()) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """commits: (author, co-authors + reviewers, month) triples (the middle one a tuple or list);
    kudos: (receiver, month) pairs.

    Returns cred per person (summing to 1000) and the same cred split by month.
    """
    graph = _graph(commits, kudos)
    if graph is None:
        return {}, {}
    return _cred(graph, *_walk(graph, _core(graph)))
