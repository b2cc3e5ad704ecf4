"""Nothing a peer sends that looks like an e-mail address is republished.

A peer's data is someone else's: its figures may be broken down by address (`part:
bob@example.org`), its profile may name a contact, a commit author may have typed an address as
a name. The build's own address guard (`publish/addresses.py`) knows the addresses of this
community and of git peers' member files and histories; a data-mode peer's addresses are known
to nobody. So every string read from a peer passes here first: a key that holds an address is
dropped with its value, a text loses the words that hold one.

"Looks like an address" is read widely, as a browser would show it: `name@host`, a `mailto:`
link, and `@` written as an HTML entity (`&#64;`, `&#x40;`, `&commat;`), percent-encoded
(`%40`, even twice), as an escape (`\\u0040`) or as a full-width or small `@`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

_AT = re.compile(r"&#0*64;?|&#[xX]0*40;?|&commat;?|\\u0040|\\x40|%40|\uff20|\ufe6b", re.IGNORECASE)
_ADDRESS = re.compile(r"[^\s@<>()\[\]\"',;:/]+@[A-Za-z0-9\u00a0-\uffff](?:[A-Za-z0-9.\u00a0-\uffff-]*)")
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)


def _shown(text: str) -> str:
    """The text as a reader would see it: entities and percent-encoding undone (twice over)."""
    for _ in range(3):
        plain = _AT.sub("@", html.unescape(unquote(text)))
        if plain == text:
            break
        text = plain
    return text


def holds_address(text) -> bool:
    """Whether `text` is or contains something that reads as an e-mail address."""
    if not isinstance(text, str):
        return False
    shown = _shown(text)
    return bool(_MAILTO.search(shown) or _ADDRESS.search(shown))


def without_addresses(text: str) -> str:
    """`text` without the words that hold an address (spaces tidied); "" when nothing else is left."""
    if not holds_address(text):
        return text
    kept = [word for word in text.split() if not holds_address(word)]
    cleaned = " ".join(kept)
    return "" if holds_address(cleaned) else cleaned  # an address split over words: nothing kept


def scrubbed(value):
    """A peer's data with every address gone: mapping keys holding one dropped with their value,
    texts without the words that hold one, list items that were only an address dropped."""
    if isinstance(value, str):
        return without_addresses(value)
    if isinstance(value, dict):
        return {key: scrubbed(item) for key, item in value.items() if not holds_address(key)}
    if isinstance(value, (list, tuple)):
        items = [scrubbed(item) for item in value if not (isinstance(item, str) and holds_address(item)
                                                           and not without_addresses(item))]
        return type(value)(items)
    return value
