"""`commonplace new --example`: the example community replayed as a git history by its members.

The history is written in one `git fast-import` stream: every author, committer, date and merge
is in the stream itself, so nothing of the user's git configuration (identity, hooks, signing,
templates) applies, and the same data and seed always give the same commit ids.

What the history replays, read from `example-community/`:
- the founder starts the community on `founded`; each member commits their own member file on
  `joined` (the founders directly, the others through a merged pull request);
- a project is committed by its first lead on `started` (a proposal without one on the last
  assembly's date); each goal done is a commit by one of its leads on `done_at`, reviewed by another;
- an event is written up three days after it ends by its first organiser, co-authored by the others;
- ledger entries (by the treasurer), usage and impact records (by the lead of their project, else
  the communications role), kudos (by their giver) and contributions (by whoever did the work)
  land on their dates, one entry at a time; survey results (by the communications role) on the
  day each survey closed;
- a decision is committed by its first proposer on its date or a few days after (a superseded one
  first as accepted, marked superseded by the commit of the decision that replaces it); mentions
  by the communications role on their dates (both drawn from a random generator of their own, so
  the rest of the history stays as it was without them);
- everyday edits write the rest of the pages' and projects' texts, paragraph by paragraph, by
  members chosen with a seeded Zipf law over who had joined (early members are the most active);
- Jordi commits with his old work address until 2023, which the `.mailmap` joins;
- dataset releases are tagged at the end of each full year and at CITATION.cff's release.

`example_peers` replays the demo together with the network it forked from, and its open-data peer.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from ..errors import CommonplaceError
from ..resources import example_dir

SEED = 15
WRITE_UP_DAYS = 3
PAUSE_AFTER_DAYS = 45
PAUSED = "paused"  # in a project's `done`: its final status, paused, is shown
SUPERSEDED = "superseded"  # in a decision's `done`: its final status, superseded, is shown
OLD_ADDRESSES = {"jordi-puig": (("Jordi Puig", "jpuig@llavor.example.com"), date(2024, 1, 1))}
FIRST_FILES = ("commonplace.yaml", "community.yaml", ".gitignore", "pages/about.md")  # the founder's first commit
GITIGNORE = "# Commonplace build output and local caches\n_site/\npublic/\n.commonplace-cache/\n"
_DATED_LIST = re.compile(r"^  - ")
_DATE = re.compile(r"^\s*(?:- )?date: ['\"]?(\d{4}-\d{2}-\d{2})")


def _madrid_offset(day: date) -> int:
    """Minutes east of UTC in València: CEST from the last Sunday of March to the last of October."""
    def last_sunday(month: int) -> date:
        d = date(day.year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)
    return 120 if last_sunday(3) <= day < last_sunday(10) else 60


def _stamp(when: datetime) -> str:
    """git's raw date of a naive local time in València: '<epoch> +HHMM'."""
    offset = _madrid_offset(when.date())
    epoch = int((when - timedelta(minutes=offset)).replace(tzinfo=timezone.utc).timestamp())
    return f"{epoch} +{offset // 60:02d}{offset % 60:02d}"


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# ---- the files, as they grow ---------------------------------------------------------------

def _paragraphs(text: str) -> tuple[str, list[str]]:
    """(front matter or '', body chunks): each chunk a paragraph with the blank lines after it."""
    front = ""
    if text.startswith("---\n"):
        end = text.index("\n---\n", 4) + 5
        front, text = text[:end], text[end:]
    chunks = re.findall(r".*?(?:\n\n+|\Z)", text, flags=re.S)
    return front, [c for c in chunks if c]


def _blocks(text: str) -> tuple[str, list[str]]:
    """(header, list items) of a YAML file whose entries are a list at indent 2."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _DATED_LIST.match(line)]
    header = "".join(lines[:starts[0]])
    return header, ["".join(lines[a:b]) for a, b in zip(starts, starts[1:] + [len(lines)])]


def _undone(front: str, done: set[str]) -> str:
    """A project's front matter with only the goals in `done` (by done_at) marked done."""
    out, dropping = [], False
    all_done = True
    for line in front.splitlines(keepends=True):
        m = re.match(r"^    done_at: (\S+)", line)
        if m and m.group(1) not in done:
            all_done = False
    lines = front.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("  - "):
            item = [lines[i]]
            for follow in lines[i + 1:]:
                if not follow.startswith("    "):
                    break
                item.append(follow)
            at = next((re.match(r"^    done_at: (\S+)", x).group(1) for x in item if x.startswith("    done_at:")), None)
            dropping = at is not None and at not in done
        elif not line.startswith("    "):
            dropping = False
        if dropping and re.match(r"^    (done|done_at|note):", line):
            continue
        if line.startswith("status: completed") and not all_done:
            line = "status: active\n"
        if line.startswith("status: paused") and PAUSED not in done:
            line = "status: active\n"
        out.append(line)
    return "".join(out)


@dataclass
class Grown:
    """One file of the final tree and how much of it the history has written so far."""
    final: str
    kind: str  # whole | text | project | list
    shown: int = 0  # text: paragraphs of the body; list: unused
    done: set = field(default_factory=set)  # project: done_at dates shown; list: item indices shown

    def render(self) -> str | None:
        if self.kind == "whole":
            return self.final
        if self.kind == "decision":
            return _unsuperseded(self.final) if SUPERSEDED not in self.done else self.final
        if self.kind == "list":
            if not self.done:
                return None
            header, items = _blocks(self.final)
            if len(self.done) == len(items):
                return self.final
            return header + "".join(item for i, item in enumerate(items) if i in self.done)
        front, chunks = _paragraphs(self.final)
        if self.kind == "project":
            front = _undone(front, self.done)
        if self.shown >= len(chunks):
            body = "".join(chunks)
        else:
            body = "".join(chunks[:self.shown]).rstrip("\n") + "\n" if self.shown else ""
        return front + body

    def paragraphs(self) -> int:
        return len(_paragraphs(self.final)[1])


# ---- the replay -----------------------------------------------------------------------------

@dataclass
class Change:
    when: datetime
    author: str  # a handle
    message: str
    edit: Grow | DoneGoal | Pause | AddEntry  # what it does to the files
    pull: bool = False
    branch: str = ""
    merger: str = ""
    trailers: tuple = ()
    order: int = 0


class Replay:
    def __init__(self, source: Path, seed: int = SEED, ref: str = "refs/heads/main", tag_prefix: str = "data-",
                 shared: tuple[str, ...] = ()) -> None:
        self.source = source
        self.rng = random.Random(seed)
        self.ref, self.tag_prefix = ref, tag_prefix
        self.shared = shared  # files another replay writes into this history (see example_peers)
        self.tip: int | None = None
        self.pull_number = 0
        self.days: list[tuple[date, int]] = []  # (day, mark) of every commit on the branch
        self.written: set[str] = set()
        self.community = yaml.safe_load((source / "community.yaml").read_text(encoding="utf-8"))
        self.founded = _day(self.community["founded"])
        self.members = {}
        for path in sorted((source / "members").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["joined"] = _day(data.get("joined") or self.founded)
            self.members[path.stem] = data
        # The founders, the coordinating one first: the one who starts the repository and merges.
        self.founders = [h for h, m in sorted(self.members.items(), key=lambda kv: (
            kv[1]["joined"], "coordinator" not in (kv[1].get("roles") or []), kv[0]))
            if "founder" in (m.get("roles") or [])] or [min(self.members)]
        self.files = self._read_files()
        self.changes: list[Change] = []

    def _read_files(self) -> dict[str, Grown]:
        files = {}
        for path in sorted(p for p in self.source.rglob("*") if p.is_file()):
            rel = path.relative_to(self.source).as_posix()
            if rel.startswith(("_site/", ".commonplace-cache/", "peers/")):  # peers: example_peers'
                continue
            text = path.read_text(encoding="utf-8")
            top = rel.split("/")[0]
            if top in ("ledger", "usage", "kudos", "contributions", "mentions", "impact") and _blocks_ok(text):
                kind = "list"
            elif top == "decisions" and rel.endswith(".md"):
                kind = "decision"
            elif top == "projects":
                kind = "project"
            elif rel.endswith(".md"):
                kind = "text"
            else:
                kind = "whole"
            files[rel] = Grown(text, kind)
        files.setdefault(".gitignore", Grown(GITIGNORE, "whole"))
        return files

    # who
    def holder(self, role: str, fallback: str | None = None) -> str:
        found = [h for h, m in sorted(self.members.items()) if role in (m.get("roles") or [])]
        return found[0] if found else (fallback or self.founders[0])

    def active_by(self, day: date) -> list[str]:
        return [h for h, m in sorted(self.members.items(), key=lambda kv: (kv[1]["joined"], kv[0])) if m["joined"] <= day]

    def someone(self, day: date, exclude: str = "") -> str:
        """A member who had joined, by a Zipf law over joining order: early members do most."""
        people = [h for h in self.active_by(day) if h != exclude] or [self.founders[0]]
        weights = [1 / (rank + 1) ** 1.3 for rank in range(len(people))]
        return self.rng.choices(people, weights)[0]

    def at(self, day: date, early: int = 9, late: int = 21) -> datetime:
        minute = self.rng.randint(early * 60, late * 60)
        return datetime(day.year, day.month, day.day) + timedelta(minutes=minute)

    def add(self, when, author, message, edit, **more) -> None:
        self.changes.append(Change(when, author, message, edit, order=len(self.changes), **more))

    # what
    def plan(self) -> None:
        """Every change of the history, in `changes`, and the release tags, in `releases`."""
        first = [r for r in FIRST_FILES if r in self.files]
        self.add(self.at(self.founded, 10, 11), self.founders[0], f"Start {self.community['name']}", Grow(tuple(first), 1))
        self._plan_members()
        last_day, paused_on = self._plan_projects()
        last_day = max(last_day, self._plan_events(), self._plan_entries())
        citation = self.files.get("CITATION.cff")
        released = _day(yaml.safe_load(citation.final).get("date-released")) if citation else last_day
        last_day = max(last_day, self._plan_other_files(first, released, last_day))
        self._plan_everyday_edits(paused_on, last_day)
        self._plan_governance()
        self.releases = [(f"{self.tag_prefix}{year}.12", date(year, 12, 31)) for year in range(self.founded.year + 1, last_day.year)]
        if citation:
            version = yaml.safe_load(citation.final).get("version")
            self.releases.append((f"{self.tag_prefix}{version}", released + timedelta(days=1)))

    def _plan_members(self) -> None:
        """Each member adds their own file on joining: the founders directly, the others by pull request."""
        for handle, member in self.members.items():
            rel = f"members/{handle}.yaml"
            founding = member["joined"] == self.founded
            self.add(self.at(member["joined"], 11 if founding else 9), handle,
                     f"Add {member['name']} to the members", Grow((rel,), 1), pull=not founding,
                     branch=f"join-{handle}", merger=self.founders[0])

    def _plan_projects(self) -> tuple[date, dict[str, date]]:
        """Each project started by its first lead, its goals done by its leads in turn, a paused one
        paused some weeks after its last goal: (the last goal's day, {project: day paused})."""
        last_assembly = max((_front(self.files[r].final).get("date") for r in self.files
                             if r.startswith("events/") and _front(self.files[r].final).get("kind") == "assembly"),
                            default=self.founded)
        last_day = self.founded
        paused_on: dict[str, date] = {}
        for rel, grown in self.files.items():
            if not rel.startswith("projects/"):
                continue
            meta = _front(grown.final)
            leads = [h for h in meta.get("leads") or [] if h in self.members] or [self.founders[0]]
            started = _day(meta.get("started") or last_assembly)
            paused = meta.get("status") == "paused"
            self.add(self.at(started), leads[0], f"Start the project {meta['title']}", Grow((rel,), 0 if paused else 1),
                     pull=True, branch=f"project-{Path(rel).stem}", merger=self._merger(leads[0]))
            if paused:  # active until some weeks after its last goal done; the body then says why
                done = [_day(g["done_at"]) for g in meta.get("goals") or [] if g.get("done_at")]
                day = max(done, default=started) + timedelta(days=PAUSE_AFTER_DAYS)
                self.add(self.at(day), leads[0], f"Pause the project {meta['title']}", Pause(rel))
                paused_on[rel] = day
            for i, goal in enumerate(meta.get("goals") or []):
                if not goal.get("done_at"):
                    continue
                at = _day(goal["done_at"])
                last_day = max(last_day, at)
                able = [h for h in leads if self.members[h]["joined"] <= at] or leads
                who = able[i % len(able)]
                others = [h for h in able if h != who]
                self.add(self.at(at), who, f"{meta['title']}: done, {goal['title'][0].lower()}{goal['title'][1:]}",
                         DoneGoal(rel, str(goal["done_at"])), pull=i % 2 == 0,
                         branch=f"goal-{Path(rel).stem}-{i + 1}", merger=self._merger(who),
                         trailers=tuple(("Reviewed-by", o) for o in others[:1]))
        return last_day, paused_on

    def _plan_events(self) -> date:
        """Each event written up after it by its first organiser, co-authored by the others: the last one's day."""
        last_day = self.founded
        for rel, grown in self.files.items():
            if not rel.startswith("events/"):
                continue
            meta = _front(grown.final)
            organisers = [h for h in meta.get("organisers") or [] if h in self.members] or [self.founders[0]]
            held = _day(meta.get("end_date") or meta["date"])
            last_day = max(last_day, held)
            self.add(self.at(held + timedelta(days=WRITE_UP_DAYS)), organisers[0],
                     f"Write up {meta['title']}", Grow((rel,), (grown.paragraphs() + 1) // 2),
                     trailers=tuple(("Co-authored-by", o) for o in organisers[1:]))
        return last_day

    def _plan_entries(self) -> date:
        """Each entry of the dated lists (ledger, usage, kudos, contributions) on its date, by whoever
        records it: the last one's day."""
        last_day = self.founded
        treasurer = self.holder("treasurer")
        for rel, grown in self.files.items():
            if grown.kind != "list" or rel.startswith("mentions/"):  # mentions: `_plan_governance`
                continue
            top = rel.split("/")[0]
            _, items = _blocks(grown.final)
            for i, item in enumerate(items):
                data = _item(item)
                day = _day(data["date"])
                last_day = max(last_day, day)
                if top == "ledger" and data.get("kind") == "transfer":  # the member who gave the time writes it
                    who, what = data.get("from"), f"Time bank: {data.get('amount')} given to {data.get('to')} on {day}"
                elif top == "ledger":
                    who, what = treasurer, f"Ledger: {data.get('kind', 'entry')} of {data.get('amount')} on {day}"
                elif top == "kudos":
                    who, what = data.get("from"), f"Kudos to {data.get('to')}"
                elif top == "contributions":
                    who, what = data.get("who"), f"Record {data.get('kind', 'work')} done on {day}"
                elif top == "impact":  # by the lead of its project, else the communications role
                    project = self.files.get(f"projects/{data.get('project')}.md")
                    leads = (_front(project.final).get("leads") or []) if project else []
                    who = leads[0] if leads else self.holder("communications")
                    what = f"Impact: {data.get('indicator')}, {data.get('amount')} {data.get('unit')}"
                else:
                    project = self.files.get(f"projects/{data.get('project')}.md")
                    leads = (_front(project.final).get("leads") or []) if project else []
                    who = leads[0] if leads else self.holder("communications")
                    what = f"Usage: {data.get('kind')} until {day}"
                who = who if who in self.members else treasurer
                self.add(self.at(day, 18, 22), who, what, AddEntry(rel, i))
        return last_day

    def _plan_other_files(self, first: list[str], released: date, last_day: date) -> date:
        """The other files: the founder's papers in the first months, the rest on their own dates
        (a reward plan when its period closes, CITATION.cff when released): the last one's day."""
        placed = {
            ".mailmap": ("jordi-puig", OLD_ADDRESSES["jordi-puig"][1] + timedelta(days=7), "Map my old work address to the new one"),
            "CITATION.cff": (self.founders[0], released, "Cite the datasets"),
        }
        later = sorted(r for r, g in self.files.items() if g.kind in ("whole", "text") and r not in first
                       and not r.startswith(("members/", "events/")) and r not in placed and r not in self.shared)
        span = (last_day - self.founded).days
        for n, rel in enumerate(later):
            day = self.founded + timedelta(days=30 + (n * span) // (len(later) + 1))
            if rel.startswith("rewards/"):  # a plan is declared when its period closes
                day = _day((yaml.safe_load(self.files[rel].final).get("period") or {}).get("end") or day)
            if rel.startswith("surveys/"):  # its results, on the day it closed, by the communications role
                survey = yaml.safe_load(self.files[rel].final) or {}
                day = _day(survey.get("date") or day)
                placed[rel] = (self.holder("communications"), day, f"Survey results: {survey.get('title', rel)}")
                continue
            placed[rel] = (self.someone(day), day, f"Add {rel}")
        for rel, (who, day, message) in placed.items():
            if rel in self.files:
                last_day = max(last_day, day)
                self.add(self.at(day), who, message, Grow((rel,), 1), pull=rel == "CITATION.cff",
                         branch="citation", merger=self._merger(who))
        return last_day

    def _plan_everyday_edits(self, paused_on: dict[str, date], last_day: date) -> None:
        """The rest of every text, paragraph by paragraph, after its first commit, by members the
        Zipf law picks, some through pull requests and some co-authored."""
        firsts = {}
        for change in self.changes:
            for rel in change.edit.begins:
                firsts.setdefault(rel, change.when.date())
                firsts[rel] = min(firsts[rel], change.when.date())
        for rel, grown in sorted(self.files.items()):
            if grown.kind not in ("text", "project") or rel not in firsts or rel in self.shared:
                continue
            begun = max(firsts[rel], paused_on.get(rel, firsts[rel]))
            start = (grown.paragraphs() + 1) // 2 if rel.startswith("events/") else 2 if rel in paused_on else 1
            days = sorted(begun + timedelta(days=self.rng.randint(1, max(1, (last_day - begun).days)))
                          for _ in range(start, grown.paragraphs()))
            for k, day in zip(range(start + 1, grown.paragraphs() + 1), days):
                who = self.someone(day)
                pull = who not in self.founders and self.rng.random() < 0.4
                trailers = (("Co-authored-by", self.someone(day, who)),) if self.rng.random() < 0.15 else ()
                self.add(self.at(day), who, f"{_title(grown, rel)}: {_verb(self.rng)}", Grow((rel,), k),
                         pull=pull, branch=f"edit-{Path(rel).stem}-{k}", merger=self._merger(who), trailers=trailers)

    def _plan_governance(self) -> None:
        """Decisions by their first proposer, on their date or up to three days after; mentions by
        the communications role on their dates. Their own random generator: without them, the
        rest of the history is what it was."""
        rng = random.Random(f"{SEED}-governance")
        replaced: dict[str, list[str]] = {}
        for rel, grown in self.files.items():
            if grown.kind == "decision":
                other = _front(grown.final).get("superseded_by")
                if other:
                    replaced.setdefault(f"decisions/{other}.md", []).append(rel)
        for rel, grown in self.files.items():
            if grown.kind != "decision":
                continue
            meta = _front(grown.final)
            given = meta.get("proposed_by") or []
            proposers = [h for h in ([given] if isinstance(given, str) else given) if h in self.members]
            day = _day(meta["date"]) + timedelta(days=rng.randint(0, 3))
            when = datetime(day.year, day.month, day.day) + timedelta(minutes=rng.randint(18 * 60, 22 * 60))
            self.add(when, proposers[0] if proposers else self.founders[0], f"Decision: {meta['title']}",
                     Decide(rel, tuple(replaced.get(rel, ()))))
        speaker = self.holder("communications")
        for rel, grown in self.files.items():
            if grown.kind != "list" or not rel.startswith("mentions/"):
                continue
            for i, item in enumerate(_blocks(grown.final)[1]):
                data = _item(item)
                day = _day(data["date"])
                when = datetime(day.year, day.month, day.day) + timedelta(minutes=rng.randint(18 * 60, 22 * 60))
                self.add(when, speaker, f"Mention: {data.get('kind')}, {data.get('title')}", AddEntry(rel, i))

    def _merger(self, author: str) -> str:
        return next((h for h in self.founders if h != author), self.founders[0])

    def identity(self, handle: str, day: date) -> tuple[str, str]:
        old = OLD_ADDRESSES.get(handle)
        if old and day < old[1]:
            return old[0]
        member = self.members[handle]
        emails = member.get("emails") or [f"{handle}@users.noreply.example.org"]
        return member["name"], emails[0]

    def login(self, handle: str) -> str:
        for link in self.members[handle].get("links") or []:
            m = re.match(r"https://github\.com/([^/]+)$", str(link.get("url", "")))
            if m:
                return m.group(1)
        return handle

    # the stream
    def person(self, handle: str, when: datetime) -> str:
        name, email = self.identity(handle, when.date())
        return f"{name} <{email}> {_stamp(when)}"

    def message(self, change: Change) -> str:
        message = change.message + "\n"
        if change.trailers:
            message += "\n" + "".join(f"{k}: {'%s <%s>' % self.identity(h, change.when.date())}\n"
                                      for k, h in change.trailers)
        return message

    def commit(self, stream: "Stream", handle, when, message, paths, parents, committer=None, committed=None,
               ref: str = "") -> int:
        self.written.update(paths)
        return stream.commit(ref or self.ref, self.person(handle, when),
                             self.person(committer or handle, committed or when), message, parents,
                             {rel: self.files[rel].render() for rel in paths})

    def merge_pull(self, stream: "Stream", change: Change, side: int, paths, title: str = "") -> int:
        """Merge `side` (a commit of `change`) into the tip as a forge does, with its merge message."""
        self.pull_number += 1 + self.rng.randint(0, 2)
        merged = change.when + timedelta(minutes=self.rng.randint(20, 90))
        title = title or f"Merge pull request #{self.pull_number} from {self.login(change.author)}/{change.branch}"
        self.tip = self.commit(stream, change.merger, merged, f"{title}\n\n{change.message}\n", paths, [self.tip, side])
        self.days.append((change.when.date(), self.tip))
        return self.tip

    def write(self, stream: "Stream", change: Change) -> None:
        """One change on this branch: a commit, or a pull request's commit and its merge."""
        paths = change.edit.apply(self.files)
        if change.pull and self.tip is not None:
            side = self.commit(stream, change.author, change.when, self.message(change), paths, [self.tip])
            self.merge_pull(stream, change, side, paths)
            return
        self.tip = self.commit(stream, change.author, change.when, self.message(change), paths,
                               [self.tip] if self.tip else [])
        self.days.append((change.when.date(), self.tip))

    def write_tags(self, stream: "Stream") -> None:
        for name, day in self.releases:
            target = max((m for d, m in self.days if d <= day), default=self.tip)
            stream.tag(name, target, self.person(self.founders[0], self.at(day + timedelta(days=1))),
                       f"Dataset release {name}\n")

    def sorted_changes(self) -> list[Change]:
        return sorted(self.changes, key=lambda c: (c.when, c.order))

    def stream(self) -> bytes:
        stream = Stream()
        for change in self.sorted_changes():
            self.write(stream, change)
        self.write_tags(stream)
        return stream.data()


class Stream:
    """A `git fast-import` stream: commits on any number of branches, marks shared between them."""

    def __init__(self) -> None:
        self.out: list[bytes] = []
        self.mark = 0

    def commit(self, ref: str, author: str, committer: str, message: str, parents, files: dict,
               deleteall: bool = False) -> int:
        self.mark += 1
        body = message.encode()
        self.out.append(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        self.out.append(f"author {author}\ncommitter {committer}\n".encode())
        self.out.append(b"data %d\n%s\n" % (len(body), body))
        if parents:
            self.out.append(b"from :%d\n" % parents[0])
            for extra in parents[1:]:
                self.out.append(b"merge :%d\n" % extra)
        if deleteall:
            self.out.append(b"deleteall\n")
        for rel, text in files.items():
            data = text.encode()
            self.out.append(f"M 100644 inline {rel}\n".encode() + b"data %d\n%s\n" % (len(data), data))
        self.out.append(b"\n")
        return self.mark

    def tag(self, name: str, target: int, tagger: str, message: str) -> None:
        text = message.encode()
        self.out.append(f"tag {name}\nfrom :{target}\ntagger {tagger}\n".encode())
        self.out.append(b"data %d\n%s\n" % (len(text), text))

    def data(self) -> bytes:
        return b"".join(self.out)

    def commits(self) -> int:
        return sum(1 for part in self.out if part.startswith(b"commit "))


def _blocks_ok(text: str) -> bool:
    return any(_DATED_LIST.match(line) for line in text.splitlines())


def _front(text: str) -> dict:
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4:text.index("\n---\n", 4)]) or {}


def _item(item: str) -> dict:
    return (yaml.safe_load(item) or [{}])[0]


def _title(grown: Grown, rel: str) -> str:
    return _front(grown.final).get("title") or rel


def _verb(rng: random.Random) -> str:
    return rng.choice(("add a paragraph", "say more", "expand the text", "add what we learnt",
                       "complete the description", "write the next part"))


# What a change does to the files, applied when its commit is written: `apply(files)` returns
# the paths it wrote. `begins`: the files whose first version it may be, after which everyday
# edits may add to them (a goal marked done is no start of its project's text).

@dataclass(frozen=True)
class Grow:
    """Show at least the first `shown` paragraphs of each file (all of a file that is not text)."""
    rels: tuple[str, ...]
    shown: int

    @property
    def begins(self) -> tuple[str, ...]:
        return self.rels

    def apply(self, files: dict[str, Grown]) -> list[str]:
        for rel in self.rels:
            files[rel].shown = max(files[rel].shown, self.shown)
        return list(self.rels)


@dataclass(frozen=True)
class DoneGoal:
    """Mark a project's goal done, by its `done_at`."""
    rel: str
    done_at: str
    begins = ()

    def apply(self, files: dict[str, Grown]) -> list[str]:
        files[self.rel].done.add(self.done_at)
        return [self.rel]


@dataclass(frozen=True)
class Pause:
    """Pause a project: its status shown as paused, and the paragraph that says why."""
    rel: str

    @property
    def begins(self) -> tuple[str, ...]:
        return (self.rel,)

    def apply(self, files: dict[str, Grown]) -> list[str]:
        files[self.rel].done.add(PAUSED)
        files[self.rel].shown = max(files[self.rel].shown, 2)
        return [self.rel]


@dataclass(frozen=True)
class AddEntry:
    """Add the entry at `index` of a dated list."""
    rel: str
    index: int

    @property
    def begins(self) -> tuple[str, ...]:
        return (self.rel,)

    def apply(self, files: dict[str, Grown]) -> list[str]:
        files[self.rel].done.add(self.index)
        return [self.rel]


@dataclass(frozen=True)
class Decide:
    """Add a decision, and mark superseded the decisions it replaces."""
    rel: str
    supersedes: tuple[str, ...] = ()

    @property
    def begins(self) -> tuple[str, ...]:
        return (self.rel,)

    def apply(self, files: dict[str, Grown]) -> list[str]:
        for rel in self.supersedes:
            files[rel].done.add(SUPERSEDED)
        return [self.rel, *self.supersedes]


def _unsuperseded(text: str) -> str:
    """A superseded decision as it read before it was: accepted, naming no successor."""
    front, body = text[:text.index("\n---\n", 4) + 5], text[text.index("\n---\n", 4) + 5:]
    lines = [("status: accepted\n" if line.startswith("status: superseded") else line)
             for line in front.splitlines(keepends=True) if not line.startswith("superseded_by:")]
    return "".join(lines) + body


def _git(target: Path, *args: str, stdin: bytes | None = None) -> str:
    """git without the system's or the user's configuration: no hooks, signing or templates apply."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(target),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
    settings = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgSign=false", "-c", "tag.gpgSign=false",
                "-c", "core.autocrlf=false", "-c", "init.templateDir=", "-c", "core.fsmonitor=false"]
    result = subprocess.run(["git", *settings, *args], cwd=target, env=env, input=stdin, capture_output=True)
    if result.returncode != 0:
        raise CommonplaceError(f"git {args[0]} failed in {target}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8", errors="replace").strip()


def example_source() -> Path:
    here = example_dir()  # in a wheel, shipped beside the schemas and the theme
    if not here.is_dir():
        raise CommonplaceError(f"the example community is not where Commonplace expects it: {here}")
    return here


def new_example(target: Path, source: Path, seed: int = SEED) -> int:
    """Create `target` as a git repository replaying the community folder `source` alone (the
    demo itself is `example_peers.new_demo`, with its peers); the number of commits."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise CommonplaceError(f"{target} exists and is not empty: choose a new folder")
    replay = Replay(source, seed)
    replay.plan()
    stream = replay.stream()
    target.mkdir(parents=True, exist_ok=True)
    _git(target, "init", "-q", "--template=", "-b", "main")
    _git(target, "fast-import", "--quiet", "--done", stdin=stream + b"done\n")
    _git(target, "checkout", "-q", "-f", "main")
    check_ends(replay, source.name)
    return stream.count(b"commit refs/heads/main\n")


def check_ends(replay: Replay, what: str) -> None:
    """Every file of the source written, and the history's last version of it the source's own."""
    for rel, grown in replay.files.items():
        if rel not in replay.written or grown.render() != grown.final:
            raise CommonplaceError(f"the replayed history of {what} does not end with {rel} as its data has it")
