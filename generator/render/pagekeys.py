"""What a page was rendered from, as one digest: a rebuild renders again only the pages whose
digest changed, and takes the others' files from the previous site.

A page's key covers everything its file can depend on:

- the generator's code and the parser versions (`code_stamp`), the catalogue (every filter
  and `_()` call reads it) and the site's configuration (links, the base path, the forge);
- the source of its template and of every template that one extends, includes or imports,
  found in the templates' syntax trees (a template named by an expression could be any
  template: such a theme keys every page on all of its templates);
- the globals its templates read and its context does not shadow, each as a digest, found
  from the same trees (`jinja2.meta.find_undeclared_variables`): a member's page that only
  reads its own context does not change when another member's file does;
- the page itself: path, template, title, description, source and its whole context, the
  lazy parts computed (or what they are computed from, see `Page.lazy_keys`), serialised with pickle.

Pickle writes an object's whole state, so two contexts with the same bytes render the same
page. The reverse does not hold (pickle's output also reflects which objects are shared, and
the order of sets), which only costs a page rendered again. Anything pickle cannot write (a
function in a context, say) gives the page no key, and it is always rendered.
"""

from __future__ import annotations

import hashlib

import jinja2
from jinja2 import meta

from ..cache.buildcache import code_stamp
from ..cache.stablepickle import stable_pickle
from .context import SiteContext
from .pages import Page

# Names every page receives from `render_page`, besides its context.
PAGE_NAMES = frozenset({"page", "root", "edit_url", "files_url", "canonical"})


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class PageKeys:
    """Keys of one build's pages, with what every page of a template shares worked out once
    (in the parent, before the render workers fork)."""

    def __init__(self, env: jinja2.Environment, site: SiteContext, cache=None):
        self.env = env
        self.cache = cache  # a BuildCache: templates analysed by earlier builds
        self.site = site
        # Jinja leaves a name out of a template's undeclared ones when the environment defines it
        # as a global; those are the names wanted here, so templates are parsed without globals.
        self.parser = jinja2.Environment(trim_blocks=env.trim_blocks, lstrip_blocks=env.lstrip_blocks,
                                         extensions=list(env.extensions))
        self.parser.filters.update(env.filters)
        self.parser.tests.update(env.tests)
        catalogue = site.catalogue
        shared = stable_pickle((catalogue.language, catalogue.messages, catalogue.formats, catalogue.plural,
                                site.model.config, site.base_path, site.own_host, site.absolute))
        self.base = None if shared is None else _digest(code_stamp().encode(), shared)
        self._globals: dict[str, str | None] = {}
        self._templates: dict[str, tuple[str, frozenset[str]] | None] = {}
        self._all: tuple[str, frozenset[str]] | None = None

    def _read(self, name: str) -> tuple[str, set[str], set[str] | None]:
        """A template's source digest, the names it reads, and the templates it names (None: one
        named by an expression, which could be any)."""
        source = self.env.loader.get_source(self.env, name)[0]
        digest = _digest(name.encode(), source.encode("utf-8", "surrogatepass"))
        # Parsing the theme's templates costs about a second: the analysis of a template's text
        # is kept (the cache is only valid for this very code, parser settings included).
        known = self.cache.get_derived("template:" + digest) if self.cache is not None else None
        if known is None:
            tree = self.parser.parse(source)
            refs: set[str] | None = set()
            for ref in meta.find_referenced_templates(tree):
                if ref is None:
                    refs = None
                    break
                refs.add(ref)
            known = (frozenset(meta.find_undeclared_variables(tree)), None if refs is None else frozenset(refs))
            if self.cache is not None:
                self.cache.put_derived("template:" + digest, known)
        reads, refs = known
        return digest, set(reads), None if refs is None else set(refs)

    def _every_template(self) -> list[str]:
        return sorted(self.env.loader.list_templates()) if hasattr(self.env.loader, "list_templates") else []

    def template(self, name: str) -> tuple[str, frozenset[str]] | None:
        """The digest of a template with everything it uses, and the names they all read."""
        if name not in self._templates:
            try:
                self._templates[name] = self._closure([name])
            except (jinja2.TemplateError, OSError):
                self._templates[name] = None  # rendering reports it
        return self._templates[name]

    def _closure(self, names: list[str]) -> tuple[str, frozenset[str]]:
        todo, seen, digests, reads = list(names), set(), [], set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                digest, read, refs = self._read(name)
            except jinja2.TemplateNotFound:
                digests.append(_digest(b"missing", name.encode()))
                continue
            digests.append(digest)
            reads |= read
            if refs is None:  # an include by expression: any template may be used
                todo.extend(self._every_template())
            else:
                todo.extend(refs)
        return _digest(*sorted(d.encode() for d in digests)), frozenset(reads)

    def _global(self, name: str) -> str | None:
        if name not in self._globals:
            value = self.env.globals[name]
            if name in ("_", "_n"):  # the catalogue's methods: the catalogue is in `base`
                self._globals[name] = "catalogue"
            else:
                data = stable_pickle(value)
                self._globals[name] = None if data is None else _digest(name.encode(), data)
        return self._globals[name]

    def prepare(self, templates) -> None:
        """Work out every template's part and every global's digest now, so the forked workers
        inherit them rather than each doing it again."""
        for name in sorted(templates):
            used = self.template(name)
            if used is not None:
                for read in sorted(used[1]):
                    if read in self.env.globals:
                        self._global(read)

    def key(self, page: Page, lazies: dict) -> str | None:
        """The page's key, or None when it cannot have one (it is then always rendered)."""
        used = self.template(page.template)
        if self.base is None or used is None:
            return None
        template_digest, reads = used
        parts = [self.base.encode(), template_digest.encode()]
        for name in sorted(reads - PAGE_NAMES - page.context.keys() - lazies.keys()):
            if name in self.env.globals:
                digest = self._global(name)
                if digest is None:
                    return None
                parts.append(digest.encode())
        data = stable_pickle((page.path, page.filename, page.template, page.title, page.description, page.source,
                         page.context, lazies))
        if data is None:
            return None
        parts.append(data)
        return _digest(*parts)
