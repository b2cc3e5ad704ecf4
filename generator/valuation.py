"""The value stage of a build: the loaded model as the value engine's input (value/ never imports
generator/), and the engine run for a community folder (or any git repository)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pygit2
from value.errors import ValueEngineError
from value.inputs import (
    CommunityData,
    ContributionInput,
    DecisionInput,
    EventInput,
    GoalInput,
    KudosInput,
    LedgerInput,
    MemberInput,
    MentionInput,
    ProjectInput,
    UsageInput,
    ImpactInput,
    SurveyInput,
)
from value.report import build_report
from value.report_types import Report

from .cache.folders import holds_community, value_cache_dir
from .errors import CommonplaceError
from .gitinfo import repo_info
from .progress import Progress

if TYPE_CHECKING:
    from .model import LedgerEntry, Model

# The loader, the data files' keys and the mailmap reader are imported where a community needs
# them: `commonplace value` on a repository without one (git/git) never loads them.


def ledger_entry(e: LedgerEntry) -> LedgerInput:
    """A ledger entry as the engine reads it (`CommunityData.ledger`)."""
    return LedgerInput(date=e.date, amount=e.amount, currency=e.currency, kind=e.kind, payer=e.party_from or None,
                       payee=e.party_to or None, project=e.project or None, by=e.by or None, source=e.source,
                       line=e.line)


def community_data(model: Model, periods=()) -> CommunityData:
    """The model as the engine's input. `periods`: more reward periods ((start, end) pairs, as
    `commonplace rewards --period`) to compute cred as of, besides the plans'."""
    config = model.config
    return CommunityData(
        members=tuple(
            MemberInput(id=m.handle, name=m.name, emails=m.emails, affiliation=m.affiliation or None,
                        visibility=m.visibility, signing_keys=m.signing_keys,
                        logins=tuple(login.casefold() for login in (m.github, m.gitlab) if login))
            for m in model.members.values()
        ),
        events=tuple(
            EventInput(id=e.slug, date=e.date, organisers=tuple(e.organisers), participants=tuple(e.participants),
                       guests=e.guests, source=e.source, organiser_lines=dict(zip(e.organisers, e.organiser_lines)),
                       participant_lines=dict(zip(e.participants, e.participant_lines)))
            for e in model.events.values()
        ),
        ledger=tuple(map(ledger_entry, model.ledger)),
        usage=tuple(
            UsageInput(date=u.date, kind=u.kind, count=u.count, quote=u.quote or None, project=u.project or None,
                       source=u.source, line=u.line)
            for u in model.usage
        ),
        kudos=tuple(
            KudosInput(giver=k.giver, receiver=k.receiver, date=k.date, reason=k.reason,
                       dimension=k.dimension or None, source=k.source, line=k.line)
            for k in model.kudos
        ),
        projects=tuple(
            ProjectInput(id=p.slug, title=p.title, status=p.status, leads=tuple(p.leads), source=p.source,
                         goals=tuple(GoalInput(title=g.title, done=g.done, done_at=g.done_at, line=g.line)
                                     for g in p.goals))
            for p in model.projects.values()
        ),
        contributions=tuple(
            ContributionInput(date=c.date, who=c.who, kind=c.kind, hours=c.hours, description=c.description,
                              dimension=c.dimension or None, source=c.source, line=c.line)
            for c in model.contributions
        ),
        decisions=tuple(
            DecisionInput(id=d.slug, date=d.date, status=d.status, proposed_by=d.proposed_by,
                          participants=d.participants, source=d.source,
                          proposer_lines=dict(zip(d.proposed_by, d.proposer_lines)),
                          participant_lines=dict(zip(d.participants, d.participant_lines)))
            for d in model.decisions.values()
        ),
        mentions=tuple(
            MentionInput(date=m.date, kind=m.kind, title=m.title, url=m.url, people=m.people, source=m.source,
                         line=m.line)
            for m in model.mentions
        ),
        impact=tuple(
            ImpactInput(date=i.date, indicator=i.indicator, amount=i.amount, unit=i.unit, project=i.project or None,
                        people=i.people, source=i.source, line=i.line)
            for i in model.impact
        ),
        surveys=tuple(SurveyInput(id=s.slug, date=s.date, respondents=s.respondents, source=s.source)
                      for s in model.surveys.values()),
        weights=dict(config.weights) or None,
        kinds=dict(config.kinds) or None,
        bots=config.bots,
        salary=config.salary,
        inactive_days=config.inactive_days,
        peers=len(model.peers),
        periods=plan_periods(model, periods),
        window=(config.earliest, config.latest) if config.earliest and config.latest else None,
    )


def plan_periods(model: Model | None, more=()) -> tuple:
    """The reward periods the engine computes cred as of: the plans', and `more` whose end is
    not one of theirs (so that the report, and its cache, are the build's whenever they can be);
    sorted by end, then start."""
    periods = {(p.start, p.end) for p in model.rewards.values()} if model is not None else set()
    ends = {end for _start, end in periods}
    periods |= {(start, end) for start, end in more if end not in ends}
    return tuple(sorted(periods, key=lambda p: (p[1], p[0])))


def payouts(model: Model | None) -> list[LedgerInput]:
    """The ledger's reward payouts as the value engine reads them (`value.rewards.counted`): what
    a reward plan subtracts, when dated before the plan's start. None without a community."""
    if model is None:
        return []
    return [ledger_entry(e) for e in model.ledger if e.kind == "reward"]


def counted_folder(model: Model | None, folder: str | None) -> str | None:
    """The folder whose commits value counts: the community's `folder` (None at the top of the
    repository), or None, every commit, when its config says `history: repository`. Its config's
    `paths:` narrow either to the commits that touch one of them (`value_report`)."""
    if model is not None and model.config.history == "repository":
        return None
    return folder or None


def value_report(source: Path, model: Model | None = None, *, ref: str = "HEAD", periods=(),
                 summary: bool = False, with_records: bool = True) -> Report:
    """The value report of a community folder; for any other repository, a bare one too, history
    figures only (its whole history: a bare repository has no folders to choose from).

    A repository without commits is an error, never a report of zeros. The caches go where
    `cache.folders.value_cache_dir` says: never into a repository that holds no community.
    `periods`: reward periods ((start, end) pairs) to compute cred as of, besides the plans'.
    `summary`: only what `commonplace value` prints as text; without `with_records`, every figure
    but not the record columns (`value.report.report_from`)."""
    source = Path(source)
    found = pygit2.discover_repository(str(source.resolve()))
    if not found:
        raise CommonplaceError(f"{source} is not inside a git repository: value is computed from the history")
    try:
        unborn = pygit2.Repository(found).head_is_unborn
    except pygit2.GitError as exc:
        raise CommonplaceError(f"{source}: git cannot read this repository ({exc})") from None
    if ref == "HEAD" and unborn:
        raise CommonplaceError(f"{source} is a repository with no commits yet, so there is no history to count: "
                               "commit first (git add, then git commit)")
    info = repo_info(source)
    # a bare repository, or a folder of a git folder: no work tree, so every commit counts
    whole = info.workdir is None or source.resolve().is_relative_to(Path(found).resolve())
    if model is None and not whole and holds_community(source):
        from .load.loader import load_community

        model = load_community(source)
    use_cache = True
    try:
        cache_dir = value_cache_dir(source)
    except OSError:  # the user's cache folder cannot be made: the figures, without a cache
        cache_dir, use_cache = None, False
    data = community_data(model, periods) if model else CommunityData(periods=plan_periods(None, periods))
    if ref == "HEAD" and not whole:  # the work tree's `.mailmap`, as its member files: edits count uncommitted
        from .load.mailmaps import engine_text, read_mailmaps

        data = replace(data, mailmap=engine_text(read_mailmaps(source)))
    progress = Progress("Reading history", "commits")
    data_files = None
    if model is not None and not whole:
        from .landedfiles import DataFileKeys

        data_files = DataFileKeys(model.config.kinds, model.parses)
    try:
        return build_report(source, subdir=None if whole else counted_folder(model, info.subdir), ref=ref,
                            files_in=None if whole else info.subdir or None, data=data,
                            paths=() if whole or model is None else model.config.paths,
                            data_files=data_files,
                            progress=progress,
                            cache_dir=cache_dir, use_cache=use_cache, summary=summary,
                            with_records=with_records)
    except ValueEngineError as exc:
        raise CommonplaceError(str(exc)) from None
    finally:
        progress.done()
