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
    assert "<dt>Governance</dt><dd>Monthly open assembly</dd>" in home
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
    assert "3 people make Seed Library; 1 of them prefer not to be listed" in members
    assert (out / "members/ana/index.html").exists()
    assert (out / f"members/{alias_slug}/index.html").exists()
    assert not (out / "members/ben").exists() and not (out / "members/cy").exists()
    ana = read(out, "members/ana/index.html")
    assert "<h1>Ana Lopez</h1>" in ana and "Barrio Garden" in ana and "coordinator" in ana
    assert 'href="https://github.com/seeds/library/edit/main/members/ana.yaml"' in ana
    # a pseudonymous page must not point at the file that names the member
    assert "members/ben.yaml" not in read(out, f"members/{alias_slug}/index.html")
    event = read(out, "events/swap-2024/index.html")
    assert alias in event and "Cy Hidden" not in event
    assert "15 people, 12 of them guests" in event  # hidden members still count


def test_project_page_has_goals_progress_and_leads(site):
    page = read(site(), "projects/catalogue/index.html")
    assert '<progress max="2" value="1"' in page
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
