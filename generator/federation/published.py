"""What a node publishes about its federation: `data/federation.json`, the declared peers and
where their portals are, so that a directory node can discover peers of peers (portals.py reads
the same document from a peer's portal)."""

from __future__ import annotations

from .addresses import address_problem

FEDERATION_SCHEMA = "commonplace.federation/1"


def federation_document(peers: list[dict], own_portal: str = "") -> dict:
    """`data/federation.json`: {"schema", "portal": this node's address ("" when unknown),
    "peers": [{"name", "title", "relation", "mode", "url", "portal"}]}, the declared peers in
    declared order. `url` is the public (https) address declared, `portal` the address of the
    peer's published portal, where a node discovering peers of peers reads `data/`."""
    keys = ("name", "title", "relation", "mode", "url", "portal")
    return {"schema": FEDERATION_SCHEMA, "portal": own_portal,
            "peers": [{k: str(p.get(k) or "") for k in keys} for p in peers]}


def published_peers(federation) -> list[dict]:
    """The declared peers of a `nodes.Federation` as `data/federation.json` lists them: name,
    title, relation, mode, the public (https) address declared and the address of the peer's
    portal, when known."""
    return [{"name": n.name, "title": n.title, "relation": n.relation, "mode": n.mode, "url": n.url,
             "portal": n.portal if n.portal and not address_problem(n.portal) else ""}
            for n in federation.nodes]
