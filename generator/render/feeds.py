"""The files that tell other programs about the site: the activity feed (Atom and JSON Feed), the
events' calendars, the sitemap and robots.txt."""

from __future__ import annotations

import jinja2

from .calendar import calendar_files
from .context import SiteContext
from .environment import template
from .jsonfeed import json_feed
from .pages import Page


def feed_files(env: jinja2.Environment, site: SiteContext, pages: list[Page]) -> dict[str, str]:
    """feed.xml, feed.json, events.ics (and each event's event.ics), sitemap.xml and robots.txt, by path."""
    feed_items = site.activity[: site.model.config.feed_entries]
    listed = [p for p in pages if p.filename == "index.html"]
    return {
        "feed.xml": template(env, "feed.xml").render(items=feed_items, absolute=site.url),
        "sitemap.xml": template(env, "sitemap.xml").render(pages=listed, absolute=site.url),
        "robots.txt": template(env, "robots.txt").render(absolute=site.url),
        "feed.json": json_feed(site, feed_items),
        **calendar_files(site),
    }
