"""GitHub's REST API: issues opened, and pull request reviews.

- An issue opened: `GET /repos/{repo}/issues?state=all` (pull requests, which that list includes,
  are left out), dated by `created_at`.
- A review: `GET /repos/{repo}/pulls/{n}/reviews` for every pull request updated since the
  start; one record per reviewer and pull request, dated by their first submitted review
  (approved, changes requested or commented; pending reviews are not submitted), never the
  pull request's own author.

GitHub Discussions are only in the GraphQL API and are not read yet: record them by hand with
kind `discussion`.
"""

from __future__ import annotations

from urllib.parse import quote

from .activity import ISSUE, REVIEW, Activity, day_of, login_of, number_of, text_of
from .http import ForgeClient

SUBMITTED = {"APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"}


def api_base(host: str) -> str:
    """The REST API of github.com, or of a GitHub Enterprise server at `host`."""
    host = host.rstrip("/")
    if not host or host.lower() in ("https://github.com", "https://www.github.com"):
        return "https://api.github.com"
    return f"{host}/api/v3"


def _bot(user) -> bool:
    return isinstance(user, dict) and user.get("type") == "Bot"


def activity(client: ForgeClient, repo: str, since: str, progress=None) -> list[Activity]:
    """Issues opened and reviews given on `repo` from the day `since` (ISO; "" for everything)."""
    path = "repos/" + "/".join(quote(part, safe="") for part in repo.split("/"))
    found: list[Activity] = []
    query = {"state": "all", "per_page": 100, "sort": "created", "direction": "asc"}
    if since:
        query["since"] = f"{since}T00:00:00Z"  # updated since: every issue created since is in it
    for issue in client.pages(client.url(f"{path}/issues", **query)):
        if not isinstance(issue, dict) or "pull_request" in issue:
            continue
        day, login, number = day_of(issue.get("created_at")), login_of(issue.get("user")), number_of(issue, "number")
        if day and login and number and day >= since:
            found.append(Activity(day, login, ISSUE, "issue", number, text_of(issue, "title"), _bot(issue.get("user"))))
    pulls = []
    query = {"state": "all", "per_page": 100, "sort": "updated", "direction": "desc"}
    for pull in client.pages(client.url(f"{path}/pulls", **query)):
        if not isinstance(pull, dict):
            continue
        if since and day_of(pull.get("updated_at")) < since:
            break  # sorted by update, newest first: every later one is older
        if number_of(pull, "number"):
            pulls.append(pull)
    for done, pull in enumerate(pulls, 1):
        number, author = number_of(pull, "number"), login_of(pull.get("user")).casefold()
        first: dict[str, Activity] = {}
        for review in client.pages(client.url(f"{path}/pulls/{number}/reviews", per_page=100)):
            if not isinstance(review, dict) or review.get("state") not in SUBMITTED:
                continue
            day, login = day_of(review.get("submitted_at")), login_of(review.get("user"))
            if not day or not login or login.casefold() == author or day < since:
                continue
            item = Activity(day, login, REVIEW, "pull request", number, text_of(pull, "title"), _bot(review.get("user")))
            key = login.casefold()
            if key not in first or item.day < first[key].day:
                first[key] = item
        found.extend(first.values())
        if progress:
            progress(done, len(pulls))
    return found
