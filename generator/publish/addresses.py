"""No member's or commit author's e-mail address reaches the site: the last check before publishing.

Templates never see the addresses of member files (`people`), but an address can still be typed
into a page, a front matter, a data file or a theme template, or be a commit author's name. So
every file the build made is read for the addresses it knows (those the member files list and
those the history's authors, co-authors and reviewers used) before anything is written; one found
stops the build, and the finding names the source file and line that put it there (found by
reading the community's own files for it), or the built file when no source writes it. The one
address that may be published is the community's own `contact: mailto:...` in community.yaml.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import Finding, Findings
from ..load.listing import INPUT_FILES, INPUT_FOLDERS
from ..load.reader import FileReader, read_file

# Wide enough for any address git or a member file holds; lower-cased before comparing.
_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
# Ways a page may write "@" that a reader's browser shows as "@" all the same.
_AT_FORMS = ("&#64;", "&#x40;", "&#X40;", "%40", "\\u0040", "&commat;")
# Text files of the site; binary assets (images, fonts, the search bundle's compressed files) hold
# no text that a template or the data wrote.
_TEXT = (".html", ".xml", ".json", ".csv", ".txt", ".js", ".css", ".svg", ".webmanifest", ".md", ".ics")
FIX = ("e-mail addresses are never published (the community's own `contact: mailto:` in community.yaml is the "
       "one exception): remove it, or write the contact address")


def known_addresses(model, report, federation=None) -> dict[str, str]:
    """address (lower-case) -> whose it is, as a finding says it: every member file's and every
    address in the history's people, and those git peers' member files and histories hold (a
    data-mode peer's are not known: what it sends is scrubbed instead, see federation/scrub.py),
    less the community's own contact."""
    known: dict[str, str] = {}
    for node in getattr(federation, "nodes", None) or ():
        for address in sorted(node.addresses):
            known.setdefault(address, f"someone of peer '{node.name}'")
    for person in (report.contributors + report.bots if report is not None else []):
        for address in person.get("emails") or ():
            known.setdefault(address.strip().lower(), "a commit author")
    for handle, member in sorted(model.members.items()):
        for address in member.emails:
            known[address.strip().lower()] = f"member '{handle}'"
    contact = (model.community.contact if model.community else "") or ""
    if contact.lower().startswith("mailto:"):
        known.pop(contact[7:].split("?")[0].strip().lower(), None)
    known.pop("", None)
    return known


def _normal(text: str) -> str:
    for form in _AT_FORMS:
        if form in text:
            text = text.replace(form, "@")
    return text


def found_in(text: str, known: dict[str, str]):
    """(line, col, address) of each known address in `text`, 1-based."""
    text = _normal(text)
    if "@" not in text:
        return
    line, start = 1, 0
    for match in _ADDRESS.finditer(text):
        hit = match.group(0).strip(".").lower()
        if hit not in known:
            continue
        line += text.count("\n", start, match.start())
        start = match.start()
        yield line, match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1, hit


def _source_files(root: Path) -> list[str]:
    """The community's own files a build reads (relative paths), symbolic links left out."""
    rels = [rel for rel in INPUT_FILES if (root / rel).is_file() and not (root / rel).is_symlink()]
    for folder in INPUT_FOLDERS:
        for top, dirs, files in os.walk(root / folder):
            dirs[:] = sorted(d for d in dirs if not (Path(top) / d).is_symlink())
            for name in sorted(files):
                path = Path(top) / name
                if not path.is_symlink():
                    rels.append(path.relative_to(root).as_posix())
    return rels


def _listed_lines(rel: str, text: str) -> set[int]:
    """The lines of a member file that list its own addresses (`emails:`), where they belong."""
    if not rel.startswith("members/"):
        return set()
    lines, inside = set(), False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"emails\s*:", line):
            inside = True
            lines.add(number)
        elif inside and (line.startswith((" ", "-", "\t")) or not line.strip() or line.lstrip().startswith("#")):
            lines.add(number)
        else:
            inside = False
    return lines


def published_addresses(root: Path, files: dict[str, bytes], known: dict[str, str],
                        skip: frozenset[str] = frozenset()) -> list[Finding]:
    """An error for each source line that puts a known address into the site (or for the built
    file, when none does); no finding when the site holds none. `skip`: files known to hold none."""
    if not known:
        return []
    outputs: dict[str, list[str]] = {}  # address -> built files holding it
    first: dict[str, tuple[str, int, int]] = {}  # address -> where in a built file
    for rel in sorted(files):
        if not rel.endswith(_TEXT) or rel in skip:
            continue
        data = files[rel]
        if rel.endswith(".ics"):  # a folded line may cut an address in two: read it unfolded
            data = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        if b"@" not in data and b"&#" not in data and b"%40" not in data and b"0040" not in data and b"&commat" not in data:
            continue
        for line, col, address in found_in(data.decode("utf-8", "replace"), known):
            if rel not in outputs.setdefault(address, []):
                outputs[address].append(rel)
            first.setdefault(address, (rel, line, col))
    if not outputs:
        return []
    findings: list[Finding] = []
    traced: set[str] = set()
    reader = FileReader(root, Findings())
    for rel in _source_files(root):
        if rel == ".mailmap":
            continue
        text, _problems = read_file(reader, rel)
        if not text:
            continue
        listed = _listed_lines(rel, text)
        for line, col, address in found_in(text, {a: known[a] for a in outputs}):
            if line in listed:
                continue
            traced.add(address)
            shown = ", ".join(outputs[address][:3]) + (" and more" if len(outputs[address]) > 3 else "")
            findings.append(Finding(rel, line, col, f"the e-mail address '{address}' of {known[address]} would be "
                                                    f"published (in {shown}): {FIX}"))
    for address in sorted(set(outputs) - traced):
        rel, line, col = first[address]
        findings.append(Finding(rel, line, col, f"the built file holds the e-mail address '{address}' of "
                                                f"{known[address]} (a commit author's name, or a template of the "
                                                f"theme?): {FIX}"))
    return findings
