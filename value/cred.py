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
from operator import sub

ALPHA = 0.1
TOLERANCE = 1e-7
MAX_ITERATIONS = 255


def credrank(commits, kudos=()) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """commits: (author, co-authors + reviewers, month) triples (the middle one a tuple or list);
    kudos: (receiver, month) pairs.

    Returns cred per person (summing to 1000) and the same cred split by month.
    """
    class_index: dict = {}
    mult: list[int] = []
    months: list[dict] = []
    # identical (author, others, month) first, counted at C speed: far fewer than commits
    tally = Counter([(a, tuple(sorted(set(o) - {a})) if o else (), m) for a, o, m in commits])
    for (author, others, month), count in tally.items():
        key = (author, others)
        k = class_index.get(key)
        if k is None:
            k = class_index[key] = len(mult)
            mult.append(0)
            months.append(defaultdict(int))
        mult[k] += count
        months[k][month] += count
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
    n_p, n_k = len(people), len(mult)
    s_k = [2 * m / seed_total for m in mult]
    s_q = [m / seed_total for m in kmult]
    # commit class -> people: (person index, share of the commit's out-weight)
    class_out: list[list[tuple[int, float]]] = []
    person_w = [0.0] * n_p
    for (author, others), k in class_index.items():
        total = 1 + 0.5 * len(others)
        class_out.append([(pix[author], 1 / total)] + [(pix[o], 0.5 / total) for o in others])
        person_w[pix[author]] += mult[k] * 0.5
        for o in others:
            person_w[pix[o]] += mult[k] * 0.25
    # Every class has exactly one author: its two author edges are kept in flat lists (walked
    # with zip, the bulk of the work), the co-author and reviewer edges apart (fewer).
    class_author = [edges[0][0] for edges in class_out]
    author_out = [edges[0][1] for edges in class_out]  # class -> its author
    author_in = [mult[k] * 0.5 / person_w[a] for k, a in enumerate(class_author)]  # author -> class
    other_out = [(k, i, c) for k, edges in enumerate(class_out) for i, c in edges[1:]]
    other_in = [(k, i, mult[k] * 0.25 / person_w[i]) for k, i, _ in other_out]
    dangling = [i for i in range(n_p) if not person_w[i]]
    kudos_to = [pix[r] for r, _ in sorted(kudos_index.items(), key=lambda x: x[1])]

    # A person who authors one class of commits alone and has no other edge forms an isolated
    # pair with that class (edge weights 1 both ways, joined to the rest by the teleport only):
    # such pairs, most of a large history's people, are updated with two list comprehensions.
    # The others form the core, updated edge by edge. The same π as without the split.
    authored = defaultdict(int)
    for a in class_author:
        authored[a] += 1
    linked = {i for _, i, _ in other_out} | set(kudos_to)
    pair_k = [k for k, a in enumerate(class_author)
              if len(class_out[k]) == 1 and authored[a] == 1 and a not in linked]
    paired = {class_author[k] for k in pair_k}
    core_k = [k for k in range(n_k) if len(class_out[k]) > 1 or class_author[k] not in paired]
    core_p = [i for i in range(n_p) if i not in paired]
    cpos = {i: j for j, i in enumerate(core_p)}
    kpos = {k: j for j, k in enumerate(core_k)}
    c_s = [s_k[k] for k in core_k]
    c_author = [cpos[class_author[k]] for k in core_k]
    c_in = [author_in[k] for k in core_k]
    c_out = [author_out[k] for k in core_k]
    c_other_in = [(kpos[k], cpos[i], c) for k, i, c in other_in]
    c_other_out = [(kpos[k], cpos[i], c) for k, i, c in other_out]
    c_dangling = [cpos[i] for i in dangling]
    c_kudos_to = [cpos[i] for i in kudos_to]
    pair_s = [s_k[k] for k in pair_k]
    n_core = len(core_p)

    pi_p = [0.0] * n_core
    pi_k = list(c_s)
    pair_p = [0.0] * len(pair_k)
    pair_pk = list(pair_s)
    pi_q = list(s_q)
    keep = 1 - ALPHA
    for _ in range(MAX_ITERATIONS):
        teleport = ALPHA + keep * sum(map(pi_p.__getitem__, c_dangling))
        xp = [v * keep for v in pi_p]
        new_k = [teleport * s + xp[a] * c for s, a, c in zip(c_s, c_author, c_in)]
        for k, i, c in c_other_in:
            new_k[k] += xp[i] * c
        new_q = [teleport * s for s in s_q]
        xk = [v * keep for v in pi_k]
        new_p = [0.0] * n_core
        for a, x, c in zip(c_author, xk, c_out):
            new_p[a] += x * c
        for k, i, c in c_other_out:
            new_p[i] += xk[k] * c
        for q, i in enumerate(c_kudos_to):
            new_p[i] += pi_q[q] * keep
        new_pair_pk = [teleport * s + v * keep for s, v in zip(pair_s, pair_p)]
        new_pair_p = [v * keep for v in pair_pk]
        change = (sum(map(abs, map(sub, new_p, pi_p))) + sum(map(abs, map(sub, new_k, pi_k)))
                  + sum(map(abs, map(sub, new_q, pi_q))) + sum(map(abs, map(sub, new_pair_p, pair_p)))
                  + sum(map(abs, map(sub, new_pair_pk, pair_pk))))
        pi_p, pi_k, pi_q, pair_p, pair_pk = new_p, new_k, new_q, new_pair_p, new_pair_pk
        if change < TOLERANCE:
            break
    core_pi_k = pi_k
    pi_k = [0.0] * n_k
    for j, k in enumerate(core_k):
        pi_k[k] = core_pi_k[j]
    for j, k in enumerate(pair_k):
        pi_k[k] = pair_pk[j]

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
