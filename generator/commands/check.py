"""`commonplace check`: the build without writing. Every stage of `build` runs (load and validate,
value, federation, every page rendered in memory, the address guard) and every problem they find
is printed at once, in the format a CI wants. Nothing of the site is written: no output folder,
no staging folder, no manifest (so the next build never takes the output for up to date). The
caches a build keeps in the git folder are kept as a build keeps them (parsed files, rendered
Markdown, template analyses, compiled templates; the value engine's history): each entry is
keyed by a digest of what it was made from, so a later build trusts only what is still true.
With `--advice`, then the sustainability advice (the same findings as the site's), and on
standard error the `.mailmap` lines proposed for people who commit under one name with several
addresses (`value/clusters.py`): they hold addresses, so they reach the terminal only, never the
JSON advice."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import diagnostics
from ..errors import CommonplaceError, DataError, Finding
from ..gitinfo import repo_info
from . import community_folder

if TYPE_CHECKING:
    from ..build import Prepared


def run(args) -> int:
    source = community_folder(args.source)
    findings, ready = check(source)
    failing = [f for f in findings if f.severity == "error" or args.strict]
    prefix = repo_info(source).subdir if args.format in ("github", "gitlab") else ""
    if not (args.advice and args.format == "json"):  # one JSON document on stdout, not two
        sys.stdout.write(diagnostics.render(findings, args.format, prefix))
    if args.format == "text" or (args.advice and args.format == "json"):
        print(diagnostics.summary(findings), file=sys.stderr)
    if args.advice and ready is not None:
        print_advice(ready, args.format)
        if args.format == "text":  # what a person reads; a CI's formats, whose logs may be public, never get them
            print_mailmap_proposals(ready)
    return 1 if failing else 0


def check(source: Path) -> tuple[list[Finding], Prepared | None]:
    """Every finding (errors and warnings) a build of `source` would stop on or print, sorted,
    and what the build prepared when nothing stopped it. A refusal that names no file (a shallow
    clone, a cache folder that is a link) is one finding without a path. Writes nothing."""
    from ..build import open_cache, prepare, search_available

    cache = open_cache(source, keep=True)
    try:
        ready = prepare(source, cache, search=search_available())
    except DataError as exc:
        return list(exc.findings), None
    except CommonplaceError as exc:
        return [Finding("", 0, 0, str(exc))], None
    cache.save()  # as a build saves it: every entry is keyed by what it was made from
    return sorted(ready.model.warnings), ready


def print_advice(ready: Prepared, output_format: str) -> None:
    """The advice as of the build's date (SOURCE_DATE_EPOCH, else the last commit's), as this
    build publishes it: the views stage's."""
    from ..i18n import english
    from ..views.advice import terminal_lines

    model = ready.model
    advice = ready.views.advice.advice
    if output_format == "json":
        sys.stdout.write(json.dumps(advice, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return
    sys.stdout.write("\n".join(["", "Sustainability advice", *terminal_lines(model, advice, english())]) + "\n")


def print_mailmap_proposals(ready: Prepared) -> None:
    """The `.mailmap` lines proposed for same-name identities, on standard error (never in the
    advice's JSON, which a CI may publish)."""
    from value.clusters import mailmap_proposals

    lines = mailmap_proposals(ready.report)
    if not lines:
        return
    print("\n".join([
        "",
        "The same name with different addresses: if each line is truly one person, add it to .mailmap",
        "(at the repository's top) so their work counts once. Two people can share a name: check first.",
        *(f"  {line}" for line in lines),
    ]), file=sys.stderr)
