"""The data of the ecosystem files the engine reads from the tree (FUNDING.yml, CITATION.cff).

They come from the repository, so they are untrusted: sizes are bounded when the blobs are read
(history.MAX_FILE_BYTES), and here YAML anchors and aliases are refused before anything can
expand them (an alias bomb fits in a few hundred bytes). Anything unusable reads as None.
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_data(text: str | None):
    """The parsed document, or None when there is none, it uses anchors/aliases or is not YAML."""
    if not text:
        return None
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
