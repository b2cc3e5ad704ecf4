"""The site's main menu: the sections this site has, then the free pages that ask to be in it."""

from __future__ import annotations

from .context import SiteContext


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
