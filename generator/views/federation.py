"""The federation as pages: each peer's relation with this node, and a directory of communities."""

from __future__ import annotations

from value.identities import slugify

from ..federation import Federation, directory_rows, rows_by_area
from ..federation.addresses import address_problem
from ..i18n import Catalogue, english
from ..model import Model
from ..people import People, pseudonym
from ..vocabulary import area_label
from .contributors import DIMENSION_TITLES, format_figure

# One headline figure per dimension for the side-by-side directory.
HEADLINES = (
    ("community_building", "active_contributors", "people", "Active contributors"),
    ("objective_accomplishment", "commits", "commits", "Commits"),
    ("monetary_value", "income", "currency", "Income"),
    ("social_use_value", "downloads", "downloads", "Downloads"),
    ("reputation", "kudos", "kudos", "Kudos"),
)


class FederationView:
    def __init__(self, model: Model, people: People, federation: Federation, own_dimensions: dict | None,
                 catalogue: Catalogue | None = None, own_risks: int | None = None):
        self.catalogue = catalogue or english()
        self.model = model
        self.people = people
        self.federation = federation
        self.salt = model.community.name
        self.rows = directory_rows(federation, model, own_dimensions, own_risks)
        # this node's people with a commit (the onion's), beside the federation's commit authors
        roles = ((own_dimensions or {}).get("community_building") or {}).get("roles") or {}
        self.committers = sum(roles.get(r) or 0 for r in ("core", "regular", "casual")) if roles else None

    def author(self, author) -> str | None:
        """The name to show for a commit author; None for a hidden member."""
        if author.visibility == "hidden":
            return None
        if author.member:
            own = self.people.get(author.member)
            if own is not None:
                return own.name
            if self.people.is_hidden(author.member):
                return None
            if author.visibility == "pseudonymous":
                return pseudonym(author.member, self.salt)
            return author.name
        if self.model.config.non_members == "pseudonym" or "@" in author.name:
            return pseudonym(slugify(author.name), self.salt)
        return author.name

    def authors(self, authors) -> dict:
        shown = sorted((name, a.commits) for a in authors if (name := self.author(a)))
        hidden = sum(a.commits for a in authors if self.author(a) is None)
        return {"shown": shown, "hidden": hidden}

    def page(self) -> dict:
        """The public side of the federation: each peer that could be read, as of the commit
        read. A peer not fetched yet, or whose data has problems, is left out; what went wrong
        is the operator's business and goes to the build log (the federation's warnings)."""
        nodes = []
        for node in self.federation.ok_nodes:
            flow = node.flow
            nodes.append({
                "node": node,
                "as_of": node.as_of,
                "flow": flow,
                "flowed": self.authors(flow.flowed_authors) if flow else None,
                "only": self.authors(flow.only_in_fork_authors) if flow else None,
                "merges": fork_merges(flow),
                "figures": self.figures(node.dimensions) if node.mode == "data" else [],
                "open_data": open_data_address(node.portal) if node.mode == "data" else "",
            })
        shared = self.federation.shared
        return {
            # the nodes' names in the shared-history table: a peer's title, this node's own name
            "titles": {n.name: n.title or n.name for n in self.federation.nodes},
            "nodes": nodes,
            "declared": bool(self.federation.nodes),
            "shared": shared,
            "shared_people": self.authors(shared.contributors) if shared else None,
            "committers": self.committers,
            "headlines": [(d, key, unit, self.catalogue.gettext(label)) for d, key, unit, label in HEADLINES],
            "rows": self.rows,
            "areas": sorted(rows_by_area(self.rows)),
        }

    def figures(self, dimensions: dict) -> list[tuple[str, str]]:
        """(name, figure) of the directory's headline figures a peer publishes (the others left out)."""
        _ = self.catalogue.gettext
        found = []
        for dimension, key, unit, label in HEADLINES:
            value = (dimensions.get(dimension) or {}).get(key)
            if value is not None and value != {}:
                found.append((_(label), format_figure(value, unit, self.catalogue)))
        return found

    def headline(self, row: dict) -> list[str]:
        figures = []
        for dimension, key, unit, _label in HEADLINES:
            value = row["dimensions"].get(dimension, {}).get(key)
            figures.append(format_figure(value, unit, self.catalogue) if value is not None else "—")
        return figures

    def directory(self) -> list[tuple[str, str, list[dict]]]:
        """(area slug or "", title, rows): the whole directory, then one list per area."""
        _ = self.catalogue.gettext
        pages = [("", _("Directory of communities"), self.rows)]
        for area, rows in rows_by_area(self.rows).items():
            pages.append((area, _("Communities in {area}", area=_(area_label(area)).lower()), rows))
        return pages


def open_data_address(portal: str) -> str:
    """The address of a published portal's open data page, or "" for an address not to link to."""
    if not portal or address_problem(portal):
        return ""
    return portal.rstrip("/") + "/data/"


def fork_merges(flow) -> tuple[str, int] | None:
    """("ahead" or "behind", merge commits) of an upstream/fork pair: the fork's side of ahead /
    behind counts merges (as git does), "only in the fork" leaves them out; the two are the same
    commits otherwise, so the merges are what tells them apart. None for any other relation."""
    if not flow or not flow.related or not flow.upstream:
        return None
    side = "behind" if flow.upstream == "peer" else "ahead"  # the fork's own commits, seen from the upstream
    total = flow.behind if side == "behind" else flow.ahead
    return side, max(0, total - len(flow.only_in_fork))


__all__ = ["FederationView", "DIMENSION_TITLES"]
