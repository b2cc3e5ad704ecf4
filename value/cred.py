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

from collections import defaultdict
from operator import sub

ALPHA = 0.1
TOLERANCE = 1e-7
MAX_ITERATIONS = 255


def credrank(commits, kudos=()) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """commits: (author, co-authors + reviewers, month) triples; kudos: (receiver, month) pairs.

    Returns cred per person (summing to 1000) and the same cred split by month.
    """
    class_index: dict = {}
    mult: list[int] = []
    months: list[dict] = []
    for author, others, month in commits:
        others = tuple(sorted(set(others) - {author}))
        key = (author, others)
        k = class_index.get(key)
        if k is None:
            k = class_index[key] = len(mult)
            mult.append(0)
            months.append(defaultdict(int))
        mult[k] += 1
        months[k][month] += 1
    kudos_index: dict[str, int] = {}
    kmult: list[int] = []
    kmonths: list[dict] = []
    for receiver, month in kudos:
        q = kudos_index.get(receiver)
        if q is None:
            q = kudos_index[receiver] = len(kmult)
            kmult.append(0)
            kmonths.append(defaultdict(int))
        kmult[q] += 1
        kmonths[q][month] += 1
    seed_total = 2 * sum(mult) + sum(kmult)
    if not seed_total:
        return {}, {}

    people = sorted({a for a, _ in class_index} | {o for _, os in class_index for o in os} | set(kudos_index))
    pix = {p: i for i, p in enumerate(people)}
    n_p, n_k, n_q = len(people), len(mult), len(kmult)
    s_k = [2 * m / seed_total for m in mult]
    s_q = [m / seed_total for m in kmult]
    # commit class -> people: (person index, share of the commit's out-weight)
    class_out: list[list[tuple[int, float]]] = []
    person_w = [0.0] * n_p
    person_raw: list[list[tuple[int, float]]] = [[] for _ in range(n_p)]
    for (author, others), k in class_index.items():
        total = 1 + 0.5 * len(others)
        edges = [(pix[author], 1 / total)] + [(pix[o], 0.5 / total) for o in others]
        class_out.append(edges)
        a = pix[author]
        person_raw[a].append((k, mult[k] * 0.5))
        person_w[a] += mult[k] * 0.5
        for o in others:
            person_raw[pix[o]].append((k, mult[k] * 0.25))
            person_w[pix[o]] += mult[k] * 0.25
    person_out = [[(k, w / person_w[i]) for k, w in edges] if person_w[i] else [] for i, edges in enumerate(person_raw)]
    dangling = [i for i in range(n_p) if not person_w[i]]
    kudos_to = [pix[r] for r, _ in sorted(kudos_index.items(), key=lambda x: x[1])]

    pi_p = [0.0] * n_p
    pi_k = list(s_k)
    pi_q = list(s_q)
    keep = 1 - ALPHA
    for _ in range(MAX_ITERATIONS):
        d = sum(pi_p[i] for i in dangling)
        teleport = ALPHA + keep * d
        new_k = [teleport * s for s in s_k]
        new_q = [teleport * s for s in s_q]
        new_p = [0.0] * n_p
        for i, edges in enumerate(person_out):
            x = pi_p[i] * keep
            if x:
                for k, c in edges:
                    new_k[k] += x * c
        for k, edges in enumerate(class_out):
            x = pi_k[k] * keep
            for i, c in edges:
                new_p[i] += x * c
        for q, i in enumerate(kudos_to):
            new_p[i] += pi_q[q] * keep
        change = (sum(map(abs, map(sub, new_p, pi_p))) + sum(map(abs, map(sub, new_k, pi_k)))
                  + sum(map(abs, map(sub, new_q, pi_q))))
        pi_p, pi_k, pi_q = new_p, new_k, new_q
        if change < TOLERANCE:
            break

    # The flows of the final π into each person, split by month (they sum to π(person)).
    flows: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for k, edges in enumerate(class_out):
        per_commit = keep * pi_k[k] / mult[k]
        for month, count in months[k].items():
            for i, c in edges:
                flows[month][i] += count * per_commit * c
    for q, i in enumerate(kudos_to):
        per_kudos = keep * pi_q[q] / kmult[q]
        for month, count in kmonths[q].items():
            flows[month][i] += count * per_kudos
    inflow = [0.0] * n_p
    for per_month in flows.values():
        for i, v in per_month.items():
            inflow[i] += v
    total = sum(inflow)
    if not total:
        return {}, {}
    cred = {people[i]: 1000 * inflow[i] / total for i in range(n_p)}
    monthly = {m: {people[i]: 1000 * v / total for i, v in per_month.items()} for m, per_month in flows.items()}
    return cred, monthly
