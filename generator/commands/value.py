"""`commonplace value`: the value report of a community, or of any git repository."""

from __future__ import annotations

import json
import sys

from value.formats import no_commits_note

from ..cache.folders import holds_community
from ..i18n import english
from ..load.loader import load_community
from ..valuation import value_report
from ..views.value_text import report_text
from . import community_folder


def run(args) -> int:
    folder = community_folder(args.source)
    result = value_report(folder, ref=args.ref)
    if args.format == "json":
        note = no_commits_note(result)
        if note:  # the table says it first; JSON says it beside the figures
            sys.stderr.write(f"note: {note}\n")
        sys.stdout.write(json.dumps(result.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        # The terminal speaks as the portal does: its words, its English formats, the inactivity
        # window of the community's config and its projects' titles.
        model = load_community(folder) if holds_community(folder) else None
        days = model.config.inactive_days if model else 180
        projects = {slug: p.title for slug, p in model.projects.items()} if model else {}
        sys.stdout.write(report_text(result, english(), days, projects))
    return 0
