"""The site's main menu: the sections this site has, then the free pages that ask to be in it."""

from __future__ import annotations

from markupsafe import Markup, escape

from .context import SiteContext

# The menu's HTML by (its items, the page's folder depth, the items it is in): a site of
# thousands of pages has a few dozen different menus.
_LINKS: dict[tuple, Markup] = {}


def nav_links(items, root: str, path: str) -> Markup:
    """The menu's list (the `nav_links` filter of base.html): each item's link from a page at
    `root`, marked as the current page where the page's path is in the item's section."""
    current = tuple(i for i, (_label, target) in enumerate(items) if path.startswith(target))
    key = (tuple(map(tuple, items)), root, current)
    made = _LINKS.get(key)
    if made is None:
        lines = ["      <ul>\n"]
        for i, (label, target) in enumerate(items):
            mark = ' aria-current="page"' if i in current else ""
            lines.append(f'        <li><a href="{escape(root)}{escape(target)}"{mark}>{escape(label)}</a></li>\n')
        lines.append("      </ul>\n")
        made = _LINKS[key] = Markup("".join(lines))
    return made


def navigation(site: SiteContext) -> list[tuple[str, str]]:
    _ = site.catalogue.gettext
    items = [(_("Members"), "members/"), (_("Projects"), "projects/"), (_("Events"), "events/")]
    if site.report:
        items.append((_("Value"), "value/"))
    items.append((_("Ledger"), "ledger/"))
    if site.model.rewards:
        items.append((_("Rewards"), "rewards/"))
    if site.federation is not None:
        items.append((_("Federation"), "federation/"))
        items.append((_("Directory"), "directory/"))
    if site.search:
        items.append((_("Search"), "search/"))
    pages = sorted((p for p in site.model.pages.values() if p.menu), key=lambda p: (p.order, p.title, p.slug))
    return items + [(p.title, f"{p.slug}/") for p in pages]
