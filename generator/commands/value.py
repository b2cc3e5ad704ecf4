"""`commonplace value`: the value report of a community, or of any git repository.

The JSON format carries every figure but not the contribution records, which `--records FILE|-`
streams as JSON Lines (value/recordlines.py): on a long history they are most of the report's
size, and what the text format prints needs none of them. What only one format uses is imported
when that format is asked for: a rebuild after one new commit is short, and imports count."""

from __future__ import annotations

import os
import sys

from ..errors import CommonplaceError
from ..valuation import value_report
from . import community_folder


def run(args) -> int:
    try:
        code = _run(args)
        sys.stdout.flush()  # here, not at exit: a reader gone is then seen below
        return code
    except BrokenPipeError:  # the reader stopped reading (`| head`): what it read stands
        # later writes (and the flush at exit) go nowhere, as a killed `git log | head` says nothing
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # a standard output without a descriptor: nothing to flush into
            pass
        return 141  # 128 + SIGPIPE, as a shell reports a pipe's writer ended by it


def _run(args) -> int:
    folder = community_folder(args.source)
    records = getattr(args, "records", None)
    # the text prints overall figures only: its report leaves out the months and the records;
    # the JSON prints every figure, and the records only go to --records
    result = value_report(folder, ref=args.ref, summary=args.format != "json" and not records,
                          with_records=bool(records))
    if records:
        _write_records(result, records)
        if records == "-":  # the records are the output: a report after them would spoil the stream
            return 0
    if args.format == "json":
        from value.formats import no_commits_note

        note = no_commits_note(result)
        if note:  # the table says it first; JSON says it beside the figures
            sys.stderr.write(f"note: {note}\n")
        from value.jsontext import write_json

        write_json(result.to_json(records=False), sys.stdout)  # json.dumps(indent=2, sort_keys=True), streamed
    else:
        sys.stdout.write(_text(result, folder))
    return 0


def _text(result, folder) -> str:
    """The report in the portal's words. The terminal speaks as the portal does: its words, its
    English formats, the inactivity window of the community's config and its projects' titles."""
    from ..cache.folders import holds_community
    from ..i18n import english
    from ..views.value_text import report_text

    model = None
    if holds_community(folder):
        from ..load.loader import load_community

        model = load_community(folder)
    days = model.config.inactive_days if model else 180
    projects = {slug: p.title for slug, p in model.projects.items()} if model else {}
    return report_text(result, english(), days, projects)


def _write_records(result, target: str) -> None:
    from value.recordlines import write_records

    if target == "-":
        write_records(result, sys.stdout)
        return
    try:
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            write_records(result, out)
    except OSError as exc:
        raise CommonplaceError(f"{target}: cannot write the records there ({exc.strerror or exc}): "
                               "give a file in a folder you can write to, or - for the standard output") from None
