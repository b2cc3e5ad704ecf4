"""New commits folded into the last report's resolved history, so a rebuild after new commits
reads and resolves only those.

The state is what the last full computation resolved: the commits it counted with every identity
resolved, the `.mailmap` it used, which tag targets its tip reaches and what each tag's target
peels to (`History.tag_objects`). It is kept in a state log
(`resolved-<slot>.pickle`, see `cache.py`): the state, then the changes appended by each later
rebuild (the commits it added), written whole again after `COMPACT_CHANGES` changes. Only a
community at the root of its repository is folded: in a subfolder, new commits can change which
old ones count.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable

from . import __version__
from .cache import StateLog, code_stamp
from .context import Commit, Context, Merge, Resolved, resolve
from .history import read_new_commits

RESOLVED_FORMAT = 1
_COMMIT_FIELDS = attrgetter(*Commit.__slots__)
_MERGE_FIELDS = attrgetter(*Merge.__slots__)


def resolved_log(folder: Path | None, slot: str) -> StateLog:
    """The state log of one (community folder, ref) slot; no file without a folder."""
    return StateLog(folder, slot, kind="resolved")


def resolved_key(engine: str, data_stamp: str) -> str:
    """What a stored state was computed with: this code, the line-count engine and the data."""
    return "\n".join([f"resolved/{RESOLVED_FORMAT}/{__version__}/{code_stamp()}", f"engine={engine}",
                      f"data={data_stamp}"])


def resolved_state(history, resolved: Resolved, tag_reach: dict) -> dict:
    return {
        "tip": history.commit,
        "mailmap": history.mailmap_text,
        "seen": dict(resolved.seen),
        "who": resolved.who,
        "bots": resolved.bots,
        "commits": list(map(_COMMIT_FIELDS, resolved.commits)),
        "merges": list(map(_MERGE_FIELDS, resolved.merges)),
        "tag_reach": tag_reach,
        "tag_objects": history.tag_objects,
    }


def replay(state: dict, changes: list[dict]) -> tuple[dict, bool]:
    """The state with the changes applied in order; False when a change did not follow on (made
    by a run that started from an older state): it and the ones after it are left out."""
    by_time_and_id = itemgetter(2, 0)  # (time, id) of a commit's or a merge's fields
    for change in changes:
        if change["parent"] != state["tip"]:
            return state, False
        state["tip"], state["mailmap"], state["tag_reach"] = change["tip"], change["mailmap"], change["tag_reach"]
        state.setdefault("tag_objects", {}).update(change.get("tag_objects", {}))
        seen = Counter(state["seen"])
        seen.update(change["seen"])
        state["seen"] = seen
        state["who"].update(change["who"])
        state["bots"].update(change["bots"])
        for name in ("commits", "merges"):
            for item in change[name]:
                insort(state[name], item, key=by_time_and_id)
    return state, True


COMPACT_CHANGES = 32  # then the state is written again whole


def fold_new_commits(repo_path, ref, store: StateLog, key: str, data, weights, assemble: Callable, *,
                     cache_dir, workers, engine, files_in: str | None = None) -> dict | None:
    """The report from the stored resolved history plus the commits made since, or None when that
    is not exact: no stored state, a ref that does not descend from its tip, another `.mailmap`
    (the tip's, or the one `data.mailmap` gives),
    or new commits that change someone's id or bot flag. Same figures as a full computation:
    the new commits are resolved by the same code, and everything else is derived afterwards.
    `assemble(history, data, weights, ctx)` is `report.report_from`, which builds the report."""
    found = store.load(key)
    if found is None:
        return None
    state, whole = replay(*found)
    reach = dict(state["tag_reach"])
    known = dict(state.get("tag_objects", {}))
    history = read_new_commits(repo_path, state["tip"], reach, ref=ref, cache_dir=cache_dir, workers=workers,
                               engine=engine, files_in=files_in, mailmap=data.mailmap, tag_objects=dict(known))
    if history is None or history.mailmap_text != state["mailmap"]:
        return None
    base = Resolved(None, state["seen"], state["who"], state["bots"],
                    [Commit(*t) for t in state["commits"]], [Merge(*t) for t in state["merges"]])
    records = history.records
    resolved = resolve([records[c] for c in history.counted], [records[c] for c in history.merges],
                       history.mailmap, data, base)
    if resolved is None:
        return None
    ctx = Context(history, data, resolved)
    report = assemble(history, data, weights, ctx)
    if history.commit == state["tip"] and reach == state["tag_reach"] and history.tag_objects == known:
        return report  # nothing to record
    if not whole or len(found[1]) >= COMPACT_CHANGES:
        store.write(key, resolved_state(history, resolved, reach))
    else:
        store.append({
            "parent": state["tip"], "tip": history.commit, "mailmap": history.mailmap_text, "tag_reach": reach,
            "tag_objects": {t: p for t, p in history.tag_objects.items() if t not in known},
            "seen": dict(resolved.new_seen),
            "who": {raw: pid for raw, pid in resolved.who.items() if raw not in state["who"]},
            "bots": {pid: flag for pid, flag in resolved.bots.items() if pid not in state["bots"]},
            "commits": list(map(_COMMIT_FIELDS, resolved.new_commits)),
            "merges": list(map(_MERGE_FIELDS, resolved.new_merges)),
        })
    return report
