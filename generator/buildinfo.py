"""What a build knows about itself from git, never from the clock: its date and its commit.

Every stage may read it (the value figures are as of its date, the pages say when they were
built), so it lives beside the model rather than in any one stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class BuildInfo:
    """Facts about the build that come from git, never from the clock."""

    updated: datetime  # SOURCE_DATE_EPOCH, else the last commit's time
    commit: str = ""
    people: tuple[tuple[str, str], ...] = ()  # the commit's author and trailers' people (see gitinfo.RepoInfo)
    committer: tuple[tuple[str, str], ...] = ()


def epoch_datetime(seconds: int) -> datetime:
    """A Unix time as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc)
