"""Request bodies read as JSON: what RFC 8259 allows, nothing Python's json adds."""

from __future__ import annotations

import json

import pytest

from skillgrid.web.api.json_body import loads


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        (b'{"a": NaN}', 6, "NaN is not a finite number"),
        (b"[1, -Infinity]", 4, "-Infinity is not a finite number"),
        (b'{"n": 1e309}', 6, "1e309 is not a finite number"),
        (b'{"t": "ok \\ud800"}', 6, "lone UTF-16 surrogate"),
        (b'{"\\udfff": 1}', 1, "lone UTF-16 surrogate"),
        (b'["\xed\xa0\x80"]', 2, "not UTF-8"),
        (b'"\xff"', 1, "not UTF-8"),
        (b"[" * 100_000, 0, "nested too deeply"),
        (b"1" * 5000, 0, "digits"),
        (b'{"a": }', 6, "Expecting value"),
    ],
)
def test_what_cannot_be_stored_is_refused_saying_what_and_where(body, where, says) -> None:
    with pytest.raises(json.JSONDecodeError) as refused:
        loads(body)
    assert refused.value.pos == where
    assert says in refused.value.msg


def test_json_itself_reads_as_usual() -> None:
    body = '{"a": [1, -2.5e3, true, null], "b": "\\ud83d\\ude80 \\u00e9 ok", "c": "é"}'
    assert loads(body.encode()) == {"a": [1, -2500.0, True, None], "b": "🚀 é ok", "c": "é"}
