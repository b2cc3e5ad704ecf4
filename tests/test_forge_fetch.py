"""`commonplace fetch --forge`: recorded GitHub and GitLab API answers (tests/fixtures/forge/)
played from a server on 127.0.0.1, the records written, their files fetched twice, and the
records counted by the value report like any other contribution."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from communities import BIN, base_env
from gitrepo import commit_all

FIXTURES = Path(__file__).parent / "fixtures" / "forge"
ADDRESSES = ("private.example", "ana.secret", "stranger@", "helper@")

MEMBERS = {
    "members/ana.yaml": """\
        name: Ana Lopez
        emails: [ana@example.org]
        github: ana-gh
        gitlab: ana-gl
        """,
}


class Forge:
    """A recorded API on 127.0.0.1: `routes` maps a path (with `?page=N` when the request asks
    for a page) to the answers to give, in turn (the last one again when they run out)."""

    def __init__(self) -> None:
        self.routes: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.asked: list[str] = []
        self.headers: list[dict] = []
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                page = dict(parse_qsl(parts.query)).get("page")
                key = parts.path + (f"?page={page}" if page and page != "1" else "")
                forge.asked.append(self.path)
                forge.headers.append(dict(self.headers))
                answers = forge.routes.get(key) or [(404, {}, b'{"message": "Not Found"}')]
                status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", forge.url))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - GraphQL: the page is the query's cursor
                sent = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                after = sent.get("variables", {}).get("after")
                self.path = urlsplit(self.path).path + (f"?page={after}" if after else "")
                self.do_GET()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, path: str, fixture: str | None = None, status: int = 200, headers: dict | None = None,
              body: bytes | None = None) -> None:
        data = (FIXTURES / fixture).read_bytes() if fixture else (body if body is not None else b"[]")
        self.routes.setdefault(path, []).append((status, headers or {}, data))

    def __enter__(self) -> "Forge":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def github_routes(forge: Forge) -> None:
    repo = "/api/v3/repos/seeds/library"
    forge.serve(f"{repo}/issues", "github/issues-1.json",
                headers={"Link": '<{base}/api/v3/repos/seeds/library/issues?state=all&page=2>; rel="next", '
                                 '<{base}/api/v3/repos/seeds/library/issues?state=all&page=2>; rel="last"'})
    forge.serve(f"{repo}/issues?page=2", "github/issues-2.json",
                headers={"Link": '<{base}/api/v3/repos/seeds/library/issues?state=all&page=1>; rel="first"'})
    forge.serve(f"{repo}/pulls", "github/pulls.json")
    forge.serve(f"{repo}/pulls/3/reviews", "github/reviews-3.json")
    forge.serve("/api/graphql", "github/graphql-1.json")
    forge.serve("/api/graphql?page=Y3Vyc29yOnYyOpK5MjAyNC0wNC0yNA==", "github/graphql-2.json")


def gitlab_routes(forge: Forge) -> None:
    project = "/api/v4/projects/seeds%2Flibrary"
    forge.serve(f"{project}/issues", "gitlab/issues.json")
    forge.serve(f"{project}/merge_requests", "gitlab/merge_requests.json")
    forge.serve(f"{project}/merge_requests/2/notes", "gitlab/notes-2-1.json", headers={"X-Next-Page": "2"})
    forge.serve(f"{project}/merge_requests/2/notes?page=2", "gitlab/notes-2-2.json", headers={"X-Next-Page": ""})


def config(kind: str, api: str) -> dict:
    return {"commonplace.yaml": f"""\
        title: Seed Library
        base_url: https://seeds.example.org/library/
        forge:
          kind: {kind}
          repo: seeds/library
          api: {api}
        """}


def fetch(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {**base_env(root.parent), **(env or {})}
    return subprocess.run([str(BIN / "commonplace"), "fetch", str(root), "--forge", *args], env=full,
                          capture_output=True, text=True, timeout=120)


def written(root: Path) -> dict[str, str]:
    folder = root / "contributions"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*"))} if folder.is_dir() else {}


GITHUB_APRIL = """\
# Work done in the forge (github:seeds/library), written by `commonplace fetch --forge`.
# Review it like any data before merging; fetching this month again rewrites this file.
records:
- date: 2024-04-11
  who: '@stranger42'
  kind: issue_opened
  description: 'Opened issue #2: Crash when mailing [address] about the swap'
- date: 2024-04-20
  who: '@helper-7'
  kind: forge_review
  description: 'Reviewed pull request #3: Add seed photos'
- date: 2024-04-21
  who: ana
  kind: forge_review
  description: 'Reviewed pull request #3: Add seed photos'
- date: 2024-04-25
  who: ana
  kind: discussion
  description: 'Started discussion #10: How do we label seeds?'
"""


def test_github_reviews_and_issues_become_records_by_member_or_login(community):
    with Forge() as forge:
        github_routes(forge)
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root, env={"GITHUB_TOKEN": "ghp_secret123"})
        assert done.returncode == 0, done.stderr
        first = written(root)
        again = fetch(root, "--since", "2024-03-09", env={"GITHUB_TOKEN": "ghp_secret123"})
    assert again.returncode == 0, again.stderr
    assert sorted(first) == ["forge-2024-03.yaml", "forge-2024-04.yaml"]
    # a member by her github: login (in any case), a stranger by login, the bots left out, one
    # review per reviewer and pull request (her first), never the author's own, no pending one
    assert first["forge-2024-04.yaml"] == GITHUB_APRIL
    assert "who: ana\n  kind: issue_opened\n  description: 'Opened issue #1: Seeds of tomato missing" in (
        first["forge-2024-03.yaml"])
    for text in first.values():
        assert not any(a in text for a in ADDRESSES), text
        assert "bot" not in text.lower() and "ghp_secret123" not in text
    assert "2 reviews, 2 issues opened, 2 discussions started, 4 by bots left out" in done.stderr
    assert "who: '@newcomer-1'\n  kind: discussion\n  description: 'Started discussion #8: Hello from a new" in (
        first["forge-2024-03.yaml"])
    assert written(root) == first  # the same months fetched again: the same bytes
    assert "0 changed" in again.stderr and "since 2024-03-01" in again.stderr
    assert "ghp_secret123" not in done.stderr + again.stderr
    # the token went in a header, the second page was followed, and --since reached the API
    assert all(h.get("Authorization") == "Bearer ghp_secret123" for h in forge.headers)
    assert any("page=2" in a for a in forge.asked)
    assert any("since=2024-03-01T00%3A00%3A00Z" in a for a in forge.asked)


def test_gitlab_approvals_and_comments_are_reviews_and_pages_follow_x_next_page(community):
    with Forge() as forge:
        gitlab_routes(forge)
        root = community({**MEMBERS, **config("gitlab", f"{forge.url}/api/v4")})
        done = fetch(root)
    assert done.returncode == 0, done.stderr
    files = written(root)
    assert sorted(files) == ["forge-2024-05.yaml", "forge-2024-06.yaml"]
    may, june = files["forge-2024-05.yaml"], files["forge-2024-06.yaml"]
    assert "- date: 2024-05-02\n  who: ana\n  kind: issue_opened\n  description: 'Opened issue #7: Catalogue" in may
    assert "- date: 2024-05-31\n  who: ana\n  kind: forge_review\n  description: 'Reviewed merge request #2: Seed photos'" in may
    assert june.endswith("records:\n- date: 2024-06-01\n  who: '@gl-helper'\n  kind: forge_review\n"
                         "  description: 'Reviewed merge request #2: Seed photos'\n")
    for text in files.values():
        assert not any(a in text for a in ADDRESSES) and "outsider" not in text and "bot" not in text


def test_a_short_rate_limit_is_waited_out_and_a_5xx_retried(community):
    with Forge() as forge:
        repo = "/api/v3/repos/seeds/library"
        forge.serve(f"{repo}/issues", status=429, headers={"Retry-After": "0"}, body=b'{"message": "slow down"}')
        forge.serve(f"{repo}/issues", "github/issues-1.json")
        forge.serve(f"{repo}/pulls", status=502, body=b"<html>Bad gateway</html>")
        forge.serve(f"{repo}/pulls", body=b"[]")
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root)
    assert done.returncode == 0, done.stderr
    assert sum("/issues" in a for a in forge.asked) == 2 and sum("/pulls" in a for a in forge.asked) == 2
    assert sorted(written(root)) == ["forge-2024-03.yaml", "forge-2024-04.yaml"]
    assert "discussions left out (GitHub's GraphQL API needs GITHUB_TOKEN)" in done.stderr
    assert not any("graphql" in a for a in forge.asked)


def test_a_graphql_error_stops_the_fetch_with_its_message(community):
    with Forge() as forge:
        github_routes(forge)
        forge.routes["/api/graphql"] = [(200, {}, b'{"errors": [{"type": "FORBIDDEN", '
                                                   b'"message": "Resource not accessible by integration"}]}')]
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root, env={"GITHUB_TOKEN": "ghs_job"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (f"fetch --forge stopped: {forge.url}/api/graphql: GitHub's GraphQL API answered: Resource not "
            "accessible by integration; nothing was written") in done.stderr
    assert written(root) == {}


@pytest.mark.parametrize("status, headers, said", [
    (429, {"Retry-After": "3600"}, "rate limit is reached; try again after 20"),
    (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800"},
     "rate limit is reached; try again after 2100-01-01 00:00 UTC (a token in GITHUB_TOKEN"),
    (403, {"RateLimit-Remaining": "0", "RateLimit-Reset": "4102444800"}, "try again after 2100-01-01 00:00 UTC"),
    (404, {}, "HTTP 404: no such repository, or a private one"),
])
def test_a_long_rate_limit_or_a_refusal_stops_with_when_to_retry_and_writes_nothing(community, status, headers, said):
    with Forge() as forge:
        github_routes(forge)
        forge.routes["/api/v3/repos/seeds/library/pulls"] = [(status, headers, b'{"message": "no"}')]
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root)
    assert done.returncode == 1
    assert said in done.stderr and "nothing was written" in done.stderr
    assert "Traceback" not in done.stderr and written(root) == {}


def test_a_dead_server_is_a_clear_message(community):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = community({**MEMBERS, **config("github", f"http://127.0.0.1:{port}/api/v3")})
    done = fetch(root)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"http://127.0.0.1:{port}/api/v3/repos/seeds/library/issues" in done.stderr
    assert "4 times; try again later; nothing was written" in done.stderr
    assert written(root) == {}


def test_a_server_failing_every_time_gives_up(tmp_path):
    from generator.forge.http import ForgeClient, ForgeError, RateLimits

    with Forge() as forge:
        forge.serve("/api/issues", status=503, body=b"down")
        client = ForgeClient(f"{forge.url}/api", rates=RateLimits(backoff=0.0))
        with pytest.raises(ForgeError, match=r"/api/issues: HTTP 503, 4 times; try again later"):
            list(client.pages(client.url("issues")))
        client.close()
    assert len(forge.asked) == 4


def test_a_next_page_on_another_host_is_refused(tmp_path):
    from generator.forge.http import ForgeClient, ForgeError

    with Forge() as forge:
        forge.serve("/api/issues", body=b"[]", headers={"Link": '<http://localhost:1/steal>; rel="next"'})
        client = ForgeClient(f"{forge.url}/api", "tok")
        with pytest.raises(ForgeError, match="not on the forge API's host"):
            list(client.pages(client.url("issues")))
        client.close()


def test_forge_records_count_in_the_value_report(community):
    from generator.load.loader import load_community
    from generator.valuation import value_report

    with Forge() as forge:
        github_routes(forge)
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        assert fetch(root).returncode == 0
    commit_all(root, "Seed library and its forge records", date="2024-05-01T10:00:00+00:00")
    check = subprocess.run([str(BIN / "commonplace"), "check", str(root)], env=base_env(root.parent),
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    report = value_report(root, load_community(root)).to_json()
    people = {p["id"]: p for p in report["contributors"]}
    assert people["ana"]["records"]["forge_review"] == {"count": 1, "weight": 0.5}
    assert people["ana"]["records"]["issue_opened"] == {"count": 1, "weight": 0.5}
    stranger = people["@stranger42"]
    assert stranger["records"] == {"issue_opened": {"count": 1, "weight": 0.5}} and not stranger.get("member")
    assert people["@helper-7"]["records"]["forge_review"]["count"] == 1
    assert report["kinds"]["forge_review"]["dimension"] == "objective_accomplishment"
    assert people["ana"]["scores"]["social_use_value"] > 0
    # and the build publishes them as it does every record, the kinds on the methodology page
    site = root.parent / "site"
    built = subprocess.run([str(BIN / "commonplace"), "build", str(root), "-o", str(site)], env=base_env(root.parent),
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    rows = (site / "data" / "contributions.csv").read_text(encoding="utf-8").splitlines()
    assert "2024-04-21,ana,forge_review,objective_accomplishment,0.5,1,contributions/forge-2024-04.yaml:12,2024-05-01" in rows
    assert "2024-04-11,@stranger42,issue_opened,social_use_value,0.5,1,contributions/forge-2024-04.yaml:4,2024-05-01" in rows
    contributors = {row.split(",")[0] for row in (site / "data" / "contributors.csv").read_text().splitlines()[1:]}
    assert {"ana", "@stranger42", "@helper-7"} <= contributors
    methodology = (site / "value" / "methodology" / "index.html").read_text(encoding="utf-8")
    assert "Review in the forge" in methodology and "Issue opened in the forge" in methodology
    assert not any(a in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file() for a in ADDRESSES)


STALE = """\
records:
- date: {day}
  who: ana
  kind: forge_review
  description: 'Reviewed pull request #1: Gone'
"""


def test_without_since_the_latest_forge_month_is_fetched_again_whole(community):
    with Forge() as forge:
        github_routes(forge)
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3"),
                          "contributions/forge-2024-02.yaml": STALE.format(day="2024-02-10"),
                          "contributions/forge-2024-04.yaml": STALE.format(day="2024-04-02"),
                          "contributions/forge-2024-05.yaml": STALE.format(day="2024-05-02")})
        done = fetch(root)
    assert done.returncode == 0, done.stderr
    assert "since 2024-05-01" in done.stderr
    assert any("since=2024-05-01T00%3A00%3A00Z" in a for a in forge.asked)
    files = written(root)
    # May again: the forge shows nothing in it now; earlier months are left as they are
    assert files["forge-2024-05.yaml"].endswith("records: []\n")
    assert files["forge-2024-04.yaml"] == STALE.format(day="2024-04-02")
    assert files["forge-2024-02.yaml"] == STALE.format(day="2024-02-10")
    assert sorted(files) == ["forge-2024-02.yaml", "forge-2024-04.yaml", "forge-2024-05.yaml"]


HOSTILE_ISSUES = [
    {"number": 20, "title": "x" * 5000, "created_at": "2024-04-02T00:00:00Z", "user": {"login": "long-title"}},
    {"number": 21, "title": "New\nline", "created_at": "2024-04-02T00:00:00Z", "user": {"login": "evil\nwho: ana"}},
    {"number": 22, "title": "Spaces", "created_at": "2024-04-02T00:00:00Z", "user": {"login": "two words"}},
    {"number": -3, "title": "Negative", "created_at": "2024-04-02T00:00:00Z", "user": {"login": "negative"}},
    {"number": 24, "title": "Ancient", "created_at": "1200-01-01T00:00:00Z", "user": {"login": "ancient"}},
    {"number": 25, "title": "No date", "created_at": "yesterday", "user": {"login": "undated"}},
    {"number": 26, "title": ["not", "text"], "created_at": "2024-04-03T00:00:00Z", "user": "not-an-object"},
    {"number": 27, "title": {"t": 1}, "created_at": "2024-04-03T00:00:00Z", "user": {"login": "odd-title"}},
    "not an issue",
]


def test_hostile_api_answers_never_reach_a_file_that_check_refuses(community):
    with Forge() as forge:
        github_routes(forge)
        forge.routes["/api/v3/repos/seeds/library/issues"] = [(200, {}, json.dumps(HOSTILE_ISSUES).encode())]
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root)
        assert done.returncode == 0, done.stderr
    april = written(root)["forge-2024-04.yaml"]
    assert "who: '@long-title'" in april and "description: 'Opened issue #20: " + "x" * 119 + "…'" in april
    assert "who: '@odd-title'\n  kind: issue_opened\n  description: 'Opened issue #27'" in april
    for who in ("evil", "two words", "negative", "ancient", "undated"):
        assert who not in april
    assert "3 left out as unreadable" in done.stderr  # the negative number and the bad date are never read
    check = subprocess.run([str(BIN / "commonplace"), "check", str(root)], env=base_env(root.parent),
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_token_that_is_not_one_and_since_without_forge_are_refused_before_any_request(community):
    with Forge() as forge:
        github_routes(forge)
        root = community({**MEMBERS, **config("github", f"{forge.url}/api/v3")})
        done = fetch(root, env={"GITHUB_TOKEN": "ghp_one\nX-Evil: 1"})
        alone = subprocess.run([str(BIN / "commonplace"), "fetch", str(root), "--since", "2024-01-01"],
                               env=base_env(root.parent), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "GITHUB_TOKEN holds characters no token has" in done.stderr
    assert "ghp_one" not in done.stderr and "Traceback" not in done.stderr
    assert alone.returncode == 2 and "--since goes with --forge" in alone.stderr
    assert forge.asked == [] and written(root) == {}
