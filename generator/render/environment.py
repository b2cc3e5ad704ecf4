"""The Jinja environment of one build: the theme's templates, the filters and globals every
template uses, compiled templates kept between builds, and template lookup.

Community templates come from pull requests, so they run in Jinja's sandbox, and autoescape is
on for every HTML and XML template.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import CommonplaceError
from ..views.proposals import proposal_links
from ..vocabulary import CONTRIBUTION_TYPES, area_label, role_label
from .context import SiteContext
from .markdown import MarkdownRenderer
from .navigation import nav_links, navigation
from .theme import ThemeLoader, has_own_templates, theme_folders


def make_environment(community_root: Path) -> jinja2.Environment:
    """Templates from a community's repository run in Jinja's sandbox; the bundled theme alone,
    which is ours, runs without the sandbox's per-attribute checks (a large part of render time)."""
    kind = ImmutableSandboxedEnvironment if has_own_templates(community_root) else jinja2.Environment
    env = kind(
        loader=ThemeLoader(theme_folders(community_root)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: checking template files per page is wasted work
        extensions=["jinja2.ext.i18n"],  # gettext, ngettext and {% trans %}; the catalogue is installed per site
    )
    return env


def site_environment(site: SiteContext, markdown: MarkdownRenderer, cache=None) -> jinja2.Environment:
    """The environment a build renders with: the theme's, with the site's filters and globals,
    and with `cache` (a BuildCache) the compiled templates of earlier builds."""
    model, catalogue = site.model, site.catalogue
    env = make_environment(model.root)
    env.filters.update(md=markdown.markup, date=catalogue.date, money=catalogue.money, number=catalogue.number,
                       percent=catalogue.percent, tr=catalogue.term,
                       area=lambda slug: catalogue.gettext(area_label(slug)),
                       role=lambda role: catalogue.gettext(role_label(str(role))),
                       contribution=lambda kind: catalogue.gettext(CONTRIBUTION_TYPES.get(kind, kind)),
                       nav_links=nav_links)
    if cache is not None and cache.path is not None:  # a build that keeps caches, in a repository
        from ..cache.buildcache import code_stamp
        from ..cache.folders import templates_dir
        from .templatecache import TemplateCache, salt

        env.bytecode_cache = TemplateCache(templates_dir(cache.path), salt(catalogue, env, code_stamp()))
    env.globals.update(
        site=model.config,
        community=model.community,
        people=site.people,
        nav=navigation(site),
        proposals=proposal_links(model),
        build=site.info,
        funding=model.funding,
        citation=model.citation,
    )
    # The theme's calls are `_("Hello {name}", name=x)` and `_n(singular, plural, n, name=x)`: the
    # catalogue's callables fill `{name}` placeholders and escape, so Jinja's own `%`-formatting
    # wrapper (newstyle) stays off. `_` and `_n` are bound straight to them: the extension's `_`
    # alias would look `gettext` up again on each of a page's hundreds of calls.
    env.install_gettext_callables(catalogue.markup, catalogue.nmarkup, newstyle=False)
    env.globals.update(_=catalogue.markup, _n=catalogue.nmarkup)
    return env


def template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """A template by name; a syntax error is reported with the template file's path and line."""
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise CommonplaceError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None


# The templates a template names in a plain `extends`, `include`, `import` or `from`.
_REFERENCED = re.compile(r'{%-?\s*(?:extends|include|import|from)\s+"([^"]+)"')


def compile_templates(env: jinja2.Environment, names) -> None:
    """Compile these templates and the ones they extend or include (as far as a plain
    `{% include "name" %}` shows; anything missed is compiled when first used)."""
    todo, done = sorted(names), set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
        except jinja2.TemplateNotFound:
            continue  # rendering reports it, with the page that needs it
        template(env, name)
        todo.extend(_REFERENCED.findall(source))
