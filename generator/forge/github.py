"""GitHub's REST API: issues opened, and pull request reviews.

- An issue opened: `GET /repos/{repo}/issues?state=all` (pull requests, which that list includes,
  are left out), dated by `created_at`.
- A review: `GET /repos/{repo}/pulls/{n}/reviews` for every pull request updated since the
  start; one record per reviewer and pull request, dated by their first submitted review
  (approved, changes requested or commented; pending reviews are not submitted), never the
  pull request's own author.

- A discussion started: GitHub Discussions are only in the GraphQL API, which answers only with a
  token: `repository.discussions`, newest first, dated by `createdAt`. Without a token they are
  left out (the summary says so).
"""

from __future__ import annotations

from urllib.parse import quote

from .activity import DISCUSSION, ISSUE, Activity, day_of, first_reviews, login_of, number_of, text_of
from .http import MAX_PAGES, ForgeClient, ForgeError
from .records import clean_title

SUBMITTED = {"APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"}
DISCUSSIONS = """query($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    discussions(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes { number title createdAt author { __typename login } }
    }
  }
}"""


def api_base(host: str) -> str:
    """The REST API of github.com, or of a GitHub Enterprise server at `host`."""
    host = host.rstrip("/")
    if not host or host.lower() in ("https://github.com", "https://www.github.com"):
        return "https://api.github.com"
    return f"{host}/api/v3"


def graphql_url(api: str) -> str:
    """GraphQL's address beside the REST API `api`: /api/graphql on GitHub Enterprise."""
    api = api.rstrip("/")
    return api[:-len("/v3")] + "/graphql" if api.endswith("/api/v3") else api + "/graphql"


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
        number = number_of(pull, "number")
        reviews = ((day_of(r.get("submitted_at")), login_of(r.get("user")), _bot(r.get("user")))
                   for r in client.pages(client.url(f"{path}/pulls/{number}/reviews", per_page=100))
                   if isinstance(r, dict) and r.get("state") in SUBMITTED)
        found += first_reviews(reviews, login_of(pull.get("user")), since, "pull request", number,
                               text_of(pull, "title"))
        if progress:
            progress(done, len(pulls))
    return found


def discussions(client: ForgeClient, repo: str, since: str) -> list[Activity]:
    """Discussions started on `repo` from the day `since` (ISO; "" for everything), through GraphQL."""
    owner, _, name = repo.partition("/")
    found: list[Activity] = []
    after = None
    url = graphql_url(client.base)
    for _ in range(MAX_PAGES):
        data, _headers = client.get(url, {"query": DISCUSSIONS, "variables": {"owner": owner, "name": name,
                                                                            "after": after}})
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors or not isinstance(data, dict):
            first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
            raise ForgeError(f"{url}: GitHub's GraphQL API answered: {clean_title(str(first.get('message', 'no data')))}")
        page = ((data.get("data") or {}).get("repository") or {}).get("discussions") or {}
        older = False
        for node in page.get("nodes") or ():
            if not isinstance(node, dict):
                continue
            day, login, number = day_of(node.get("createdAt")), login_of(node.get("author")), number_of(node, "number")
            if since and day and day < since:
                older = True  # newest first: the rest are older still
                break
            if day and login and number:
                bot = isinstance(node.get("author"), dict) and node["author"].get("__typename") == "Bot"
                found.append(Activity(day, login, DISCUSSION, "discussion", number, text_of(node, "title"), bot))
        info = page.get("pageInfo") or {}
        if older or not info.get("hasNextPage") or not isinstance(info.get("endCursor"), str):
            return found
        after = info["endCursor"]
    raise ForgeError(f"{url}: more than {MAX_PAGES} pages of discussions")
