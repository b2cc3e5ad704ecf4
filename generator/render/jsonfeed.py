"""`feed.json`: the Atom feed's entries as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

The same entries as `feed.xml`, with the same permanent ids (page address and anchor, see
views/entryids.py). Each item has `id`, `url`, `title`, `summary`, `content_text` (the summary,
or the title when an entry has none: the spec asks for content) and `date_published`; the feed's
one author is the community, by name and home page, never an address. Written with sorted keys
and the build's date only, so the same commit gives the same bytes.
"""

from __future__ import annotations

import json

from ..views.activity import Activity
from .context import SiteContext

VERSION = "https://jsonfeed.org/version/1.1"


def _item(site: SiteContext, item: Activity) -> dict:
    url = f"{site.url(item.path)}#{item.anchor}"
    text = item.summary or item.title
    return {"id": url, "url": url, "title": item.title, "summary": text, "content_text": text,
            "date_published": f"{item.date.isoformat()}T00:00:00Z"}


def json_feed(site: SiteContext, items: list[Activity]) -> str:
    model = site.model
    feed = {
        "version": VERSION,
        "title": model.config.title,
        "home_page_url": site.url(""),
        "feed_url": site.url("feed.json"),
        "language": model.config.language,
        "authors": [{"name": model.community.name, "url": site.url("")}],
        "items": [_item(site, item) for item in items],
    }
    description = model.community.tagline or model.config.description
    if description:
        feed["description"] = description
    return json.dumps(feed, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
