"""Values as bytes for cache keys: pickled with every object written out in full."""

from __future__ import annotations

import io
import pickle


def stable_pickle(value) -> bytes | None:
    """The value's bytes, each object written out in full wherever it appears: pickle's memo
    would otherwise make the bytes depend on which equal objects happen to be one object (a
    model parsed afresh or read from the build cache). None for anything pickle refuses."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo; a value that refers to itself raises, and gets no key
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - anything pickle refuses: the caller keys nothing on it
        return None
    return out.getvalue()
