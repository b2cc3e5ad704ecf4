#!/usr/bin/env python3
"""Benchmark: checking data files against schemas/, three ways, measured in one run.

    python bench/schemas.py [--repeat 50] [--members 5000] [--runs 5] [--broken 1]

The three ways, each giving the same findings (validate()'s located, worded messages):

- schemafast: today's path. generator/load/schemafast.py says "certainly valid" or "not sure";
  jsonschema runs only on the files it is not sure of, to word the findings.
- fastjsonschema: the same path with fastjsonschema's generated code as the quick check
  (the schema translated to draft-07 in memory, `default` not applied, jsonschema's own
  `date` and `email` checks), jsonschema again for the files it rejects.
- jsonschema: Draft202012Validator with FormatChecker() on every file.

Corpora, each parsed once as the loader parses them (generator/load/parse.py) and then only
validated: the example community (every data file, --repeat times per run, as a watching
`serve` does) and a synthetic community of --members member files plus projects, events, kudos
and a ledger made by bench/render.py's generator. `--broken N` also runs the synthetic community
with N% of its files given an unknown key, so the slow path is taken too.

Figures: the median of --runs runs per cell, seconds, and each way's ratio to schemafast. The
setup row is a fresh interpreter importing the library and preparing every schema (the cost a
one-shot `commonplace build` pays once), timed inside that interpreter.
Needs fastjsonschema (`pip install fastjsonschema`); nothing is installed by the script.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.load import validate as validation  # noqa: E402
from generator.load.listing import COLLECTIONS, MD_EXT  # noqa: E402
from generator.load.schemafast import fast_valid  # noqa: E402
from generator.load.yamlsafe import YamlDoc, load_yaml  # noqa: E402
from generator.resources import schema, schemas_dir  # noqa: E402

KINDS = sorted(p.name.removesuffix(".schema.json") for p in schemas_dir().glob("*.schema.json"))
TOP_FILES = {"commonplace.yaml": "commonplace", "community.yaml": "community", "federation.yaml": "federation"}
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


# --- the documents ---------------------------------------------------------------------------

def kind_of(rel: str) -> tuple[str, bool] | None:
    if rel in TOP_FILES:
        return TOP_FILES[rel], False
    folder, _, name = rel.partition("/")
    if folder in COLLECTIONS and "/" not in name:
        kind, extensions = COLLECTIONS[folder]
        if name.endswith(extensions):
            return kind, extensions == MD_EXT
    return None


def parsed(files: dict[str, str]) -> list[tuple[str, str, YamlDoc]]:
    """(rel, kind, document) of every data file, read as generator/load/parse.py reads it."""
    docs = []
    for rel, text in sorted(files.items()):
        found = kind_of(rel)
        if not found:
            continue
        kind, markdown = found
        offset = 0
        if markdown:
            lines = text.splitlines(keepends=True)
            end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
            text, offset = "".join(lines[1:end]), 1
        doc, problems = load_yaml(text, rel, line_offset=offset)
        if doc is None or problems:
            raise SystemExit(f"{rel}: cannot be read: {problems}")
        if doc.data is None:
            doc.data = {}
        docs.append((rel, kind, doc))
    return docs


def example_files() -> dict[str, str]:
    base = ROOT / "example-community"
    return {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8") for p in base.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts)}


def synthetic_files(members: int, seed: int) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "render.py")
    render = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = render  # dataclasses look their module up while the class is made
    spec.loader.exec_module(render)
    rng = random.Random(seed)
    text = render.Text(rng)
    people = render.make_members(members, text)
    handles = [m.slug for m in people]
    items = people + render.make_projects(members // 4, handles, text) + render.make_events(members // 4, handles, text)
    ext = {"members": ".yaml", "projects": ".md", "events": ".md"}
    files = {f"{i.section}/{i.slug}{ext[i.section]}": i.source for i in items}
    kudos, ledger = render.kudos_and_ledger(handles, rng, text)
    files.update({"kudos/2025.yaml": kudos, "ledger/2025.yaml": ledger,
                  "commonplace.yaml": render.CONFIG, "community.yaml": render.COMMUNITY})
    return files


def broken(docs: list, percent: float, seed: int) -> list:
    """The same documents, `percent` of them with a misspelt key added at the top."""
    rng = random.Random(seed)
    out = []
    for rel, kind, doc in docs:
        if rng.random() * 100 < percent:
            doc = YamlDoc({**doc.data, "emial": "x"})
        out.append((rel, kind, doc))
    return out


# --- the three ways --------------------------------------------------------------------------

def jsonschema_date(text) -> bool:
    """jsonschema's `date` format check (FormatChecker): this pattern, then date.fromisoformat."""
    if not isinstance(text, str) or not ISO_DATE.fullmatch(text):
        return not isinstance(text, str)
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def as_draft_07(node):
    """Our draft 2020-12 schema as fastjsonschema reads it: `dependentSchemas` is draft-07's
    `dependencies` (fastjsonschema would ignore the newer name); `$defs` is reached by JSON
    pointer either way."""
    if isinstance(node, dict):
        out = {("dependencies" if key == "dependentSchemas" else key): as_draft_07(value)
               for key, value in node.items()}
        if "$schema" in out:
            out["$schema"] = DRAFT_07
        return out
    if isinstance(node, list):
        return [as_draft_07(item) for item in node]
    return node


def compile_fastjsonschema() -> dict:
    import fastjsonschema

    formats = {"date": jsonschema_date, "email": lambda text: not isinstance(text, str) or "@" in text}
    return {kind: fastjsonschema.compile(as_draft_07(copy.deepcopy(schema(kind))), formats=formats,
                                         use_default=False, handlers={"http": None, "https": None})
            for kind in KINDS}


def way_schemafast(docs) -> int:
    problems = 0
    for rel, kind, doc in docs:
        if not fast_valid(kind, doc.data):
            problems += len(validation.explain(kind, doc, rel))
    return problems


def make_way_fastjsonschema(compiled: dict):
    from fastjsonschema import JsonSchemaException

    def way(docs) -> int:
        problems = 0
        for rel, kind, doc in docs:
            try:
                compiled[kind](doc.data)
            except JsonSchemaException:
                problems += len(validation.explain(kind, doc, rel))
        return problems

    return way


def way_jsonschema(docs) -> int:
    return sum(len(validation.explain(kind, doc, rel)) for rel, kind, doc in docs)


# --- timing ----------------------------------------------------------------------------------

def prepare(way: str) -> None:
    """What one build does before its first file: import the library, get every schema ready."""
    if way == "schemafast":
        from generator.load.schemafast import checker

        for kind in KINDS:
            checker(kind)
    elif way == "fastjsonschema":
        compile_fastjsonschema()
    elif way == "jsonschema":
        for kind in KINDS:
            validation.validator(kind)


def setup_seconds(way: str) -> float:
    """prepare(way) in a fresh interpreter (nothing imported or compiled yet but this script's
    own imports, which every way shares), timed inside it."""
    out = subprocess.run([sys.executable, __file__, "--prepare", way], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return float(out)


def timed(way, docs, repeat: int) -> tuple[float, int]:
    start = time.perf_counter()
    for _ in range(repeat):
        problems = way(docs)
    return time.perf_counter() - start, problems


def row(label: str, cells: list[float], extra: str = "") -> str:
    base = cells[0]
    shown = "  ".join(f"{c:9.4f} s ({c / base:5.2f}×)" if base else f"{c:9.4f} s" for c in cells)
    return f"{label:<34} {shown}{extra}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50, help="validations of the example per run (default 50)")
    parser.add_argument("--members", type=int, default=5000, help="member files of the synthetic community (default 5000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is shown (default 5)")
    parser.add_argument("--broken", type=float, default=1.0, help="%% of synthetic files given an unknown key (default 1; 0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)  # the setup figure's child process
    args = parser.parse_args(argv)
    if args.prepare:
        start = time.perf_counter()
        prepare(args.prepare)
        print(time.perf_counter() - start)
        return 0
    try:
        compiled = compile_fastjsonschema()
    except ImportError:
        print("fastjsonschema is not installed: pip install fastjsonschema", file=sys.stderr)
        return 2

    ways = {"schemafast": way_schemafast, "fastjsonschema": make_way_fastjsonschema(compiled),
            "jsonschema": way_jsonschema}
    example = parsed(example_files())
    synthetic = parsed(synthetic_files(args.members, args.seed))
    corpora = [(f"example ({len(example)} files) × {args.repeat}", example, args.repeat),
               (f"synthetic ({len(synthetic)} files)", synthetic, 1)]
    if args.broken:
        bad = broken(synthetic, args.broken, args.seed)
        corpora.append((f"synthetic, {args.broken:g}% broken", bad, 1))

    print(f"Python {sys.version.split()[0]}, median of {args.runs} runs; ratio to schemafast in brackets\n")
    print(f"{'':<34} {'schemafast':<22}  {'fastjsonschema':<22}  {'jsonschema':<22}")
    print(row("setup (import, prepare schemas)",
              [statistics.median(setup_seconds(way) for _ in range(args.runs)) for way in ways]))
    for label, docs, repeat in corpora:
        for name, way in ways.items():
            way(docs)  # warm: the lazily built validators and compiled checks are ready
        figures, counts = [], set()
        for name, way in ways.items():
            times = []
            for _ in range(args.runs):
                seconds, problems = timed(way, docs, repeat)
                times.append(seconds)
                counts.add(problems)
            figures.append(statistics.median(times))
        if len(counts) != 1:  # every way must give the same findings, or the figures mean nothing
            print(f"{label}: the three ways disagree on the number of findings: {sorted(counts)}", file=sys.stderr)
            return 1
        per_file = " | per file: " + ", ".join(f"{t / (len(docs) * repeat) * 1e6:.1f} µs" for t in figures)
        print(row(label, figures, per_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
