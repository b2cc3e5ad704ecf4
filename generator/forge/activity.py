"""What the forge clients find: one `Activity` per piece of work, before logins are matched."""

from __future__ import annotations

from dataclasses import dataclass

REVIEW, ISSUE, DISCUSSION = "forge_review", "issue_opened", "discussion"


@dataclass(frozen=True, order=True)
class Activity:
    """`day`: ISO date (UTC). `login`: as the forge spells it. `kind`: REVIEW, ISSUE or DISCUSSION.
    `what`: "pull request", "merge request", "issue" or "discussion"; `number` its number in the repository, `title`
    its title as the forge gives it (cleaned when written). `bot`: the forge says the account
    is a bot."""

    day: str
    login: str
    kind: str
    what: str
    number: int
    title: str
    bot: bool = False


def day_of(stamp) -> str:
    """The UTC day of an ISO 8601 time from an API ("2026-03-14T09:30:00Z"), or "" if not one."""
    from datetime import datetime, timezone

    if not isinstance(stamp, str):
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).date().isoformat()


def login_of(user) -> str:
    """The login of a user object of an API answer (GitHub `login`, GitLab `username`), or ""."""
    if not isinstance(user, dict):
        return ""
    login = user.get("login", user.get("username", ""))
    return login if isinstance(login, str) else ""


def number_of(item: dict, key: str) -> int:
    n = item.get(key)
    return n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 0


def text_of(item: dict, key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def first_reviews(reviews, author: str, since: str, what: str, number: int, title: str) -> list[Activity]:
    """One REVIEW per reviewer of a request, the day of their first review: `reviews` are (day,
    login, bot) as the forge lists them; the request's own `author` reviews nothing of theirs, and
    nothing before `since` (ISO; "" for everything) counts."""
    first: dict[str, Activity] = {}
    for day, login, bot in reviews:
        if not day or not login or login.casefold() == author.casefold() or day < since:
            continue
        key = login.casefold()
        if key not in first or day < first[key].day:
            first[key] = Activity(day, login, REVIEW, what, number, title, bot)
    return list(first.values())
