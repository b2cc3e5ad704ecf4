"""Site search with Pagefind, when the `commonplace[search]` extra is installed.

Pagefind runs offline from its PyPI package; it indexes the rendered pages and writes a static
bundle (`pagefind/`) that the search page loads from the site itself, never from another host.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import CommonplaceError
from .files import SiteFiles

ENABLE_HINT = ("search is off: install the search extra to add a search page "
               "(`pip install 'commonplace[search]'`, or `pip install '.[search]'` in a clone)")


def available() -> bool:
    if importlib.util.find_spec("pagefind") is None:
        return False
    return any(importlib.util.find_spec(name) is not None for name in ("pagefind_bin_extended", "pagefind_bin"))


def index(files: SiteFiles, language: str, timeout: int = 900, site: str | None = None) -> dict[str, bytes]:
    """The Pagefind bundle for the site's pages, as {path under the site: bytes}. `site`: a
    folder that already holds exactly these pages (a staging folder), read instead of a copy."""
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
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CommonplaceError(f"search indexing took more than {timeout} s: try again, or uninstall "
                                   "the search extra") from None
        if result.returncode != 0:
            raise CommonplaceError(f"search indexing failed: {(result.stderr or result.stdout).strip()[-500:]}")
        return {f"pagefind/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                for p in sorted(bundle.rglob("*")) if p.is_file()}
