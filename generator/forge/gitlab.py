"""GitLab's REST API (v4): issues opened, and merge request reviews.

- An issue opened: `GET /projects/{id}/issues?scope=all`, dated by `created_at`.
- A review: a merge request's notes (`GET /projects/{id}/merge_requests/{iid}/notes`) by anyone
  but its author: a comment (not a system note), or the system note GitLab writes for an
  approval ("approved this merge request"), the one place an approval has a date. One record per
  reviewer and merge request, dated by the first.

GitLab has no discussions apart from these threads: `discussion` records are not written for it.
"""

from __future__ import annotations

from urllib.parse import quote

from .activity import ISSUE, Activity, day_of, first_reviews, login_of, number_of, text_of
from .http import ForgeClient


def api_base(host: str) -> str:
    """The REST API of gitlab.com, or of a self-hosted GitLab at `host`."""
    return f"{host.rstrip('/') or 'https://gitlab.com'}/api/v4"


def _bot(user) -> bool:
    return isinstance(user, dict) and user.get("bot") is True


def _review(note: dict) -> bool:
    if note.get("system") is True:
        return text_of(note, "body").strip().lower().startswith("approved this merge request")
    return True


def activity(client: ForgeClient, repo: str, since: str, progress=None) -> list[Activity]:
    """Issues opened and reviews given on `repo` from the day `since` (ISO; "" for everything)."""
    path = f"projects/{quote(repo, safe='')}"
    after = {"created_after": f"{since}T00:00:00Z"} if since else {}
    found: list[Activity] = []
    issues = client.url(f"{path}/issues", scope="all", order_by="created_at", sort="asc", per_page=100, **after)
    for issue in client.pages(issues):
        if not isinstance(issue, dict):
            continue
        day, login, number = day_of(issue.get("created_at")), login_of(issue.get("author")), number_of(issue, "iid")
        if day and login and number and day >= since:
            found.append(Activity(day, login, ISSUE, "issue", number, text_of(issue, "title"), _bot(issue.get("author"))))
    updated = {"updated_after": f"{since}T00:00:00Z"} if since else {}
    requests = [mr for mr in client.pages(client.url(f"{path}/merge_requests", scope="all", state="all",
                                                     order_by="updated_at", sort="desc", per_page=100, **updated))
                if isinstance(mr, dict) and number_of(mr, "iid")]
    for done, mr in enumerate(requests, 1):
        number = number_of(mr, "iid")
        notes = client.url(f"{path}/merge_requests/{number}/notes", sort="asc", order_by="created_at", per_page=100)
        reviews = ((day_of(n.get("created_at")), login_of(n.get("author")), _bot(n.get("author")))
                   for n in client.pages(notes) if isinstance(n, dict) and _review(n))
        found += first_reviews(reviews, login_of(mr.get("author")), since, "merge request", number,
                               text_of(mr, "title"))
        if progress:
            progress(done, len(requests))
    return found
