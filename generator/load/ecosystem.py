"""Files the wider ecosystem already uses: `.github/FUNDING.yml`, `CITATION.cff`, `.all-contributorsrc`
(CODEOWNERS has a module of its own).

They follow other projects' formats, so they are read leniently (a problem is a warning, never
a failed build) but just as safely: the same YAML loader, and only http(s) links kept. Whatever
they hold, nothing in them that looks like an e-mail address is kept (a text or link with one is
left out, with a warning at its line; an author's name loses the address written beside it),
and no text kept is longer than MAX_TEXT.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from value.paths import ALL_CONTRIBUTORS_PATH, CITATION_PATH, FUNDING_PATH

from ..errors import Findings
from ..links import is_safe_link
from ..model import Link
from ..vocabulary import FUNDING_PLATFORMS
from .logins import LoginIndex
from .yamlsafe import YamlDoc, load_yaml

# An e-mail address, bare or in a link (`mailto:a@b.org`, `https://x.org/?to=a@b.org`,
# `https://user@host.org/`): a local part, "@", and a domain with at least one dot. An npm scope
# in a path (`packages/@babel/core`) has no dot after its "@" and is not one.
ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NAMED_ADDRESS = re.compile(r"\s*(?:<\s*(?:mailto:)?[^<>]*@[^<>]*>|\(\s*(?:mailto:)?[^()]*@[^()]*\)|(?:mailto:)?"
                            + ADDRESS.pattern + ")")
MAX_TEXT = 1000  # a title, a name or a message: longer is not one
NO_ADDRESS = "holds an e-mail address, and addresses are never published"


def has_address(text: str) -> bool:
    return "@" in text and ADDRESS.search(text) is not None


def without_addresses(name: str) -> str:
    """A name with the addresses written in or beside it removed: "Ann <ann@example.org>" → "Ann"."""
    return " ".join(_NAMED_ADDRESS.sub(" ", name).split())


def _unreadable(rel: str, problems: list, findings: Findings, left_out: str) -> None:
    """A YAML file that could not be used: the loader's findings, as warnings at their lines."""
    for problem in problems or [None]:
        line, col, why = (problem.line, problem.col, problem.message) if problem else (1, 1, "not a mapping of keys")
        findings.warning(rel, line, col, f"{why}: {left_out}")


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
    if doc is None or not isinstance(doc.data, dict) or any(p.severity == "error" for p in problems):
        _unreadable(FUNDING_PATH, problems, findings, "funding links are left out")
        return ()
    links = []
    for key in sorted(doc.data, key=str):
        if key == "custom":
            urls = doc.data[key]
            for i, url in enumerate(urls if isinstance(urls, list) else [urls]):
                if not isinstance(url, str) or not url.strip():
                    continue
                line, col = doc.where(("custom", i) if isinstance(urls, list) else ("custom",))
                if has_address(url):
                    findings.warning(FUNDING_PATH, line, col, f"this link {NO_ADDRESS}: left out")
                elif len(url) > MAX_TEXT or not url.startswith(("https://", "http://")) or not is_safe_link(url):
                    findings.warning(FUNDING_PATH, line, col, "only https:// and http:// links are shown: left out")
                else:
                    links.append(Link(url.split("://", 1)[1].rstrip("/"), url))
            continue
        if key not in FUNDING_PLATFORMS:
            continue
        label, pattern = FUNDING_PLATFORMS[key]
        for name in _names(doc.data[key]):
            if _handle_ok(name):
                links.append(Link(label, pattern.format(name)))
    return tuple(links)


class _Texts:
    """The texts of CITATION.cff the site may show: plain text, no address, at most MAX_TEXT long;
    anything else is left out with a warning at its line."""

    def __init__(self, doc: YamlDoc, findings: Findings):
        self.doc, self.findings = doc, findings

    def warn(self, path: tuple, message: str) -> None:
        line, col = self.doc.where(path)
        self.findings.warning(CITATION_PATH, line, col, message)

    def text(self, data: dict, path: tuple, key: str) -> str:
        value = data.get(key)
        if not isinstance(value, (str, int, Decimal)) or isinstance(value, bool):
            return ""
        text = str(value).strip()
        if has_address(text):
            self.warn(path + (key,), f"'{key}' {NO_ADDRESS}: left out")
            return ""
        if len(text) > MAX_TEXT:
            self.warn(path + (key,), f"'{key}' is longer than {MAX_TEXT} characters: left out")
            return ""
        return text

    def person_name_part(self, data: dict, path: tuple, key: str) -> str:
        """A name part, the address written beside it removed (CFF has `email` for that)."""
        value = data.get(key)
        if isinstance(value, str) and has_address(value):
            self.warn(path + (key,), f"'{key}' {NO_ADDRESS}: the name is shown without it")
            data = {key: without_addresses(value)}
        return self.text(data, path, key)

    def authors(self, items, path: tuple) -> tuple[str, ...]:
        authors = []
        for i, a in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(a, dict):
                continue
            # Only names: CFF allows an author's e-mail, which must never reach the site.
            parts = (self.person_name_part(a, path + (i,), k) for k in ("given-names", "name-particle", "family-names", "name-suffix"))
            name = " ".join(p for p in parts if p) or self.person_name_part(a, path + (i,), "name")
            if name:
                authors.append(name)
        return tuple(authors)

    def reference(self, data: dict, path: tuple, message: str) -> Citation:
        """A CFF reference (the root, or its `preferred-citation`) as the citation the site shows."""
        text = lambda key, where=data, at=path: self.text(where, at, key)  # noqa: E731
        url = text("url")
        pages = "–".join(p for p in (text("start"), text("end")) if p) or text("pages")
        key = next((k for k in ("journal", "conference", "publisher") if data.get(k)), "")
        venue = ""
        if isinstance(data.get(key), dict):  # conference and publisher are entities: {name: ...}
            venue = text("name", data[key], path + (key,))
        elif key:
            venue = text(key)
        return Citation(
            title=text("title"),
            authors=self.authors(data.get("authors"), path + ("authors",)),
            version=text("version"),
            released=text("date-released") or text("date-published") or text("year"),
            doi=text("doi"),
            url=url if url.startswith("https://") and is_safe_link(url) else "",
            message=message,
            journal=venue,
            volume=text("volume"),
            issue=text("issue"),
            pages=pages,
        )


def citation(text: str | None, findings: Findings) -> Citation | None:
    """The citation CITATION.cff asks for: its `preferred-citation` when it has a usable one (as
    GitHub's "Cite this repository" does: the paper rather than the software), else the file's own."""
    if not text:
        return None
    doc, problems = load_yaml(text, CITATION_PATH)
    if doc is None or any(p.severity == "error" for p in problems):
        _unreadable(CITATION_PATH, problems, findings, "the citation is not shown")
        return None
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not isinstance(data.get("authors"), list):
        findings.warning(CITATION_PATH, 1, 1, "is not a valid citation file (needs at least 'title' and 'authors'): not shown")
        return None
    texts = _Texts(doc, findings)
    message = texts.text(data, (), "message") if isinstance(data.get("message"), str) else ""
    preferred = data.get("preferred-citation")
    if preferred is not None:
        chosen = texts.reference(preferred, ("preferred-citation",), message) if isinstance(preferred, dict) else None
        if chosen and chosen.title and chosen.authors:
            return chosen
        line, col = doc.where(("preferred-citation",), key=True)
        findings.warning(CITATION_PATH, line, col, "'preferred-citation' needs at least 'title' and 'authors' "
                                                   "(each with a name): the file's own citation is shown instead")
    chosen = texts.reference(data, (), message)
    if not chosen.title or not chosen.authors:
        findings.warning(CITATION_PATH, 1, 1, "has no 'title' or no author the site can show: not shown")
        return None
    return chosen


# What a contribution type of All Contributors looks like (its own are camelCase words): a type
# is shown as written, so nothing else is.
CONTRIBUTION_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def recognition(text: str | None, findings: Findings, logins: LoginIndex) -> dict[str, tuple[str, ...]]:
    """Contribution types per member, from All Contributors' file: each entry's `login` is a
    login on the file's forge (`repoType`: github, the default, or gitlab), matched to the member
    who declares it (see load/logins.py)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: arrays nested thousands deep
        line, col = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (1, 1)
        findings.warning(ALL_CONTRIBUTORS_PATH, line, col, "is not valid JSON: recognition types are left out")
        return {}
    people = data.get("contributors") if isinstance(data, dict) else None
    forge = "gitlab" if isinstance(data, dict) and data.get("repoType") == "gitlab" else "github"
    found: dict[str, set[str]] = {}
    odd: set[str] = set()
    for entry in people if isinstance(people, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("login"), str):
            continue
        handle = logins.member(forge, entry["login"])
        types = entry.get("contributions")
        if handle and isinstance(types, list):
            for kind in types:
                if isinstance(kind, str) and CONTRIBUTION_TYPE.fullmatch(kind):
                    found.setdefault(handle, set()).add(kind)
                elif isinstance(kind, str):
                    odd.add(kind)
    if odd:  # JSON has no lines to point at: the type is named, unless it would show an address
        first = sorted(odd)[0]
        named = f" ('{first}')" if len(first) <= 40 and "@" not in first and first.isprintable() else ""
        findings.warning(ALL_CONTRIBUTORS_PATH, 1, 1, f"{len(odd)} contribution type(s){named} left out: a type "
                                                      "is a word such as 'code' or 'doc'")
    return {handle: tuple(sorted(types)) for handle, types in sorted(found.items())}
