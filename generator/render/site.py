"""Model -> the site's files. Rendering never reads git or the file system beyond the theme, and
never writes: it returns the files, and publishing writes them."""

from __future__ import annotations

import jinja2

from ..model import Model
from ..publish.files import SiteFiles
from . import remoteloads
from .context import BuildInfo, SiteContext
from .datafiles import add_data_files
from .environment import site_environment
from .feeds import feed_files
from .markdown import MarkdownRenderer
from .pagefiles import render_pages
from .pages import Page, site_pages
from .theme import theme_assets


def render_site(model: Model, info: BuildInfo, report: dict | None = None, federation=None,
                search: bool = False, cache=None) -> SiteFiles:
    """Every file of the site, with its pages listed in the result's `pages`. `cache`, a
    BuildCache: Markdown rendered by earlier builds, and what this one rendered is kept in it."""
    site = SiteContext(model, info, report, federation, search)
    markdown = MarkdownRenderer(cache.markdown if cache is not None else {})
    env = site_environment(site, markdown, cache)
    pages = site_pages(site)
    htmls, others, (made, used) = render_pages(env, site, pages, markdown, lambda: other_files(env, site, pages))
    if cache is not None:
        cache.keep_markdown(made)
        cache.keep_markdown({text: cache.markdown[text] for text in used})
    files = SiteFiles()
    for page, (data, digest) in zip(pages, htmls):
        files.add(page.output, data, digest)
    files.pages = {page.output for page in pages}
    for rel, content in others.files.items():
        files.add(rel, content)
    return files


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
