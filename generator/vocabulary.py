"""Display names of the CBPP areas of activity (the schema holds the slugs) and of members' roles,
and the ledger's income and spending kinds (defined in value.money, which the engine reads)."""

import re

from value.money import INCOME_KINDS, SPENDING_KINDS  # noqa: F401 (the ledger's kinds, one home: value/)

AREAS = {
    "floss": "Free/libre and open source software",
    "community-networks": "Community networks",
    "collaborative-writing": "Collaborative writing",
    "p2p-file-sharing": "P2P file sharing",
    "hacklabs-and-collaborative-spaces": "Hacklabs and collaborative spaces",
    "collaborative-filtering": "Collaborative filtering",
    "collaborative-video-audio-images": "Collaborative video, audio and images",
    "collaborative-research": "Collaborative research",
    "collaborative-consumption": "Collaborative consumption",
    "collaborative-mapping": "Collaborative mapping",
    "open-technology": "Open technology",
    "collaborative-archive": "Collaborative archive",
    "urban-commons": "Urban commons",
    "open-hardware": "Open hardware",
    "open-education": "Open education",
    "p2p-economy": "P2P economy",
    "citizen-media": "Citizen media",
    "internet-of-things": "Internet of things",
    "p2p-currency": "P2P currency",
    "internet-protocol": "Internet protocol",
    "open-science": "Open science",
    "free-software-social-networks": "Free software social networks",
    "peer-funding": "Peer funding",
    "open-design": "Open design",
    "citizen-science": "Citizen science",
    "gaming-communities": "Gaming communities",
    "open-data-commons": "Open data commons",
    "other": "Other",
}


def area_label(slug: str) -> str:
    return AREAS.get(slug, slug)


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def role_label(role: str) -> str:
    """A member's role as words: a slug ("tile-server-maintainer") becomes "Tile server maintainer";
    a role written in words is shown as written."""
    if not _SLUG.fullmatch(role):
        return role
    words = re.sub(r"[-_]+", " ", role)
    return words[:1].upper() + words[1:]
