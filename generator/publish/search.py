"""Site search with Pagefind, when the `commonplace-portal[search]` extra is installed.

Pagefind runs offline from its PyPI package; it indexes the rendered pages and writes a static
bundle (`pagefind/`) that the search page loads from the site itself, never from another host.
`serve` may show a build's new pages with the previous index and re-index afterwards (see
`defer_index`).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Callable

from ..cache.manifest import Manifest
from ..errors import CommonplaceError
from ..sitefiles import SiteFiles

ENABLE_HINT = ("search is off: install the search extra to add a search page "
               "(`pip install 'commonplace-portal[search]'`, or `pip install '.[search]'` in a clone)")


def available() -> bool:
    if importlib.util.find_spec("pagefind") is None:
        return False
    return any(importlib.util.find_spec(name) is not None for name in ("pagefind_bin_extended", "pagefind_bin"))


class IndexStopped(CommonplaceError):
    """Indexing was stopped by its `stop` (a newer build is waiting): the index stays as it was."""


def index(files: SiteFiles, language: str, timeout: int = 900, site: str | None = None,
          stop: Callable[[], bool] | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for the site's pages, as {path under the site: bytes}. `site`: a
    folder that already holds exactly these pages (a staging folder), read instead of a copy.
    `stop`: asked while Pagefind runs; True ends it (IndexStopped)."""
    with tempfile.TemporaryDirectory(prefix="commonplace-search-") as tmp:
        bundle = Path(tmp) / "bundle"
        if site is None:
            site = Path(tmp) / "site"
            for rel, data in files.files.items():
                if rel.endswith(".html"):
                    target = site / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
                   "--force-language", language.split("-")[0]]
        try:
            if stop is None:
                result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            else:
                result = _run_stoppable(command, timeout, stop)
        except subprocess.TimeoutExpired:
            raise CommonplaceError(f"search indexing took more than {timeout} s: try again, or uninstall "
                                   "the search extra") from None
        if result.returncode != 0:
            raise CommonplaceError(f"search indexing failed: {(result.stderr or result.stdout).strip()[-500:]}")
        return {f"pagefind/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}


def _run_stoppable(command: list[str], timeout: int, stop: Callable[[], bool]) -> subprocess.CompletedProcess:
    """`subprocess.run` that asks `stop` every STOP_POLL seconds; Pagefind is ended however this
    ends (`python -m pagefind` becomes the binary itself on POSIX: it starts no process of its own)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                out, err = proc.communicate(timeout=STOP_POLL)
                return subprocess.CompletedProcess(command, proc.returncode, out, err)
            except subprocess.TimeoutExpired:
                if stop():
                    raise IndexStopped("a newer build came first; its own index follows it") from None
                if time.monotonic() > deadline:
                    raise
    finally:
        if proc.returncode is None:
            proc.kill()
            proc.communicate()


STOP_POLL = 0.1  # seconds between two questions to `stop`

# Where Pagefind's bundle lives in the site.
SEARCH_BUNDLE = "pagefind/"
# Marks a manifest whose site still has the previous build's search index.
INDEX_PENDING = "index-pending:"


def kept_index(previous: Manifest) -> dict[str, list]:
    """The previous build's search bundle, as its manifest entries: kept as it is for now."""
    return {rel: entry for rel, entry in previous.files.items() if rel.startswith(SEARCH_BUNDLE)}


def defer_index(manifest: Manifest, source: Path, out_dir: Path, files: SiteFiles,
                language: str) -> tuple[Manifest, Callable[[], list[str]]]:
    """For a site published with its previous search index kept: the manifest to save, which
    says the site is not up to date, and what replaces the index and then records it as current."""
    later = partial(_index_later, source, out_dir, files, language, manifest)
    return replace(manifest, fingerprint=INDEX_PENDING + manifest.fingerprint), later  # stopped before: not up to date


def _index_later(source: Path, out_dir: Path, files: SiteFiles, language: str, manifest: Manifest, stop=None) -> list[str]:
    """Replace the kept search index with one of `files`' pages, then record the site as current."""
    from .staging import update_site, written_entries  # here: a build with nothing to do never loads it

    bundle = SiteFiles()
    # The output folder holds exactly these pages now (the build wrote them, nothing else runs
    # in between): Pagefind reads them there rather than from a fresh copy.
    # `stop`: see `index`; stopped, the kept index and the record saying it is pending stay
    for rel, data in index(files, language, site=str(out_dir), stop=stop).items():
        bundle.add(rel, data)
    hashes = bundle.digests()
    old = {rel: entry[0] for rel, entry in manifest.files.items() if rel.startswith(SEARCH_BUNDLE)}
    written = update_site(bundle, out_dir, old, hashes)
    entries = {rel: entry for rel, entry in manifest.files.items() if not rel.startswith(SEARCH_BUNDLE)}
    replace(manifest, files={**entries, **written_entries(out_dir, hashes)}).save(source, out_dir)
    return written
