"""Who is who: e-mail addresses resolved through `.mailmap`, merged by members' files.

A contributor is one mailmap-resolved e-mail address, lower-cased, merged with the other
addresses listed in the same `members/<handle>.yaml` (those addresses are resolved through the
mailmap too). The id is the member's handle, otherwise a slug of the name used most often with
that address (ties: the alphabetically first name); slugs that collide get `-2`, `-3`, ... in the
order of their e-mail addresses, and never take a member's handle. Bots (`is_bot`): a name or
address containing `[bot]`; a name, or an address's login part, that is one of the well-known
automation accounts (`KNOWN_BOTS`, whole after folding case, spaces and underscores: never a part
of a longer name); a GitLab project or group bot's noreply address; or an id, name or address
listed as a bot in the config.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .mailmap import Mailmap

if TYPE_CHECKING:  # a build with nothing to do names `slugify` only: the input types stay unmade
    from .inputs import CommunityData


# Automation accounts that commit under a plain name or login (no "[bot]"), as histories spell
# them once case is folded and spaces and underscores are hyphens. Whole labels only: "Renovate
# Bot" is one, "Bob Renovates" is not.
KNOWN_BOTS = frozenset({
    "imgbot", "imgbotapp", "imgbothelp",
    "dependabot", "dependabot-preview", "dependabot-bot",
    "renovate", "renovate-bot", "renovatebot",
    "pre-commit-ci", "pre-commit-ci-bot",
    "github-actions", "github-actions-bot",
    "allcontributors", "all-contributors", "all-contributors-bot", "allcontributors-bot",
    "greenkeeper", "greenkeeperio-bot", "greenkeeper-bot",
    "snyk-bot",
    "codecov", "codecov-io", "codecov-commenter",
    "mergify", "mergify-bot",
    "semantic-release-bot",
    "weblate", "hosted-weblate",
    "pyup-bot", "pyup.io-bot",
})
# GitLab's project and group access tokens commit as project_<id>_bot[_<hex>]@noreply.<host>.
_GITLAB_BOT = re.compile(r"(?:project|group)_\d+_bot(?:_[0-9a-f]+)?@noreply\.", re.IGNORECASE)


def _folded(label: str) -> str:
    return re.sub(r"[\s_]+", "-", label.strip().casefold())


def is_bot(names, emails, listed=frozenset()) -> bool:
    """Whether an identity with these names (ids included) and e-mail addresses is a bot. `listed`:
    the config's bots, casefolded (ids, names or addresses, compared whole)."""
    for name in names:
        folded = name.strip().casefold()
        if "[bot]" in folded or folded in listed or _folded(name) in KNOWN_BOTS:
            return True
    for email in emails:
        folded = email.strip().casefold()
        if "[bot]" in folded or folded in listed or _GITLAB_BOT.match(folded):
            return True
        login = folded.split("@", 1)[0]
        if folded.endswith("@users.noreply.github.com"):
            login = login.split("+", 1)[-1]  # <id>+<login>@users.noreply.github.com
        if "@" in folded and _folded(login) in KNOWN_BOTS:
            return True
    return False


def listed_bots(bots) -> frozenset:
    """The config's `bots:` as `is_bot` compares them."""
    return frozenset(b.strip().casefold() for b in bots)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class Identity:
    """A person as the engine resolved them: a member file, or the names and e-mails of commits
    that resolve to one id."""

    id: str
    name: str
    emails: set[str] = field(default_factory=set)
    names: Counter = field(default_factory=Counter)
    bot: bool = False
    member: bool = False
    affiliation: str | None = None
    visibility: str = "public"


class Identities:
    """Resolves (name, e-mail) pairs and data ids to contributor ids."""

    def __init__(self, mailmap: Mailmap, data: CommunityData) -> None:
        self.mailmap = mailmap
        self.data = data
        self.people: dict[str, Identity] = {}
        self._key_of: dict[tuple[str, str], tuple[str, str]] = {}  # raw -> (name, email key)
        self._names: dict[str, Counter] = defaultdict(Counter)  # key -> resolved names
        self._member_of: dict[str, str] = {}  # resolved email key -> handle
        self._pid: dict[str, str] = {}  # resolved email key -> id
        for member in sorted(data.members, key=lambda m: m.id):
            for email in member.emails:
                for key in (email.strip().lower(), self.mailmap.resolve(member.name, email.strip())[1].lower()):
                    self._member_of.setdefault(key, member.id)

    def key(self, name: str, email: str, occurrences: int = 1) -> str:
        """Register occurrences of (name, e-mail); returns the resolved e-mail key."""
        hit = self._key_of.get((name, email))
        if hit is None:
            rname, remail = self.mailmap.resolve(name, email)
            hit = self._key_of[(name, email)] = (rname, remail.strip().lower())
        self._names[hit[1]][hit[0]] += occurrences
        return hit[1]

    def finish(self) -> dict[str, str]:
        """Assign ids to every key seen; returns key -> id."""
        bots = listed_bots(self.data.bots)
        for member in sorted(self.data.members, key=lambda m: m.id):
            self.people[member.id] = Identity(
                id=member.id, name=member.name, member=True, affiliation=member.affiliation or None,
                visibility=member.visibility,
            )
        taken = set(self.people)
        others: dict[str, list[str]] = defaultdict(list)
        for key in sorted(self._names):
            handle = self._member_of.get(key)
            if handle is not None:
                self._pid[key] = handle
                continue
            names = self._names[key]
            best = sorted(names.items(), key=lambda item: (-item[1], item[0]))[0][0]
            base = slugify(best) or slugify(key.split("@", 1)[0]) or "contributor"
            others[base].append(key)
            self.people.setdefault(f"\0{key}", Identity(id="", name=best))
        for base in sorted(others):
            for key in others[base]:  # already in e-mail order
                candidate, n = base, 1
                while candidate in taken:
                    n += 1
                    candidate = f"{base}-{n}"
                taken.add(candidate)
                person = self.people.pop(f"\0{key}")
                person.id = candidate
                self.people[candidate] = person
                self._pid[key] = candidate
        for key, pid in self._pid.items():
            person = self.people[pid]
            person.emails.add(key)
            person.names.update(self._names[key])
        for person in self.people.values():
            person.bot = is_bot({person.id, person.name, *person.names}, person.emails, bots)
        return self._pid

    def member_of(self, key: str) -> str | None:
        """The handle of the member a resolved e-mail key belongs to, if any."""
        return self._member_of.get(key)

    def pid(self, key: str) -> str:
        return self._pid[key]

    def ensure(self, pid: str) -> str:
        """A person named only in the data files (events, kudos, ledger) by an unknown id."""
        if pid not in self.people:
            self.people[pid] = Identity(id=pid, name=pid, bot=is_bot((pid,), (), listed_bots(self.data.bots)))
        return pid
