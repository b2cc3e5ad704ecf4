"""Files the wider ecosystem already uses: `.github/FUNDING.yml`, `CITATION.cff`, `.all-contributorsrc`
(CODEOWNERS has a module of its own).

They follow other projects' formats, so they are read leniently (a problem is a warning, never
a failed build) but just as safely: the same YAML loader, and only http(s) links kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from value.inputs import ALL_CONTRIBUTORS_PATH, CITATION_PATH, FUNDING_PATH

from ..errors import Findings
from ..model import Link
from ..render.markdown import is_safe_link
from .logins import LoginIndex
from .yamlsafe import load_yaml

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


@dataclass(frozen=True)
class Citation:
    title: str
    authors: tuple[str, ...]
    version: str = ""
    released: str = ""  # a date or a year: the year is what the text shows
    doi: str = ""
    url: str = ""
    message: str = ""
    journal: str = ""  # where a preferred citation was published (journal, proceedings, publisher)
    volume: str = ""
    issue: str = ""
    pages: str = ""

    def text(self) -> str:
        """An APA-like one-line citation."""
        year = f" ({self.released[:4]})" if self.released else ""
        version = f" (version {self.version})" if self.version else ""
        where = f" https://doi.org/{self.doi}" if self.doi else (f" {self.url}" if self.url else "")
        venue = ""
        if self.journal:
            venue = f" {self.journal}"
            venue += f", {self.volume}" if self.volume else ""
            venue += f"({self.issue})" if self.issue else ""
            venue += f", {self.pages}" if self.pages else ""
            venue += "."
        return f"{', '.join(self.authors)}{year}. {self.title}{version}.{venue}{where}".strip()


def _names(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if isinstance(v, (str, int)) and str(v).strip()]


def _handle_ok(name: str) -> bool:
    return all(c.isalnum() or c in "-_." for c in name) and not name.startswith(".")


def funding_links(text: str | None, findings: Findings) -> tuple[Link, ...]:
    if not text:
        return ()
    doc, problems = load_yaml(text, FUNDING_PATH)
    if doc is None or not isinstance(doc.data, dict):
        findings.warning(FUNDING_PATH, 1, 1, "could not be read as a funding file: funding links are left out")
        return ()
    links = []
    for key in sorted(doc.data):
        if key == "custom":
            for url in _names(doc.data[key]):
                if url.startswith(("https://", "http://")) and is_safe_link(url):
                    links.append(Link(url.split("://", 1)[1].rstrip("/"), url))
            continue
        if key not in FUNDING_PLATFORMS:
            continue
        label, pattern = FUNDING_PLATFORMS[key]
        for name in _names(doc.data[key]):
            if _handle_ok(name):
                links.append(Link(label, pattern.format(name)))
    return tuple(links)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return str(value).strip() if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) else ""


def _authors(items) -> tuple[str, ...]:
    authors = []
    for a in items if isinstance(items, list) else ():
        if not isinstance(a, dict):
            continue
        # Only names: CFF allows an author's e-mail, which must never reach the site.
        name = " ".join(_text(a, k) for k in ("given-names", "name-particle", "family-names", "name-suffix") if _text(a, k))
        name = name or _text(a, "name")
        if name:
            authors.append(name)
    return tuple(authors)


def _reference(data: dict, message: str) -> Citation:
    """A CFF reference (the root, or its `preferred-citation`) as the citation the site shows."""
    url = _text(data, "url")
    pages = "–".join(p for p in (_text(data, "start"), _text(data, "end")) if p) or _text(data, "pages")
    venue = data.get("journal") or data.get("conference") or data.get("publisher") or ""
    if isinstance(venue, dict):  # conference and publisher are entities: {name: ...}
        venue = _text(venue, "name")
    return Citation(
        title=_text(data, "title"),
        authors=_authors(data.get("authors")),
        version=_text(data, "version"),
        released=_text(data, "date-released") or _text(data, "date-published") or _text(data, "year"),
        doi=_text(data, "doi"),
        url=url if url.startswith("https://") and is_safe_link(url) else "",
        message=message,
        journal=venue if isinstance(venue, str) else "",
        volume=_text(data, "volume"),
        issue=_text(data, "issue"),
        pages=pages,
    )


def citation(text: str | None, findings: Findings) -> Citation | None:
    """The citation CITATION.cff asks for: its `preferred-citation` when it has a usable one (as
    GitHub's "Cite this repository" does: the paper rather than the software), else the file's own."""
    if not text:
        return None
    doc, _problems = load_yaml(text, CITATION_PATH)
    data = doc.data if doc else None
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not isinstance(data.get("authors"), list):
        findings.warning(CITATION_PATH, 1, 1, "is not a valid citation file (needs at least 'title' and 'authors'): not shown")
        return None
    message = data.get("message", "") if isinstance(data.get("message"), str) else ""
    preferred = data.get("preferred-citation")
    if preferred is not None:
        chosen = _reference(preferred, message) if isinstance(preferred, dict) else None
        if chosen and chosen.title and chosen.authors:
            return chosen
        line, col = doc.where(("preferred-citation",), key=True)
        findings.warning(CITATION_PATH, line, col, "'preferred-citation' needs at least 'title' and 'authors' "
                                                   "(each with a name): the file's own citation is shown instead")
    return _reference(data, message)


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


def recognition(text: str | None, findings: Findings, logins: LoginIndex) -> dict[str, tuple[str, ...]]:
    """Contribution types per member, from All Contributors' file: each entry's `login` is a
    login on the file's forge (`repoType`: github, the default, or gitlab), matched to the member
    who declares it (see load/logins.py)."""
    if not text:
        return {}
    import json

    try:
        data = json.loads(text)
    except ValueError:
        findings.warning(ALL_CONTRIBUTORS_PATH, 1, 1, "is not valid JSON: recognition types are left out")
        return {}
    people = data.get("contributors") if isinstance(data, dict) else None
    forge = "gitlab" if isinstance(data, dict) and data.get("repoType") == "gitlab" else "github"
    found: dict[str, set[str]] = {}
    for entry in people if isinstance(people, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("login"), str):
            continue
        handle = logins.member(forge, entry["login"])
        types = entry.get("contributions")
        if handle and isinstance(types, list):
            found.setdefault(handle, set()).update(str(t) for t in types if isinstance(t, str))
    return {handle: tuple(sorted(types)) for handle, types in sorted(found.items())}
