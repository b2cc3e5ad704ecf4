"""Display names of the CBPP areas of activity (the schema holds the slugs) and of members' roles,
and the ledger's income and spending kinds (defined in value.money, which the engine reads)."""

import re

from value.money import INCOME_KINDS, OPENING_KINDS, SPENDING_KINDS  # noqa: F401 (the ledger's kinds, one home: value/)

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


# All Contributors' contribution types (the keys its file uses) and the words the theme shows for
# them; a type not listed here is shown as written.
CONTRIBUTION_TYPES = {
    "a11y": "Accessibility",
    "audio": "Audio",
    "blog": "Blog posts",
    "bug": "Bug reports",
    "business": "Business development",
    "code": "Code",
    "content": "Content",
    "data": "Data",
    "design": "Design",
    "doc": "Documentation",
    "eventOrganizing": "Event organising",
    "example": "Examples",
    "financial": "Financial support",
    "fundingFinding": "Finding funding",
    "ideas": "Ideas and planning",
    "infra": "Infrastructure",
    "maintenance": "Maintenance",
    "mentoring": "Mentoring",
    "platform": "Porting",
    "plugin": "Plugins",
    "projectManagement": "Project management",
    "promotion": "Promotion",
    "question": "Answering questions",
    "research": "Research",
    "review": "Reviews",
    "security": "Security",
    "talk": "Talks",
    "test": "Tests",
    "tool": "Tools",
    "translation": "Translation",
    "tutorial": "Tutorials",
    "userTesting": "User testing",
    "video": "Videos",
}


# The platforms `.github/FUNDING.yml` names, by key: the name shown and the address of an account.
FUNDING_PLATFORMS = {
    "github": ("GitHub Sponsors", "https://github.com/sponsors/{}"),
    "patreon": ("Patreon", "https://www.patreon.com/{}"),
    "open_collective": ("Open Collective", "https://opencollective.com/{}"),
    "ko_fi": ("Ko-fi", "https://ko-fi.com/{}"),
    "liberapay": ("Liberapay", "https://liberapay.com/{}"),
    "tidelift": ("Tidelift", "https://tidelift.com/funding/github/{}"),
    "community_bridge": ("LFX Crowdfunding", "https://crowdfunding.lfx.linuxfoundation.org/projects/{}"),
    "issuehunt": ("IssueHunt", "https://issuehunt.io/r/{}"),
    "polar": ("Polar", "https://polar.sh/{}"),
    "buy_me_a_coffee": ("Buy Me a Coffee", "https://www.buymeacoffee.com/{}"),
    "thanks_dev": ("thanks.dev", "https://thanks.dev/{}"),
}
