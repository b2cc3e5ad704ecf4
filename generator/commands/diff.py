"""`commonplace diff`: what a change does to the portal and its figures, as Markdown.

The base revision's whole community folder is read from git objects into a temporary folder
(symlinks and submodules are skipped, as the loader skips them in a work tree), inside a scratch
repository whose HEAD is that revision; both sides run the build's own stages
(`build.prepare`, in memory) under one SOURCE_DATE_EPOCH with the head's peers' mirrors, so an
unchanged tree builds the same bytes twice, and the two sites are compared file by file.
Figures come from the two loaded models; value figures, when the value engine can read the
history, from `value.report.build_report` at both revisions; identity changes that give existing
commits to someone else (`.mailmap` lines, members' e-mail lists) from `identity_changes`.

Nothing is written outside temporary folders. Exit 0 (even when the base does not build: then
every page of the head counts as added), 1 when the head's data is invalid.
"""

from __future__ import annotations

import html
import os
import re
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from value import money as currencies

from .. import diagnostics
from ..errors import CommonplaceError, DataError, Finding
from ..views.governance import change_notes as governance_notes
from ..views.ledger import totals as ledger_totals
from . import community_folder
from .diffimpact import impact_totals, survey_notes
from .identity_changes import identity_section

if TYPE_CHECKING:  # imported where used: every command line registers `diff`, few run it
    import pygit2

    from ..model import Model

HEADING = "## Commonplace: what this change does to the portal"
NO_CHANGE = "No change to the portal."
MAX_ROWS = 50  # longer tables are cut, with a line saying how many rows were left out

# Figures the model section already shows; the value section leaves them out.
_SHOWN_FROM_MODEL = {
    ("monetary_value", "income"), ("monetary_value", "expenses"), ("monetary_value", "balance"),
    ("objective_accomplishment", "goals"), ("ecological_value", "impact_totals"),
}


# -- reading the base from git objects ------------------------------------------------------
def _safe_name(name: str) -> bool:
    return name not in ("", ".", "..") and not any(c in name for c in "/\\\0")


def materialise(repo: pygit2.Repository, commit: pygit2.Commit, subdir: str, dest: Path) -> bool:
    """Write the tree of `subdir` at `commit` into `dest`; False when the folder does not exist there."""
    import pygit2

    tree = commit.tree
    if subdir:
        try:
            obj = tree[subdir]
        except KeyError:
            return False
        if obj.type != pygit2.enums.ObjectType.TREE:
            return False
        tree = repo[obj.id]
    _write_tree(repo, tree, dest)
    return True


def checkout(repo: pygit2.Repository, commit: pygit2.Commit, subdir: str, top: Path) -> Path | None:
    """The community folder `subdir` at `commit`, written under `top` as the head build sees its
    own: inside a repository (`top`) whose HEAD is `commit`, its objects borrowed from `repo`'s
    (never written), so what a build asks git (the commit built, the flows of the federation's
    peers against it) is answered for that revision. None when the folder does not exist there."""
    folder = top / subdir if subdir else top
    if not materialise(repo, commit, subdir, folder):
        return None
    if subdir:  # a folder has the repository's licence and other documents too (load/documents.py)
        _write_documents(repo, commit.tree, top)
    git_dir = top / ".git"
    for name in ("objects/info", "refs/heads", "refs/tags"):
        (git_dir / name).mkdir(parents=True, exist_ok=True)
    (git_dir / "objects" / "info" / "alternates").write_text(f"{_objects_dir(repo)}\n", encoding="utf-8")
    (git_dir / "HEAD").write_text(f"{commit.id}\n", encoding="utf-8")  # detached at `commit`
    (git_dir / "config").write_text("[core]\n\trepositoryformatversion = 0\n\tbare = false\n", encoding="utf-8")
    return folder


def _objects_dir(repo: pygit2.Repository) -> Path:
    """The object store of `repo`: a linked work tree's is its main repository's (`commondir`)."""
    git_dir = Path(repo.path)
    common = git_dir / "commondir"
    if common.is_file():
        git_dir = (git_dir / common.read_text(encoding="utf-8").strip()).resolve()
    return (git_dir / "objects").resolve()


def _write_documents(repo: pygit2.Repository, tree: pygit2.Tree, top: Path) -> None:
    """The repository's own documents (licence, code of conduct...), where the build looks for them."""
    import pygit2
    from pygit2.enums import FileMode

    from ..load.documents import PLACES, is_document

    for place in PLACES:
        try:
            folder = repo[tree[place.rstrip("/")].id] if place else tree
        except (KeyError, ValueError):
            continue
        if not isinstance(folder, pygit2.Tree):
            continue
        for entry in folder:
            rel = f"{place}{entry.name}"
            if entry.filemode in (FileMode.BLOB, FileMode.BLOB_EXECUTABLE) and _safe_name(entry.name) \
                    and is_document(rel):  # never a link
                (top / rel).parent.mkdir(parents=True, exist_ok=True)
                (top / rel).write_bytes(repo[entry.id].data)


def _write_tree(repo: pygit2.Repository, tree: pygit2.Tree, dest: Path) -> None:
    """The whole folder, as the head build sees its work tree: every file a build may read (the
    data, the theme, LICENSE and the other documents the advice looks for, the ecosystem's files)."""
    from pygit2.enums import FileMode

    dest.mkdir(parents=True, exist_ok=True)
    for entry in tree:
        if not _safe_name(entry.name):
            continue
        if entry.filemode == FileMode.TREE:
            _write_tree(repo, repo[entry.id], dest / entry.name)
        # symlinks (LINK) and submodules (COMMIT) are skipped
        elif entry.filemode in (FileMode.BLOB, FileMode.BLOB_EXECUTABLE):
            (dest / entry.name).write_bytes(repo[entry.id].data)


# -- building one side ----------------------------------------------------------------------
@dataclass
class Side:
    label: str
    model: Model | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    advice: dict | None = None  # the sustainability advice its build publishes (data/advice.json)
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # why it did not build, when it did not

    @property
    def pages(self) -> dict[str, bytes]:
        return {rel: data for rel, data in self.files.items() if rel.endswith(".html")}


@contextmanager
def _epoch(seconds: int):
    """Build both sides under the same SOURCE_DATE_EPOCH so dates in feeds and sitemaps agree."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def build_side(label: str, source: Path, history: tuple[Path, str] | None = None, peers: Path | None = None) -> Side:
    """One side built as `build` builds it, in memory (nothing is written): `history` reads the
    value figures from that revision, `peers` the peers' mirrors the head build reads."""
    from ..build import open_cache, prepare, search_available

    side = Side(label)
    try:
        ready = prepare(source, open_cache(source, keep=False), history=history, search=search_available(),
                        peers=peers)
    except DataError as exc:
        side.findings = list(exc.findings)
        side.error = diagnostics.summary(exc.findings)
        return side
    except CommonplaceError as exc:
        side.error = str(exc)
        return side
    side.model = ready.model
    side.files = ready.files.files
    side.advice = ready.views.advice.advice
    return side


# -- comparing -------------------------------------------------------------------------------
_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


def page_url(rel: str) -> str:
    """`members/ana/index.html` -> `members/ana/`; the home page is `/`."""
    if rel == "index.html":
        return "/"
    return rel[: -len("index.html")] if rel.endswith("/index.html") else rel


def page_title(data: bytes) -> str:
    match = _TITLE.search(data)
    if not match:
        return ""
    title = html.unescape(match.group(1).decode("utf-8", "replace")).strip()
    return title.rsplit(" · ", 1)[0] if " · " in title else title


@dataclass
class PageChanges:
    added: list[str]
    changed: list[str]
    removed: list[str]
    other_files: int  # files that are not pages (open data, feed, assets) added, changed or removed

    @property
    def total(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def compare_sites(base: dict[str, bytes], head: dict[str, bytes]) -> PageChanges:
    added = sorted(rel for rel in head if rel not in base)
    removed = sorted(rel for rel in base if rel not in head)
    changed = sorted(rel for rel in head if rel in base and head[rel] != base[rel])

    def pages(rels):
        return [rel for rel in rels if rel.endswith(".html")]

    other = sum(1 for rel in added + removed + changed if not rel.endswith(".html"))
    return PageChanges(pages(added), pages(changed), pages(removed), other)


def _money(amount: Decimal, currency: str = "EUR") -> str:
    """An amount with its currency's decimals (ISO 4217, or a community currency's declared ones),
    grouped: 1,250.00 EUR's figure, 5 JPY's, 2.5 HORA's."""
    places = currencies.minor_units(currency) if currencies.is_unit(currency) else 2
    return f"{amount.quantize(Decimal(1).scaleb(-places)):,}"


def _signed(delta, money: bool = False, currency: str = "EUR") -> str:
    """"+3", "−2.5", "0": a count, an exact amount written out (never "1E-7"), or money."""
    if money:
        text = _money(abs(delta), currency)
    else:
        text = str(abs(delta)) if isinstance(delta, int) else format(abs(delta), "f")
    return f"+{text}" if delta > 0 else f"−{text}" if delta < 0 else "0"


def _names(shown: list[str], others: int, others_word: str) -> str:
    """"Ana, Ben and 2 hidden members": the names the site may show, then a count of the rest."""
    text = ", ".join(sorted(shown))
    if others:
        text += f"{' and ' if shown else ''}{others} {others_word}"
    return text


def _who(model: Model, handle: str) -> str | None:
    """How a member may be named in a public comment: never a hidden member, never a real name
    behind a pseudonym."""
    from ..people import People

    person = People(model.members, salt=model.community.name).get(handle)
    return person.name if person else None


def figures(base: Model | None, head: Model) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    """Rows (figure, before, after, change) of the figures that moved, and the notes naming what moved."""
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []

    def count_row(name: str, before: int, after: int) -> None:
        if before != after:
            rows.append((name, str(before), str(after), _signed(after - before)))

    b_members = base.members if base else {}
    count_row("members", len(b_members), len(head.members))
    joined = sorted(set(head.members) - set(b_members))
    left = sorted(set(b_members) - set(head.members))
    for verb, handles, model in (("joined", joined, head), ("left", left, base)):
        if not handles:
            continue
        shown = [name for name in (_who(model, h) for h in handles) if name]
        hidden = len(handles) - len(shown)
        word = "hidden member" if hidden == 1 else "hidden members"
        notes.append(f"Members {verb}: {_names(shown, hidden, word)}")

    b_projects = base.projects if base else {}
    count_row("projects", len(b_projects), len(head.projects))
    new_projects = sorted(set(head.projects) - set(b_projects))
    if new_projects:
        notes.append("Projects added: " + ", ".join(head.projects[s].title for s in new_projects))
    for slug in sorted(head.projects):
        project = head.projects[slug]
        before = b_projects.get(slug)
        done_before = before.goals_done if before else 0
        total_before = len(before.goals) if before else 0
        if (done_before, total_before) != (project.goals_done, len(project.goals)) and (before or project.goals):
            rows.append((f"goals done: {project.title}", f"{done_before} / {total_before}",
                         f"{project.goals_done} / {len(project.goals)}", _signed(project.goals_done - done_before)))
        was_done = {g.title for g in before.goals if g.done} if before else set()
        completed = [g.title for g in project.goals if g.done and g.title not in was_done]
        if completed:
            notes.append(f"Goals completed in {project.title}: " + ", ".join(completed))
        if project.status == "completed" and (before is None or before.status != "completed"):
            notes.append(f"Project completed: {project.title}")

    b_events = base.events if base else {}
    count_row("events", len(b_events), len(head.events))
    new_events = sorted(set(head.events) - set(b_events), key=lambda s: (head.events[s].date, s))
    if new_events:
        notes.append("Events added: " + ", ".join(
            f"{head.events[s].title} ({head.events[s].date.isoformat()})" for s in new_events))

    count_row("decisions", len(base.decisions) if base else 0, len(head.decisions))
    count_row("mentions", len(base.mentions) if base else 0, len(head.mentions))
    notes += governance_notes(base, head)

    count_row("ledger entries", len(base.ledger) if base else 0, len(head.ledger))
    b_totals, h_totals = (ledger_totals(m.ledger) if m else {} for m in (base, head))
    zero = {"income": Decimal(0), "expenses": Decimal(0), "balance": Decimal(0)}
    for currency in sorted(set(b_totals) | set(h_totals)):
        b, h = b_totals.get(currency, zero), h_totals.get(currency, zero)
        for key in ("income", "expenses", "balance"):
            if b[key] != h[key]:
                rows.append((f"{key} ({currency})", _money(b[key], currency), _money(h[key], currency),
                             _signed(h[key] - b[key], money=True, currency=currency)))
    count_row("impact records", len(base.impact) if base else 0, len(head.impact))
    b_impact, h_impact = impact_totals(base), impact_totals(head)
    for indicator, unit in sorted(set(b_impact) | set(h_impact)):  # each unit apart: never added
        b, h = b_impact.get((indicator, unit), "0"), h_impact.get((indicator, unit), "0")
        if b != h:
            rows.append((f"impact: {indicator} ({unit})", f"{b} {unit}", f"{h} {unit}",
                         _signed(Decimal(h) - Decimal(b))))
    count_row("surveys", len(base.surveys) if base else 0, len(head.surveys))
    notes += survey_notes(base, head)
    return rows, notes


# -- settlements -------------------------------------------------------------------------------
def _settled_key(settled) -> tuple | None:
    return None if settled is None else (settled.as_of, settled.date, settled.amounts)


def settlement_lines(base: Model | None, head: Model) -> list[str]:
    """Every settled block this change adds, changes or removes: first in the summary, since a
    settlement is what gets paid. People as the site may name them; others counted."""
    lines = []
    b_plans = base.rewards if base else {}
    for slug in sorted(set(b_plans) | set(head.rewards)):
        before, after = b_plans.get(slug), head.rewards.get(slug)
        b_set, h_set = (p.settled if p else None for p in (before, after))
        if _settled_key(b_set) == _settled_key(h_set):
            continue
        plan = after or before
        name = f"`{plan.source}`" + (f" ({_cell(plan.title)})" if plan.title else "")
        if b_set is None:
            total = sum((a for _w, a in h_set.amounts), Decimal(0))
            lines.append(f"- **Settlement added**: {name}, as of `{h_set.as_of[:12]}` on {h_set.date.isoformat()}: "
                         f"{len(h_set.amounts)} recipient{'s' * (len(h_set.amounts) != 1)}, "
                         f"{_money(total, plan.currency)} {plan.currency}")
            continue
        if h_set is None:
            lines.append(f"- **Settlement removed**: {name} (it was settled as of `{b_set.as_of[:12]}` on "
                         f"{b_set.date.isoformat()}): the plan follows today's data again until it is settled anew")
            continue
        was, now = dict(b_set.amounts), dict(h_set.amounts)
        moved = [who for who in sorted(set(was) | set(now)) if was.get(who, 0) != now.get(who, 0)]
        named = []
        unnamed = 0
        for who in moved:
            shown = _who(head, who) if who in head.members else None
            if shown is None:
                unnamed += 1
                continue
            named.append(f"{shown} {_money(was.get(who, Decimal(0)), plan.currency)} → "
                         f"{_money(now.get(who, Decimal(0)), plan.currency)}")
        what = "; ".join(named) + (f"{'; ' if named else ''}{unnamed} more not named" if unnamed else "")
        also = [] if b_set.as_of == h_set.as_of else [f"as of `{b_set.as_of[:12]}` → `{h_set.as_of[:12]}`"]
        lines.append(f"- **Settlement changed**: {name}: " + "; ".join(also + ([what] if what else [])
                                                                       or ["its date"]))
    return lines


# -- value figures -----------------------------------------------------------------------------
def _flat(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for key in sorted(value, key=str):
            _flat(f"{prefix}.{key}", value[key], out)
    elif isinstance(value, list):
        out[prefix] = ", ".join(str(v) for v in value)
    else:
        out[prefix] = value


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _contributor_name(row: dict, model: Model) -> str | None:
    """A new contributor as a public comment may name them (same rules as the site)."""
    if row.get("member"):
        return _who(model, row["id"]) if row["id"] in model.members else None
    if row.get("visibility") == "hidden":
        return None
    from ..views.contributors import opted_out

    if model.config.non_members == "pseudonym" or opted_out(row, model.config.opt_out):
        from ..people import pseudonym

        return pseudonym(row["id"], model.community.name)
    return row.get("name") or None


def value_section(repo_path: Path, subdir: str, base_ref: str, head_ref: str, base: Model | None,
                  head: Model) -> list[str]:
    try:
        from value.errors import ValueEngineError
        from value.report import build_report

        from ..landedfiles import DataFileKeys
        from ..valuation import community_data, counted_folder
    except ImportError:  # pragma: no cover - the value package ships with Commonplace
        return ["_Value figures not compared: the value engine is not installed._"]
    try:
        # each side's records land as its own build would place them (VALUE.md, "When a record counts")
        before = build_report(repo_path, subdir=counted_folder(base, subdir), files_in=subdir or None, ref=base_ref,
                              data=community_data(base) if base else None,
                              data_files=DataFileKeys(base.config.kinds) if base else None)
        after = build_report(repo_path, subdir=counted_folder(head, subdir), files_in=subdir or None, ref=head_ref,
                             data=community_data(head), data_files=DataFileKeys(head.config.kinds))
    except ValueEngineError as exc:
        return [f"_Value figures not compared: {exc}_"]

    lines: list[str] = []
    old_ids = {row["id"] for row in before.contributors}
    new_rows = [row for row in after.contributors if row["id"] not in old_ids]
    if new_rows:
        names = [n for n in (_contributor_name(r, head) for r in new_rows) if n]
        lines.append(f"New contributors ({len(new_rows)}): {_names(names, len(new_rows) - len(names), 'not named')}")

    rows = []
    for dimension in after.dimensions:
        b_flat: dict = {}
        h_flat: dict = {}
        for key, value in after.dimensions[dimension].items():
            if (dimension, key) not in _SHOWN_FROM_MODEL:
                _flat(key, value, h_flat)
        for key, value in before.dimensions.get(dimension, {}).items():
            if (dimension, key) not in _SHOWN_FROM_MODEL:
                _flat(key, value, b_flat)
        for key in sorted(set(b_flat) | set(h_flat)):
            if b_flat.get(key) != h_flat.get(key):
                rows.append((dimension.replace("_", " "), key, _fmt(b_flat.get(key)), _fmt(h_flat.get(key))))
    if rows:
        lines += ["", "| dimension | indicator | before | after |", "|---|---|--:|--:|"]
        lines += [f"| {d} | `{k}` | {b} | {a} |" for d, k, b, a in rows[:MAX_ROWS]]
        if len(rows) > MAX_ROWS:
            lines.append(f"\n_…and {len(rows) - MAX_ROWS} more indicators._")
    return lines


# -- the Markdown ------------------------------------------------------------------------------
def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(base_label: str, head_label: str, base: Side, head: Side, changes: PageChanges,
             figure_rows, notes, value_lines, identity_lines=(), settlements=()) -> str:
    out = [HEADING, ""]
    if settlements:  # what gets paid: before anything else
        out += ["### Settlements", "", *settlements, ""]
    moved = len(figure_rows)
    identities = ["", "### Identities", ""] + list(identity_lines) if identity_lines else []
    if changes.total == 0 and changes.other_files == 0 and not figure_rows and not notes:
        out.append(f"Compared {head_label} with {base_label}: {NO_CHANGE}")
        out += identities
        if value_lines:
            out += ["", "### Value", ""] + value_lines
        return "\n".join(out) + "\n"
    out.append(
        f"Compared {head_label} with {base_label}: {len(changes.added)} page{'s' * (len(changes.added) != 1)} added, "
        f"{len(changes.changed)} changed, {len(changes.removed)} removed; "
        f"{moved} figure{'s' * (moved != 1)} moved."
    )
    if base.error:
        out += ["", f"> The base did not build ({base.error}), so every page of this change counts as added."]

    out += ["", "### Pages", ""]
    if changes.total:
        out += ["| change | page | title |", "|---|---|---|"]
        rows = [("added", rel, head.files) for rel in changes.added]
        rows += [("changed", rel, head.files) for rel in changes.changed]
        rows += [("removed", rel, base.files) for rel in changes.removed]
        rows = sorted(rows, key=lambda r: (("added", "changed", "removed").index(r[0]), page_url(r[1])))
        for kind, rel, files in rows[:MAX_ROWS]:
            out.append(f"| {kind} | `{page_url(rel)}` | {_cell(page_title(files[rel]))} |")
        if len(rows) > MAX_ROWS:
            out.append(f"\n_…and {len(rows) - MAX_ROWS} more pages._")
    else:
        out.append("No page added, changed or removed.")
    if changes.other_files:
        n = changes.other_files
        out += ["", f"{n} other file{'s' * (n != 1)} (open data, feed, sitemap, assets) also change{'s' * (n == 1)}."]

    out += ["", "### Figures", ""]
    if figure_rows:
        out += ["| figure | before | after | change |", "|---|--:|--:|--:|"]
        out += [f"| {_cell(name)} | {b} | {a} | {d} |" for name, b, a, d in figure_rows]
    else:
        out.append("No figure moved.")
    if notes:
        out += [""] + [f"- {_cell(note)}" for note in notes]
    out += identities
    if value_lines:
        out += ["", "### Value", ""] + value_lines
    return "\n".join(out) + "\n"


def invalid_markdown(head_label: str, findings: list[Finding], error: str) -> str:
    out = [HEADING, "", f"The data of {head_label} is not valid: {error}. The portal would not build.", ""]
    if findings:
        out += ["| file | line | problem |", "|---|--:|---|"]
        out += [f"| `{f.path}` | {f.line}:{f.col} | {_cell(f.message)} |" for f in findings]
    return "\n".join(out) + "\n"


# -- the command -------------------------------------------------------------------------------
def _resolve(repo: pygit2.Repository, ref: str) -> pygit2.Commit:
    import pygit2

    try:
        return repo.revparse_single(ref).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise CommonplaceError(
            f"unknown revision '{ref}': give a branch, tag or commit that exists "
            "(in CI, fetch the whole history: `fetch-depth: 0` on GitHub, `GIT_DEPTH: 0` on GitLab)"
        ) from None


def diff(source: Path, base_ref: str, head_ref: str | None = None) -> tuple[str, int, list[Finding], str]:
    """(Markdown, exit code, head findings, head error) for the change from `base_ref` to the head."""
    import pygit2

    from ..cache.folders import peers_dir
    from ..gitinfo import repo_info

    source = Path(source)
    info = repo_info(source)
    if info.workdir is None:
        raise CommonplaceError(f"{source} is not inside a git repository: `diff` compares two revisions of one")
    repo = pygit2.Repository(str(info.workdir))
    base_commit = _resolve(repo, base_ref)
    head_commit = _resolve(repo, head_ref) if head_ref else None
    base_label = f"base `{str(base_commit.id)[:7]}`"
    head_label = f"`{str(head_commit.id)[:7]}`" if head_commit else "the work tree"
    epoch = (head_commit.commit_time if head_commit else info.head_time) or base_commit.commit_time

    with tempfile.TemporaryDirectory(prefix="commonplace-diff-") as tmp, _epoch(epoch):
        scratch = Path(tmp)
        head_source = source
        if head_commit is not None:
            head_source = checkout(repo, head_commit, info.subdir, scratch / "head")
            if head_source is None:
                raise CommonplaceError(f"'{info.subdir}' does not exist at {head_ref}")
        peers = peers_dir(source)  # both sides read the peers as the head build does
        head = build_side("head", head_source, (source, str(head_commit.id)) if head_commit is not None else None,
                          peers)
        if head.model is None:
            return invalid_markdown(head_label, head.findings, head.error), 1, head.findings, head.error

        base_source = checkout(repo, base_commit, info.subdir, scratch / "base")
        if base_source is not None:
            base = build_side("base", base_source, (source, str(base_commit.id)), peers)
        else:
            base = Side("base", error=f"'{info.subdir or '.'}' does not exist at {base_ref}")

    # The figures are written with each community currency's decimals: the head's declarations,
    # and the base's of a currency the head no longer declares (each side was built with its own).
    currencies.declare({**(base.model.config.currencies if base.model else {}), **head.model.config.currencies})
    changes = compare_sites(base.files, head.files)
    figure_rows, notes = figures(base.model, head.model)
    value_lines = value_section(info.workdir, info.subdir, str(base_commit.id),
                                str(head_commit.id) if head_commit else "HEAD", base.model, head.model)
    identity_lines = identity_section(repo, info.workdir, info.subdir, base_commit, head_commit, base.model, head.model)
    text = markdown(base_label, head_label, base, head, changes, figure_rows, notes, value_lines, identity_lines,
                    settlement_lines(base.model, head.model))
    advice_lines = advice_section(base, head)
    if advice_lines:
        text += "\n".join(["", "### Sustainability", ""] + advice_lines) + "\n"
    return text, 0, [], ""


def advice_section(base: Side, head: Side) -> list[str]:
    """The sustainability findings this change adds or resolves, from each side's advice (the
    views stage's, which data/advice.json publishes)."""
    from ..views.advice import changes_lines

    return changes_lines(base.advice, head.advice or {"findings": []})


def run(args) -> int:
    source = community_folder(args.source)
    text, code, findings, error = diff(source, args.base, args.head)
    sys.stdout.write(text)
    if code:
        sys.stderr.write(diagnostics.as_text(findings))
        print(f"the head does not build: {error}", file=sys.stderr)
    return code
