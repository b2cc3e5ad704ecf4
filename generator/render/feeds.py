"""The files that tell other programs about the site: the activity feed, the sitemap and robots.txt."""

from __future__ import annotations

import jinja2

from .context import SiteContext
from .environment import template
from .pages import Page


def feed_files(env: jinja2.Environment, site: SiteContext, pages: list[Page]) -> dict[str, str]:
    """feed.xml, sitemap.xml and robots.txt, by path."""
    feed_items = site.activity[: site.model.config.feed_entries]
    listed = [p for p in pages if p.filename == "index.html"]
    return {
        "feed.xml": template(env, "feed.xml").render(items=feed_items, absolute=site.url),
        "sitemap.xml": template(env, "sitemap.xml").render(pages=listed, absolute=site.url),
        "robots.txt": template(env, "robots.txt").render(absolute=site.url),
    }
