"""The site's main menu: the sections this site has, then the free pages that ask to be in it,
folded under one "About" entry when there are several, so the menu holds one line on a desktop."""

from __future__ import annotations

from markupsafe import Markup, escape

from .context import SiteContext

# The menu's HTML by (its items, the page's folder depth, the items it is in, folded or not): a
# site of thousands of pages has a few dozen different menus.
_LINKS: dict[tuple, Markup] = {}


def _link(root: str, label: str, target: str, current: bool, indent: str) -> str:
    mark = ' aria-current="page"' if current else ""
    return f'{indent}<li><a href="{escape(root)}{escape(target)}"{mark}>{escape(label)}</a></li>\n'


def nav_links(items, root: str, path: str, folded: bool = True) -> Markup:
    """The menu's list (the `nav_links` filter of base.html): each item's link from a page at
    `root`, marked as the current page where the page's path is in the item's section. An item
    `(label, None, pages)` is a group: `folded`, a disclosure (`<details>`, no script) holding its
    pages' links, for a wide screen; otherwise its links in line, for the phone's menu."""
    items = tuple((i[0], i[1], tuple(i[2]) if len(i) > 2 else ()) for i in items)
    targets = [target for _label, target, pages in items for target in ([target] if target is not None
                                                                          else [page for _title, page in pages])]
    current = frozenset(t for t in targets if path.startswith(t))
    key = (items, root, current, folded)
    made = _LINKS.get(key)
    if made is None:
        lines = ["      <ul>\n"]
        for label, target, pages in items:
            if target is not None:
                lines.append(_link(root, label, target, target in current, "        "))
            elif not folded:
                lines.extend(_link(root, title, page, page in current, "        ") for title, page in pages)
            else:
                here = ' class="current"' if any(page in current for _title, page in pages) else ""
                lines.append(f'        <li class="nav-group"><details><summary{here}>{escape(label)}</summary>\n'
                             '          <ul>\n')
                lines.extend(_link(root, title, page, page in current, "            ") for title, page in pages)
                lines.append("          </ul>\n        </details></li>\n")
        lines.append("      </ul>\n")
        made = _LINKS[key] = Markup("".join(lines))
    return made


def navigation(site: SiteContext) -> list[tuple]:
    """The menu's items: `(label, site path)` for a section or a page, and `(label, None, ((title,
    path), ...))` for the free pages folded together."""
    _ = site.catalogue.gettext
    items: list[tuple] = [(_("Members"), "members/"), (_("Projects"), "projects/"), (_("Events"), "events/")]
    if site.model.decisions:
        items.append((_("Decisions"), "decisions/"))
    if site.report:
        items.append((_("Value"), "value/"))
    items.append((_("Ledger"), "ledger/"))
    if site.model.rewards:
        items.append((_("Rewards"), "rewards/"))
    items.append((_("Sustainability"), "sustainability/"))
    if site.federation is not None:
        items.append((_("Federation"), "federation/"))
        items.append((_("Directory"), "directory/"))
    if site.search:
        items.append((_("Search"), "search/"))
    pages = sorted((p for p in site.model.pages.values() if p.menu), key=lambda p: (p.order, p.title, p.slug))
    links = tuple((p.title, f"{p.slug}/") for p in pages)
    if len(links) > 1:
        items.append((_("About"), None, links))
    else:
        items.extend(links)
    return items
