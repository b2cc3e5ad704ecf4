"""Pages to the bytes of their files: rendered, checked to load nothing from elsewhere, and hashed;
by forked workers when there are many."""

from __future__ import annotations

import jinja2

from value.forkpool import run_sliced

from ..errors import CommonplaceError
from ..progress import Progress
from ..sitefiles import content_hash
from ..views.forge import edit_url, folder_url
from . import remoteloads
from .context import SiteContext
from .environment import compile_templates, template
from .markdown import MarkdownRenderer, text_digest
from .pagekeys import PageKeys
from .pages import FOLDERS, Page

# Rendering thousands of pages is CPU work that splits cleanly: with more than one core, forked
# workers render slices of the page list (they inherit the environment and the pages, so nothing
# is pickled but the HTML coming back), and the parent keeps the order, so output stays
# byte-identical. Forking pays for itself from about a hundred pages: measured in ABBA pairs,
# 0.05 s faster at 127 pages and 0.18 s at 307 than rendering in one process.
PARALLEL_MIN_PAGES = 100


def render_page(env: jinja2.Environment, site: SiteContext, page: Page, lazies: dict | None = None) -> str:
    """`lazies`: the page's lazy context, when already computed."""
    # The 404 page is served at any depth, so its links start from the site's base path.
    root = site.base_path if page.filename == "404.html" else page.root
    forge = site.model.config.forge
    if lazies is None:
        lazies = {key: make() for key, make in page.lazy.items()}
    try:
        return template(env, page.template).render(
            page=page, root=root, edit_url=edit_url(forge, page.source),
            files_url=folder_url(forge, FOLDERS.get(page.template, "")),
            canonical=site.url(page.path), **page.context, **lazies,
        )
    except jinja2.TemplateError as exc:
        raise CommonplaceError(f"template {page.template}: {exc}") from None


# A page's file: its bytes and their hash (None, None when the previous build's file is still
# right), the page's key (see pagekeys; None when it has none), and the digests of the Markdown
# texts it rendered (see markdown.text_digest; None when it was not rendered but taken from the
# build cache's page store, see cache.pagestore).
PageFile = tuple[bytes | None, str | None, str | None, list[str] | None]


def page_file(env: jinja2.Environment, site: SiteContext, page: Page, keys: PageKeys | None = None,
              previous: dict[str, str] | None = None,
              store=None) -> tuple[bytes | None, str | None, str | None, bool]:
    """A page as the bytes of its file and their hash, both made where it was rendered; with
    `keys`, its key too, and nothing rendered when `previous` (page file -> key of the last
    build) holds the same key, or when `store` (a cache.pagestore.PageStore) has the page's bytes
    under it (then the last value is True)."""
    # A lazy part with a stand-in (see Page.lazy_keys) is computed only if the page renders.
    lazies = {key: make() for key, make in page.lazy.items() if key not in page.lazy_keys}
    if keys is not None:
        key = keys.key(page, {**lazies, **{name: ("computed from", inputs) for name, inputs in page.lazy_keys.items()}})
    else:
        key = None
    if key is not None and previous and previous.get(page.output) == key:
        return None, None, key, False
    stored = store.get(key) if key is not None and store is not None else None
    if stored is not None:
        return stored[0], stored[1], key, True
    lazies.update((name, page.lazy[name]()) for name in page.lazy_keys)
    data = render_page(env, site, page, lazies).encode("utf-8")
    remoteloads.check(page.output, data, site.own_host, page.template)
    return data, content_hash(data), key, False


def render_pages(env: jinja2.Environment, site: SiteContext, pages: list[Page], markdown: MarkdownRenderer,
                 meanwhile, keys: PageKeys | None = None,
                 previous: dict[str, str] | None = None) -> tuple[list[PageFile], object, tuple[dict, list]]:
    """Every page's file (see `page_file`), in order; what `meanwhile()` returns: it runs in this
    process while the workers render, so the site's other files cost no extra time; and the
    Markdown rendered and reused on the way, by every process (see `MarkdownRenderer.harvest`)."""
    def render_slice(start: int, end: int) -> tuple[list[PageFile], tuple[dict, list]]:
        done = []
        store = site.cache.pages if site.cache is not None else None
        for page in pages[start:end]:
            markdown.texts = set()
            data, digest, key, stored = page_file(env, site, page, keys, previous, store)
            done.append((data, digest, key, None if stored else sorted(text_digest(text) for text in markdown.texts)))
        markdown.texts = None
        return done, markdown.harvest()

    def before_fork() -> None:  # templates compiled and analysed once here, not in every worker
        used = {page.template for page in pages}
        compile_templates(env, used)
        if keys is not None:
            keys.prepare(used)

    progress = Progress("Rendering pages", "pages")
    try:
        chunks, other = run_sliced(render_slice, len(pages), min_count=PARALLEL_MIN_PAGES, meanwhile=meanwhile,
                                   progress=progress, before_fork=before_fork)
    finally:
        progress.done()
    result, made, used = [], {}, []
    for htmls, (made_here, used_here) in chunks:
        result.extend(htmls)
        made.update(made_here)
        used.extend(used_here)
    made_here, used_here = markdown.harvest()  # what `meanwhile` rendered
    made.update(made_here)
    used.extend(used_here)
    return result, other, (made, used)
