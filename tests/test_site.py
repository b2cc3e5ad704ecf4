"""Rendering: each page kind shows the community's data, safely, under any base_url."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from generator.build import build
from generator.people import pseudonym


@pytest.fixture
def site(community, tmp_path):
    def make(overrides=None):
        root = community(overrides)
        out = tmp_path / "out"
        build(root, out)
        return out

    return make


def read(out, rel):
    return (out / rel).read_text(encoding="utf-8")


def test_home_shows_identity_mission_areas_and_activity(site):
    home = read(site(), "index.html")
    assert "<h1 id=\"community-name\">Seed Library</h1>" in home
    assert "We keep <em>local</em> seeds alive by lending them." in home
    assert "<li>Urban commons</li>" in home and "<li>Open data commons</li>" in home
    assert "<dt>Governance</dt> <dd>Monthly open assembly</dd>" in home
    assert "CC-BY-SA-4.0" in home
    assert '<a href="projects/catalogue/">Seed catalogue</a>' in home
    assert "Goal reached in Seed catalogue: List 100 varieties" in home
    assert "Event: Spring seed swap" in home
    # the community's own public contact is the one address allowed on the site
    assert 'href="mailto:hello@seeds.example.org"' in home


def test_member_pages_respect_visibility(site):
    out = site()
    members = read(out, "members/index.html")
    alias = pseudonym("ben", "Seed Library")
    alias_slug = alias.lower().replace(" ", "-")
    assert "Ana Lopez" in members and alias in members
    assert "Ben Okafor" not in members and "Cy Hidden" not in members
    assert "Seed Library has 3 members; 1 of them prefers not to be listed" in members  # plural agreement
    assert (out / "members/ana/index.html").exists()
    assert (out / f"members/{alias_slug}/index.html").exists()
    assert not (out / "members/ben").exists() and not (out / "members/cy").exists()
    ana = read(out, "members/ana/index.html")
    assert "<h1 class=\"p-name\">Ana Lopez</h1>" in ana and "Barrio Garden" in ana and "Coordinator" in ana
    assert 'href="https://github.com/seeds/library/edit/main/members/ana.yaml"' in ana
    # a pseudonymous page must not point at the file that names the member
    assert "members/ben.yaml" not in read(out, f"members/{alias_slug}/index.html")
    event = read(out, "events/swap-2024/index.html")
    assert alias in event and "Cy Hidden" not in event
    assert "15 people, 12 of them guests" in event  # hidden members still count


def test_project_page_has_goals_progress_and_leads(site):
    page = read(site(), "projects/catalogue/index.html")
    assert '<progress data-pagefind-ignore max="2" value="1"' in page  # its fallback text is no search excerpt
    assert "1 of 2 goals done" in page
    assert '<a href="../../members/ana/">Ana Lopez</a>' in page
    assert '<h2 id="section-why">Why</h2>' in page  # body headings sit below the page title


def test_free_page_404_feed_sitemap_robots(site):
    out = site()
    assert "We started in 2021." in read(out, "about/index.html")
    assert 'href="/library/members/"' in read(out, "404.html")  # served at any depth
    feed = ET.fromstring(read(out, "feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.find("a:title", ns).text == "Seed Library"
    titles = [e.find("a:title", ns).text for e in feed.findall("a:entry", ns)]
    assert titles[0] == "Goal reached in Seed catalogue: List 100 varieties"
    locs = [u.text for u in ET.fromstring(read(out, "sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://seeds.example.org/library/projects/catalogue/" in locs
    assert "Sitemap: https://seeds.example.org/library/sitemap.xml" in read(out, "robots.txt")


def test_every_internal_link_resolves_under_a_base_path(site):
    out = site()
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue
        for href in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            if re.match(r"^[a-z]+:|^#", href):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            if href.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(out)} links to missing {href}"


def test_templates_autoescape_data(site):
    out = site({"members/ana.yaml": 'name: "<b>Ana</b>"\naffiliation: "\\"><script>x()</script>"\n'})
    page = read(out, "members/ana/index.html")
    assert "<b>Ana</b>" not in page and "&lt;b&gt;Ana&lt;/b&gt;" in page
    assert "<script>x()" not in page


def test_community_theme_overrides_a_template_and_css(site, community, tmp_path):
    root = community({"theme/page.html": '{% extends "base.html" %}{% block main %}<p class="mine">{{ doc.title }}</p>{% endblock %}',
                      "theme/assets/style.css": "body { color: red; }"})
    build(root, tmp_path / "themed")
    assert '<p class="mine">About us</p>' in read(tmp_path / "themed", "about/index.html")
    assert read(tmp_path / "themed", "assets/style.css") == "body { color: red; }"


def test_a_symlinked_theme_template_is_not_followed(community, tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("TOP SECRET {{ 1 + 1 }}")
    root = community()
    (root / "theme").mkdir()
    (root / "theme" / "page.html").symlink_to(secret)
    build(root, tmp_path / "out")
    assert "TOP SECRET" not in read(tmp_path / "out", "about/index.html")


def test_sandbox_stops_a_hostile_template(community, tmp_path):
    from generator.errors import CommonplaceError

    root = community({"theme/page.html": "{{ ''.__class__.__mro__[1].__subclasses__() }}"})
    with pytest.raises(CommonplaceError):
        build(root, tmp_path / "out")


def test_gitlab_edit_links(site):
    out = site({"commonplace.yaml": "title: S\nforge:\n  kind: gitlab\n  repo: group/sub/seeds\n  branch: trunk\n  path: site\n"})
    assert 'href="https://gitlab.com/group/sub/seeds/-/edit/trunk/site/projects/catalogue.md"' in read(out, "projects/catalogue/index.html")


def test_index_pages_link_to_propose_a_new_item_on_both_forges(site):
    from urllib.parse import parse_qs, urlsplit
    from html import unescape

    def propose(out, index):
        href = unescape(re.search(r'<a class="button" href="([^"]+)"', read(out, index)).group(1))
        parts = urlsplit(href)
        return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)

    out = site()
    url, query = propose(out, "members/index.html")
    assert url == "https://github.com/seeds/library/new/main/members"
    assert query["filename"] == ["your-handle.yaml"] and query["value"][0].startswith("name: Your Name\n")
    url, query = propose(out, "events/index.html")
    assert url == "https://github.com/seeds/library/new/main/events"
    assert query["filename"] == ["event-name.md"] and "kind: meetup" in query["value"][0]

    out = site({"commonplace.yaml": "title: S\nforge:\n  kind: gitlab\n  repo: group/seeds\n  host: https://git.example.net\n  path: site\n"})
    url, query = propose(out, "projects/index.html")
    assert url == "https://git.example.net/group/seeds/-/new/main/site/projects"
    assert query["file_name"] == ["project-name.md"] and query["content"][0].startswith("---\ntitle: Project name\n")


def test_no_forge_means_no_edit_or_propose_links(site):
    out = site({"commonplace.yaml": "title: S\n"})
    assert "Edit this page" not in read(out, "projects/catalogue/index.html")
    assert 'class="button"' not in read(out, "members/index.html")


def test_index_pages_link_to_their_folder_on_the_forge(site):
    out = site()
    assert 'href="https://github.com/seeds/library/tree/main/members" rel="nofollow">The files behind this page' in \
        read(out, "members/index.html")
    assert 'href="https://github.com/seeds/library/tree/main/ledger"' in read(out, "ledger/index.html")


# --- layout: menu, 404, data page, propose links, details -------------------------------------

FEDERATION = "peers:\n  - name: north\n    url: https://example.net/north.git\n    relation: peer\n"


def nav_lists(page: str) -> list[list[str]]:
    """The paths each main menu of a page links to: the wide one, then the one in the phone's <details>."""
    return [re.findall(r'<a href="([^"]+)"', nav) for nav in re.findall(r'<nav [^>]*aria-label="Main">(.*?)</nav>', page, re.S)]


def test_the_menu_lists_the_directory_and_folds_into_details_on_a_phone(site):
    out = site({"federation.yaml": FEDERATION})
    page = read(out, "about/index.html")
    wide, folded = nav_lists(page)
    assert "../directory/" in wide and "../federation/" in wide
    assert folded == wide  # the phone's menu has every link
    assert (out / "directory/index.html").exists()
    # The phone's menu is a disclosure that needs no script: a <details> whose <summary> says Menu.
    menu = re.search(r'<details class="nav-menu">\s*<summary>Menu</summary>\s*<nav [^>]*>(.*?)</nav>\s*</details>', page, re.S)
    assert menu and "../directory/" in menu.group(1)
    assert "<script" not in page
    css = read(out, "assets/style.css")
    assert re.search(r"@media \(max-width: 48rem\) \{[^@]*\.nav-wide \{ display: none; \}[^@]*\.nav-menu \{ display: block;", css)
    # without a federation there is no directory, and no link to one
    assert "directory/" not in "".join(nav_lists(read(site({"federation.yaml": None}), "about/index.html"))[0])


def test_the_404_page_is_styled_at_any_address_under_a_plain_static_server(site, tmp_path):
    import http.server
    import threading
    import urllib.error
    import urllib.request
    from functools import partial
    from urllib.parse import urljoin

    out = site({"commonplace.yaml": "title: S\nbase_url: https://example.org/sub/\n"})
    served = tmp_path / "served"
    served.mkdir()
    (served / "sub").symlink_to(out, target_is_directory=True)

    class NotFoundPage(http.server.SimpleHTTPRequestHandler):
        """A plain static server that answers a missing path with the site's 404.html, as hosts do."""

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (out / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(NotFoundPage, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for missing in (f"{base}/sub/no/such/deep/page/", f"{base}/elsewhere/x"):  # at the base path, and outside it
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(missing)
            assert answer.value.code == 404
            page = answer.value.read().decode()
            assert "<h1>Page not found</h1>" in page
            # Styled wherever it is served: the theme's style sheet is in the page itself ...
            style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
            assert ".masthead" in style and "--accent" in style and style.strip() == read(out, "assets/style.css").strip()
            # ... and nothing it needs to look right is linked by a path relative to the missing page.
            for href in re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]+)"', page):
                assert href.startswith("/sub/"), href
        # its links start from the base path, so they work from any depth under it
        page = (out / "404.html").read_text()
        assert 'href="/sub/members/"' in page and 'href="/sub/"' in page
        with urllib.request.urlopen(urljoin(f"{base}/sub/no/such/deep/page/", "/sub/members/")) as ok:
            assert ok.status == 200
    finally:
        server.shutdown()


def test_a_theme_style_sheet_cannot_end_the_404_pages_style_element(community, tmp_path):
    root = community({"theme/assets/style.css": "body { color: red; } /* </style><script>alert(1)</script> */"})
    build(root, tmp_path / "out")
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    page = read(tmp_path / "out", "404.html")
    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and parser.tags.count("style") == 1  # the text stayed text
    assert "body { color: red; }" in page


def test_the_data_page_describes_every_dataset_of_the_published_package(site):
    import csv
    import io
    import json
    from html import unescape

    out = site()
    package = json.loads(read(out, "data/datapackage.json"))
    page = read(out, "data/index.html")
    assert not any(r["path"].endswith(".html") for r in package["resources"])  # the page is no resource
    assert 'frictionless.Package("https://seeds.example.org/library/data/datapackage.json")' in unescape(page)
    assert len(package["resources"]) >= 5
    for resource in package["resources"]:
        name = resource["name"]
        section = re.search(rf'<section class="dataset" id="dataset-{re.escape(name)}".*?</section>', page, re.S)
        assert section, f"no section for {name}"
        text = unescape(section.group(0))
        assert f'href="{resource["path"]}"' in text
        if resource.get("description"):
            assert resource["description"] in text
        size = (out / "data" / resource["path"]).stat().st_size
        assert (f"{size} B" if size < 1000 else f"{size / 1000:.1f} kB") in text
        assert package["licenses"][0]["name"] in text
        if resource["format"] == "csv":
            rows = len(list(csv.reader(io.StringIO(read(out, f"data/{resource['path']}"))))) - 1
            assert f'<dd class="rows">{rows}</dd>' in text, name
            assert f'pd.read_csv("https://seeds.example.org/library/data/{resource["path"]}")' in text
            for f in resource["schema"]["fields"]:
                assert f"<code>{f['name']}</code>" in text and f"<td>{f['type']}</td>" in text
    # the same commit gives the same page
    assert read(site(), "data/index.html") == page
    # every page links to it
    assert 'href="../data/">Open data</a>' in read(out, "about/index.html")


def propose_link(page: str, label: str) -> tuple[str, dict]:
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    href = unescape(re.search(r'<a href="([^"]+)" rel="nofollow">' + re.escape(label), page).group(1))
    parts = urlsplit(href)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


def test_propose_links_for_kudos_ledger_usage_and_contributions(site):
    import yaml

    out = site({"ledger/2024.yaml": "currency: CHF\nentries:\n  - {date: 2024-02-01, amount: \"5.00\", kind: donation, from: X}\n"})
    ana = read(out, "members/ana/index.html")
    url, query = propose_link(ana, "Thank Ana Lopez with kudos")
    assert url == "https://github.com/seeds/library/new/main/kudos"
    kudos = yaml.safe_load(query["value"][0])["kudos"][0]
    assert kudos["to"] == "ana" and set(kudos) >= {"from", "to", "date", "for"}
    url, query = propose_link(ana, "Record work Ana Lopez did outside git")
    assert url == "https://github.com/seeds/library/new/main/contributions"
    assert yaml.safe_load(query["value"][0])["records"][0]["who"] == "ana"
    url, query = propose_link(read(out, "projects/catalogue/index.html"), "Add evidence that people use Seed catalogue")
    assert url == "https://github.com/seeds/library/new/main/usage"
    assert yaml.safe_load(query["value"][0])["records"][0]["project"] == "catalogue"
    url, query = propose_link(read(out, "ledger/index.html"), "Propose a ledger entry")
    assert url == "https://github.com/seeds/library/new/main/ledger"
    ledger = yaml.safe_load(query["value"][0])
    assert ledger["currency"] == "CHF" and set(ledger["entries"][0]) >= {"date", "amount", "kind"}
    # a pseudonymous page offers none: the file would name the person behind it
    alias_slug = pseudonym("ben", "Seed Library").lower().replace(" ", "-")
    assert "new/main/" not in read(out, f"members/{alias_slug}/index.html")
    # no forge, no links
    bare = site({"commonplace.yaml": "title: S\n"})
    assert "Propose a ledger entry" not in read(bare, "ledger/index.html")
    assert "Thank Ana Lopez" not in read(bare, "members/ana/index.html")


def test_the_filled_in_templates_are_valid_files_once_their_examples_are_replaced(community, tmp_path):
    """What a proposer saves, with its placeholders filled, passes the community's own checks."""
    from urllib.parse import parse_qs, urlsplit

    from generator.load.loader import load_community
    from generator.model import Forge
    from generator.views.proposals import KINDS, propose_url

    forge = Forge(kind="github", repo="seeds/library", branch="main")
    files = {}
    for kind in ("kudos", "ledger", "usage", "contributions"):
        query = parse_qs(urlsplit(propose_url(forge, kind, to="ana", who="ana", project="catalogue", currency="EUR")).query)
        text = query["value"][0].replace("your-handle", "ana").replace("2030-01-31", "2024-06-01")
        files[f"{kind}/{query['filename'][0].replace('your-handle', 'ana')}"] = text
    assert set(KINDS) >= {"members", "projects", "events", "kudos", "ledger", "usage", "contributions"}
    from generator.errors import DataError

    root = community(files)
    try:
        load_community(root)
    except DataError as exc:
        pytest.fail("\n".join(str(f) for f in exc.findings))


@pytest.mark.parametrize("kind", ["github", "gitlab"])
def test_a_propose_link_is_the_filled_template_form_encoded_whatever_the_values(kind):
    """The links are filled in encoded form (see proposals._encoded): they must equal encoding the
    filled-in text, for values with every character that encodes specially."""
    from urllib.parse import parse_qs, urlsplit

    from generator.model import Forge
    from generator.views.proposals import EXAMPLES, KINDS, TEMPLATES, propose_url

    forge = Forge(kind=kind, repo="seeds/library", branch="main")
    hostile = {"to": "a&b=c+d %7B{who}", "who": "Zoë {to} 100%", "project": "x/y?z#w", "currency": "€ {currency}"}
    for kind_ in KINDS:
        query = parse_qs(urlsplit(propose_url(forge, kind_, **hostile)).query, keep_blank_values=True)
        filename, content = TEMPLATES[kind_]
        for key, value in {**EXAMPLES, **hostile}.items():  # in the order the placeholders are filled
            filename = filename.replace("{" + key + "}", value)
            content = content.replace("{" + key + "}", value)
        assert query["file_name" if kind == "gitlab" else "filename"] == [filename]
        assert query["content" if kind == "gitlab" else "value"] == [content]


def test_roles_show_as_words_and_one_hidden_member_prefers(site):
    out = site({"members/ana.yaml": "name: Ana Lopez\nroles: [tile-server-maintainer, Chair of the Board]\n"})
    assert '<p class="roles">Tile server maintainer, Chair of the Board</p>' in read(out, "members/ana/index.html")
    assert '<p class="roles">Tile server maintainer, Chair of the Board</p>' in read(out, "members/index.html")
    assert "; 1 of them prefers not to be listed." in read(out, "members/index.html")
    two_hidden = site({"members/ana.yaml": "name: Ana Lopez\nvisibility: hidden\n"})
    assert "; 2 of them prefer not to be listed." in read(two_hidden, "members/index.html")


def test_no_line_can_start_with_a_separator(site):
    out = site()
    for rel in ("index.html", "events/index.html", "members/ana/index.html", "about/index.html", "404.html"):
        page = read(out, rel)
        body = page[page.index("<body"):]
        # a "·" written between items can start a wrapped line; lists separate their items instead
        assert "·" not in re.sub(r"<[^>]+>", "", body), rel
    css = read(out, "assets/style.css")
    assert 'content: "·"' not in css


def test_every_scrollable_table_is_a_labelled_focusable_region(site):
    out = site()
    for rel in ("members/ana/index.html", "data/index.html"):
        page = read(out, rel)
        regions = re.findall(r'<div class="table-scroll"[^>]*>', page)
        assert regions or rel == "members/ana/index.html"
        for region in regions:
            assert 'tabindex="0"' in region and 'role="region"' in region and re.search(r'aria-label="[^"]+"', region), region
def test_value_section_pages_are_listed_and_their_anchors_resolve(community, tmp_path):
    """value/ is a dashboard with a page per dimension, the contributors and the methodology: all
    in the sitemap, and every link to a part of a page (#...) finds that part."""
    from gitrepo import commit_all

    root = community()
    commit_all(root)
    out = tmp_path / "out"
    build(root, out)
    locs = [u.text for u in ET.fromstring(read(out, "sitemap.xml")).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    value_pages = [loc.removeprefix("https://seeds.example.org/library/") for loc in locs if "/library/value/" in loc]
    assert sorted(value_pages) == sorted(["value/", "value/community-building/", "value/objective-accomplishment/",
                                          "value/monetary-value/", "value/social-use-value/", "value/reputation/",
                                          "value/contributors/", "value/methodology/"])
    dashboard = read(out, "value/index.html")
    for rel in value_pages[1:]:
        assert f'href="../{rel}"' in dashboard, rel
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"#:]*)#([^"]+)"', page.read_text()):
            target = (page.parent / href[0]).resolve() if href[0] else page
            if target.is_dir():
                target = target / "index.html"
            assert f'id="{href[1]}"' in target.read_text(), f"{page.relative_to(out)} links to missing #{href[1]}"
    assert 'href="../../value/methodology/"' in read(out, "members/ana/index.html")
