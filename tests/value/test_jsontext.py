"""The indented JSON writer: the bytes of `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from value.jsontext import write_json

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text())
KEYS = st.one_of(st.text(), st.sampled_from(["", "a", "ä\u2028", '"q"']))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


def written(value) -> str:
    out = io.StringIO()
    write_json(value, out)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_same_text_as_the_standard_encoder(value):
    assert written(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_keys_that_are_not_strings_tuples_and_a_large_document():
    value = {"ints": {2: "two", 1: [(1, 2), ()]}, "floats": {2.5: None, -0.5: {}}, "flags": {True: 1, False: 0},
             "rows": [{"m": {f"2024-{i:02d}": i / 7 for i in range(1, 13)}}] * 3000}
    assert written(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_what_json_cannot_hold_is_refused():
    with pytest.raises(TypeError):
        written({"a": {1, 2}})
    with pytest.raises(TypeError):
        written({("a",): 1})
