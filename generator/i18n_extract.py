"""`pybabel extract`'s reader for the theme's templates (babel.cfg names it).

Jinja's own extractor finds `_()`, `gettext()` and `ngettext()`; the theme also writes plurals
as `_n(singular, plural, n)` and attribute words as `"words" | tr`, which it does not know.
"""

from __future__ import annotations

import io
import re

# A string literal piped into `tr`: "Search the site" | tr
_TR_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*\|\s*tr\b')


def extract_theme(fileobj, keywords, comment_tags, options):
    """Messages of one template: Jinja's, with `_n` read as `ngettext`, and the `tr` literals."""
    from jinja2.ext import babel_extract

    source = fileobj.read()
    for lineno, funcname, messages, comments in babel_extract(io.BytesIO(source), [*keywords, "_n"],
                                                              comment_tags, options):
        yield lineno, ("ngettext" if funcname == "_n" else funcname), messages, comments
    text = source.decode(options.get("encoding", "utf-8"))
    for match in _TR_LITERAL.finditer(text):
        words = match.group(1).replace('\\"', '"')
        yield text.count("\n", 0, match.start()) + 1, "gettext", words, []
