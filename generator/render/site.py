"""Model and views -> the site's files. Rendering never reads git and never writes: it returns
the files, and publishing writes them. The only files it reads are the theme's and, on a rebuild,
the unchanged pages of the last build, read back through the `PreviousSite` it is given rather
than rendered again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2

from ..model import Model
from ..sitefiles import SiteFiles
from . import remoteloads
from .context import SiteContext
from .datafiles import add_data_files
from .environment import site_environment
from .feeds import feed_files
from .markdown import MarkdownRenderer
from .pagefiles import render_page, render_pages
from .pagekeys import PageKeys
from .pages import Page, site_pages
from .theme import theme_assets

if TYPE_CHECKING:
    from ..buildinfo import BuildInfo
    from ..cache.reuse import PreviousSite
    from ..views.stage import SiteViews


def render_site(model: Model, info: BuildInfo, report: dict | None, views: SiteViews,
                search: bool = False, cache=None, previous: PreviousSite | None = None) -> SiteFiles:
    """Every file of the site, with its pages listed in the result's `pages` and their keys in
    `keys`. `views`: what the pages show (see `views.stage`). `cache`, a BuildCache: Markdown rendered by earlier builds, and what this one rendered
    is kept in it. `previous`: the last build's site, whose pages are reused where their key
    did not change."""
    site = SiteContext(model, info, report, views, search)
    site.cache = cache
    markdown = MarkdownRenderer(cache.markdown if cache is not None else {})
    env = site_environment(site, markdown, cache)
    pages = site_pages(site)
    keys = PageKeys(env, site, cache)
    htmls, others, (made, used) = render_pages(env, site, pages, markdown, lambda: other_files(env, site, pages),
                                               keys, previous.keys if previous is not None else None)
    files = SiteFiles()
    texts: dict[str, list[str] | None] = {}  # page -> digests of the Markdown texts it renders
    for page, (data, digest, key, rendered) in zip(pages, htmls):
        texts[page.output] = rendered
        if data is None:
            data, digest = previous.read_back(page.output)
            texts[page.output] = None
            if data is None:  # gone since the check: rendered here after all
                data = render_page(env, site, page).encode("utf-8")
                digest = None
        if texts[page.output] is None:  # not rendered: the texts it rendered last time
            texts[page.output] = cache.page_texts.get(page.output) if cache is not None else None
        files.add(page.output, data, digest)
        if key is not None:
            files.keys[page.output] = key
            if cache is not None:
                cache.pages.put(key, data, files.digest(page.output))
    if cache is not None:
        cache.live_pages = set(files.keys.values())
    if cache is not None:
        _keep_reused_markdown(cache, texts)
        cache.keep_markdown(made)
        cache.keep_markdown({text: cache.markdown[text] for text in used})
    files.pages = {page.output for page in pages}
    for rel, content in others.files.items():
        files.add(rel, content)
    return files


def _keep_reused_markdown(cache, texts: dict[str, list[str] | None]) -> None:
    """Keep in the cache the Markdown of the pages read back rather than rendered (their texts
    are the ones they rendered last time), and record every page's texts for the next build."""
    from .markdown import text_digest

    rendered = {output: digests for output, digests in texts.items() if digests is not None}
    cache.keep_page_texts(rendered)
    if any(digests is None for digests in texts.values()):  # unknown: keep everything we had
        cache.keep_markdown(cache.markdown)
        return
    wanted = {digest for output, digests in rendered.items() for digest in digests}
    cache.keep_markdown({text: html for text, html in cache.markdown.items() if text_digest(text) in wanted})


def other_files(env: jinja2.Environment, site: SiteContext, pages: list[Page]) -> SiteFiles:
    """Everything but the pages: feed, sitemap, assets, reward tables and open data."""
    files = SiteFiles()
    for rel, content in feed_files(env, site, pages).items():
        files.add(rel, content)
    for rel, content in theme_assets(site.model.root).items():
        if rel.endswith((".css", ".svg", ".html", ".htm")):
            remoteloads.check(f"assets/{rel}", content, site.own_host)
        files.add(f"assets/{rel}", content)
    add_data_files(files, site)
    return files
