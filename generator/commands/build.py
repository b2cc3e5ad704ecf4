"""`commonplace build`: the portal built into a folder, with a one-line account of what was written."""

from __future__ import annotations

import sys
from pathlib import Path

from ..build import build
from . import community_folder, counted


def run(args) -> int:
    source = community_folder(args.source)
    result = build(source, Path(args.output) if args.output else None, base_url=args.base_url,
                   incremental=not args.clean, search=False if args.no_search else None, strict=args.strict)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.strict and result.warnings:  # a build with nothing to do still fails on the last one's warnings
        print("failing because of warnings (--strict)", file=sys.stderr)
        return 1
    if result.unchanged:
        print(f"Nothing changed: {result.out_dir} is up to date ({counted(result.pages, 'page', 'pages')})",
              file=sys.stderr)
    else:
        print(f"Built {counted(result.pages, 'page', 'pages')} ({counted(result.files, 'file', 'files')}, "
              f"{len(result.written):,} written) into "
              f"{result.out_dir}", file=sys.stderr)
    return 0
