"""Files the wider ecosystem already uses: `.github/FUNDING.yml` and `CITATION.cff`.

They follow other projects' formats, so they are read leniently (a problem is a warning, never
a failed build) but just as safely: the same YAML loader, and only http(s) links kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from value.inputs import ALL_CONTRIBUTORS_PATH, CITATION_PATH, FUNDING_PATH

from ..errors import Findings
from ..model import Link
from ..render.markdown import is_safe_link
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
    released: str = ""
    doi: str = ""
    url: str = ""
    message: str = ""

    def text(self) -> str:
        """An APA-like one-line citation."""
        year = f" ({self.released[:4]})" if self.released else ""
        version = f" (version {self.version})" if self.version else ""
        where = f" https://doi.org/{self.doi}" if self.doi else (f" {self.url}" if self.url else "")
        return f"{', '.join(self.authors)}{year}. {self.title}{version}.{where}".strip()


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


def citation(text: str | None, findings: Findings) -> Citation | None:
    if not text:
        return None
    doc, _problems = load_yaml(text, CITATION_PATH)
    data = doc.data if doc else None
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not isinstance(data.get("authors"), list):
        findings.warning(CITATION_PATH, 1, 1, "is not a valid citation file (needs at least 'title' and 'authors'): not shown")
        return None
    authors = []
    for a in data["authors"]:
        if not isinstance(a, dict):
            continue
        # Only names: CFF allows an author's e-mail, which must never reach the site.
        name = " ".join(str(a[k]) for k in ("given-names", "family-names") if isinstance(a.get(k), str))
        name = name or (a.get("name") if isinstance(a.get("name"), str) else "")
        if name:
            authors.append(name)
    url = data.get("url") if isinstance(data.get("url"), str) and str(data.get("url")).startswith("https://") else ""
    return Citation(
        title=data["title"],
        authors=tuple(authors),
        version=str(data.get("version", "")),
        released=str(data.get("date-released", "")),
        doi=str(data.get("doi", "")) if isinstance(data.get("doi"), str) else "",
        url=url,
        message=data.get("message", "") if isinstance(data.get("message"), str) else "",
    )


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


def recognition(text: str | None, findings: Findings, handles) -> dict[str, tuple[str, ...]]:
    """Contribution types per member, from All Contributors' file (logins matched to handles)."""
    if not text:
        return {}
    import json

    try:
        data = json.loads(text)
    except ValueError:
        findings.warning(ALL_CONTRIBUTORS_PATH, 1, 1, "is not valid JSON: recognition types are left out")
        return {}
    people = data.get("contributors") if isinstance(data, dict) else None
    result: dict[str, tuple[str, ...]] = {}
    for entry in people if isinstance(people, list) else ():
        if not isinstance(entry, dict):
            continue
        login = str(entry.get("login", "")).lower()
        types = entry.get("contributions")
        if login in handles and isinstance(types, list):
            result[login] = tuple(sorted({str(t) for t in types if isinstance(t, str)}))
    return result
