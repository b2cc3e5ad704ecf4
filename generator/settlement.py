"""Settled reward plans: computing a plan at one commit, settling it, and checking a settlement
against what this version computes (VALUE.md, "Settling a period").

Everything a settlement rests on is read from git objects at one commit, never from the work
tree: the community's files through `GitTreeReader`, the history through the value engine at
that commit. `settle` computes at HEAD and appends the block (`value.settlement`); `verify`
computes at each settled plan's `as_of` and warns when the split differs (a settlement is never
recomputed: the warning says the code would now pay otherwise, the page keeps the settlement).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pygit2
from value import money
from value import settlement as block
from value.errors import ValueEngineError
from value.report_types import Report
from value.rewards import Period, Split, split

from .errors import CommonplaceError, DataError, Finding
from .gitinfo import repo_info
from .model import Model, RewardPlan


def plan_split(model: Model, report: Report, plan: RewardPlan) -> Split:
    """The split of `plan` as `model` and `report` give it (its own budget, currency, policy,
    period, recipients; payouts from the model's ledger)."""
    from .valuation import payouts

    return split(report, budget=plan.budget, currency=plan.currency, policy=plan.policy, decay=plan.decay,
                 period=Period(plan.start, plan.end), recipients=plan.recipients, payouts=payouts(model),
                 minor_units=money.minor_units(plan.currency), verified=plan.verified)


def _repository(source: Path) -> tuple[pygit2.Repository, str]:
    info = repo_info(source)
    if info.workdir is None:
        raise CommonplaceError(f"{source} is not inside a git repository: a plan is settled from its history")
    return pygit2.Repository(str(info.workdir)), info.subdir


def community_at(source: Path, commit: str) -> Model:
    """The community of `source`'s folder as it was at `commit`, read from git objects. Raises
    DataError when its files did not load then."""
    from .federation.gittree import GitTreeReader
    from .load.loader import load_community

    repo, subdir = _repository(source)
    when = block.commit_day(repo[commit].peel(pygit2.Commit))
    return load_community(source, reader_factory=GitTreeReader.factory(repo, commit, subdir), reference=when)


def at_commit(source: Path, commit: str) -> tuple[Model, Report]:
    """`community_at(source, commit)` and its value report at that commit."""
    from .valuation import value_report

    model = community_at(source, commit)
    return model, value_report(source, model, ref=commit)


def settle(source: Path, slug: str) -> tuple[Path, str, RewardPlan, dict, Model, Report]:
    """Settle `rewards/<slug>.yaml` at HEAD: (the file written, HEAD's id, the plan, {id: amount},
    the community and its value report at HEAD).
    Raises CommonplaceError with the reason when it may not be settled now."""
    repo, subdir = _repository(source)
    if repo.head_is_unborn:
        raise CommonplaceError(f"{source} has no commits yet: commit the plan first")
    head = str(repo.head.peel(pygit2.Commit).id)
    model = community_at(source, head)
    plan = model.rewards.get(slug)
    if plan is None:
        known = ", ".join(sorted(model.rewards)) or "none"
        raise CommonplaceError(f"no committed reward plan '{slug}' (rewards/{slug}.yaml at HEAD; plans: {known})")
    why = block.refusal(repo, subdir, plan.end, plan.settled is not None, plan.source)
    if why:
        raise CommonplaceError(f"cannot settle {plan.source}: {why}")
    from .valuation import value_report

    report = value_report(source, model, ref=head)
    try:
        amounts = {row["id"]: row["amount"] for row in plan_split(model, report, plan).rows}
    except ValueEngineError as exc:
        raise CommonplaceError(f"cannot settle {plan.source}: {exc}") from None
    path = source / plan.source
    text = block.appended(path.read_bytes(), block.block(head, block.settle_day(), amounts, plan.currency))
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # all of it, or nothing
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path, head, plan, amounts, model, report


def verify(source: Path, model: Model, report: Report | None) -> tuple[list[Finding], dict[str, Split | None]]:
    """For each settled plan: (warnings, {slug: the split this version computes at its as_of, None
    when that commit is missing or its community did not load}). Raises DataError when a plan
    paying everyone names someone who is neither a member nor a contributor."""
    settled = {slug: p for slug, p in model.rewards.items() if p.settled is not None}
    if not settled or report is None:
        return [], {}
    errors, warnings, splits = [], [], {}
    contributors = {c["id"] for c in report.people}
    repo, _subdir = _repository(source)
    computed: dict[str, tuple[Model, Report] | None] = {}
    for slug, plan in sorted(settled.items()):
        s = plan.settled
        for (who, _a), (line, col) in zip(s.amounts, s.amount_at):
            if plan.recipients == "all" and who not in model.members and who not in contributors:
                errors.append(Finding(plan.source, line, col, f"the settlement pays {who}, who is neither a member nor "
                                                              "a contributor: settle the plan again from its commit"))
        if s.as_of not in computed:
            try:
                found = repo.get(s.as_of)
                computed[s.as_of] = at_commit(source, s.as_of) if found is not None else None
            except (DataError, CommonplaceError, ValueError, KeyError, TypeError, pygit2.GitError):
                computed[s.as_of] = None
        at = computed[s.as_of]
        plan_then = at[0].rewards.get(slug) if at else None
        if at is None or plan_then is None:
            why = ("a commit whose community this repository cannot read (a shallow clone, or history rewritten)"
                   if at is None else f"a commit where {plan.source} did not exist yet")
            warnings.append(Finding(plan.source, s.line, 1, f"settled as of {s.as_of[:12]}, {why}: the settlement "
                                                            "cannot be verified", "warning"))
            splits[slug] = None
            continue
        try:
            again = plan_split(at[0], at[1], plan_then)
        except ValueEngineError as exc:
            warnings.append(Finding(plan.source, s.line, 1, f"this version cannot compute the plan at "
                                                            f"{s.as_of[:12]} ({exc}): the settlement cannot be "
                                                            "verified", "warning"))
            splits[slug] = None
            continue
        splits[slug] = again
        now = {row["id"]: row["amount"] for row in again.rows}
        if now != {who: a for who, a in s.amounts if a}:
            moved = sorted(set(now) | {w for w, _a in s.amounts})
            was = dict(s.amounts)
            zero = money.from_units(0, plan.currency)
            shown = "; ".join(f"{who} {money.format_amount(now.get(who, zero), plan.currency)} (settled "
                              f"{money.format_amount(was.get(who, zero), plan.currency)})"
                              for who in moved if now.get(who, zero) != was.get(who, zero))
            warnings.append(Finding(plan.source, s.line, 1, f"this version computes the plan differently at "
                                                            f"{s.as_of[:12]}: {shown}. The settled amounts stay the "
                                                            "plan's truth", "warning"))
    if errors:
        raise DataError(sorted(errors))
    return warnings, splits
