"""Reading files of an untrusted repository: no symlink is ever followed, text must be UTF-8.

A symlink in a repository may point anywhere on the builder's machine (`/etc/passwd`, a key),
so every path is walked one component at a time with `lstat`, and any link stops the walk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SYMLINK_MESSAGE = "is a symbolic link: not followed (commit the file itself)"
NOT_UTF8_MESSAGE = "is not valid UTF-8 text: save the file as UTF-8"


def walk(root: Path, rel: str) -> tuple[str, os.stat_result | None]:
    """("ok" | "missing" | "symlink", the final lstat) for `root/rel`, following no link."""
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return "missing", None
    current, info = os.fspath(root), None  # plain strings: this runs for every file of every build
    for part in parts:
        current = os.path.join(current, part)
        try:
            info = os.lstat(current)
        except (FileNotFoundError, NotADirectoryError):
            return "missing", None
        if stat.S_ISLNK(info.st_mode):
            return "symlink", info
    return "ok", info


def plain_file(root: Path, rel: str) -> Path | None:
    """`root/rel` if it is a regular file reached through no symlink, else None."""
    status, info = walk(root, rel)
    return Path(root, rel) if status == "ok" and info is not None and stat.S_ISREG(info.st_mode) else None


def decode(data: bytes) -> tuple[str | None, int]:
    """(text, 0), or (None, the line of the first bad byte) when the bytes are not UTF-8."""
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError as exc:
        return None, data[: exc.start].count(b"\n") + 1


# Names Windows gives to devices, in any case and with any extension: git cannot check them out.
WINDOWS_DEVICES = frozenset(["con", "prn", "aux", "nul", "conin$", "conout$"]
                            + [f"{port}{n}" for port in ("com", "lpt") for n in "123456789¹²³"])
WINDOWS_FORBIDDEN = frozenset('<>:"|?*\\')


def windows_problem(name: str) -> str | None:
    """Why git cannot check out a file or folder called `name` on Windows, or None."""
    device = name.split(".")[0].rstrip(" ").casefold()
    if device in WINDOWS_DEVICES:
        return f"{device.upper()} is a device name on Windows, with any extension"
    if name.endswith((".", " ")):
        return "Windows drops a final dot or space"
    bad = sorted({c for c in name if c in WINDOWS_FORBIDDEN or ord(c) < 32})
    if bad:
        shown = " ".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f"Windows does not allow {shown} in a name"
    return None


def same_name_key(name: str) -> str:
    """What two names share when a file system that ignores case and Unicode normalisation
    (Windows, macOS) takes them for one: `ana.yaml` and `Ana.yaml`, `josé.yaml` in NFC and NFD."""
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold()


def twins(names: list[str]) -> dict[str, str]:
    """name -> the name it is taken for, for every name but one of each group that `same_name_key`
    makes one; the one kept is the group's first name written in its own folded form, else its
    first name."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names):
        groups.setdefault(same_name_key(name), []).append(name)
    found = {}
    for key, group in groups.items():
        if len(group) > 1:
            kept = next((n for n in group if n == key), group[0])
            found.update({n: kept for n in group if n != kept})
    return found
