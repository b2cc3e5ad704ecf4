"""Compiled templates kept between builds, beside the other build caches in the git folder.

Compiling the theme's templates costs about 0.17 s a build, a good part of a small community's
rebuild and of every `serve` reload. Jinja folds a filter with constant arguments into the
compiled code (`{{ "Main" | tr }}` becomes the translation itself), so a compiled template is
only valid for the catalogue it was compiled with: the key includes the catalogue, the
generator's code and the kind of environment, and Jinja checks the template's source itself.
The files hold code that is run when loaded, so they live only where no commit can write.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import jinja2

# More files than a few catalogues' worth of templates: an old generation is cleared out.
MAX_FILES = 400


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """A folder of compiled templates; one that cannot be read or written only costs the time
    of compiling, as with the other caches."""

    def __init__(self, directory: Path, salt: str):
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            names = [name for name in os.listdir(directory) if name.endswith(".cache")]
            if len(names) > MAX_FILES:
                for name in names:
                    (directory / name).unlink(missing_ok=True)
        except OSError:
            pass
        super().__init__(str(directory), "%s.cache")
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.salt}\0{name}\0{filename}".encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def salt(catalogue, environment: jinja2.Environment, code_stamp: str) -> str:
    """Everything a compiled template may have folded in, besides its own source."""
    described = json.dumps([catalogue.language, catalogue.messages, catalogue.formats, catalogue.plural,
                            type(environment).__name__, jinja2.__version__, code_stamp],
                           sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(described.encode("utf-8", "surrogatepass")).hexdigest()
